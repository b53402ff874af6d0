/*
 * cli_errors: exit statuses and the one-line error report of particlectl.
 *
 * Exit statuses: 0 success, 1 API error (any HTTP error answer, a device that is offline or
 * timed out, a malformed answer, a local file problem), 2 usage, 3 network failure or
 * timeout, 4 authentication (bad or expired token, wrong password, MFA needed).
 *
 * Errors go to stderr as one line:
 *     particlectl: <message> (HTTP <status>, <api error>)
 * The parenthesis is left out when no HTTP answer came back, and the API error is left out
 * when it is empty or the same as the message.
 *
 * The cloud's own texts that make no sense to a particlectl user are said in the tool's
 * words, here and nowhere else (cli_report_about): an unknown device ("I didn't recognize
 * that device name or ID, try opening https://api.particle.io/...access_token=undefined")
 * becomes "device D not found, or it is not yours", a 404 on a variable or function names
 * it, and a "Timed out." from a variable read or function call says the device is offline.
 *
 * With --json or --ndjson (cli_errors_set_json) every error is instead one JSON object on
 * stderr, so a script keeps the HTTP status:
 *     {"error":"device_not_found","status":403,"message":"device x not found, or ..."}
 * `error` is a stable keyword (device_not_found, variable_not_found, function_not_found,
 * device_offline, or the API's own `error` code, else api_error, usage, network or auth
 * from the exit status); `status` is the HTTP status or null when no answer came back.
 */
#ifndef CLI_ERRORS_H
#define CLI_ERRORS_H

#include <stddef.h>

#include "particle/error.h"

enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_API = 1,
    CLI_EXIT_USAGE = 2,
    CLI_EXIT_NETWORK = 3,
    CLI_EXIT_AUTH = 4
};

/* The program name in every message. */
#define CLI_PROG "particlectl"

/* Maps a libparticle code (0 or a negative PARTICLE_E*) to an exit status. */
int cli_exit_status(int code);

/* Formats the error line of @p err (without "particlectl: " and newline) into @p buf. */
void cli_error_format(const particle_error *err, char *buf, size_t size);

/*
 * Prints the error line for the calling thread's last libparticle error, prefixed by
 * @p context ("get temp: ...") when not NULL, and returns the exit status for @p code.
 */
int cli_report(int code, const char *context);

/* What a failed call was about, for an error in the tool's words; any member may be NULL. */
typedef struct cli_subject {
    const char *device;
    const char *variable;
    const char *function;
} cli_subject;

/* Like cli_report(), saying which device, variable or function @p about names. */
int cli_report_about(int code, const cli_subject *about);

/* Silences every later error (the hidden __complete command). */
void cli_errors_set_quiet(int on);

/* Makes every later error a JSON object on stderr (--json, --ndjson) or a line again. */
void cli_errors_set_json(int on);

/* Prints "particlectl: <printf message>" and returns @p status. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the usage error and a pointer to the command's help; returns CLI_EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
