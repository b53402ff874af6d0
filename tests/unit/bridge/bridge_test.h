/* Helpers shared by the bridge's unit tests: a scratch directory removed at the end. */
#ifndef BRIDGE_TEST_H
#define BRIDGE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Creates a fresh directory under $TMPDIR (or /tmp) into @p dir; returns 0 or -1. */
static inline int bt_tempdir(char *dir, size_t size)
{
    const char *base = getenv("TMPDIR");
    int n = snprintf(dir, size, "%s/bridge-test-XXXXXX", base && *base ? base : "/tmp");
    if (n < 0 || (size_t)n >= size) {
        return -1;
    }
    return mkdtemp(dir) ? 0 : -1;
}

/* Removes @p dir and everything in it (one level deep, which is all the tests create). */
static inline void bt_rmdir(const char *dir)
{
    char cmd[1100];
    /* Test directories come from bt_tempdir: no quotes or shell characters in them. */
    int n = snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (n > 0 && (size_t)n < sizeof cmd && strstr(dir, "bridge-test-") != NULL) {
        if (system(cmd) != 0) {
            fprintf(stderr, "could not remove %s\n", dir);
        }
    }
}

/* @p dir + "/" + @p name into @p out. */
static inline void bt_path(char *out, size_t size, const char *dir, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

#endif
