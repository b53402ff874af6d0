/* Binaries and builds: compiled binaries and manufacturing backups (downloads), Device OS
 * build targets and versions. */
#include <stdio.h>

#include "firmware_internal.h"
#include "internal.h"
#include "resource.h"
#include "strbuf.h"

int particle_device_os_list_options_init(particle_device_os_list_options *opts,
                                         unsigned int version)
{
    static const particle_device_os_list_options defaults = PARTICLE_DEVICE_OS_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_DEVICE_OS_LIST_OPTIONS_VERSION, "Device OS list");
}

int particle_binary_download(particle_response **out, particle_client *c, const char *binary_id,
                             const particle_download_options *dl)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (particle__require(binary_id, "binary id") < 0) {
        return PARTICLE_EINVAL;
    }
    char *path = particle__api_path(NULL, "binaries", binary_id, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    int error = particle__firmware_download(out, c, "GET", path, dl);
    particle__free(path);
    return error;
}

int particle_device_backup_download(particle_response **out, particle_client *c, const char *device,
                                    const particle_download_options *dl)
{
    if (out != NULL) {
        *out = NULL;
    }
    char *path = particle__device_path(NULL, device, "backup_files");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    int error = particle__firmware_download(out, c, "PUT", path, dl);
    particle__free(path);
    return error;
}

int particle_build_target_list(particle_doc **out, particle_client *c, int featured_only)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    particle__call call = {.method = "GET",
                           .path = "/v1/build_targets",
                           .query = featured_only ? "featured=true" : NULL,
                           .key = "targets",
                           .key_is_array = true,
                           .what = "build target"};
    return particle__call_doc(out, c, &call);
}

/* Appends "key=value" for a positive @p value. */
static void add_number(pu_buf *query, const char *key, long long value)
{
    if (value > 0) {
        char text[24];
        snprintf(text, sizeof(text), "%lld", value);
        pu_buf_append_param(query, key, text);
    }
}

int particle_device_os_version_list(particle_doc **out, particle_client *c,
                                    const particle_device_os_list_options *opts)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    if (opts != NULL &&
        (error = particle__options_check(opts->version, PARTICLE_DEVICE_OS_LIST_OPTIONS_VERSION,
                                         "Device OS list")) < 0) {
        return error;
    }
    if (opts != NULL && (opts->platform_id < 0 || opts->internal_version < 0)) {
        return particle__error_set(PARTICLE_EINVAL, "Device OS list filters must not be negative");
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    if (opts != NULL) {
        add_number(&query, "platform_id", opts->platform_id);
        add_number(&query, "internal_version", opts->internal_version);
        add_number(&query, "page", opts->page);
        add_number(&query, "per_page", opts->per_page);
    }
    if (pu_buf_error(&query) != 0) {
        error = particle__error_set(particle__buf_code(&query), "cannot build the query string");
    } else {
        particle__call call = {
            .method = "GET", .path = "/v1/device-os/versions", .query = query.data};
        error = particle__call_doc(out, c, &call);
    }
    pu_buf_dispose(&query);
    return error;
}

int particle_device_os_version_get(particle_doc **out, particle_client *c, const char *os_version,
                                   int platform_id)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    if (platform_id < 0) {
        return particle__error_set(PARTICLE_EINVAL, "platform id must not be negative");
    }
    if (particle__require(os_version, "Device OS version") < 0) {
        return PARTICLE_EINVAL;
    }
    char *path = particle__api_path(NULL, "device-os/versions", os_version, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    char query[32];
    snprintf(query, sizeof(query), "platform_id=%d", platform_id);
    particle__call call = {.method = "GET", .path = path, .query = platform_id > 0 ? query : NULL};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return particle__firmware_check_root(out, error, false, "Device OS version");
}
