/* Helpers shared by the firmware calls (firmware.c, firmware_flash.c, firmware_binaries.c):
 * multipart calls with JSON answers, downloads, and answer shape checks. Not installed. */
#ifndef PARTICLE_FIRMWARE_INTERNAL_H
#define PARTICLE_FIRMWARE_INTERNAL_H

#include "http.h"
#include "particle/firmware.h"

/* Sends @p parts (multipart/form-data) with @p method to @p path and wraps the JSON answer
 * into *out (NULL = discard). Never retried on 5xx or network errors: an upload may have
 * been stored. Returns 0 or a negative code with the error set. */
int particle__firmware_form_call(particle_doc **out, particle_client *c, const char *method,
                                 const char *path, const particle_form_part *parts, size_t count,
                                 particle_progress_fn *progress, void *progress_payload);

/* Downloads the 2xx answer of @p method @p path (no body) per @p dl into *out. */
int particle__firmware_download(particle_response **out, particle_client *c, const char *method,
                                const char *path, const particle_download_options *dl);

/* Fails with PARTICLE_EPROTO naming @p what unless the root of *doc is an array (@p array)
 * or an object; then frees *doc and sets it to NULL. Passes @p error through when it is not
 * 0, and does nothing for a NULL *doc. */
int particle__firmware_check_root(particle_doc **doc, int error, bool array, const char *what);

/* For calls whose answer may be discarded: sets *out (when given) to NULL and fails with
 * PARTICLE_EINVAL for a NULL client. */
int particle__firmware_begin(particle_doc **out, const particle_client *c);

/* The base name of @p path (the text after its last '/'). */
const char *particle__base_name(const char *path);

#endif
