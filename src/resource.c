/* The request and path helpers of the product, organization, team and group calls. */
#include "resource.h"

#include <string.h>

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "value_internal.h"

int particle__check_out_client(particle_doc **out, const particle_client *c)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    return 0;
}

/* The answer has the member the reference documents, of the right type. */
static int check_answer(const json_t *root, const particle__call *call)
{
    if (call->key == NULL) {
        return 0;
    }
    const json_t *member = json_object_get(root, call->key);
    bool ok = call->key_is_array ? json_is_array(member) : json_is_object(member);
    if (!ok) {
        return particle__error_set(PARTICLE_EPROTO, "the %s answer has no %s %s", call->what,
                                   call->key, call->key_is_array ? "array" : "object");
    }
    return 0;
}

int particle__call_doc(particle_doc **out, particle_client *c, const particle__call *call)
{
    json_t *root = NULL;
    char *text = NULL;
    int error;
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    if (call->body != NULL && (text = particle__json_dumps(call->body, JSON_COMPACT)) == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    particle__request req = {
        .method = call->method,
        .path = call->path,
        .query = call->query,
        .body = text,
        .body_len = text != NULL ? strlen(text) : 0,
        .content_type =
            text == NULL ? NULL : (call->media_type != NULL ? call->media_type : PARTICLE__CT_JSON),
        .accept = call->media_type,
        .retry_unsafe = call->retry_unsafe,
    };
    if ((error = particle__http_perform(c, &req, &root)) == 0 &&
        (error = check_answer(root, call)) == 0 && out != NULL) {
        error = particle__doc_wrap(out, root); /* takes root, also on failure */
        root = NULL;
    }
    json_decref(root);
    particle__free(text);
    return error;
}

char *particle__scoped_path(const char *scope, const char *owner, const char *owner_what,
                            const char *collection, const char *id, const char *id_what)
{
    /* with id_what the id is required: a NULL one must not turn a call on one member into
     * one on the whole collection (DELETE .../groups) */
    if (particle__require(owner, owner_what) < 0 ||
        ((id != NULL || id_what != NULL) && particle__require(id, id_what) < 0)) {
        return NULL;
    }
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_str(&b, "/v1/");
    pu_buf_append_str(&b, scope);
    pu_buf_append_char(&b, '/');
    pu_buf_append_percent_encoded(&b, owner);
    pu_buf_append_char(&b, '/');
    pu_buf_append_str(&b, collection);
    if (id != NULL) {
        pu_buf_append_char(&b, '/');
        pu_buf_append_percent_encoded(&b, id);
    }
    if (pu_buf_error(&b) != 0) {
        particle__error_set(particle__buf_code(&b), "cannot build the path");
    }
    return pu_buf_take(&b, NULL); /* NULL after an error */
}
