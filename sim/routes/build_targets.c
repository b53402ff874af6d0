/*
 * Build targets and Device OS versions (reference/cloud-api.md §12), from one table the
 * simulator holds (docs/SIM.md lists it; it is not the live cloud's list):
 *   GET /v1/build_targets[?featured=true]      200 {"targets","platforms","default_versions"}
 *                                              (no token needed, like the cloud since 2023)
 *   GET /v1/device-os/versions[?platform_id=&internal_version=&page=&per_page=]
 *                                              200 [{"version","platform_id","release_date",
 *                                                    "module_version"}, ...] newest first,
 *                                              one entry per version and platform
 *   GET /v1/device-os/versions/:version[?platform_id=]   200 one entry; 404 unknown
 * module_version follows Device OS's major*1000 + minor*100 + patch (UNVERIFIED for
 * patches above 9).
 */
#include <stdio.h>
#include <string.h>

#include "pu_parse.h"
#include "pu_str.h"
#include "routes/sim_routes.h"

#define MAX_PER_PAGE 100

static const struct platform {
    const char *name;
    int id;
} PLATFORMS[] = {{"Photon", 6},   {"P1", 8},         {"Electron", 10},      {"Argon", 12},
                 {"Boron", 13},   {"E SoM X", 15},   {"B SoM", 23},         {"B5 SoM", 25},
                 {"Tracker", 26}, {"Tracker M", 28}, {"P2 / Photon 2", 32}, {"M SoM", 35}};

#define MAX_TARGET_PLATFORMS 12

/* Newest first: the first version a platform appears in is its default. */
static const struct target {
    const char *version;
    const char *release_date;
    int platforms[MAX_TARGET_PLATFORMS]; /* 0-terminated */
} TARGETS[] = {
    {"6.3.2", "2025-04-01T00:00:00.000Z", {13, 23, 26, 28, 32, 35}},
    {"6.2.1", "2024-11-12T00:00:00.000Z", {13, 23, 26, 28, 32, 35}},
    {"5.9.0", "2024-09-17T00:00:00.000Z", {12, 13, 15, 23, 25, 26, 32}},
    {"5.5.0", "2023-09-06T00:00:00.000Z", {12, 13, 15, 23, 25, 26, 32}},
    {"4.2.0", "2023-06-26T00:00:00.000Z", {12, 13, 15, 23, 25, 26, 32}},
    {"3.3.1", "2022-10-24T00:00:00.000Z", {12, 13, 23, 25, 26, 32}},
    {"2.3.1", "2022-11-30T00:00:00.000Z", {6, 8, 10, 12, 13, 23, 25, 26}},
    {"1.5.2", "2020-06-04T00:00:00.000Z", {6, 8, 10, 12, 13, 23, 25, 26}},
};

#define TARGET_COUNT (sizeof(TARGETS) / sizeof(TARGETS[0]))
#define PLATFORM_COUNT (sizeof(PLATFORMS) / sizeof(PLATFORMS[0]))

static int module_version(const char *version)
{
    int64_t parts[3] = {0, 0, 0};
    char buf[16];
    pu_strlcpy(buf, version, sizeof(buf));
    char *p = buf;
    for (int i = 0; i < 3 && p; i++) {
        char *dot = strchr(p, '.');
        if (dot)
            *dot = '\0';
        pu_parse_int64(p, 0, 999, &parts[i]);
        p = dot ? dot + 1 : NULL;
    }
    return (int)(parts[0] * 1000 + parts[1] * 100 + parts[2]);
}

static bool supports(const struct target *t, int platform_id)
{
    for (int i = 0; i < MAX_TARGET_PLATFORMS && t->platforms[i]; i++)
        if (t->platforms[i] == platform_id)
            return true;
    return false;
}

static void handle_build_targets(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    json_t *targets = json_array(), *platforms = json_object(), *defaults = json_object();
    for (size_t i = 0; i < TARGET_COUNT; i++) {
        json_t *ids = json_array();
        for (int p = 0; p < MAX_TARGET_PLATFORMS && TARGETS[i].platforms[p]; p++) {
            char key[8];
            snprintf(key, sizeof(key), "%d", TARGETS[i].platforms[p]);
            json_array_append_new(ids, json_integer(TARGETS[i].platforms[p]));
            if (!json_object_get(defaults, key))
                json_object_set_new(defaults, key, json_string(TARGETS[i].version));
        }
        json_array_append_new(targets, json_pack("{s:o, s:[], s:s, s:s}", "platforms", ids,
                                                 "prereleases", "firmware_vendor", "Particle",
                                                 "version", TARGETS[i].version));
    }
    for (size_t p = 0; p < PLATFORM_COUNT; p++)
        json_object_set_new(platforms, PLATFORMS[p].name, json_integer(PLATFORMS[p].id));
    httpd_response_json(res, 200,
                        json_pack("{s:o, s:o, s:o}", "targets", targets, "platforms", platforms,
                                  "default_versions", defaults));
}

static json_t *version_json(const struct target *t, int platform_id)
{
    return json_pack("{s:s, s:i, s:s, s:i}", "version", t->version, "platform_id", platform_id,
                     "release_date", t->release_date, "module_version", module_version(t->version));
}

static void handle_versions(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    long platform_id = sim_query_long(req, "platform_id", NULL, 0);
    long internal = sim_query_long(req, "internal_version", NULL, 0);
    long page = sim_query_long(req, "page", NULL, 1);
    long per_page = sim_query_long(req, "per_page", NULL, 25);
    if (platform_id < 0 || internal < 0 || page < 1 || per_page < 1 || per_page > MAX_PER_PAGE) {
        sim_reply_fail(res, 400,
                       "platform_id and internal_version must be numbers, page from 1, per_page "
                       "1 to 100");
        return;
    }
    json_t *list = json_array();
    long skip = (page - 1) * per_page, index = 0;
    for (size_t i = 0; i < TARGET_COUNT; i++)
        for (int p = 0; p < MAX_TARGET_PLATFORMS && TARGETS[i].platforms[p]; p++) {
            int id = TARGETS[i].platforms[p];
            if ((platform_id && id != platform_id) ||
                (internal && module_version(TARGETS[i].version) != internal))
                continue;
            if (index >= skip && index < skip + per_page)
                json_array_append_new(list, version_json(&TARGETS[i], id));
            index++;
        }
    httpd_response_json(res, 200, list);
}

static void handle_version(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)payload;
    const char *version = httpd_request_param(req, "version");
    long platform_id = sim_query_long(req, "platform_id", NULL, 0);
    if (platform_id < 0) {
        sim_reply_fail(res, 400, "platform_id must be a number");
        return;
    }
    for (size_t i = 0; i < TARGET_COUNT; i++) {
        if (strcmp(TARGETS[i].version, version) != 0)
            continue;
        if (platform_id && !supports(&TARGETS[i], (int)platform_id))
            break;
        httpd_response_json(
            res, 200,
            version_json(&TARGETS[i], platform_id ? (int)platform_id : TARGETS[i].platforms[0]));
        return;
    }
    sim_reply_fail(res, 404, "Device OS version not found");
}

void sim_routes_build_targets(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "GET", "/v1/build_targets", HTTPD_ROUTE_PUBLIC, handle_build_targets, ctx);
    httpd_route_add(srv, "GET", "/v1/device-os/versions", 0, handle_versions, ctx);
    httpd_route_add(srv, "GET", "/v1/device-os/versions/:version", 0, handle_version, ctx);
}
