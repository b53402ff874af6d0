/* Product firmware (cloud-api.md §9.6): upload, list, get, update, release and download,
 * and the getters of a firmware object. */
#include <stdio.h>
#include <string.h>

#include "firmware_internal.h"
#include "internal.h"
#include "resource.h"
#include "strbuf.h"

int particle_firmware_upload_init(particle_firmware_upload *fw, unsigned int version)
{
    static const particle_firmware_upload defaults = PARTICLE_FIRMWARE_UPLOAD_INIT;
    return particle__options_init(fw, &defaults, sizeof(defaults), version,
                                  PARTICLE_FIRMWARE_UPLOAD_VERSION, "firmware upload");
}

int particle_firmware_release_init(particle_firmware_release *rel, unsigned int version)
{
    static const particle_firmware_release defaults = PARTICLE_FIRMWARE_RELEASE_INIT;
    return particle__options_init(rel, &defaults, sizeof(defaults), version,
                                  PARTICLE_FIRMWARE_RELEASE_VERSION, "firmware release");
}

/* "/v1/products/<product>/firmware[/<version>][/<suffix>]" (@p version 0 = none), or NULL
 * with the error set. */
static char *firmware_path(const char *product, int version, const char *suffix)
{
    if (particle__require(product, "product id or slug") < 0) {
        return NULL;
    }
    char number[16];
    snprintf(number, sizeof(number), "%d", version);
    return particle__api_path(product, "firmware", version > 0 ? number : NULL, suffix);
}

static int check_version(int version)
{
    return version > 0
               ? 0
               : particle__error_set(PARTICLE_EINVAL, "firmware version must be a positive number");
}

static const char *tristate_text(particle_tristate t)
{
    return t == PARTICLE_YES ? "true" : "false";
}

static int check_upload(const particle_firmware_upload *fw)
{
    if (fw == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "firmware upload is NULL");
    }
    int error =
        particle__options_check(fw->version, PARTICLE_FIRMWARE_UPLOAD_VERSION, "firmware upload");
    if (error == 0) {
        error = check_version(fw->firmware_version);
    }
    if (error == 0) {
        error = particle__require(fw->title, "firmware title");
    }
    if (error == 0 && (fw->path != NULL) == (fw->data != NULL)) {
        error = particle__error_set(PARTICLE_EINVAL,
                                    "the firmware binary comes from a file or from memory");
    }
    return error;
}

int particle_product_firmware_upload(particle_doc **out, particle_client *c, const char *product,
                                     const particle_firmware_upload *fw)
{
    int error = particle__firmware_begin(out, c);
    if (error < 0 || (error = check_upload(fw)) < 0) {
        return error;
    }
    char *path = firmware_path(product, 0, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    char number[16];
    snprintf(number, sizeof(number), "%d", fw->firmware_version);
    const char *filename = fw->filename;
    if (filename == NULL) {
        filename = fw->path != NULL ? particle__base_name(fw->path) : "firmware.bin";
    }
    /* particle-api-js order: the file first, then the text fields */
    particle_form_part parts[5] = {
        {.name = "file",
         .filename = filename,
         .path = fw->path,
         .data = fw->data,
         .size = fw->size},
        {.name = "version", .data = number, .size = strlen(number)},
        {.name = "title", .data = fw->title, .size = strlen(fw->title)},
    };
    size_t count = 3;
    if (fw->description != NULL) {
        parts[count++] = (particle_form_part){
            .name = "description", .data = fw->description, .size = strlen(fw->description)};
    }
    if (fw->mandatory != PARTICLE_UNSET) {
        const char *text = tristate_text(fw->mandatory);
        parts[count++] =
            (particle_form_part){.name = "mandatory", .data = text, .size = strlen(text)};
    }
    error = particle__firmware_form_call(out, c, "POST", path, parts, count, fw->progress,
                                         fw->progress_payload);
    error = particle__firmware_check_root(out, error, false, "firmware upload");
    particle__free(path);
    return error;
}

int particle_product_firmware_list(particle_doc **out, particle_client *c, const char *product)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = firmware_path(product, 0, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "GET", .path = path};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return particle__firmware_check_root(out, error, true, "firmware list");
}

int particle_product_firmware_get(particle_doc **out, particle_client *c, const char *product,
                                  int firmware_version)
{
    int error = particle__check_out_client(out, c);
    if (error < 0 || (error = check_version(firmware_version)) < 0) {
        return error;
    }
    char *path = firmware_path(product, firmware_version, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "GET", .path = path};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return particle__firmware_check_root(out, error, false, "firmware");
}

int particle_product_firmware_update(particle_doc **out, particle_client *c, const char *product,
                                     int firmware_version, const char *title,
                                     const char *description)
{
    int error = particle__firmware_begin(out, c);
    if (error < 0 || (error = check_version(firmware_version)) < 0) {
        return error;
    }
    if (title == NULL && description == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "nothing to change: no title, no description");
    }
    json_t *body = json_object();
    if (body == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    if (title != NULL) {
        error = particle__json_add_text(body, "title", title, "title");
    }
    if (error == 0 && description != NULL) {
        error = particle__json_add_text(body, "description", description, "description");
    }
    char *path = error == 0 ? firmware_path(product, firmware_version, NULL) : NULL;
    if (error == 0 && path == NULL) {
        error = particle_error_last()->code;
    }
    if (error == 0) {
        particle__call call = {.method = "PUT", .path = path, .body = body};
        error = particle__call_doc(out, c, &call);
    }
    json_decref(body);
    particle__free(path);
    return error;
}

static int release_body(json_t **out, const particle_firmware_release *rel)
{
    json_t *body = json_object();
    int error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    if (error == 0) {
        error = particle__json_set(body, "version", json_integer(rel->firmware_version));
    }
    if (error == 0 && rel->product_default != PARTICLE_UNSET) {
        error = particle__json_set(body, "product_default",
                                   json_boolean(rel->product_default == PARTICLE_YES));
    }
    if (error == 0 && rel->groups != NULL) {
        json_t *groups = json_array();
        error = particle__json_set(body, "groups", groups);
        for (size_t i = 0; error == 0 && i < rel->group_count; i++) {
            error = particle__require(rel->groups[i], "group name");
            if (error == 0) {
                error = particle__json_add_text(groups, NULL, rel->groups[i], "group name");
            }
        }
    }
    if (error == 0 && rel->intelligent != PARTICLE_UNSET) {
        error =
            particle__json_set(body, "intelligent", json_boolean(rel->intelligent == PARTICLE_YES));
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

int particle_product_firmware_release(particle_doc **out, particle_client *c, const char *product,
                                      const particle_firmware_release *rel)
{
    int error = particle__firmware_begin(out, c);
    if (error < 0) {
        return error;
    }
    if (rel == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "firmware release is NULL");
    }
    if ((error = particle__options_check(rel->version, PARTICLE_FIRMWARE_RELEASE_VERSION,
                                         "firmware release")) < 0) {
        return error;
    }
    json_t *body = NULL;
    if ((error = check_version(rel->firmware_version)) < 0 ||
        (error = release_body(&body, rel)) < 0) {
        return error;
    }
    char *path = firmware_path(product, 0, "release");
    if (path == NULL) {
        error = particle_error_last()->code;
    } else {
        /* the same release twice is the same state: safe to retry */
        particle__call call = {.method = "PUT", .path = path, .body = body};
        error = particle__call_doc(out, c, &call);
    }
    json_decref(body);
    particle__free(path);
    return error;
}

int particle_product_firmware_download(particle_response **out, particle_client *c,
                                       const char *product, int firmware_version,
                                       const particle_download_options *dl)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = check_version(firmware_version);
    if (error < 0) {
        return error;
    }
    char *path = firmware_path(product, firmware_version, "binary");
    if (path == NULL) {
        return particle_error_last()->code;
    }
    error = particle__firmware_download(out, c, "GET", path, dl);
    particle__free(path);
    return error;
}

int particle_product_firmware_version(const particle_value *fw)
{
    int64_t v = particle_value_int(particle_value_get(fw, "version"), -1);
    return v > 0 && v <= INT32_MAX ? (int)v : -1;
}

const char *particle_product_firmware_title(const particle_value *fw)
{
    return particle_value_string(particle_value_get(fw, "title"));
}

int64_t particle_product_firmware_size(const particle_value *fw)
{
    return particle_value_int(particle_value_get(fw, "size"), -1);
}

int particle_product_firmware_is_default(const particle_value *fw)
{
    return particle_value_bool(particle_value_get(fw, "product_default"), 0) ? 1 : 0;
}
