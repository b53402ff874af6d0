/* Secrets for particlectl's commands: prompts and standard input for passwords, the
 * environment or an owner-only file for an OAuth client's secret (secrets.h). */
#include "secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "prompt.h"
#include "pu_str.h"

/* An OAuth client secret is 40 hex characters; anything past this is not one. */
#define SECRET_LINE_MAX 1024

void cli_wipe_free(char *s)
{
    if (s != NULL) {
        pu_secure_zero(s, strlen(s));
        free(s);
    }
}

int cli_read_secret(cli_ctx *ctx, bool from_stdin, const char *prompt, const char *flag, char **out)
{
    if (!from_stdin && !cli_prompt_interactive()) {
        return cli_usage(ctx->command, "no terminal to ask for the %s: use %s", prompt, flag);
    }
    char label[64];
    snprintf(label, sizeof(label), "%s: ", prompt);
    *out = cli_prompt_line(from_stdin ? NULL : label, true);
    if (*out == NULL || (*out)[0] == '\0') {
        cli_wipe_free(*out);
        *out = NULL;
        return cli_fail(CLI_EXIT_USAGE, "no %s given", prompt);
    }
    return 0;
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

/* The first line of @p path, trimmed, into *out, after checking through the open file that
 * only its owner may read it (no window between the check and the read). */
static int read_secret_file(const char *path, char **out)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return cli_fail(CLI_EXIT_USAGE, "%s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return cli_fail(CLI_EXIT_USAGE, "%s: not a regular file", path);
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        close(fd);
        return cli_fail(CLI_EXIT_USAGE, "%s: others can read it: chmod 600 %s", path, path);
    }
    char buf[SECRET_LINE_MAX + 1];
    ssize_t n = read(fd, buf, SECRET_LINE_MAX);
    close(fd);
    if (n < 0) {
        return cli_fail(CLI_EXIT_USAGE, "%s: read error", path);
    }
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    char *start = buf;
    while (*start == ' ' || *start == '\t') {
        start++;
    }
    size_t len = strlen(start);
    while (len > 0 && (start[len - 1] == ' ' || start[len - 1] == '\t')) {
        start[--len] = '\0';
    }
    *out = len > 0 ? strdup(start) : NULL;
    pu_secure_zero(buf, sizeof(buf));
    if (*out == NULL) {
        return len > 0 ? cli_fail(CLI_EXIT_API, "out of memory")
                       : cli_fail(CLI_EXIT_USAGE, "%s: no client secret found", path);
    }
    return 0;
}

int cli_oauth_creds_read(cli_ctx *ctx, const char *id_opt, const char *secret_file,
                         cli_oauth_creds *out, bool *given)
{
    *out = (cli_oauth_creds){0};
    *given = false;
    const char *id = id_opt != NULL ? id_opt : env_nonempty("PARTICLE_CLIENT_ID");
    const char *env_secret = env_nonempty("PARTICLE_CLIENT_SECRET");
    bool has_secret = secret_file != NULL || env_secret != NULL;
    if (id == NULL && !has_secret) {
        return 0;
    }
    if (id == NULL || id[0] == '\0') {
        return cli_usage(ctx->command, "a client secret without a client id: use --client-id "
                                       "or PARTICLE_CLIENT_ID");
    }
    if (!has_secret) {
        return cli_usage(ctx->command,
                         "no secret for client %s: use --client-secret-file or "
                         "PARTICLE_CLIENT_SECRET",
                         id);
    }
    if (secret_file != NULL) {
        int status = read_secret_file(secret_file, &out->secret);
        if (status != 0) {
            return status;
        }
    } else if ((out->secret = strdup(env_secret)) == NULL) {
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    out->id = id;
    *given = true;
    return 0;
}

void cli_oauth_creds_dispose(cli_oauth_creds *c)
{
    cli_wipe_free(c->secret);
    *c = (cli_oauth_creds){0};
}
