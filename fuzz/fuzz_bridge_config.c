/*
 * fuzz_bridge_config: libFuzzer target for the bridge's config file (bridge/config.c and the
 * section parsers it calls, through inih).
 *
 * The input is the file's text. bridge_config_load() takes a path, so each input is written
 * to one private scratch file (0600, so inline secrets are accepted and their code runs)
 * and loaded from there. Checks: the load returns 0 or -1; -1 comes with a message; a
 * config that loads also passes bridge_config_validate() (the load validates, so the two
 * must agree); the message never holds the inline token (secrets are never echoed).
 * The secrets' environment variables are cleared first, so the file decides.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static char scratch_path[256];

static void scratch_remove(void)
{
    unlink(scratch_path);
}

/* Creates the scratch file once (mkstemp gives 0600). */
static int scratch_fd(void)
{
    static int fd = -1;
    if (fd >= 0) {
        return fd;
    }
    const char *base = getenv("TMPDIR");
    snprintf(scratch_path, sizeof scratch_path, "%s/fuzz-bridge-config-XXXXXX",
             base && *base ? base : "/tmp");
    fd = mkstemp(scratch_path);
    CHECK(fd >= 0);
    atexit(scratch_remove);
    unsetenv("PARTICLE_ACCESS_TOKEN");
    unsetenv("PARTICLE_BRIDGE_API_KEY");
    unsetenv("PARTICLE_BRIDGE_WEBHOOK_SECRET");
    return fd;
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
        CHECK(strstr(err, SECRET_TOKEN) == NULL);
    }
    bridge_config_dispose(&cfg);
    return 0;
}
