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

PARTICLE_END_DECL

#endif
