/*
 * SenML (RFC 8428) packs for measurements and text values, in JSON (application/senml+json)
 * and CBOR (application/senml+cbor, section 6). The values are collected first, then given
 * their kind and unit (a measurement is a number in the store; whether it is a boolean and
 * which unit it has are settings of its variable), then written with base values:
 *  - bn "urn:dev:particle:<id>:" on the first record of each run of one device;
 *  - bt (the first record's time) when the pack has two records or more, every t relative
 *    to it (absolute seconds since the epoch, millisecond precision, otherwise);
 *  - bu when every record has a unit and one unit is shared by two records or more.
 * Names are mapped into section 4.5.1's characters by bridge_senml_name().
 */
#ifndef BRIDGE_SENML_H
#define BRIDGE_SENML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_SENML_TYPE "application/senml+json"
#define BRIDGE_SENML_CBOR_TYPE "application/senml+cbor"

typedef enum bridge_senml_kind {
    BRIDGE_SENML_NUMBER, /* "v" */
    BRIDGE_SENML_BOOL,   /* "vb": the number, non-zero = true */
    BRIDGE_SENML_STRING  /* "vs" */
} bridge_senml_kind;

/* One value as the store has it. Strings are copied by bridge_senml_pack_add. */
typedef struct bridge_senml_value {
    const char *device_id;
    const char *name; /* as stored; mapped on output */
    bridge_senml_kind kind;
    double number;    /* NUMBER, BOOL */
    const char *text; /* STRING */
    const char *unit; /* a SenML unit name; NULL or "" = none */
    int64_t ts_ms;
} bridge_senml_value;

typedef struct bridge_senml_pack bridge_senml_pack;

bridge_senml_pack *bridge_senml_pack_new(void);       /* NULL on OOM */
void bridge_senml_pack_free(bridge_senml_pack *pack); /* NULL-safe */
/* Appends a record: 0, or -1 on OOM. */
int bridge_senml_pack_add(bridge_senml_pack *pack, const bridge_senml_value *value);

/* Gives a record its kind and unit: set *kind (it holds the stored kind) and copy the unit
 * ("" = none) into @p unit. Return non-zero to stop with an error. */
typedef int bridge_senml_describe_fn(const char *device_id, const char *name,
                                     bridge_senml_kind *kind, char *unit, size_t unit_size,
                                     void *payload);
/* Calls @p describe for every NUMBER record (BOOL and STRING are known already): 0, or the
 * first non-zero result. */
int bridge_senml_pack_describe(bridge_senml_pack *pack, bridge_senml_describe_fn *describe,
                               void *payload);

/* The pack as JSON text or CBOR bytes (malloc'd, *len_out its length); NULL on OOM. */
char *bridge_senml_pack_json(const bridge_senml_pack *pack, size_t *len_out);
unsigned char *bridge_senml_pack_cbor(const bridge_senml_pack *pack, size_t *len_out);

/*
 * Section 4.5.1 allows A-Z a-z 0-9 - : . / _ in a name. Each other byte (a space, each byte
 * of a UTF-8 sequence, ...) becomes "_" and its two upper-case hex digits: "temp °C" ->
 * "temp_20_C2_B0C". @p out needs 3 * strlen(in) + 1 bytes; a longer name is cut. The first
 * character rule holds for the resolved name because every pack's bn starts with "urn".
 */
void bridge_senml_name(const char *in, char *out, size_t out_size);

#endif
