/* Logs in with a username and password (asking for a one-time password when the
 * account uses MFA) and prints the new access token.
 *
 *   login <username> <password> [otp]
 */
#include <stdio.h>

#include <particle/particle.h>

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s <username> <password> [otp]\n", argv[0]);
        return 2;
    }
    particle_global_init();
    particle_client_options copts = PARTICLE_CLIENT_OPTIONS_INIT;
    copts.flags = PARTICLE_CLIENT_NO_PROFILE; /* a fresh login needs no stored token */
    particle_client *client = NULL;
    particle_token *token = NULL;
    int status = 1;
    if (particle_client_new(&client, &copts) != 0) {
        goto fail;
    }
    int rc = particle_login_password(&token, client, argv[1], argv[2], NULL);
    if (rc == PARTICLE_EMFA && argc == 4) {
        char mfa_token[sizeof(particle_error_last()->mfa_token)];
        snprintf(mfa_token, sizeof(mfa_token), "%s", particle_error_last()->mfa_token);
        rc = particle_login_mfa(&token, client, mfa_token, argv[3], NULL);
    }
    if (rc != 0) {
        goto fail;
    }
    /* check-source: allow token-print -- showing the token it obtained is this example's job */
    printf("%s (expires in %lld s)\n", particle_token_access_token(token),
           particle_token_expires_in(token));
    status = 0;
    goto done;
fail:
    fprintf(stderr, "%s: %s\n", particle_code_name(particle_error_last()->code),
            particle_error_last()->message);
done:
    particle_token_free(token);
    particle_client_free(client);
    particle_global_cleanup();
    return status;
}
