#include "pu_log.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "pu_str.h"
#include "pu_time.h"

#define IDENT_MAX 64
#define COMPONENT_MAX 64

/* Guarded by lock: the settings, and the output while a line is written. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pu_log_options settings = {NULL, PU_LOG_INFO, PU_LOG_FORMAT_TEXT, PU_LOG_OUTPUT_STDERR};
static char ident[IDENT_MAX] = "particle"; /* openlog() keeps the pointer: static storage */
static bool syslog_open;

static const char *const level_names[] = {"debug", "info", "warn", "error"};
static const char *const level_upper[] = {"DEBUG", "INFO", "WARN", "ERROR"};

const char *pu_log_level_name(pu_log_level level)
{
    return level_names[level <= PU_LOG_ERROR ? level : PU_LOG_ERROR];
}

int pu_log_level_parse(const char *text, pu_log_level *out)
{
    for (int i = PU_LOG_DEBUG; i <= PU_LOG_ERROR; i++) {
        if (strcmp(text, level_names[i]) == 0) {
            *out = (pu_log_level)i;
            return 0;
        }
    }
    if (strcmp(text, "warning") == 0) {
        *out = PU_LOG_WARN;
        return 0;
    }
    return -1;
}

int pu_log_format_parse(const char *text, pu_log_format *out)
{
    if (strcmp(text, "text") == 0) {
        *out = PU_LOG_FORMAT_TEXT;
    } else if (strcmp(text, "json") == 0) {
        *out = PU_LOG_FORMAT_JSON;
    } else {
        return -1;
    }
    return 0;
}

int pu_log_output_parse(const char *text, pu_log_output *out)
{
    if (strcmp(text, "stderr") == 0) {
        *out = PU_LOG_OUTPUT_STDERR;
    } else if (strcmp(text, "syslog") == 0 || strcmp(text, "journald") == 0) {
        *out = PU_LOG_OUTPUT_SYSLOG;
    } else {
        return -1;
    }
    return 0;
}

void pu_log_configure(const pu_log_options *opts)
{
    pthread_mutex_lock(&lock);
    settings = *opts;
    if (opts->ident != NULL) {
        pu_strlcpy(ident, opts->ident, sizeof ident);
    }
    settings.ident = ident;
    if (syslog_open) {
        closelog(); /* reopened below, or on the next line, with the current ident */
        syslog_open = false;
    }
    if (settings.output == PU_LOG_OUTPUT_SYSLOG) {
        openlog(ident, LOG_PID, LOG_DAEMON);
        syslog_open = true;
    }
    pthread_mutex_unlock(&lock);
}

/* A line buffer that refuses what does not fit, so a line is cut but never overrun. */
typedef struct line {
    char *data;
    size_t len, cap; /* cap excludes the NUL */
} line;

static void put(line *l, const char *s, size_t n)
{
    if (n > l->cap - l->len) {
        n = l->cap - l->len;
    }
    memcpy(l->data + l->len, s, n);
    l->len += n;
    l->data[l->len] = '\0';
}

static void put_str(line *l, const char *s)
{
    put(l, s, strlen(s));
}

/* Appends @p s at most @p max bytes long (cut before a UTF-8 continuation byte), as JSON
 * string content when @p json, else with control characters turned into spaces. */
static void put_text(line *l, const char *s, size_t max, bool json)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
            n--; /* s[n] continues a character: cut before the character it belongs to */
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (!json) {
            put(l, c < 0x20 || c == 0x7f ? " " : (const char *)&s[i], 1);
        } else if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(l, esc, 2);
        } else if (c == '\n') {
            put(l, "\\n", 2);
        } else if (c == '\r') {
            put(l, "\\r", 2);
        } else if (c == '\t') {
            put(l, "\\t", 2);
        } else if (c < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", c);
            put(l, esc, 6);
        } else {
            put(l, &s[i], 1);
        }
    }
}

size_t pu_log_render(char out[PU_LOG_LINE_MAX], pu_log_format format, const char *app,
                     int64_t epoch_ms, pu_log_level level, const char *component,
                     const char *message)
{
    line l = {out, 0, PU_LOG_LINE_MAX - 1};
    out[0] = '\0';
    char ts[PU_ISO8601_SIZE];
    pu_time_iso8601(epoch_ms, ts);
    if (level > PU_LOG_ERROR) {
        level = PU_LOG_ERROR;
    }
    bool json = format == PU_LOG_FORMAT_JSON;
    if (json) {
        put_str(&l, "{\"time\":\"");
        put_str(&l, ts);
        put_str(&l, "\",\"level\":\"");
        put_str(&l, level_names[level]);
        put_str(&l, "\",\"app\":\"");
        put_text(&l, app, IDENT_MAX - 1, true);
        put_str(&l, "\",\"component\":\"");
        put_text(&l, component, COMPONENT_MAX, true);
        put_str(&l, "\",\"msg\":\"");
        put_text(&l, message, PU_LOG_MESSAGE_MAX - 1, true);
        put_str(&l, "\"}");
    } else {
        put_str(&l, ts);
        put_str(&l, " ");
        put_str(&l, level_upper[level]);
        put_str(&l, " ");
        put_text(&l, app, IDENT_MAX - 1, false);
        put_str(&l, "/");
        put_text(&l, component, COMPONENT_MAX, false);
        put_str(&l, ": ");
        put_text(&l, message, PU_LOG_MESSAGE_MAX - 1, false);
    }
    return l.len;
}

static int syslog_priority(pu_log_level level)
{
    static const int prio[] = {LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERR};
    return prio[level <= PU_LOG_ERROR ? level : PU_LOG_ERROR];
}

void pu_log_v(pu_log_level level, const char *component, const char *fmt, va_list ap)
{
    char message[PU_LOG_MESSAGE_MAX];
    char text[PU_LOG_LINE_MAX];
    vsnprintf(message, sizeof message, fmt, ap); /* cut at the cap; render keeps UTF-8 whole */
    int64_t now_ms = pu_time_now_ms();
    pthread_mutex_lock(&lock);
    if (level < settings.level) {
        pthread_mutex_unlock(&lock);
        return;
    }
    if (settings.output == PU_LOG_OUTPUT_SYSLOG) {
        if (settings.format == PU_LOG_FORMAT_JSON) {
            pu_log_render(text, PU_LOG_FORMAT_JSON, ident, now_ms, level, component, message);
            syslog(syslog_priority(level), "%s", text);
        } else {
            line l = {text, 0, PU_LOG_LINE_MAX - 1};
            put_text(&l, component, COMPONENT_MAX, false);
            put_str(&l, ": ");
            put_text(&l, message, PU_LOG_MESSAGE_MAX - 1, false);
            syslog(syslog_priority(level), "%s", text);
        }
    } else {
        size_t n = pu_log_render(text, settings.format, ident, now_ms, level, component, message);
        text[n] = '\n'; /* the NUL's place: render leaves room for it */
        fwrite(text, 1, n + 1, stderr);
        fflush(stderr);
    }
    pthread_mutex_unlock(&lock);
}

void pu_log(pu_log_level level, const char *component, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pu_log_v(level, component, fmt, ap);
    va_end(ap);
}
