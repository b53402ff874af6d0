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

/* Prints "particlectl: <printf message>" and returns @p status. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints the usage error and a pointer to the command's help; returns CLI_EXIT_USAGE. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
