/*
 * The CBOR encoding of a SenML pack (RFC 8428 section 6): an array of maps keyed by the
 * section's integer labels, whole numbers as CBOR integers and others as doubles, strings as
 * text strings. libcbor builds the items; every build is checked (NULL on OOM).
 */
#include <cbor.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "api/senml_plan.h"

/* RFC 8428 table 4. */
enum {
    LABEL_BN = -2,
    LABEL_BT = -3,
    LABEL_BU = -4,
    LABEL_N = 0,
    LABEL_U = 1,
    LABEL_V = 2,
    LABEL_VS = 3,
    LABEL_VB = 4,
    LABEL_T = 6
};

/* libcbor writes an integer in the width it was built with: pick the narrowest. */
static cbor_item_t *build_int(int64_t x)
{
    bool negative = x < 0;
    uint64_t m = negative ? (uint64_t)(-1 - x) : (uint64_t)x; /* CBOR's -1 - n for negatives */
    if (m <= UINT8_MAX) {
        return negative ? cbor_build_negint8((uint8_t)m) : cbor_build_uint8((uint8_t)m);
    }
    if (m <= UINT16_MAX) {
        return negative ? cbor_build_negint16((uint16_t)m) : cbor_build_uint16((uint16_t)m);
    }
    if (m <= UINT32_MAX) {
        return negative ? cbor_build_negint32((uint32_t)m) : cbor_build_uint32((uint32_t)m);
    }
    return negative ? cbor_build_negint64(m) : cbor_build_uint64(m);
}

/* Whole numbers as integers; others as a single when that holds them exactly (21.5), else a
 * double (section 6 leaves the width to the encoder; shorter is better). */
static cbor_item_t *build_number(double x)
{
    if (bridge_senml_is_whole(x)) {
        return build_int((int64_t)x);
    }
    bool fits_single = isinf(x) || (fabs(x) <= FLT_MAX && (double)(float)x == x);
    return fits_single ? cbor_build_float4((float)x) : cbor_build_float8(x);
}

/* Adds label -> value to @p map, taking @p value (NULL = OOM): false on failure. */
static bool put(cbor_item_t *map, int label, cbor_item_t *value)
{
    cbor_item_t *key = build_int(label);
    bool ok = key != NULL && value != NULL &&
              cbor_map_add(map, (struct cbor_pair){.key = key, .value = value});
    if (key != NULL) {
        cbor_decref(&key);
    }
    if (value != NULL) {
        cbor_decref(&value);
    }
    return ok;
}

static int add_cbor_record(const bridge_senml_fields *f, void *payload)
{
    cbor_item_t *map = cbor_new_definite_map(7); /* bn, bt, bu, n, u, a value, t at most */
    if (map == NULL) {
        return -1;
    }
    bool ok = true;
    if (f->bn) {
        ok = ok && put(map, LABEL_BN, cbor_build_string(f->bn));
    }
    if (f->has_bt) {
        ok = ok && put(map, LABEL_BT, build_number(f->bt));
    }
    if (f->bu) {
        ok = ok && put(map, LABEL_BU, cbor_build_string(f->bu));
    }
    ok = ok && put(map, LABEL_N, cbor_build_string(f->n));
    if (f->u) {
        ok = ok && put(map, LABEL_U, cbor_build_string(f->u));
    }
    if (f->kind == BRIDGE_SENML_STRING) {
        ok = ok && put(map, LABEL_VS, cbor_build_string(f->vs));
    } else if (f->kind == BRIDGE_SENML_BOOL) {
        ok = ok && put(map, LABEL_VB, cbor_build_bool(f->vb));
    } else {
        ok = ok && put(map, LABEL_V, build_number(f->v));
    }
    if (f->has_t) {
        ok = ok && put(map, LABEL_T, build_number(f->t));
    }
    ok = ok && cbor_array_push(payload, map);
    cbor_decref(&map);
    return ok ? 0 : -1;
}

unsigned char *bridge_senml_pack_cbor(const bridge_senml_pack *pack, size_t *len_out)
{
    cbor_item_t *array = cbor_new_definite_array(bridge_senml_pack_count(pack));
    if (array == NULL) {
        return NULL;
    }
    unsigned char *out = NULL;
    size_t size = 0;
    *len_out = 0;
    if (bridge_senml_pack_walk(pack, add_cbor_record, array) == 0) {
        *len_out = cbor_serialize_alloc(array, &out, &size);
        if (*len_out == 0) {
            free(out);
            out = NULL;
        }
    }
    cbor_decref(&array);
    return out;
}
