/* PostgreSQL connection URIs: telling them from SQLite paths, and printing them without
 * secrets (store.h). */
#include "store/store.h"

#include <string.h>
#include <strings.h>

#include "pu_str.h"

bool bridge_store_is_postgres_uri(const char *database)
{
    return database != NULL && (strncasecmp(database, "postgresql://", 13) == 0 ||
                                strncasecmp(database, "postgres://", 11) == 0);
}

const char *bridge_store_uri_redact(const char *database, char *out, size_t out_size)
{
    if (out_size == 0) {
        return out;
    }
    out[0] = '\0';
    if (database == NULL) {
        return out;
    }
    if (!bridge_store_is_postgres_uri(database)) {
        pu_strlcpy(out, database, out_size);
        return out;
    }
    size_t len = 0;
#define PUT(ptr, n)                                                                                \
    do {                                                                                           \
        size_t n_ = (n);                                                                           \
        if (n_ > out_size - 1 - len) {                                                             \
            n_ = out_size - 1 - len;                                                               \
        }                                                                                          \
        memcpy(out + len, (ptr), n_);                                                              \
        len += n_;                                                                                 \
    } while (0)
    const char *rest = strstr(database, "://") + 3;
    PUT(database, (size_t)(rest - database));
    /* Authority: up to the path, the query or the end; user info before its last '@'. */
    size_t auth_len = strcspn(rest, "/?");
    const char *at = NULL;
    for (size_t i = 0; i < auth_len; i++) {
        if (rest[i] == '@') {
            at = rest + i;
        }
    }
    if (at != NULL) {
        const char *colon = memchr(rest, ':', (size_t)(at - rest));
        PUT(rest, (size_t)((colon != NULL ? colon : at) - rest));
        rest = at; /* '@' and what follows */
    }
    size_t path_len = strcspn(rest, "?");
    PUT(rest, path_len);
    rest += path_len;
    /* The query: every parameter but password=... */
    if (*rest == '?') {
        rest++;
        bool first = true;
        while (*rest != '\0') {
            size_t item = strcspn(rest, "&");
            bool secret = strncasecmp(rest, "password=", 9) == 0 && item >= 9;
            if (!secret) {
                PUT(first ? "?" : "&", 1);
                PUT(rest, item);
                first = false;
            }
            rest += item;
            if (*rest == '&') {
                rest++;
            }
        }
    }
#undef PUT
    out[len] = '\0';
    return out;
}
