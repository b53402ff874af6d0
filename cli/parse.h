/* cli_parse: small, strict parsers for command-line values (numbers, durations). */
#ifndef CLI_PARSE_H
#define CLI_PARSE_H

#include <stdbool.h>

/*
 * Parses a duration like "30s", "5m", "2h", "1d", "250ms", or a bare number of seconds,
 * into milliseconds. Rejects negatives, empty text, unknown units and overflow.
 * Returns 0 or -1.
 */
int cli_parse_duration_ms(const char *text, long long *out_ms);

/* Parses a decimal integer in [min, max] with nothing after it. Returns 0 or -1. */
int cli_parse_long(const char *text, long long min, long long max, long long *out);

/* Parses "1"/"0"/"on"/"off"/"true"/"false"/"yes"/"no" (any case). Returns 0 or -1. */
int cli_parse_bool(const char *text, bool *out);

#endif
