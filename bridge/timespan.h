/*
 * Durations and dates in the text forms the ParticleDeviceDetailsDto uses:
 *  - JSON: .NET TimeSpan "[d.]hh:mm:ss[.fffffff]" ("00:00:00.1234567") and dates
 *    "2025-11-04T12:30:49.8920467+00:00";
 *  - XML: ISO 8601 durations ("PT0.1234567S", "P1DT2H3M4.5S") and the same dates;
 *  - the config file: "90", "90s", "250ms", "5m", "2h", "1d" or a TimeSpan.
 * All values are milliseconds. Pure functions, thread-safe.
 */
#ifndef BRIDGE_TIMESPAN_H
#define BRIDGE_TIMESPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_TIMESPAN_SIZE 96

/* "hh:mm:ss[.fffffff]", with a "d." prefix from one day on. Negative values are clamped
 * to 0. Returns @p out. */
char *bridge_timespan_format(int64_t ms, char out[BRIDGE_TIMESPAN_SIZE]);

/* Parses a TimeSpan ("00:05:00", "1.02:00:00", "00:00:00.5"); false when malformed or
 * out of range (hours 0-23, minutes and seconds 0-59). */
bool bridge_timespan_parse(const char *text, int64_t *out_ms);

/* ISO 8601 duration as DataContract writes it: "PT0S", "PT1M30S", "P1DT2H", "PT0.25S". */
char *bridge_duration_format(int64_t ms, char out[BRIDGE_TIMESPAN_SIZE]);

/* Parses "P[nD][T[nH][nM][n[.f]S]]"; false when malformed. */
bool bridge_duration_parse(const char *text, int64_t *out_ms);

/* Parses a config duration: a number of seconds, a number with a unit (ms, s, m, h, d) or
 * a TimeSpan. False when malformed. */
bool bridge_config_duration_parse(const char *text, int64_t *out_ms);

/* "2025-11-04T12:30:49.8920000+00:00" (UTC, seven fraction digits). Returns @p out. */
char *bridge_date_format(int64_t epoch_ms, char out[BRIDGE_TIMESPAN_SIZE]);

#endif
