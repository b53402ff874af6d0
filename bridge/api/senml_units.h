/* The SenML unit names a variable's "Unit" setting may take: RFC 8428 section 12.1. */
#ifndef BRIDGE_SENML_UNITS_H
#define BRIDGE_SENML_UNITS_H

#include <stdbool.h>
#include <stddef.h>

/* True when @p unit is a name of the RFC 8428 SenML Units registry (case-sensitive). */
bool bridge_senml_unit_known(const char *unit);

/* The registry's names in the RFC's order, for error messages and the docs. */
extern const char *const bridge_senml_units[];
extern const size_t bridge_senml_unit_count;

#endif
