/* Time helpers: wall-clock and monotonic milliseconds, ISO-8601 formatting and parsing. */
#ifndef PU_TIME_H
#define PU_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds since the Unix epoch (CLOCK_REALTIME). */
int64_t pu_time_now_ms(void);

/* Milliseconds from an arbitrary fixed point (CLOCK_MONOTONIC); for timeouts. */
int64_t pu_time_mono_ms(void);

/* Size of a buffer that holds "YYYY-MM-DDTHH:MM:SS.mmmZ" and its NUL. */
#define PU_ISO8601_SIZE 32

/* Writes @p epoch_ms as "2015-07-17T22:28:40.907Z" (UTC). Returns @p out. */
char *pu_time_iso8601(int64_t epoch_ms, char out[PU_ISO8601_SIZE]);

/*
 * Parses "YYYY-MM-DDTHH:MM:SS[.fff...][Z|+HH:MM|-HH:MM]" into epoch milliseconds.
 * Strict: the date must exist in the calendar (2025-02-30 and 2023-02-29 are refused),
 * hours 00-23, minutes 00-59, seconds 00-60 (a leap second), and the offset within
 * ±14:00 with minutes 00-59. The one time parser of the project (SDK, sim, bridge).
 * Returns 0, or -1 when the text is not such a date.
 */
int pu_time_parse_iso8601(const char *text, int64_t *out_ms);

/* Sleeps @p ms milliseconds (restarting after signals). */
void pu_time_sleep_ms(int64_t ms);

#endif
