/*
 * One small logger for the programs (particle-bridge, particle-sim, the httpd layer): a line
 * per call with a UTC timestamp, a level and the component that speaks.
 *
 *   text (default): 2026-01-31T12:00:00.000Z WARN particle-bridge/sse: stream user lost: ...
 *   json:           {"time":"2026-01-31T12:00:00.000Z","level":"warn","app":"particle-bridge",
 *                    "component":"sse","msg":"stream user lost: ..."}
 *
 * Output goes to stderr, or to syslog(3) (which journald reads too) when asked; syslog adds
 * its own time and program name, so a syslog line is "component: message" (text) or the
 * JSON object (json). Messages are cut at PU_LOG_MESSAGE_MAX bytes (never inside a UTF-8
 * character) and CR/LF become spaces, so one call is always one line. Never pass tokens or
 * secrets: the logger cannot tell them apart.
 *
 * Threads: pu_log() may be called from any thread; lines never interleave. pu_log_configure()
 * may be called at any time (a config reload), lines already being written finish with the
 * old settings.
 */
#ifndef PU_LOG_H
#define PU_LOG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define PU_LOG_MESSAGE_MAX 1024 /* bytes of formatted message kept, NUL included */
#define PU_LOG_LINE_MAX 8192    /* room for the longest rendered line, NUL included */

typedef enum pu_log_level { PU_LOG_DEBUG = 0, PU_LOG_INFO, PU_LOG_WARN, PU_LOG_ERROR } pu_log_level;
typedef enum pu_log_format { PU_LOG_FORMAT_TEXT = 0, PU_LOG_FORMAT_JSON } pu_log_format;
typedef enum pu_log_output { PU_LOG_OUTPUT_STDERR = 0, PU_LOG_OUTPUT_SYSLOG } pu_log_output;

typedef struct pu_log_options {
    const char *ident;  /* program name, copied (up to 63 bytes); NULL = keep the current one */
    pu_log_level level; /* calls below it write nothing */
    pu_log_format format;
    pu_log_output output;
} pu_log_options;

/* Sets the process-wide settings. Until it is called: info, text, stderr, ident "particle". */
void pu_log_configure(const pu_log_options *opts);

/* Writes one line at @p level for @p component (a short name: "sse", "sync", "httpd"). */
void pu_log(pu_log_level level, const char *component, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pu_log_v(pu_log_level level, const char *component, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Renders one line (without the newline) into @p out of PU_LOG_LINE_MAX bytes; the writer
 * behind pu_log(), public so its shape can be tested. Returns the line's length. */
size_t pu_log_render(char out[PU_LOG_LINE_MAX], pu_log_format format, const char *ident,
                     int64_t epoch_ms, pu_log_level level, const char *component,
                     const char *message);

/* Parse config words: "debug", "info", "warn" (or "warning"), "error"; "text", "json";
 * "stderr", "syslog" (or "journald": journald reads syslog). 0, or -1 for another word. */
int pu_log_level_parse(const char *text, pu_log_level *out);
int pu_log_format_parse(const char *text, pu_log_format *out);
int pu_log_output_parse(const char *text, pu_log_output *out);

/* "debug", "info", "warn", "error". */
const char *pu_log_level_name(pu_log_level level);

#endif
