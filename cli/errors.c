#include "errors.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

/* --json/--ndjson: errors as JSON objects on stderr (cli_errors_set_json) */
static bool json_errors;

void cli_errors_set_json(int on)
{
    json_errors = on != 0;
}

/* __complete: a completion offers nothing rather than print an error into the prompt */
static bool quiet_errors;

void cli_errors_set_quiet(int on)
{
    quiet_errors = on != 0;
}

int cli_exit_status(int code)
{
    switch (code) {
    case PARTICLE_OK:
        return CLI_EXIT_OK;
    case PARTICLE_EINVAL:
        return CLI_EXIT_USAGE;
    case PARTICLE_ENET:
    case PARTICLE_ETIMEDOUT:
        return CLI_EXIT_NETWORK;
    case PARTICLE_EAUTH:
    case PARTICLE_EMFA:
        return CLI_EXIT_AUTH;
    default:
        return CLI_EXIT_API;
    }
}

void cli_error_format(const particle_error *err, char *buf, size_t size)
{
    const char *message = err->message[0] ? err->message : particle_strerror(err->code);
    const char *api = err->api_code;
    /* {"error":"Permission Denied","info":"I didn't recognize that device..."}: the info
     * says more than the error, which then goes in the parenthesis */
    if (err->info[0] != '\0' && strcmp(err->info, message) != 0) {
        if (api[0] == '\0') {
            api = message;
        }
        message = err->info;
    }
    /* An `error` longer than api_code holds arrives cut short; when the message is that
     * same text in full, the cut copy adds nothing. */
    size_t api_len = strlen(api);
    bool api_cut = api_len == sizeof(err->api_code) - 1 && strncmp(api, message, api_len) == 0;
    if (err->http_status == 0) {
        snprintf(buf, size, "%s", message);
    } else if (api[0] == '\0' || api_cut || strcmp(api, message) == 0) {
        snprintf(buf, size, "%s (HTTP %d)", message, err->http_status);
    } else {
        snprintf(buf, size, "%s (HTTP %d, %s)", message, err->http_status, api);
    }
    /* The text comes from the server: keep its control characters (escape sequences, line
     * breaks) off the user's terminal, so an error stays one harmless line. */
    for (char *p = buf; *p != '\0'; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            *p = '?';
        }
    }
}

/* The keyword of an error that has no better one: the kind of its exit status. */
static const char *status_keyword(int status)
{
    switch (status) {
    case CLI_EXIT_USAGE:
        return "usage";
    case CLI_EXIT_NETWORK:
        return "network";
    case CLI_EXIT_AUTH:
        return "auth";
    default:
        return "api_error";
    }
}

/* The API's `error` when it is a code ("invalid_token"), not a sentence ("Timed out."). */
static bool is_code_word(const char *s)
{
    if (s[0] == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')) {
            return false;
        }
    }
    return true;
}

/* The keyword of an HTTP error whose API error is no code word. */
static const char *http_keyword(int http_status, int exit_status)
{
    switch (http_status) {
    case 400:
        return "bad_request";
    case 401:
        return "unauthorized";
    case 403:
        return "forbidden";
    case 404:
        return "not_found";
    case 409:
        return "conflict";
    case 429:
        return "rate_limited";
    default:
        return http_status >= 500 ? "server_error" : status_keyword(exit_status);
    }
}

/* Prints one error: "particlectl: [context: ]message" or, under --json, the JSON object. */
static void emit_error(const char *keyword, int http_status, const char *context,
                       const char *message)
{
    if (quiet_errors) {
        return;
    }
    if (json_errors) {
        char text[1200];
        snprintf(text, sizeof(text), "%s%s%s", context ? context : "", context ? ": " : "",
                 message);
        json_t *obj =
            json_pack("{s:s, s:o, s:s}", "error", keyword, "status",
                      http_status > 0 ? json_integer(http_status) : json_null(), "message", text);
        if (obj != NULL && json_dumpf(obj, stderr, JSON_COMPACT | JSON_PRESERVE_ORDER) == 0) {
            fputc('\n', stderr);
            json_decref(obj);
            return;
        }
        json_decref(obj); /* text that is not UTF-8: say it as a line after all */
    }
    if (context != NULL) {
        fprintf(stderr, "%s: %s: %s\n", CLI_PROG, context, message);
    } else {
        fprintf(stderr, "%s: %s\n", CLI_PROG, message);
    }
}

/* The cloud's answer for a device it does not know or that belongs to someone else. */
static bool is_unknown_device(const particle_error *err)
{
    static const char cloud_text[] = "didn't recognize that device";
    return strstr(err->info, cloud_text) != NULL || strstr(err->message, cloud_text) != NULL;
}

static bool is_timeout_answer(const particle_error *err)
{
    return err->http_status == 400 &&
           (strcmp(err->message, "Timed out.") == 0 || strcmp(err->api_code, "Timed out.") == 0);
}

/*
 * Says @p err in the tool's words when it is one of the answers the cloud words for its
 * own web site. Fills @p buf and returns the keyword, or returns NULL for any other error.
 */
static const char *own_words(const particle_error *err, const cli_subject *about, char *buf,
                             size_t size)
{
    const char *device = about != NULL ? about->device : NULL;
    const char *variable = about != NULL ? about->variable : NULL;
    const char *function = about != NULL ? about->function : NULL;
    if (is_unknown_device(err)) {
        if (device != NULL) {
            snprintf(buf, size, "device %s not found, or it is not yours (HTTP %d)", device,
                     err->http_status);
        } else {
            snprintf(buf, size, "device not found, or it is not yours (HTTP %d)", err->http_status);
        }
        return "device_not_found";
    }
    if (device == NULL || (variable == NULL && function == NULL)) {
        return NULL;
    }
    if (err->http_status == 404) {
        if (variable != NULL) {
            snprintf(buf, size, "device %s has no variable %s (HTTP 404)", device, variable);
            return "variable_not_found";
        }
        snprintf(buf, size, "device %s has no function %s (HTTP 404)", device, function);
        return "function_not_found";
    }
    if (is_timeout_answer(err)) {
        snprintf(buf, size, "device %s is offline: it did not answer the %s %s in time (HTTP 400)",
                 device, variable != NULL ? "read of variable" : "call of function",
                 variable != NULL ? variable : function);
        return "device_offline";
    }
    return NULL;
}

static int report(int code, const char *context, const cli_subject *about)
{
    char line[900];
    const particle_error *err = particle_error_last();
    particle_error fallback;
    if (err->code != code) {
        /* the record belongs to another call: report the code alone */
        memset(&fallback, 0, sizeof(fallback));
        fallback.code = code;
        err = &fallback;
    }
    int status = cli_exit_status(code);
    const char *keyword = own_words(err, about, line, sizeof(line));
    if (keyword == NULL) {
        cli_error_format(err, line, sizeof(line));
        keyword =
            is_code_word(err->api_code) ? err->api_code : http_keyword(err->http_status, status);
    }
    emit_error(keyword, err->http_status, context, line);
    return status;
}

int cli_report(int code, const char *context)
{
    return report(code, context, NULL);
}

int cli_report_about(int code, const cli_subject *about)
{
    return report(code, NULL, about);
}

/* "particlectl: <message>\n" (or its JSON object) on stderr. */
__attribute__((format(printf, 2, 0))) static void print_line(int status, const char *fmt,
                                                             va_list ap)
{
    char message[900];
    vsnprintf(message, sizeof(message), fmt, ap);
    emit_error(status_keyword(status), 0, NULL, message);
}

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line(status, fmt, ap);
    va_end(ap);
    return status;
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line(CLI_EXIT_USAGE, fmt, ap);
    va_end(ap);
    if (json_errors || quiet_errors) {
        return CLI_EXIT_USAGE;
    }
    if (command != NULL) {
        fprintf(stderr, "Try '%s %s --help'.\n", CLI_PROG, command);
    } else {
        fprintf(stderr, "Try '%s --help'.\n", CLI_PROG);
    }
    return CLI_EXIT_USAGE;
}
