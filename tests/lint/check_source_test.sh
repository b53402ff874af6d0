#!/bin/sh
# The test of scripts/check-source itself: scratch trees with one known problem each must
# fail with exactly the expected "file:line: rule: detail" lines, and a clean tree (with the
# near misses each rule must not flag) must pass.
#   tests/lint/check_source_test.sh SOURCE_DIR
set -eu
top=$1
check=$top/scripts/check-source
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# new_tree NAME: an empty scratch tree with the project's .clang-format, in $tree.
new_tree() {
    tree=$work/$1
    mkdir -p "$tree/src" "$tree/util"
    cp "$top/.clang-format" "$tree/"
}

# expect STATUS: runs the check on $tree; its exit status must be STATUS and its findings
# (stdout without the summary line) must equal stdin.
expect() {
    printf '%s\n' "$(cat)" | sed '/^$/d' >"$work/expected"
    status=0
    "$check" "$tree" >"$work/out" 2>"$work/err" || status=$?
    grep -v '^check-source: ' "$work/out" >"$work/actual" || true
    if [ "$status" != "$1" ] || ! cmp -s "$work/expected" "$work/actual"; then
        echo "FAIL: $(basename "$tree"): exit $status (want $1); findings:" >&2
        cat "$work/actual" "$work/err" >&2
        echo "wanted:" >&2
        cat "$work/expected" >&2
        failures=$((failures + 1))
    else
        echo "ok: $(basename "$tree") ($(tail -n 1 "$work/out"))"
    fi
}

# A clean tree: every near miss of every rule.
new_tree clean
cat >"$tree/src/alloc.c" <<'C'
#include <stdlib.h>

void *particle__malloc(size_t size)
{
    return malloc(size); /* the allocator itself may call malloc */
}
C
cat >"$tree/src/client.c" <<'C'
#include <stdio.h>
#include <string.h>

struct pool {
    void (*free)(void *);
};

/* strcpy(dst, src) in a comment, and a string naming one, are not calls. */
void client_log(const char *token, struct pool *p, char *buf, size_t size)
{
    char *copy = particle__strdup("strcpy(a, b)");
    p->free(copy);
    snprintf(buf, size, "Authorization: Bearer %s", token);
    fprintf(stderr, "token of %zu bytes\n", strlen(token));
    /* check-source: allow token-print -- the test fixture shows its own fake token */
    printf("%s\n", token);
}
C
cat >"$tree/util/parse.c" <<'C'
#include <stdio.h>
#include <stdlib.h>

long parse(const char *s, char *line, FILE *f)
{
    char *copy = strdup(s); /* raw allocation is fine outside src/ */
    free(copy);
    return fgets(line, 10, f) != NULL ? strtol(s, NULL, 10) : 0;
}
C
expect 0 </dev/null

# A misformatted file: each line clang-format would change.
new_tree misformatted
printf 'int add(int a,int b)\n{\n    return a+b;\n}\n' >"$tree/util/add.c"
expect 1 <<'OUT'
util/add.c:1: format: clang-format would change this line (make format)
util/add.c:3: format: clang-format would change this line (make format)
OUT

# Banned calls, anywhere in the tree.
new_tree banned
cat >"$tree/util/copy.c" <<'C'
#include <stdio.h>
#include <string.h>

void copy(char *dst, const char *src, char *line)
{
    strcpy(dst, src);
    sprintf(line, "%s", src);
    (void)strtok(line, ",");
}
C
expect 1 <<'OUT'
util/copy.c:6: banned-call: strcpy() is banned
util/copy.c:7: banned-call: sprintf() is banned
util/copy.c:8: banned-call: strtok() is banned
OUT

# Raw allocation in the SDK, outside src/alloc.c.
new_tree raw-alloc
cat >"$tree/src/devices.c" <<'C'
#include <stdlib.h>
#include <string.h>

char *device_name(const char *s)
{
    char *scratch = malloc(16);
    free(scratch);
    return strdup(s);
}
C
expect 1 <<'OUT'
src/devices.c:6: raw-alloc: malloc() outside src/alloc.c: use particle__malloc
src/devices.c:7: raw-alloc: free() outside src/alloc.c: use particle__free
src/devices.c:8: raw-alloc: strdup() outside src/alloc.c: use particle__strdup
OUT

# A token printed or logged; an allow comment without a reason does not count.
new_tree token-print
cat >"$tree/util/show.c" <<'C'
#include <stdio.h>

struct cfg {
    const char *access_token;
    const char *webhook_secret;
};

const char *client_token(const struct cfg *c);
void sim_log(const char *fmt, ...);
int cli_fail(int status, const char *fmt, ...);

void show(const struct cfg *c)
{
    fprintf(stderr, "token: %s\n", c->access_token);
    sim_log("secret %s", c->webhook_secret);
    /* check-source: allow token-print */
    printf("%s\n", client_token(c));
}

int fail_login(const char *password)
{
    return cli_fail(1, "wrong password %s", password);
}
C
expect 1 <<'OUT'
util/show.c:14: token-print: fprintf() prints access_token
util/show.c:15: token-print: sim_log() prints webhook_secret
util/show.c:17: token-print: printf() prints client_token
util/show.c:22: token-print: cli_fail() prints password
OUT

[ "$failures" = 0 ]
