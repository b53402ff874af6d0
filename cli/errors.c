#include "errors.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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

int cli_report(int code, const char *context)
{
    char line[700];
    const particle_error *err = particle_error_last();
    particle_error fallback;
    if (err->code != code) {
        /* the record belongs to another call: report the code alone */
        memset(&fallback, 0, sizeof(fallback));
        fallback.code = code;
        err = &fallback;
    }
    cli_error_format(err, line, sizeof(line));
    if (context != NULL) {
        fprintf(stderr, "%s: %s: %s\n", CLI_PROG, context, line);
    } else {
        fprintf(stderr, "%s: %s\n", CLI_PROG, line);
    }
    return cli_exit_status(code);
}

/* "particlectl: <message>\n" on stderr. */
__attribute__((format(printf, 1, 0))) static void print_line(const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: ", CLI_PROG);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line(fmt, ap);
    va_end(ap);
    return status;
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_line(fmt, ap);
    va_end(ap);
    if (command != NULL) {
        fprintf(stderr, "Try '%s %s --help'.\n", CLI_PROG, command);
    } else {
        fprintf(stderr, "Try '%s --help'.\n", CLI_PROG);
    }
    return CLI_EXIT_USAGE;
}
