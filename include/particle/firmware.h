/**
 * @file firmware.h
 * @brief Firmware and over-the-air updates: product firmware (upload, list, get, update,
 *        release, download; reference cloud-api.md §9.6), flashing a device, compiling in
 *        the cloud, downloading binaries and manufacturing backups, build targets and
 *        Device OS versions. The particle-api-js methods uploadProductFirmware,
 *        listProductFirmware, getProductFirmware, updateProductFirmware,
 *        releaseProductFirmware, downloadProductFirmware, flashDevice, compileCode,
 *        downloadFirmwareBinary, downloadManufacturingBackup, listBuildTargets,
 *        listDeviceOsVersions and getDeviceOsVersion.
 *
 * JSON answers come back as particle_doc documents (value.h), exactly as the API sends
 * them; the particle_product_firmware_* getters read the common fields of a firmware
 * object. Binary answers come back as particle_response objects (request.h) or go to the
 * file or callback named in particle_download_options. Uploads (product firmware, flashing,
 * compiling) are multipart/form-data; file contents are read while the request is sent.
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_FIRMWARE_H
#define PARTICLE_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#include "particle/client.h"
#include "particle/request.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/* ---- product firmware ---- */

/** A product firmware binary to upload. The binary comes from @p path or from memory
 *  (@p data, @p size): exactly one. */
typedef struct particle_firmware_upload {
    unsigned int version;           /**< PARTICLE_FIRMWARE_UPLOAD_VERSION */
    int firmware_version;           /**< `version`: the product firmware version, > 0; required */
    const char *title;              /**< `title`; required */
    const char *description;        /**< `description`; NULL = not sent */
    particle_tristate mandatory;    /**< `mandatory`; PARTICLE_UNSET = not sent */
    const char *path;               /**< the binary's file */
    const void *data;               /**< or the binary in memory (copied at the call) */
    size_t size;                    /**< bytes at @p data */
    const char *filename;           /**< the part's file name; NULL = the base name of @p path,
                                         "firmware.bin" for memory (as particle-api-js) */
    particle_progress_fn *progress; /**< upload progress; NULL = none */
    void *progress_payload;
} particle_firmware_upload;

#define PARTICLE_FIRMWARE_UPLOAD_VERSION 1
#define PARTICLE_FIRMWARE_UPLOAD_INIT                                                              \
    {                                                                                              \
        PARTICLE_FIRMWARE_UPLOAD_VERSION, 0, NULL, NULL, PARTICLE_UNSET, NULL, NULL, 0, NULL,      \
            NULL, NULL                                                                             \
    }

/** Fills @p fw with PARTICLE_FIRMWARE_UPLOAD_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_firmware_upload_init(particle_firmware_upload *fw, unsigned int version);

/**
 * Uploads a product firmware: `POST /v1/products/:product/firmware`, multipart with the
 * binary as part `file` and the text fields `version`, `title`, `description`,
 * `mandatory` → 201 firmware object. Not retried on 5xx or network errors.
 * @param[out] out the firmware object; free with particle_doc_free(); NULL = not needed
 * @return 0; PARTICLE_EINVAL (no product, version <= 0, no title, no binary or two, an
 *         unreadable file), PARTICLE_EHTTP (409: a version that exists; 400: a wrong
 *         platform, an empty or oversized binary), PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN,
 *         PARTICLE_ECANCELED (progress said stop), transport codes.
 */
PARTICLE_API int particle_product_firmware_upload(particle_doc **out, particle_client *client,
                                                  const char *product,
                                                  const particle_firmware_upload *fw);

/**
 * Lists a product's firmware: `GET /v1/products/:product/firmware` → a bare array of
 * firmware objects (with `groups` and `device_count`).
 * @param[out] out the answer (root is an array); free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (not
 *         an array), transport codes.
 */
PARTICLE_API int particle_product_firmware_list(particle_doc **out, particle_client *client,
                                                const char *product);

/**
 * Gets one product firmware: `GET /v1/products/:product/firmware/:version`.
 * @param[out] out the firmware object; free with particle_doc_free()
 * @return 0; PARTICLE_EINVAL (version <= 0), PARTICLE_ENOTFOUND (unknown version or
 *         product), PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (not an object), transport codes.
 */
PARTICLE_API int particle_product_firmware_get(particle_doc **out, particle_client *client,
                                               const char *product, int firmware_version);

/**
 * Changes a product firmware's title and description: `PUT
 * /v1/products/:product/firmware/:version` with JSON {title?, description?} (NULL fields are
 * not sent; at least one is required) → the firmware object.
 * @param[out] out the firmware object; NULL = not needed
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_product_firmware_update(particle_doc **out, particle_client *client,
                                                  const char *product, int firmware_version,
                                                  const char *title, const char *description);

/** What particle_product_firmware_release() releases, and to whom. */
typedef struct particle_firmware_release {
    unsigned int version;              /**< PARTICLE_FIRMWARE_RELEASE_VERSION */
    int firmware_version;              /**< `version`; required, > 0 */
    particle_tristate product_default; /**< `product_default`: the whole fleet's default */
    const char *const *groups;         /**< `groups`: release to these device groups */
    size_t group_count;                /**< entries in @p groups; 0 with non-NULL groups
                                            sends [] (no group) */
    particle_tristate intelligent;     /**< `intelligent` (intelligent OTA) */
} particle_firmware_release;

#define PARTICLE_FIRMWARE_RELEASE_VERSION 1
#define PARTICLE_FIRMWARE_RELEASE_INIT                                                             \
    {                                                                                              \
        PARTICLE_FIRMWARE_RELEASE_VERSION, 0, PARTICLE_UNSET, NULL, 0, PARTICLE_UNSET              \
    }

/** Fills @p rel with PARTICLE_FIRMWARE_RELEASE_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_firmware_release_init(particle_firmware_release *rel,
                                                unsigned int version);

/**
 * Releases a product firmware, product-wide and/or to groups: `PUT
 * /v1/products/:product/firmware/release` with JSON {version, product_default?, groups?,
 * intelligent?} → the released firmware object (with `groups`).
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL (version <= 0, a NULL or empty group name), PARTICLE_ENOTFOUND
 *         (unknown version or product), PARTICLE_EHTTP (400: a release the API refuses),
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_product_firmware_release(particle_doc **out, particle_client *client,
                                                   const char *product,
                                                   const particle_firmware_release *rel);

/**
 * Downloads a product firmware binary: `GET /v1/products/:product/firmware/:version/binary`
 * into memory, a file or a callback per @p dl (NULL = memory, capped at the client's
 * max_response_bytes).
 * @param[out] out the answer (status, content type, the body for memory downloads); free
 *                 with particle_response_free(); NULL = not needed
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (over
 *         the cap, cut off), PARTICLE_EIO (the file), PARTICLE_ECANCELED, transport codes.
 */
PARTICLE_API int particle_product_firmware_download(particle_response **out,
                                                    particle_client *client, const char *product,
                                                    int firmware_version,
                                                    const particle_download_options *dl);

/** `version` of a firmware object, or -1. */
PARTICLE_API int particle_product_firmware_version(const particle_value *fw);
/** `title` of a firmware object, or NULL. Borrowed from the document. */
PARTICLE_API const char *particle_product_firmware_title(const particle_value *fw);
/** `size` in bytes of a firmware object, or -1. */
PARTICLE_API int64_t particle_product_firmware_size(const particle_value *fw);
/** 1 when `product_default` is true, 0 otherwise. */
PARTICLE_API int particle_product_firmware_is_default(const particle_value *fw);

/* ---- flashing and compiling ---- */

/** What particle_device_flash() sends to a device: exactly one of a binary (file or
 *  memory), a set of source files (compiled in the cloud), or a released product firmware
 *  version (product scope). */
typedef struct particle_flash_options {
    unsigned int version;            /**< PARTICLE_FLASH_OPTIONS_VERSION */
    const char *product;             /**< product id or slug: the /v1/products/:product/ route */
    const char *binary_path;         /**< a binary's file */
    const void *binary;              /**< or a binary in memory (copied at the call) */
    size_t binary_size;              /**< bytes at @p binary */
    const char *const *source_paths; /**< or source files, sent as file, file2, ... */
    size_t source_count;             /**< entries in @p source_paths */
    int firmware_version;            /**< or > 0: this released product firmware version */
    const char *target_version;      /**< Device OS `build_target_version`; NULL = latest */
    particle_progress_fn *progress;  /**< upload progress; NULL = none */
    void *progress_payload;
} particle_flash_options;

#define PARTICLE_FLASH_OPTIONS_VERSION 1
#define PARTICLE_FLASH_OPTIONS_INIT                                                                \
    {                                                                                              \
        PARTICLE_FLASH_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, NULL, NULL, NULL          \
    }

/** Fills @p opts with PARTICLE_FLASH_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_flash_options_init(particle_flash_options *opts, unsigned int version);

/**
 * Flashes a device over the air. A binary or sources: `PUT [/v1/products/:product]
 * /v1/devices/:device`, multipart with the files and `build_target_version` (or
 * `latest=true`, as particle-api-js) → {"id", "status": "Update started"}. A released
 * version (needs opts->product): the same route with JSON {desired_firmware_version, flash:
 * true}, which locks the device to it and flashes it now. Not retried on 5xx or network
 * errors.
 * @param[out] out the answer; free with particle_doc_free(); NULL = not needed
 * @return 0; PARTICLE_EINVAL (nothing or two things to flash, a version without product,
 *         an unreadable file), PARTICLE_ENOTFOUND, PARTICLE_EOFFLINE, PARTICLE_EHTTP (400: a
 *         compile error, a binary for another platform), PARTICLE_EFORBIDDEN,
 *         PARTICLE_ECANCELED, transport codes.
 */
PARTICLE_API int particle_device_flash(particle_doc **out, particle_client *client,
                                       const char *device, const particle_flash_options *opts);

/**
 * Compiles source files in the cloud: `POST /v1/binaries`, multipart with the files (file,
 * file2, ...), `platform_id` and `build_target_version` (or `latest=true`) → {ok,
 * binary_id, binary_url, expires_at, sizeInfo}. Fetch the binary with
 * particle_binary_download(). Not retried on 5xx or network errors.
 * @param platform_id    the platform to build for (6 Photon, 12 Argon, 13 Boron, ...)
 * @param paths          source files; their base names become the part file names
 * @param target_version Device OS version; NULL = latest
 * @return 0; PARTICLE_EINVAL (platform_id < 0, no files, an unreadable file),
 *         PARTICLE_EHTTP (400: compile errors, in the error record's message),
 *         PARTICLE_EPROTO (no `binary_id`), transport codes.
 */
PARTICLE_API int particle_compile_code(particle_doc **out, particle_client *client, int platform_id,
                                       const char *const *paths, size_t count,
                                       const char *target_version);

/** `binary_id` of a compile answer, or NULL. Borrowed from the document. */
PARTICLE_API const char *particle_compile_binary_id(const particle_value *answer);

/**
 * Downloads a compiled binary: `GET /v1/binaries/:binary_id`, per @p dl as
 * particle_product_firmware_download().
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown or expired), and the codes of
 *         particle_product_firmware_download().
 */
PARTICLE_API int particle_binary_download(particle_response **out, particle_client *client,
                                          const char *binary_id,
                                          const particle_download_options *dl);

/**
 * Downloads a device's manufacturing backup: `PUT /v1/devices/:device/backup_files` with no
 * body (as particle-api-js), the answer per @p dl.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, and the codes of
 *         particle_product_firmware_download().
 */
PARTICLE_API int particle_device_backup_download(particle_response **out, particle_client *client,
                                                 const char *device,
                                                 const particle_download_options *dl);

/* ---- build targets and Device OS versions ---- */

/**
 * Lists the Device OS build targets: `GET /v1/build_targets[?featured=true]` →
 * {"targets": [{platforms, prereleases, firmware_vendor, version}], platforms,
 * default_versions}.
 * @param featured_only non-zero sends featured=true
 * @return 0; PARTICLE_EPROTO (no `targets` array), transport codes.
 */
PARTICLE_API int particle_build_target_list(particle_doc **out, particle_client *client,
                                            int featured_only);

/** Filters and page of particle_device_os_version_list(). Zero fields are not sent. */
typedef struct particle_device_os_list_options {
    unsigned int version;  /**< PARTICLE_DEVICE_OS_LIST_OPTIONS_VERSION */
    int platform_id;       /**< `platform_id`; 0 = any (the Core, platform 0, has no
                                Device OS releases) */
    int internal_version;  /**< `internal_version` (module version); 0 = any */
    unsigned int page;     /**< `page`; 0 = the API's default (1) */
    unsigned int per_page; /**< `per_page`; 0 = the API's default */
} particle_device_os_list_options;

#define PARTICLE_DEVICE_OS_LIST_OPTIONS_VERSION 1
#define PARTICLE_DEVICE_OS_LIST_OPTIONS_INIT                                                       \
    {                                                                                              \
        PARTICLE_DEVICE_OS_LIST_OPTIONS_VERSION, 0, 0, 0u, 0u                                      \
    }

/** Fills @p opts with PARTICLE_DEVICE_OS_LIST_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_device_os_list_options_init(particle_device_os_list_options *opts,
                                                      unsigned int version);

/**
 * Lists Device OS versions: `GET /v1/device-os/versions[?platform_id=&internal_version=
 * &page=&per_page=]` → an array of {version, platform_id, release_date?, module_version?}
 * (the API's shape is passed through as it comes).
 * @param opts NULL = no filter, the first page
 * @return 0; PARTICLE_EINVAL (negative filters, wrong version), transport codes.
 */
PARTICLE_API int particle_device_os_version_list(particle_doc **out, particle_client *client,
                                                 const particle_device_os_list_options *opts);

/**
 * Gets one Device OS version: `GET /v1/device-os/versions/:version[?platform_id=]`.
 * @param platform_id 0 = not sent
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND (unknown version), transport codes.
 */
PARTICLE_API int particle_device_os_version_get(particle_doc **out, particle_client *client,
                                                const char *os_version, int platform_id);

PARTICLE_END_DECL

#endif
