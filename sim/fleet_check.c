/* particle-sim --check-fleet (fleet_check.h). */
#include "fleet_check.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fleet.h"
#include "pu_file.h"

/* Which top-level element a loader message blames: "devices[3].template: ..." gives key
 * "devices" and index 3; "claim_codes: must be an array" gives the key and index -1. */
typedef struct blame {
    char key[32];
    long index;
    const char *rest; /* what follows "key[index]" in the message */
} blame;

static bool blame_parse(const char *where, blame *b)
{
    size_t n = 0;
    while (islower((unsigned char)where[n]) || where[n] == '_')
        n++;
    if (n == 0 || n >= sizeof b->key)
        return false;
    memcpy(b->key, where, n);
    b->key[n] = '\0';
    b->index = -1;
    b->rest = where + n;
    if (where[n] == '[') {
        char *end;
        b->index = strtol(where + n + 1, &end, 10);
        if (end == where + n + 1 || *end != ']')
            return false;
        b->rest = end + 1;
    }
    return *b->rest == '.' || *b->rest == '[' || *b->rest == ':' || *b->rest == ' ';
}

/*
 * The line of the top-level @p key in the JSON @p text, or of its array's element @p index
 * (-1: the key itself); 0 when not found. A small scanner of strings and nesting, enough
 * for text jansson has already parsed.
 */
static int locate(const char *text, size_t len, const char *key, long index)
{
    int line = 1, depth = 0;
    bool expect_key = false, at_key = false, in_array = false, expect_element = false;
    long element = -1;
    size_t key_len = strlen(key);
    for (size_t i = 0; i < len; i++) {
        char ch = text[i];
        if (ch == '\n')
            line++;
        if (ch == '\n' || ch == ' ' || ch == '\t' || ch == '\r')
            continue;
        if (in_array && depth == 2 && expect_element && ch != ']') {
            expect_element = false;
            if (++element == index)
                return line;
        }
        if (ch == '"') {
            size_t start = i + 1;
            for (i = start; i < len && text[i] != '"'; i++)
                if (text[i] == '\\')
                    i++;
            if (depth == 1 && expect_key) {
                at_key = i - start == key_len && memcmp(text + start, key, key_len) == 0;
                if (at_key && index < 0)
                    return line;
                expect_key = false;
            }
        } else if (ch == '{' || ch == '[') {
            depth++;
            expect_key = depth == 1;
            if (depth == 2 && at_key && ch == '[')
                in_array = expect_element = true;
        } else if (ch == '}' || ch == ']') {
            if (depth == 2)
                in_array = false;
            depth--;
        } else if (ch == ',' && depth == 1) {
            expect_key = true;
            at_key = false;
        } else if (ch == ',' && depth == 2 && in_array) {
            expect_element = true;
        }
    }
    return 0;
}

/* Top-level elements already left out of the fixture, by their index in the file. */
typedef struct removal {
    char key[32];
    long index;
} removal;

static bool was_removed(const removal *removed, size_t count, const char *key, long index)
{
    for (size_t i = 0; i < count; i++)
        if (removed[i].index == index && strcmp(removed[i].key, key) == 0)
            return true;
    return false;
}

/* The file's index of what is now element @p index of @p key's array. */
static long original_index(const removal *removed, size_t count, const char *key, long index)
{
    long seen = -1;
    for (long original = 0;; original++)
        if (!was_removed(removed, count, key, original) && ++seen == index)
            return original;
}

/* Loads @p fixture into a scratch model: 0, or -1 with the loader's "where: what". */
static int try_load(const json_t *fixture, char *err, size_t err_size)
{
    sim_clock *clock = sim_clock_new(0);
    sim_model *m = clock ? sim_model_new(clock, 1) : NULL;
    if (!m) {
        sim_clock_free(clock);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    sim_model_lock(m);
    int rc = sim_fleet_load(m, fixture, "", err, err_size);
    sim_model_unlock(m);
    sim_model_free(m);
    sim_clock_free(clock);
    if (rc < 0 && strncmp(err, ": ", 2) == 0) /* the source prefix, empty here */
        memmove(err, err + 2, strlen(err + 2) + 1);
    return rc;
}

static int check_loads(json_t *fixture, const char *text, size_t len, sim_fleet_problem_fn report,
                       void *user)
{
    removal removed[SIM_FLEET_CHECK_MAX];
    size_t removed_count = 0;
    int problems = 0;
    char err[512], message[640];
    while (problems < SIM_FLEET_CHECK_MAX && try_load(fixture, err, sizeof err) < 0) {
        problems++;
        blame b;
        json_t *array;
        if (!blame_parse(err, &b)) {
            report(user, 0, err); /* the fixture as a whole: nothing to leave out */
            break;
        }
        if (b.index < 0) {
            report(user, locate(text, len, b.key, -1), err);
            json_object_del(fixture, b.key);
            continue;
        }
        long original = original_index(removed, removed_count, b.key, b.index);
        snprintf(message, sizeof message, "%s[%ld]%s", b.key, original, b.rest);
        report(user, locate(text, len, b.key, original), message);
        array = json_object_get(fixture, b.key);
        if (!json_is_array(array) || json_array_remove(array, (size_t)b.index) != 0)
            break;
        snprintf(removed[removed_count].key, sizeof removed[0].key, "%s", b.key);
        removed[removed_count++].index = original;
    }
    return problems;
}

int sim_fleet_check(const char *path, sim_fleet_problem_fn report, void *user)
{
    char *text = NULL;
    size_t len = 0;
    char err[512];
    if (pu_file_read(path, PU_FILE_NO_LIMIT, &text, &len, err, sizeof err) < 0) {
        report(user, 0, err);
        return 1;
    }
    json_error_t jerr;
    json_t *fixture = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    int problems;
    if (!fixture) {
        report(user, jerr.line, jerr.text); /* jansson stops at the first syntax error */
        problems = 1;
    } else if (!json_is_object(fixture)) {
        report(user, 1, "the fixture must be a JSON object");
        problems = 1;
    } else {
        problems = check_loads(fixture, text, len, report, user);
    }
    json_decref(fixture);
    free(text);
    return problems;
}
