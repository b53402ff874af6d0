/* login, logout, whoami and token list|create|revoke. */
#include <stdlib.h>
#include <string.h>

#include "particle/auth.h"

#include "cli.h"
#include "commands.h"
#include "prompt.h"
#include "pu_parse.h"
#include "secrets.h"
#include "value_json.h"

#include "pu_str.h"

/* Options shared by the commands that ask for credentials. */
typedef struct credential_opts {
    const char *username;
    bool password_stdin;
    bool otp_stdin;
    bool never_expires;
    int64_t expires_in; /* -1 = not given */
} credential_opts;

enum { OPT_USERNAME = 3000, OPT_PASSWORD_STDIN, OPT_OTP_STDIN, OPT_EXPIRES_IN, OPT_NEVER_EXPIRES };

static const struct option credential_options[] = {
    {"username", required_argument, NULL, 'u'},
    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
    {"otp-stdin", no_argument, NULL, OPT_OTP_STDIN},
    {NULL, 0, NULL, 0},
};

static const struct option token_create_options[] = {
    {"username", required_argument, NULL, 'u'},
    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
    {"otp-stdin", no_argument, NULL, OPT_OTP_STDIN},
    {"expires-in", required_argument, NULL, OPT_EXPIRES_IN},
    {"never-expires", no_argument, NULL, OPT_NEVER_EXPIRES},
    {NULL, 0, NULL, 0},
};

static int credential_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    credential_opts *o = payload;
    switch (opt) {
    case 'u':
        o->username = arg;
        return 0;
    case OPT_PASSWORD_STDIN:
        o->password_stdin = true;
        return 0;
    case OPT_OTP_STDIN:
        o->otp_stdin = true;
        return 0;
    case OPT_NEVER_EXPIRES:
        o->never_expires = true;
        return 0;
    case OPT_EXPIRES_IN:
        if (pu_parse_duration_ms(arg, &o->expires_in) != 0 || o->expires_in < 1000) {
            return cli_usage(ctx->command, "bad --expires-in '%s' (e.g. 3600, 90d)", arg);
        }
        o->expires_in /= 1000;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* The username: --username, else @p fallback (the profile's), else a prompt. */
static int read_username(cli_ctx *ctx, const credential_opts *o, const char *fallback, char **out)
{
    const char *given = o->username != NULL ? o->username : fallback;
    if (given != NULL) {
        *out = strdup(given);
        return *out == NULL ? cli_fail(CLI_EXIT_API, "out of memory") : 0;
    }
    if (!cli_prompt_interactive() || o->password_stdin) {
        return cli_usage(ctx->command, "no terminal to ask for the username: use --username");
    }
    *out = cli_prompt_line("Username: ", false);
    if (*out == NULL || (*out)[0] == '\0') {
        free(*out);
        *out = NULL;
        return cli_fail(CLI_EXIT_USAGE, "no username given");
    }
    return 0;
}

/*
 * Password login, answering an MFA challenge with the one-time password (next stdin line
 * with --otp-stdin, else a prompt). On success *out holds the token.
 */
static int password_login(cli_ctx *ctx, particle_client *client, const credential_opts *o,
                          const char *username, const particle_login_options *lopts,
                          particle_token **out)
{
    char *password = NULL;
    char *otp = NULL;
    char mfa_token[sizeof(((particle_error *)0)->mfa_token)];
    int status = cli_read_secret(ctx, o->password_stdin, "Password", "--password-stdin", &password);
    if (status != 0) {
        return status;
    }
    int rc = particle_login_password(out, client, username, password, lopts);
    cli_wipe_free(password);
    if (rc == PARTICLE_EMFA) {
        pu_strlcpy(mfa_token, particle_error_last()->mfa_token, sizeof(mfa_token));
        if (!o->otp_stdin && cli_prompt_interactive()) {
            fprintf(stderr, "This account uses multi-factor authentication.\n");
        }
        status = cli_read_secret(ctx, o->otp_stdin, "One-time password", "--otp-stdin", &otp);
        if (status != 0) {
            pu_secure_zero(mfa_token, sizeof(mfa_token));
            return status;
        }
        rc = particle_login_mfa(out, client, mfa_token, otp, lopts);
        pu_secure_zero(mfa_token, sizeof(mfa_token));
        cli_wipe_free(otp);
    }
    return rc == 0 ? 0 : cli_report(rc, NULL);
}

/* Stores token and username in the profile (and apiUrl when --api-url was given). */
static int save_login(cli_ctx *ctx, const char *token, const char *username)
{
    char err[CLI_CONFIG_ERR_SIZE];
    cli_config_change changes[] = {
        {"access_token", token},
        {"username", username},
        /* we cannot write particle-cli's expiry in its format: drop a stale one */
        {"access_token_expires_at", NULL},
        {"apiUrl", ctx->api_url},
    };
    size_t n = ctx->api_url != NULL ? 4 : 3;
    if (cli_config_update(&ctx->config, changes, n, err) != 0) {
        return cli_fail(CLI_EXIT_API, "%s", err);
    }
    return 0;
}

static int emit_login(cli_ctx *ctx, const char *username, long long expires_in)
{
    static const char *const fields[] = {"username", "profile", "api_url", "expires_in"};
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) != 0 || cli_output_set_str(out, 0, username) != 0 ||
        cli_output_set_str(out, 1, particle_profile_name(ctx->config.profile)) != 0 ||
        cli_output_set_str(out, 2, cli_api_url(ctx)) != 0 ||
        (expires_in >= 0 && cli_output_set_int(out, 3, expires_in) != 0)) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Logged in as %s (profile %s).", username,
                            particle_profile_name(ctx->config.profile));
}

/* login --token-file/--token-stdin: check the token with GET /v1/user, then store it. */
static int login_with_token(cli_ctx *ctx)
{
    particle_client *client;
    particle_doc *user = NULL;
    const char *token = NULL;
    int status = cli_explicit_token(ctx, &token);
    if (status != 0) {
        return status;
    }
    status = cli_client(ctx, &client, true);
    if (status == 0) {
        int rc = particle_user_get(&user, client);
        if (rc != 0) {
            status = cli_report(rc, NULL);
        }
    }
    const char *username =
        particle_value_string(particle_value_get(particle_doc_root(user), "username"));
    if (status == 0 && username == NULL) {
        status = cli_fail(CLI_EXIT_API, "the API's user answer has no username");
    }
    if (status == 0 && (status = save_login(ctx, token, username)) == 0) {
        status = emit_login(ctx, username, -1);
    }
    particle_doc_free(user);
    return status;
}

int cli_cmd_login(cli_ctx *ctx, int argc, char **argv)
{
    credential_opts o = {.expires_in = -1};
    particle_client *client;
    particle_token *token = NULL;
    char *username = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("login"), argc, argv, credential_options,
                                   credential_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (pos != argc) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[pos]);
    }
    if (ctx->token_file != NULL || ctx->token_stdin) {
        if (o.username != NULL || o.password_stdin || o.otp_stdin) {
            return cli_usage(ctx->command, "--token-file/--token-stdin store a token: "
                                           "no username or password needed");
        }
        return login_with_token(ctx);
    }
    if ((status = cli_client(ctx, &client, false)) != 0 ||
        (status = read_username(ctx, &o, NULL, &username)) != 0) {
        return status;
    }
    particle_login_options lopts = PARTICLE_LOGIN_OPTIONS_INIT;
    status = password_login(ctx, client, &o, username, &lopts, &token);
    if (status == 0) {
        status = save_login(ctx, particle_token_access_token(token), username);
    }
    if (status == 0) {
        status = emit_login(ctx, username, particle_token_expires_in(token));
    }
    particle_token_free(token);
    free(username);
    return status;
}

static int no_options(cli_ctx *ctx, const char *name, int argc, char **argv, int max_pos, int *pos)
{
    int status = cli_parse_options(ctx, cli_find_command(name), argc, argv, NULL, NULL, NULL, pos);
    if (status != 0) {
        return status;
    }
    if (argc - *pos > max_pos) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[*pos + max_pos]);
    }
    return 0;
}

int cli_cmd_logout(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"logged_out", "profile"};
    particle_client *client;
    char err[CLI_CONFIG_ERR_SIZE];
    int pos;
    int status = no_options(ctx, "logout", argc, argv, 0, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_access_token_delete_current(client);
    if (rc == PARTICLE_EAUTH) {
        /* the token is dead already; forgetting it is all that is left to do */
        cli_note(ctx, "%s: the token was no longer valid", CLI_PROG);
    } else if (rc != 0) {
        return cli_report(rc, NULL);
    }
    /* Only the token just revoked leaves the profile: a profile token that was not in
     * effect (--token-file, PARTICLE_ACCESS_TOKEN) is still valid and stays usable. */
    if (ctx->token_from_profile) {
        cli_config_change change = {"access_token", NULL};
        cli_config_change expiry = {"access_token_expires_at", NULL};
        cli_config_change both[] = {change, expiry};
        if (cli_config_update(&ctx->config, both, 2, err) != 0) {
            return cli_fail(CLI_EXIT_API, "%s", err);
        }
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) != 0 || cli_output_set_bool(out, 0, true) != 0 ||
        cli_output_set_str(out, 1, particle_profile_name(ctx->config.profile)) != 0) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Logged out; the token is revoked.");
}

int cli_cmd_whoami(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"username", "api_url"};
    particle_client *client;
    particle_doc *user = NULL;
    int pos;
    int status = no_options(ctx, "whoami", argc, argv, 0, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    int rc = particle_user_get(&user, client);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_doc_free(user);
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    cli_output_set_plain(out, 0);
    if (cli_output_add_row(out) != 0 ||
        cli_output_set_value(out, 0, particle_value_get(particle_doc_root(user), "username")) !=
            0 ||
        cli_output_set_str(out, 1, cli_api_url(ctx)) != 0) {
        cli_output_free(out);
        particle_doc_free(user);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    particle_doc_free(user);
    return cli_emit(ctx, out);
}

int cli_cmd_token_list(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"token", "expires_at", "client"};
    credential_opts o = {.expires_in = -1};
    particle_client *client;
    particle_doc *list = NULL;
    char *username = NULL;
    char *password = NULL;
    char *otp = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("token list"), argc, argv,
                                   credential_options, credential_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (pos != argc) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[pos]);
    }
    if ((status = cli_client(ctx, &client, false)) != 0 ||
        (status = read_username(ctx, &o, particle_profile_username(ctx->config.profile),
                                &username)) != 0 ||
        (status = cli_read_secret(ctx, o.password_stdin, "Password", "--password-stdin",
                                  &password)) != 0 ||
        (o.otp_stdin &&
         (status = cli_read_secret(ctx, true, "One-time password", "--otp-stdin", &otp)) != 0)) {
        goto done;
    }
    int rc = particle_access_token_list(&list, client, username, password, otp);
    if (rc != 0) {
        status = cli_report(rc, NULL);
        goto done;
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        status = CLI_EXIT_API;
        goto done;
    }
    cli_output_set_empty_text(out, "No access tokens.");
    const particle_value *root = particle_doc_root(list);
    for (size_t i = 0; i < particle_value_count(root); i++) {
        const particle_value *t = particle_value_at(root, i);
        if (cli_output_add_row(out) != 0 ||
            cli_output_set_value(out, 0, particle_value_get(t, "token")) != 0 ||
            cli_output_set_value(out, 1, particle_value_get(t, "expires_at")) != 0 ||
            cli_output_set_value(out, 2, particle_value_get(t, "client")) != 0) {
            cli_output_free(out);
            status = cli_fail(CLI_EXIT_API, "out of memory");
            goto done;
        }
    }
    status = cli_emit(ctx, out);
done:
    particle_doc_free(list);
    free(username);
    cli_wipe_free(password);
    cli_wipe_free(otp);
    return status;
}

int cli_cmd_token_create(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"token", "expires_in"};
    credential_opts o = {.expires_in = -1};
    particle_client *client;
    particle_token *token = NULL;
    char *username = NULL;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("token create"), argc, argv,
                                   token_create_options, credential_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (pos != argc) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[pos]);
    }
    if (o.never_expires && o.expires_in >= 0) {
        return cli_usage(ctx->command, "give either --expires-in or --never-expires");
    }
    particle_login_options lopts = PARTICLE_LOGIN_OPTIONS_INIT;
    if (o.never_expires) {
        lopts.expires_in = PARTICLE_TOKEN_NEVER_EXPIRES;
    } else if (o.expires_in > 0) {
        lopts.expires_in = (long)o.expires_in;
    }
    if ((status = cli_client(ctx, &client, false)) != 0 ||
        (status = read_username(ctx, &o, particle_profile_username(ctx->config.profile),
                                &username)) != 0 ||
        (status = password_login(ctx, client, &o, username, &lopts, &token)) != 0) {
        free(username);
        return status;
    }
    free(username);
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        particle_token_free(token);
        return CLI_EXIT_API;
    }
    /* The one place a token is printed: the new token is what the user asked for. */
    cli_output_set_single(out, true);
    cli_output_set_plain(out, 0);
    long long expires = particle_token_expires_in(token);
    if (cli_output_add_row(out) != 0 ||
        cli_output_set_str(out, 0, particle_token_access_token(token)) != 0 ||
        (expires >= 0 && cli_output_set_int(out, 1, expires) != 0)) {
        cli_output_free(out);
        particle_token_free(token);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    particle_token_free(token);
    return cli_emit(ctx, out);
}

int cli_cmd_token_revoke(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"revoked"};
    particle_client *client;
    char *token = NULL;
    int pos;
    int status = no_options(ctx, "token revoke", argc, argv, 1, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (pos == argc) {
        return cli_usage(ctx->command, "give - and the token on standard input");
    }
    /* A token on the command line would show in ps and in the shell history. */
    if (strcmp(argv[pos], "-") != 0) {
        return cli_usage(ctx->command,
                         "a token is never taken as an argument: give - and pipe it on "
                         "standard input");
    }
    char err[CLI_CONFIG_ERR_SIZE];
    if ((token = cli_config_read_token(NULL, err)) == NULL) {
        return cli_fail(CLI_EXIT_USAGE, "%s", err);
    }
    if ((status = cli_client(ctx, &client, false)) == 0) {
        int rc = particle_access_token_delete(client, token);
        status = rc != 0 ? cli_report(rc, NULL) : 0;
    }
    cli_wipe_free(token);
    if (status != 0) {
        return status;
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) != 0 || cli_output_set_bool(out, 0, true) != 0) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Token revoked.");
}
