/*
 * fuzz_bridge_config: libFuzzer target for the bridge's config file (bridge/config.c and the
 * section parsers it calls, through inih).
 *
 * The input is the file's text. bridge_config_load() takes a path, so each input is written
 * to one private in-memory file (a memfd, 0600 so inline secrets are accepted and their code
 * runs) and loaded through its /proc/self/fd path. Checks: the load returns 0 or -1; -1 comes
 * with a message; a config that loads also passes bridge_config_validate() (the load
 * validates, so the two must agree); the message never holds the token when the input has it
 * only in the value of token, api_key or webhook_secret (secrets are never echoed; a key, a
 * section or a file path holding it may be named). The secrets' environment variables are
 * cleared first, so the file decides.
 */
#define _GNU_SOURCE /* memfd_create, memmem */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A token long enough that finding it in a message cannot be a coincidence. */
#define SECRET_TOKEN "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff00112233"

static char scratch_path[64];

/* The scratch file once: a memfd (no disk in the loop), 0600, named through /proc. */
static int scratch_fd(void)
{
    static int fd = -1;
    if (fd >= 0) {
        return fd;
    }
    fd = memfd_create("fuzz-bridge-config", MFD_CLOEXEC);
    CHECK(fd >= 0);
    CHECK(fchmod(fd, 0600) == 0);
    snprintf(scratch_path, sizeof scratch_path, "/proc/self/fd/%d", fd);
    unsetenv("PARTICLE_ACCESS_TOKEN");
    unsetenv("PARTICLE_BRIDGE_API_KEY");
    unsetenv("PARTICLE_BRIDGE_WEBHOOK_SECRET");
    return fd;
}

/* Whether @p name (not NUL-terminated, blanks around it) is a key that holds a secret. */
static bool secret_key(const char *name, size_t len)
{
    static const char *const keys[] = {"token", "api_key", "webhook_secret"};
    while (len > 0 && (*name == ' ' || *name == '\t')) {
        name++;
        len--;
    }
    while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t')) {
        len--;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strlen(keys[i]) == len && memcmp(name, keys[i], len) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether the token appears in the input only inside the value of a secret key ("token =
 * ...<token>..."), which the parser must never echo. Elsewhere (a key, a section, a file
 * path) a message may name it. */
static bool secret_only_in_secret_values(const char *text, size_t size)
{
    bool found = false;
    const char *end = text + size;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = nl ? nl : end;
        const char *at =
            memmem(line, (size_t)(line_end - line), SECRET_TOKEN, sizeof SECRET_TOKEN - 1);
        if (at != NULL) {
            const char *eq = memchr(line, '=', (size_t)(at - line));
            const char *colon = memchr(line, ':', (size_t)(at - line));
            const char *delim = eq != NULL && (colon == NULL || eq < colon) ? eq : colon;
            if (delim == NULL || !secret_key(line, (size_t)(delim - line))) {
                return false;
            }
            found = true;
        }
        line = nl ? nl + 1 : end;
    }
    return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = scratch_fd();
    CHECK(ftruncate(fd, 0) == 0);
    CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);

    bridge_config cfg;
    char err[1024];
    err[0] = '\0';
    int rc = bridge_config_load(&cfg, scratch_path, err, sizeof err);
    CHECK(rc == 0 || rc == -1);
    if (rc == 0) {
        char verr[1024];
        CHECK(bridge_config_validate(&cfg, verr, sizeof verr) == 0);
    } else {
        CHECK(err[0] != '\0');
        CHECK(memchr(err, '\0', sizeof err) != NULL);
        if (secret_only_in_secret_values((const char *)data, size)) {
            CHECK(strstr(err, SECRET_TOKEN) == NULL);
        }
    }
    bridge_config_dispose(&cfg);
    return 0;
}
