/* account show|set|identity|create|username|password|reset-password|delete, account mfa
 * enable|confirm|disable (particle/account.h), and keys send (particle/provisioning.h).
 * particle-cli has no account commands; `keys send` is its name. Passwords and one-time
 * passwords come from standard input (--password-stdin, --otp-stdin: one per line, in the
 * order the help gives) or a prompt, never from the command line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "particle/account.h"
#include "particle/auth.h"
#include "particle/provisioning.h"
#include "pu_file.h"

#include "cli.h"
#include "commands.h"
#include "resource_cmd.h"
#include "secrets.h"

enum {
    OPT_PASSWORD_STDIN = 8300,
    OPT_OTP_STDIN,
    OPT_INVALIDATE,
    OPT_YES,
    OPT_FIRST,
    OPT_LAST,
    OPT_COMPANY,
    OPT_BUSINESS,
    OPT_NO_BUSINESS,
    OPT_FULL,
    OPT_ALGORITHM
};

typedef struct account_opts {
    bool password_stdin, otp_stdin, invalidate, yes, full;
    particle_account_info info;
    const char *algorithm;
} account_opts;

static const struct option account_options[] = {
    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
    {"otp-stdin", no_argument, NULL, OPT_OTP_STDIN},
    {"invalidate-tokens", no_argument, NULL, OPT_INVALIDATE},
    {"yes", no_argument, NULL, OPT_YES},
    {"first-name", required_argument, NULL, OPT_FIRST},
    {"last-name", required_argument, NULL, OPT_LAST},
    {"company", required_argument, NULL, OPT_COMPANY},
    {"business", no_argument, NULL, OPT_BUSINESS},
    {"no-business", no_argument, NULL, OPT_NO_BUSINESS},
    {"full", no_argument, NULL, OPT_FULL},
    {"algorithm", required_argument, NULL, OPT_ALGORITHM},
    {NULL, 0, NULL, 0},
};

static int account_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    account_opts *o = payload;
    switch (opt) {
    case OPT_PASSWORD_STDIN:
        o->password_stdin = true;
        return 0;
    case OPT_OTP_STDIN:
        o->otp_stdin = true;
        return 0;
    case OPT_INVALIDATE:
        o->invalidate = true;
        return 0;
    case OPT_YES:
        o->yes = true;
        return 0;
    case OPT_FULL:
        o->full = true;
        return 0;
    case OPT_FIRST:
        o->info.first_name = arg;
        return 0;
    case OPT_LAST:
        o->info.last_name = arg;
        return 0;
    case OPT_COMPANY:
        o->info.company_name = arg;
        return 0;
    case OPT_BUSINESS:
    case OPT_NO_BUSINESS:
        o->info.business_account =
            opt == OPT_BUSINESS ? PARTICLE_BUSINESS_YES : PARTICLE_BUSINESS_NO;
        return 0;
    case OPT_ALGORITHM:
        if (strcmp(arg, "rsa") != 0 && strcmp(arg, "ecc") != 0) {
            return cli_usage(ctx->command, "--algorithm is rsa or ecc");
        }
        o->algorithm = arg;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* Parses the options and @p min..@p max arguments, then gets the client (a token when
 * @p need_token). Returns 0, CLI_HELP_SHOWN or an exit status. */
static int start(cli_ctx *ctx, int argc, char **argv, account_opts *o, int min, int max, int *pos,
                 bool need_token, particle_client **client)
{
    *o = (account_opts){.info = PARTICLE_ACCOUNT_INFO_INIT};
    int status =
        cli_resource_parse(ctx, argc, argv, account_options, account_option, o, min, max, pos);
    return status != 0 ? status : cli_client(ctx, client, need_token);
}

/* Goes on after start() returned 0; returns its exit status otherwise. */
#define START_OR_RETURN(call) CLI_DONE_IF(call)

static const char *const USER_FIELDS[] = {"username", "account_info", "mfa", "wifi_device_count",
                                          "cellular_device_count"};

static int emit_user(cli_ctx *ctx, int rc, particle_doc *doc)
{
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    int status = cli_emit_object(ctx, USER_FIELDS, CLI_COUNT(USER_FIELDS), particle_doc_root(doc));
    particle_doc_free(doc);
    return status;
}

/* One finished change: {what: subject, done: true}, or the sentence in table format. */
static int emit_done(cli_ctx *ctx, int rc, const char *key, const char *subject,
                     const char *message)
{
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    const char *fields[] = {key, "done"};
    const char *values[] = {subject};
    return cli_emit_done(ctx, fields, 2, values, message);
}

int cli_cmd_account_show(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 0, 0, &pos, true, &client));
    particle_doc *doc = NULL;
    int rc = particle_user_get(&doc, client);
    return emit_user(ctx, rc, doc);
}

int cli_cmd_account_set(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 0, 0, &pos, true, &client));
    if (!o.info.first_name && !o.info.last_name && !o.info.company_name &&
        o.info.business_account == PARTICLE_BUSINESS_LEAVE) {
        return cli_usage(ctx->command, "nothing to set: give --first-name, --last-name, "
                                       "--company, --business or --no-business");
    }
    particle_doc *doc = NULL;
    int rc = particle_user_set_info(&doc, client, &o.info);
    return emit_user(ctx, rc, doc);
}

int cli_cmd_account_identity(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"id", "email"};
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 0, 0, &pos, true, &client));
    particle_doc *doc = NULL;
    int rc = particle_user_tracking_identity(&doc, client, o.full);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    int status = cli_emit_object(ctx, fields, CLI_COUNT(fields), particle_doc_root(doc));
    particle_doc_free(doc);
    return status;
}

int cli_cmd_account_create(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 1, 1, &pos, false, &client));
    char *password = NULL;
    int status = cli_read_secret(ctx, o.password_stdin, "Password", "--password-stdin", &password);
    if (status != 0) {
        return status;
    }
    int rc = particle_user_create(client, argv[pos], password, &o.info);
    cli_wipe_free(password);
    return emit_done(ctx, rc, "username", argv[pos], "Account created.");
}

/* The current password, then @p key's new value (a second stdin line for a password). */
static int change(cli_ctx *ctx, int argc, char **argv, bool username)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(
        start(ctx, argc, argv, &o, username ? 1 : 0, username ? 1 : 0, &pos, true, &client));
    char *current = NULL, *fresh = NULL;
    int status =
        cli_read_secret(ctx, o.password_stdin, "Current password", "--password-stdin", &current);
    if (status == 0 && !username) {
        status = cli_read_secret(ctx, o.password_stdin, "New password", "--password-stdin", &fresh);
    }
    if (status != 0) {
        cli_wipe_free(current);
        return status;
    }
    unsigned int flags = o.invalidate ? PARTICLE_INVALIDATE_TOKENS : 0;
    int rc = username ? particle_user_change_username(client, current, argv[pos], flags)
                      : particle_user_change_password(client, current, fresh, flags);
    cli_wipe_free(current);
    cli_wipe_free(fresh);
    return username ? emit_done(ctx, rc, "username", argv[pos], "Username changed.")
                    : emit_done(ctx, rc, "password", "changed", "Password changed.");
}

int cli_cmd_account_username(cli_ctx *ctx, int argc, char **argv)
{
    return change(ctx, argc, argv, true);
}

int cli_cmd_account_password(cli_ctx *ctx, int argc, char **argv)
{
    return change(ctx, argc, argv, false);
}

int cli_cmd_account_reset_password(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 1, 1, &pos, false, &client));
    int rc = particle_user_reset_password(client, argv[pos]);
    return emit_done(ctx, rc, "username", argv[pos], "Password reset e-mail requested.");
}

int cli_cmd_account_delete(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 0, 0, &pos, true, &client));
    int status =
        cli_confirm(ctx, o.yes, "deleting the account", "Delete this account and all its tokens?");
    char *password = NULL;
    if (status != 0 || (status = cli_read_secret(ctx, o.password_stdin, "Password",
                                                 "--password-stdin", &password)) != 0) {
        return status;
    }
    int rc = particle_user_delete(client, password);
    cli_wipe_free(password);
    return emit_done(ctx, rc, "account", "deleted", "Account deleted.");
}

int cli_cmd_account_mfa_enable(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"mfa_token", "secret", "qr_url"};
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 0, 0, &pos, true, &client));
    particle_doc *doc = NULL;
    int rc = particle_mfa_enable(&doc, client);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    /* The secret is what the user asked for: it goes into an authenticator app. */
    int status = cli_emit_object(ctx, fields, CLI_COUNT(fields), particle_doc_root(doc));
    particle_doc_free(doc);
    return status;
}

int cli_cmd_account_mfa_confirm(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 1, 1, &pos, true, &client));
    char *otp = NULL;
    int status = cli_read_secret(ctx, o.otp_stdin, "One-time password", "--otp-stdin", &otp);
    if (status != 0) {
        return status;
    }
    int rc = particle_mfa_confirm(NULL, client, argv[pos], otp,
                                  o.invalidate ? PARTICLE_INVALIDATE_TOKENS : 0);
    cli_wipe_free(otp);
    return emit_done(ctx, rc, "mfa", "enabled", "Multi-factor authentication is on.");
}

int cli_cmd_account_mfa_disable(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 0, 0, &pos, true, &client));
    char *password = NULL;
    int status = cli_read_secret(ctx, o.password_stdin, "Password", "--password-stdin", &password);
    if (status != 0) {
        return status;
    }
    int rc = particle_mfa_disable(client, password);
    cli_wipe_free(password);
    return emit_done(ctx, rc, "mfa", "disabled", "Multi-factor authentication is off.");
}

#define MAX_KEY_FILE (64 * 1024)

int cli_cmd_keys_send(cli_ctx *ctx, int argc, char **argv)
{
    account_opts o;
    particle_client *client;
    int pos;
    START_OR_RETURN(start(ctx, argc, argv, &o, 2, 2, &pos, true, &client));
    char *pem = NULL, err[512];
    size_t n = 0;
    int read = pu_file_read(argv[pos + 1], MAX_KEY_FILE, &pem, &n, err, sizeof err);
    if (read == PU_FILE_EOPEN) {
        return cli_fail(CLI_EXIT_USAGE, "cannot open %s", argv[pos + 1]);
    }
    if (read != 0 || n == 0) {
        free(pem);
        return cli_fail(CLI_EXIT_USAGE, "%s is not a public key file", argv[pos + 1]);
    }
    int rc = particle_device_send_public_key(client, argv[pos], pem, o.algorithm);
    free(pem);
    return emit_done(ctx, rc, "device_id", argv[pos], "Public key sent.");
}
