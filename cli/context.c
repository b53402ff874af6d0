/* Where particlectl's settings come from (flags, environment, profile) and the SDK client
 * built from them. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "particle/version.h"

#include "pu_str.h"

/* Retries of idempotent requests after 5xx or network errors: enough to ride over a blip,
 * few enough that a dead endpoint fails within about a second. */
#define CLI_MAX_RETRIES 2

int cli_load_config(cli_ctx *ctx)
{
    char err[CLI_CONFIG_ERR_SIZE];
    if (ctx->config_loaded) {
        return 0;
    }
    if (cli_config_load_profile(&ctx->config, NULL, ctx->profile, err) != 0) {
        return cli_fail(CLI_EXIT_API, "%s", err);
    }
    /* A profile asked for by name must exist, except to log in to it (which creates it). */
    const char *path = particle_profile_config_path(ctx->config.profile);
    if (ctx->profile != NULL && path != NULL && access(path, F_OK) != 0 &&
        (ctx->command == NULL || strcmp(ctx->command, "login") != 0)) {
        int rc =
            cli_fail(CLI_EXIT_USAGE, "no profile %s (%s does not exist; log in with --profile %s)",
                     ctx->profile, path, ctx->profile);
        cli_config_dispose(&ctx->config);
        return rc;
    }
    ctx->config_loaded = true;
    return 0;
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

const char *cli_api_url(cli_ctx *ctx)
{
    const char *env = env_nonempty("PARTICLE_API_BASE_URL");
    if (ctx->api_url != NULL) {
        return ctx->api_url;
    }
    if (env != NULL) {
        return env;
    }
    if (cli_load_config(ctx) == 0 && particle_profile_api_url(ctx->config.profile) != NULL) {
        return particle_profile_api_url(ctx->config.profile);
    }
    return PARTICLE_DEFAULT_BASE_URL;
}

int cli_explicit_token(cli_ctx *ctx, const char **out)
{
    char err[CLI_CONFIG_ERR_SIZE];
    *out = NULL;
    if (ctx->token_file != NULL && ctx->token_stdin) {
        return cli_usage(ctx->command, "give either --token-file or --token-stdin, not both");
    }
    if (ctx->token_file == NULL && !ctx->token_stdin) {
        return 0;
    }
    if (!ctx->explicit_token_read) {
        ctx->explicit_token = cli_config_read_token(ctx->token_file, err);
        if (ctx->explicit_token == NULL) {
            return cli_fail(CLI_EXIT_USAGE, "%s", err);
        }
        ctx->explicit_token_read = true;
    }
    *out = ctx->explicit_token;
    return 0;
}

void cli_ctx_dispose(cli_ctx *ctx)
{
    particle_client_free(ctx->client);
    ctx->client = NULL;
    cli_config_dispose(&ctx->config);
    if (ctx->explicit_token != NULL) {
        pu_secure_zero(ctx->explicit_token, strlen(ctx->explicit_token));
        free(ctx->explicit_token);
        ctx->explicit_token = NULL;
    }
}

int cli_client(cli_ctx *ctx, particle_client **out, bool need_token)
{
    particle_client_options opts = PARTICLE_CLIENT_OPTIONS_INIT;
    const char *token = NULL;
    int status;

    if (ctx->client != NULL) {
        *out = ctx->client;
        return 0;
    }
    if ((status = cli_load_config(ctx)) != 0 || (status = cli_explicit_token(ctx, &token)) != 0) {
        return status;
    }
    if (token == NULL) {
        token = env_nonempty("PARTICLE_ACCESS_TOKEN");
    }
    if (token == NULL) {
        token = particle_profile_access_token(ctx->config.profile);
    }
    if (token == NULL && need_token) {
        return cli_fail(CLI_EXIT_AUTH,
                        "not logged in: run '%s login', or set PARTICLE_ACCESS_TOKEN", CLI_PROG);
    }
    ctx->token_from_profile =
        token != NULL && particle_profile_access_token(ctx->config.profile) != NULL &&
        strcmp(token, particle_profile_access_token(ctx->config.profile)) == 0;
    opts.base_url = cli_api_url(ctx);
    opts.access_token = token;
    /* particlectl resolves flags, environment and profile itself (cli_api_url and above). */
    opts.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    opts.request_timeout_ms = (long)ctx->timeout_ms;
    opts.max_retries = CLI_MAX_RETRIES;
    opts.user_agent = CLI_PROG "/" PARTICLE_VERSION_STRING;
    /* the OAuth client particle-cli uses, so logins look the same to the cloud */
    opts.client_id = "particle-cli";
    opts.client_secret = "particle-cli";
    int rc = particle_client_new(&ctx->client, &opts);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    *out = ctx->client;
    return 0;
}

int cli_emit(cli_ctx *ctx, cli_output *out)
{
    int rc = cli_output_render(out, ctx->format, ctx->color, stdout);
    cli_output_free(out);
    if (rc != 0) {
        return cli_fail(CLI_EXIT_API, "cannot write the output");
    }
    return CLI_EXIT_OK;
}

int cli_emit_message(cli_ctx *ctx, cli_output *out, const char *fmt, ...)
{
    va_list ap;
    if (ctx->format != CLI_FORMAT_TABLE) {
        return cli_emit(ctx, out);
    }
    cli_output_free(out);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    return fflush(stdout) == 0 ? CLI_EXIT_OK : cli_fail(CLI_EXIT_API, "cannot write the output");
}

cli_output *cli_output_or_fail(const char *const *fields, size_t nfields)
{
    cli_output *out = cli_output_new(fields, nfields);
    if (out == NULL) {
        cli_fail(CLI_EXIT_API, "out of memory");
    }
    return out;
}

void cli_note(const cli_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (ctx->quiet) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
