/**
 * @file request.h
 * @brief A generic REST call for any endpoint the typed calls do not cover.
 *
 * particle_request() goes through the same transport as every typed call: the client's
 * bearer token, keep-alive connection, timeouts, body cap, retry policy (429 waits for
 * Retry-After; GET, PUT and DELETE are retried on 5xx and network errors, POST and PATCH
 * only with PARTICLE_REQUEST_RETRY) and the same mapping of failures to codes.
 *
 * Thread safety: like every call on a client, one thread at a time per client.
 */
#ifndef PARTICLE_REQUEST_H
#define PARTICLE_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Sends one request to the client's base URL and parses the 2xx answer.
 *
 * @param[out] out   the answer as a document; the caller frees it with particle_doc_free().
 *                   An empty 2xx body (e.g. 204 No Content) gives a document whose root
 *                   is an empty object. NULL = discard the answer (it is still checked to
 *                   be JSON). Set to NULL on failure.
 * @param client     the client
 * @param method     "GET", "POST", "PUT", "PATCH" or "DELETE", in any letter case
 * @param path       starts with '/', e.g. "/v1/sims"; used as given, so the caller
 *                   percent-encodes ids in it. Printable ASCII without spaces or '#'. It may
 *                   carry its own query ("/v1/devices?per_page=5") when @p query is NULL.
 * @param query      encoded query string without the leading '?'; NULL or "" = none
 * @param json_body  JSON text sent with Content-Type: application/json; NULL = no body.
 *                   Not allowed with GET. It is checked to be JSON before anything is sent.
 * @param opts       NULL = defaults; only `flags` is used (PARTICLE_REQUEST_RETRY lets a
 *                   POST or PATCH be retried); `product` must be NULL (put it in the path)
 * @return 0; PARTICLE_EINVAL (NULL client, unknown method, malformed path or query, a body
 *         that is not JSON or a body with GET, a product option); PARTICLE_EPROTO (a 2xx
 *         answer that is not JSON, or larger than the client's body cap); and every code of
 *         the typed calls: PARTICLE_EAUTH, PARTICLE_EFORBIDDEN, PARTICLE_ENOTFOUND,
 *         PARTICLE_EOFFLINE, PARTICLE_ERATELIMIT, PARTICLE_ESERVER, PARTICLE_EHTTP (any
 *         other status >= 400), PARTICLE_ENET, PARTICLE_ETIMEDOUT, PARTICLE_ENOMEM. The
 *         error record carries the HTTP status and the API's error fields.
 */
PARTICLE_API int particle_request(particle_doc **out, particle_client *client, const char *method,
                                  const char *path, const char *query, const char *json_body,
                                  const particle_request_options *opts);

/* ---- binary transfers: multipart uploads, raw bodies, downloads ---- */

/**
 * One part of a multipart/form-data body. The content comes either from memory (@p data,
 * @p size) or from a file (@p path); exactly one of the two. A part without a filename is
 * a text field (`version`, `title`); a part with one is a file.
 */
typedef struct particle_form_part {
    const char *name;         /**< the field name, e.g. "file", "version"; required */
    const char *filename;     /**< NULL: a text field, or the base name of @p path for a file */
    const char *content_type; /**< NULL: none for text fields, application/octet-stream for
                                   files */
    const void *data;         /**< content from memory (copied at the call); NULL with size 0
                                   = empty */
    size_t size;              /**< bytes at @p data */
    const char *path;         /**< content read from this file at send time instead */
} particle_form_part;

/**
 * Progress of a transfer, called repeatedly during the transfer (at least once a second) and at the
 * end (curl's CURLOPT_XFERINFOFUNCTION). Totals are 0 while unknown. Runs on the calling thread.
 * @return 0 to go on; non-zero cancels the transfer (the call fails PARTICLE_ECANCELED).
 */
typedef int particle_progress_fn(uint64_t upload_done_bytes, uint64_t upload_total_bytes,
                                 uint64_t download_done_bytes, uint64_t download_total_bytes,
                                 void *payload);

/**
 * Receives the body of a 2xx answer piece by piece, in order (error bodies never come
 * here). @return 0 to go on; non-zero stops the transfer (PARTICLE_ECANCELED).
 */
typedef int particle_data_fn(const void *data, size_t size, void *payload);

/**
 * Where the 2xx body of a download goes, and its cap. Exactly one destination: @p save_to,
 * @p on_data, or neither (memory: the particle_response holds it).
 */
typedef struct particle_download_options {
    unsigned int version; /**< PARTICLE_DOWNLOAD_OPTIONS_VERSION */
    /** Write the body to this file. It is written to a temporary file beside it (same
     *  directory) and renamed over the target only when the whole body arrived; a failed or
     *  cut-off download removes the temporary file and leaves the target untouched. */
    const char *save_to;
    particle_data_fn *on_data; /**< or hand the body to this callback */
    void *on_data_payload;
    size_t max_bytes;               /**< a longer body fails PARTICLE_EPROTO; 0 = the client's
                                         max_response_bytes */
    particle_progress_fn *progress; /**< NULL = no progress calls */
    void *progress_payload;
} particle_download_options;

#define PARTICLE_DOWNLOAD_OPTIONS_VERSION 1
#define PARTICLE_DOWNLOAD_OPTIONS_INIT                                                             \
    {                                                                                              \
        PARTICLE_DOWNLOAD_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL                         \
    }

/** Fills @p opts with PARTICLE_DOWNLOAD_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_download_options_init(particle_download_options *opts,
                                                unsigned int version);

/**
 * The request side of particle_transfer(): at most one body (@p body or @p parts), the
 * Accept header and the retry flag. `download` says where the answer goes.
 */
typedef struct particle_transfer_options {
    unsigned int version; /**< PARTICLE_TRANSFER_OPTIONS_VERSION */
    unsigned int flags;   /**< PARTICLE_REQUEST_RETRY */
    const void *body;     /**< raw body bytes, read during the call only; NULL = none */
    size_t body_size;
    const char *content_type;        /**< of @p body; NULL = application/octet-stream */
    const particle_form_part *parts; /**< multipart/form-data body instead of @p body */
    size_t part_count;
    const char *accept;                 /**< Accept header; NULL = application/json */
    particle_download_options download; /**< destination, cap and progress of the answer */
} particle_transfer_options;

#define PARTICLE_TRANSFER_OPTIONS_VERSION 1
#define PARTICLE_TRANSFER_OPTIONS_INIT                                                             \
    {                                                                                              \
        PARTICLE_TRANSFER_OPTIONS_VERSION, 0u, NULL, 0, NULL, NULL, 0, NULL,                       \
            PARTICLE_DOWNLOAD_OPTIONS_INIT                                                         \
    }

/** Fills @p opts with PARTICLE_TRANSFER_OPTIONS_INIT. @return 0 or PARTICLE_EINVAL. */
PARTICLE_API int particle_transfer_options_init(particle_transfer_options *opts,
                                                unsigned int version);

/** The answer of a transfer: status, content type and, for memory downloads, the body. */
typedef struct particle_response particle_response;

/** The HTTP status of the 2xx answer. */
PARTICLE_API long particle_response_status(const particle_response *resp);
/** The Content-Type the server sent; "" when none. Borrowed: lives as long as @p resp. */
PARTICLE_API const char *particle_response_content_type(const particle_response *resp);
/** The body of a memory download (NUL-terminated for convenience, not counted in size);
 *  "" for file and callback downloads. Borrowed: lives as long as @p resp. */
PARTICLE_API const void *particle_response_data(const particle_response *resp);
/** The number of body bytes received (also for file and callback downloads). */
PARTICLE_API size_t particle_response_size(const particle_response *resp);
/** Frees @p resp. NULL-safe. */
PARTICLE_API void particle_response_free(particle_response *resp);

/**
 * Sends one request with any body and receives any answer: the binary-capable sibling of
 * particle_request(), with the same transport, retries and error mapping. Error answers
 * (status >= 400) are read into memory and mapped as for every call; only a 2xx body goes
 * to the download destination.
 * @param[out] out the answer; free it with particle_response_free(); NULL = not needed
 * @param method   as particle_request()
 * @param path     as particle_request()
 * @param query    as particle_request()
 * @param opts     NULL = a GET-style call without a body that receives into memory
 * @return 0; PARTICLE_EINVAL (bad arguments, both a body and parts, a part without a name
 *         or with both data and path, an unreadable part file, a body with GET, two
 *         download destinations); PARTICLE_EPROTO (body over the cap, cut off before its
 *         Content-Length); PARTICLE_ECANCELED (a callback asked to stop); PARTICLE_EIO (a
 *         temporary file that cannot be created, written or renamed, with errno's text);
 *         every code of particle_request().
 */
PARTICLE_API int particle_transfer(particle_response **out, particle_client *client,
                                   const char *method, const char *path, const char *query,
                                   const particle_transfer_options *opts);

PARTICLE_END_DECL

#endif
