/*
 * Flashing and compiling (reference/cloud-api.md §5.9, §12):
 *   PUT  /v1/devices/:device (and the product variant) with multipart part "file":
 *        a binary (a Particle module) is flashed: 200 {"id","status":"Update started"};
 *        source files are flashed only when the fleet file prepared a binary for one of
 *        their names: 200 {"ok":true,"message":"Update started"}.
 *   POST /v1/binaries          compile: multipart parts "file", "file1", ... The simulator has
 *        no compiler: a source file name the fleet file maps to a prepared binary (for
 *        platform_id, when given) answers 200 {"ok":true,"binary_id","binary_url",
 *        "build_target_version","expires_at","sizeInfo"}; anything else 400 with
 *        {"ok":false,"error","errors":[...],"output"} (docs/COMPATIBILITY.md).
 *   GET  /v1/binaries/:binary  the bytes of a binary the simulator knows (prepared or
 *        flashed); 404 otherwise.
 *   PUT  /v1/devices/:device/backup_files  (particle-api-js downloadManufacturingBackup;
 *        not in the reference): 404 {"ok":false,"error"}: the simulator keeps none.
 * Flashing needs the device online (else 400) and a binary for its platform.
 */
#include <stdio.h>
#include <string.h>

#include "model/sim_firmware.h"
#include "pu_parse.h"
#include "routes/sim_routes.h"

#define MAX_SOURCE_PARTS 20 /* file, file1 .. file19 */
#define COMPILE_ERROR                                                                              \
    "particle-sim has no compiler: compiling source needs the Particle cloud, or a prepared "      \
    "binary for this source file in the fleet file (docs/FLEET.md, \"firmware\".\"compile\")"

static void reply_compile_error(httpd_response *res)
{
    httpd_response_json(res, 400,
                        json_pack("{s:b, s:s, s:[s], s:s}", "ok", 0, "error", COMPILE_ERROR,
                                  "errors", COMPILE_ERROR, "output", "Compiler unavailable"));
}

/* The part name of source file @p i: "file", "file1", ... */
static void part_name(int i, char *out, size_t size)
{
    if (i == 0)
        snprintf(out, size, "file");
    else
        snprintf(out, size, "file%d", i);
}

/* The prepared binary for one of the request's source files, or SIM_NONE. */
static uint32_t prepared_for(const sim_model *m, const httpd_request *req, uint16_t platform_id)
{
    uint32_t bin = SIM_NONE;
    for (int i = 0; i < MAX_SOURCE_PARTS && bin == SIM_NONE; i++) {
        char name[16];
        httpd_file f;
        part_name(i, name, sizeof(name));
        if (httpd_request_file(req, name, &f) != 1)
            break;
        bin = sim_binary_find_source(m, f.filename ? f.filename : name, platform_id);
        httpd_file_dispose(&f);
    }
    return bin;
}

bool sim_flash_request(sim_ctx *ctx, const httpd_request *req, httpd_response *res)
{
    httpd_file file;
    int found = httpd_request_file(req, "file", &file);
    if (found <= 0)
        return false; /* not a flash: the device update handles it */
    sim_model *m = ctx->model;
    uint32_t product;
    sim_model_lock(m);
    uint32_t dev = sim_route_device(ctx, req, res, &product);
    if (dev == SIM_NONE)
        goto done;
    sim_module_info info;
    uint32_t bin;
    const char *bad;
    if (sim_module_read((const unsigned char *)file.data, file.len, &info)) {
        bad = sim_firmware_flash_binary(m, dev, (const unsigned char *)file.data, file.len, &bin);
        if (bad)
            sim_reply_fail(res, 400, bad);
        else
            httpd_response_json(
                res, 200,
                json_pack("{s:s, s:s}", "id", m->devices[dev].id, "status", "Update started"));
        goto done;
    }
    bin = prepared_for(m, req, m->devices[dev].platform_id);
    if (bin == SIM_NONE) {
        reply_compile_error(res);
        goto done;
    }
    const sim_binary *b = sim_binary_at(m, bin);
    bad = sim_firmware_flash_binary(m, dev, b->data, b->size, &bin);
    if (bad)
        sim_reply_fail(res, 400, bad);
    else
        httpd_response_json(res, 200,
                            json_pack("{s:b, s:s}", "ok", 1, "message", "Update started"));
done:
    sim_model_unlock(m);
    httpd_file_dispose(&file);
    return true;
}

static void handle_compile(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    const char *platform_text = httpd_request_arg(req, "platform_id");
    const char *target = httpd_request_arg(req, "build_target_version");
    int64_t platform_id = 0;
    if (platform_text && pu_parse_int64(platform_text, 0, UINT16_MAX, &platform_id) != 0) {
        sim_reply_fail(res, 400, "platform_id must be a platform number");
        return;
    }
    sim_model_lock(m);
    uint32_t bin = prepared_for(m, req, (uint16_t)platform_id);
    if (bin == SIM_NONE) {
        reply_compile_error(res);
    } else {
        const sim_binary *b = sim_binary_at(m, bin);
        char url[64];
        snprintf(url, sizeof(url), "/v1/binaries/%s", b->id);
        char size_info[160];
        snprintf(size_info, sizeof(size_info),
                 "   text\t   data\t    bss\t    dec\t    hex\tfilename\n%7zu\t      0\t      0\t"
                 "%7zu\t%7zx\t",
                 b->size, b->size, b->size);
        httpd_response_json(
            res, 200,
            json_pack("{s:b, s:s, s:s, s:s, s:o, s:s}", "ok", 1, "binary_id", b->id, "binary_url",
                      url, "build_target_version", target ? target : "latest", "expires_at",
                      sim_json_time(sim_model_now(m) + 24LL * 3600 * 1000), "sizeInfo", size_info));
    }
    sim_model_unlock(m);
}

static void handle_download(const httpd_request *req, httpd_response *res, void *payload)
{
    sim_ctx *ctx = payload;
    sim_model *m = ctx->model;
    sim_model_lock(m);
    uint32_t bin = sim_binary_find(m, httpd_request_param(req, "binary"));
    if (bin == SIM_NONE) {
        sim_reply_fail(res, 404, "Binary not found");
    } else {
        const sim_binary *b = sim_binary_at(m, bin);
        httpd_response_text(res, 200, "application/octet-stream", (const char *)b->data, b->size);
    }
    sim_model_unlock(m);
}

static void handle_backup(const httpd_request *req, httpd_response *res, void *payload)
{
    (void)req;
    (void)payload;
    sim_reply_fail(res, 404,
                   "particle-sim keeps no manufacturing backups (a Tachyon feature the "
                   "reference does not document)");
}

void sim_routes_flash(httpd_server *srv, sim_ctx *ctx)
{
    httpd_route_add(srv, "POST", "/v1/binaries", 0, handle_compile, ctx);
    httpd_route_add(srv, "GET", "/v1/binaries/:binary", 0, handle_download, ctx);
    httpd_route_add(srv, "PUT", "/v1/devices/:device/backup_files", 0, handle_backup, ctx);
}
