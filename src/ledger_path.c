/* Ledger paths ({ns}/ledgers[/<name>[/instances[/<value>[/versions[/<version>]]]]]) and
 * the request every ledger call makes. */
#include "ledger_internal.h"

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "resource.h"

/* Appends "/<part>" percent-encoded; an empty or NULL part fails naming @p what. */
static int append_part(pu_buf *b, const char *part, const char *what)
{
    if (particle__require(part, what) < 0) {
        return -1;
    }
    pu_buf_append_char(b, '/');
    pu_buf_append_percent_encoded(b, part);
    return 0;
}

char *particle__ledger_path(const particle__ledger_at *at)
{
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_str(&b, "/v1");
    int error = 0;
    if (at->org != NULL && at->org[0] != '\0') {
        pu_buf_append_str(&b, "/orgs");
        error = append_part(&b, at->org, "organization");
    }
    pu_buf_append_str(&b, "/ledgers");
    bool instances = at->instances || at->scope_value != NULL || at->versions;
    if (error == 0 && (at->name != NULL || instances)) {
        error = append_part(&b, at->name, "ledger name");
    }
    if (error == 0 && instances) {
        pu_buf_append_str(&b, "/instances");
        if (at->scope_value != NULL || at->versions) {
            error = append_part(&b, at->scope_value, "scope value");
        }
    }
    if (error == 0 && (at->versions || at->version != NULL)) {
        pu_buf_append_str(&b, "/versions");
        if (at->version != NULL) {
            error = append_part(&b, at->version, "version");
        }
    }
    if (error == 0 && pu_buf_error(&b) != 0) {
        error = particle__error_set(particle__buf_code(&b), "cannot build the path");
    }
    if (error != 0) {
        pu_buf_dispose(&b);
        return NULL;
    }
    return pu_buf_take(&b, NULL);
}

int particle__ledger_send(particle_doc **out, particle_client *c, const char *method,
                          const particle__ledger_at *at, const char *query, json_t *body)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = particle__ledger_path(at);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = method, .path = path, .query = query, .body = body};
    int error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

int particle__ledger_get(particle_doc **out, particle_client *c, const particle__ledger_at *at,
                         const char *query, const char *key, const char *what)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = particle__ledger_path(at);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "GET",
                           .path = path,
                           .query = query,
                           .key = key,
                           .key_is_array = key != NULL,
                           .what = what};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}
