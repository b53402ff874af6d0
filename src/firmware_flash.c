/* Flashing a device (a binary, source files compiled in the cloud, or a released product
 * firmware version) and compiling source files in the cloud. */
#include <stdio.h>
#include <string.h>

#include "firmware_internal.h"
#include "internal.h"
#include "resource.h"

/* Most source files a flash or compile call sends (file, file2, ... file<N>). */
#define MAX_SOURCE_FILES 64

int particle_flash_options_init(particle_flash_options *opts, unsigned int version)
{
    static const particle_flash_options defaults = PARTICLE_FLASH_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_FLASH_OPTIONS_VERSION, "flash");
}

/* Field names of the source parts: "file", "file2", "file3", ... (particle-api-js). */
typedef struct source_names {
    char names[MAX_SOURCE_FILES][16];
} source_names;

/* Fills @p parts with the source files and the build target field ("build_target_version"
 * or "latest=true"); returns the number of parts, or a negative code with the error set. */
static int source_parts(particle_form_part *parts, source_names *names, const char *const *paths,
                        size_t count, const char *target_version)
{
    if (paths == NULL || count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "no source files");
    }
    if (count > MAX_SOURCE_FILES) {
        return particle__error_set(PARTICLE_EINVAL, "more than %d source files", MAX_SOURCE_FILES);
    }
    for (size_t i = 0; i < count; i++) {
        if (particle__require(paths[i], "source file") < 0) {
            return PARTICLE_EINVAL;
        }
        if (i == 0) {
            snprintf(names->names[i], sizeof(names->names[i]), "file");
        } else {
            snprintf(names->names[i], sizeof(names->names[i]), "file%zu", i + 1);
        }
        parts[i] = (particle_form_part){
            .name = names->names[i], .filename = particle__base_name(paths[i]), .path = paths[i]};
    }
    parts[count] = target_version != NULL
                       ? (particle_form_part){.name = "build_target_version",
                                              .data = target_version,
                                              .size = strlen(target_version)}
                       : (particle_form_part){.name = "latest", .data = "true", .size = 4};
    return (int)count + 1;
}

static int check_flash(const particle_flash_options *o)
{
    if (o == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "flash options are NULL");
    }
    int error = particle__options_check(o->version, PARTICLE_FLASH_OPTIONS_VERSION, "flash");
    if (error < 0) {
        return error;
    }
    int sources = (o->binary_path != NULL) + (o->binary != NULL) +
                  (o->source_paths != NULL || o->source_count > 0) + (o->firmware_version != 0);
    if (sources != 1) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "flash one thing: a binary file, a binary in memory, source "
                                   "files or a product firmware version");
    }
    if (o->firmware_version < 0) {
        return particle__error_set(PARTICLE_EINVAL, "firmware version must be positive");
    }
    if (o->firmware_version > 0 && o->product == NULL) {
        return particle__error_set(PARTICLE_EINVAL,
                                   "flashing a product firmware version needs the product");
    }
    return 0;
}

/* PUT <device route> {desired_firmware_version, flash: true}: lock and flash now. */
static int flash_version(particle_doc **out, particle_client *c, const char *path, int version)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0) {
        error = particle__json_set(body, "desired_firmware_version", json_integer(version));
    }
    if (error == 0) {
        error = particle__json_set(body, "flash", json_true());
    }
    if (error == 0) {
        particle__call call = {.method = "PUT", .path = path, .body = body};
        error = particle__call_doc(out, c, &call);
    }
    json_decref(body);
    return error;
}

int particle_device_flash(particle_doc **out, particle_client *c, const char *device,
                          const particle_flash_options *opts)
{
    int error = particle__firmware_begin(out, c);
    if (error < 0 || (error = check_flash(opts)) < 0) {
        return error;
    }
    char *path = particle__device_path(opts->product, device, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    if (opts->firmware_version > 0) {
        error = flash_version(out, c, path, opts->firmware_version);
        particle__free(path);
        return error;
    }
    particle_form_part parts[MAX_SOURCE_FILES + 1];
    source_names names;
    int count;
    if (opts->binary_path != NULL || opts->binary != NULL) {
        const char *paths[1] = {opts->binary_path != NULL ? opts->binary_path : "firmware.bin"};
        count = source_parts(parts, &names, paths, 1, opts->target_version);
        if (count > 0 && opts->binary != NULL) {
            parts[0].path = NULL;
            parts[0].data = opts->binary;
            parts[0].size = opts->binary_size;
        }
    } else {
        count = source_parts(parts, &names, opts->source_paths, opts->source_count,
                             opts->target_version);
    }
    error = count < 0 ? count
                      : particle__firmware_form_call(out, c, "PUT", path, parts, (size_t)count,
                                                     opts->progress, opts->progress_payload);
    particle__free(path);
    return error;
}

int particle_compile_code(particle_doc **out, particle_client *c, int platform_id,
                          const char *const *paths, size_t count, const char *target_version)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    if (platform_id < 0) {
        return particle__error_set(PARTICLE_EINVAL, "platform id must not be negative");
    }
    particle_form_part parts[MAX_SOURCE_FILES + 2];
    source_names names;
    int n = source_parts(parts, &names, paths, count, target_version);
    if (n < 0) {
        return n;
    }
    char platform[16];
    snprintf(platform, sizeof(platform), "%d", platform_id);
    parts[n++] =
        (particle_form_part){.name = "platform_id", .data = platform, .size = strlen(platform)};
    particle_doc *doc = NULL;
    error =
        particle__firmware_form_call(&doc, c, "POST", "/v1/binaries", parts, (size_t)n, NULL, NULL);
    if (error == 0 && particle_compile_binary_id(particle_doc_root(doc)) == NULL) {
        error = particle__error_set(PARTICLE_EPROTO, "the compile answer has no binary_id");
    }
    if (error < 0) {
        particle_doc_free(doc);
        return error;
    }
    *out = doc;
    return 0;
}

const char *particle_compile_binary_id(const particle_value *answer)
{
    return particle_value_string(particle_value_get(answer, "binary_id"));
}
