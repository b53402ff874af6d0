/*
 * The fleet file's "firmware" key (docs/FLEET.md):
 *   "firmware": {
 *     "fail": ["<device id or name>", ...],  devices that fail every update
 *     "fail_every": N,                      and every Nth device of each product (the 1st,
 *                                           the N+1th, ...), in fleet order
 *     "compile": [{"source": "blink.ino", "binary": "bin/blink.bin"}, ...]
 *                                           prepared compile results: compiling or
 *                                           flashing a source file of that name gives the
 *                                           binary (a path relative to the fleet file)
 *   }
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "model/sim_firmware.h"
#include "pu_file.h"
#include "pu_str.h"

static int fail(char *err, size_t err_size, const char *source, const char *what,
                const char *detail)
{
    snprintf(err, err_size, "%s: firmware.%s%s", source, what, detail ? detail : "");
    return -1;
}

/* The device a "fail" entry names: an id, else the first device of that name. */
static uint32_t named_device(const sim_model *m, const char *key)
{
    uint32_t dev = sim_model_find_device_id(m, key);
    for (uint32_t i = 0; dev == SIM_NONE && i < m->device_count; i++)
        if (m->devices[i].name && strcmp(m->devices[i].name, key) == 0)
            dev = i;
    return dev;
}

static void mark_every(sim_model *m, json_int_t every)
{
    uint32_t *seen = calloc(m->product_count ? m->product_count : 1, sizeof(*seen));
    if (!seen)
        abort();
    for (uint32_t d = 0; d < m->device_count; d++) {
        uint32_t p = m->devices[d].product;
        if (p != SIM_NONE && seen[p]++ % (uint32_t)every == 0)
            sim_firmware_set_fail(m, d, true);
    }
    free(seen);
}

/* @p path relative to the fleet file @p source's directory (absolute paths as they are). */
static char *resolve(const char *source, const char *path)
{
    if (path[0] == '/' || !strchr(source, '/'))
        return pu_xstrdup(path);
    char *copy = pu_xstrdup(source);
    const char *dir = dirname(copy);
    size_t n = strlen(dir) + strlen(path) + 2;
    char *out = malloc(n);
    if (!out)
        abort();
    snprintf(out, n, "%s/%s", dir, path);
    free(copy);
    return out;
}

static int load_compile(sim_model *m, const json_t *list, const char *source, char *err,
                        size_t err_size)
{
    size_t i;
    const json_t *j;
    if (list && !json_is_array(list))
        return fail(err, err_size, source, "compile", ": must be an array");
    json_array_foreach(list, i, j)
    {
        const char *src = NULL, *bin = NULL;
        json_error_t jerr;
        if (json_unpack_ex((json_t *)j, &jerr, 0, "{s:s, s:s !}", "source", &src, "binary", &bin) <
            0)
            return fail(err, err_size, source, "compile: ", jerr.text);
        char *path = resolve(source, bin), read_err[256];
        size_t len = 0;
        char *data = NULL;
        pu_file_read(path, PU_FILE_NO_LIMIT, &data, &len, read_err, sizeof(read_err));
        free(path);
        if (!data)
            return fail(err, err_size, source, "compile: ", read_err);
        uint32_t index;
        const char *bad = sim_binary_add_prepared(m, src, (const unsigned char *)data, len, &index);
        free(data);
        if (bad)
            return fail(err, err_size, source, "compile: ", bad);
    }
    return 0;
}

int sim_fleet_load_firmware(sim_model *m, const json_t *spec, const char *source, char *err,
                            size_t err_size)
{
    const json_t *fails = NULL, *compile = NULL;
    json_int_t every = 0;
    json_error_t jerr;
    if (!spec)
        return 0;
    if (json_unpack_ex((json_t *)spec, &jerr, 0, "{s?o, s?I, s?o !}", "fail", &fails, "fail_every",
                       &every, "compile", &compile) < 0)
        return fail(err, err_size, source, "", jerr.text);
    if (every < 0 || every > UINT32_MAX)
        return fail(err, err_size, source, "fail_every", ": must be a whole number");
    if (every)
        mark_every(m, every);
    if (fails && !json_is_array(fails))
        return fail(err, err_size, source, "fail", ": must be an array of device ids or names");
    size_t i;
    const json_t *j;
    json_array_foreach(fails, i, j)
    {
        uint32_t dev = json_is_string(j) ? named_device(m, json_string_value(j)) : SIM_NONE;
        if (dev == SIM_NONE)
            return fail(err, err_size, source, "fail: no such device ",
                        json_is_string(j) ? json_string_value(j) : "(not a string)");
        sim_firmware_set_fail(m, dev, true);
    }
    return load_compile(m, compile, source, err, err_size);
}
