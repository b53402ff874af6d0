/* cli_value_json: turns libparticle's read-only JSON values into jansson values for the
 * output model. */
#ifndef CLI_VALUE_JSON_H
#define CLI_VALUE_JSON_H

#include <jansson.h>

#include "particle/value.h"

#include "output.h"

/* A new jansson value equal to @p v (NULL or absent gives JSON null). NULL on out of memory. */
json_t *cli_json_from_value(const particle_value *v);

/* Stores a copy of @p v in field @p field of the current record. Returns 0 or -1. */
int cli_output_set_value(cli_output *out, size_t field, const particle_value *v);

#endif
