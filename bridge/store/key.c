#include "store/key.h"

#include <string.h>

#include "pu_hash.h"

int64_t bridge_key_of(uint64_t hash)
{
    int64_t out;
    memcpy(&out, &hash, sizeof out); /* same bits, no implementation-defined conversion */
    return out;
}

int64_t bridge_key_event(const char *device_id, const char *name, int64_t published_at_ms,
                         const char *data)
{
    pu_tuple_hash t;
    pu_tuple_hash_init(&t);
    pu_tuple_hash_cstr(&t, device_id);
    pu_tuple_hash_cstr(&t, name);
    pu_tuple_hash_int(&t, published_at_ms);
    pu_tuple_hash_cstr(&t, data);
    return bridge_key_of(t.h);
}

int64_t bridge_key_measurement(const char *device_id, const char *name, int64_t ts_ms,
                               const char *source)
{
    pu_tuple_hash t;
    pu_tuple_hash_init(&t);
    pu_tuple_hash_cstr(&t, device_id);
    pu_tuple_hash_cstr(&t, name);
    pu_tuple_hash_int(&t, ts_ms);
    pu_tuple_hash_cstr(&t, source);
    return bridge_key_of(t.h);
}

int64_t bridge_key_status_post(const char *device_id, const char *kind, const char *name,
                               int64_t ts_ms, const char *message)
{
    pu_tuple_hash t;
    pu_tuple_hash_init(&t);
    pu_tuple_hash_cstr(&t, device_id);
    pu_tuple_hash_cstr(&t, kind);
    pu_tuple_hash_cstr(&t, name);
    pu_tuple_hash_int(&t, ts_ms);
    pu_tuple_hash_cstr(&t, message);
    return bridge_key_of(t.h);
}
