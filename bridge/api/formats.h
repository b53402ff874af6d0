/*
 * The API's output formats: the device DTO as JSON (json.c) and XML (xml.c), SenML
 * (senml.c, RFC 8428) and CSV (csv.c, RFC 4180), and choosing one from the Accept header.
 * All functions return malloc'd text (free with free()) or a new json_t; NULL on OOM.
 */
#ifndef BRIDGE_FORMATS_H
#define BRIDGE_FORMATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"

typedef enum bridge_format {
    BRIDGE_FORMAT_NONE = 0, /* nothing acceptable */
    BRIDGE_FORMAT_JSON = 1u << 0,
    BRIDGE_FORMAT_XML = 1u << 1,
    BRIDGE_FORMAT_SENML = 1u << 2,
    BRIDGE_FORMAT_CSV = 1u << 3,
    BRIDGE_FORMAT_SENML_CBOR = 1u << 4 /* application/senml+cbor (senml_cbor.c) */
} bridge_format;

/* Picks the best of @p allowed (a mask) for an Accept header (NULL = anything) or a
 * ?format= value (wins when not NULL). BRIDGE_FORMAT_NONE when nothing fits; *xml_type
 * gets "application/xml" or "text/xml" as asked. */
bridge_format bridge_format_choose(const char *accept, const char *format_param,
                                   unsigned int allowed, const char **xml_type);

/* A device with what the DTO shows besides the stored record. */
typedef struct bridge_dto {
    const bridge_device *device;
    const bridge_sim *sim; /* NULL = no SIM known */
    const char *cloud_url; /* base of the function links */
} bridge_dto;

json_t *bridge_dto_to_json(const bridge_dto *dto);
char *bridge_dto_to_xml(const bridge_dto *dto);
/* EstimatedMonthUsage: the last cumulative usage extrapolated to the whole month. */
double bridge_sim_estimated_month_usage(const bridge_sim *sim);

/* Accumulates rows into one of the list formats. */
typedef struct bridge_rows bridge_rows;
bridge_rows *bridge_rows_new(bridge_format format, bool status_posts);
/* SenML (JSON and CBOR): the store the kinds and units of numbers come from
 * (bridge_senml_describe_from_store) when the rows are finished; without one every number
 * is a "v" without a unit. */
void bridge_rows_set_store(bridge_rows *rows, bridge_store *store);
/* CSV: cells as stored, without formula escaping (pu_csv_set_raw). Call before adding. */
void bridge_rows_set_csv_raw(bridge_rows *rows, bool raw);
int bridge_rows_add_measurement(const bridge_measurement *m,
                                void *rows); /* bridge_measurement_fn */
int bridge_rows_add_post(const bridge_status_post *p, void *rows);
/* The finished text (ownership moves to the caller) and its content type. */
char *bridge_rows_finish(bridge_rows *rows, size_t *len_out, const char **content_type);
void bridge_rows_free(bridge_rows *rows); /* NULL-safe */

#endif
