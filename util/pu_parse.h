/*
 * pu_parse: the one strict parser of the tree for the values people type (command-line
 * options, config files, query arguments): integers, doubles, booleans and durations.
 *
 * Every parser takes the whole of @p text: no leading or trailing blanks, nothing after the
 * value. Each returns 0 and stores the value, or -1 and leaves *out alone (malformed text,
 * out of range, NULL text).
 *
 * Pure functions, thread-safe.
 */
#ifndef PU_PARSE_H
#define PU_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* A decimal integer with an optional sign ("42", "-7", "+3") in [min, max]. */
int pu_parse_int64(const char *text, int64_t min, int64_t max, int64_t *out);

/* A finite decimal number ("1.5", "-2", "1e3", ".5") in [min, max]; no "nan" or "inf",
 * no hexadecimal. */
int pu_parse_double(const char *text, double min, double max, double *out);

/* "1", "on", "true", "yes" -> true; "0", "off", "false", "no" -> false; any case. */
int pu_parse_bool(const char *text, bool *out);

/*
 * A duration in milliseconds: a non-negative decimal number ("90", "1.5", ".5") followed by
 * a unit, "ms", "s", "m", "h" or "d", or by nothing for seconds. A fraction of a
 * millisecond is dropped. -1 also when the result does not fit an int64_t.
 */
int pu_parse_duration_ms(const char *text, int64_t *out_ms);

#endif
