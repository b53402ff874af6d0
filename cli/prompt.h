/*
 * cli_prompt: asking the user for a username, password or one-time password.
 * Prompts go to stderr so stdout stays clean for data. Secrets are read with echo turned
 * off when standard input is a terminal (the terminal is restored even on Ctrl-C).
 */
#ifndef CLI_PROMPT_H
#define CLI_PROMPT_H

#include <stdbool.h>

/*
 * Reads one line from standard input (without its line end), at most 1023 bytes.
 * With @p prompt non-NULL and stdin a terminal, prints it to stderr first; with @p secret,
 * echo is off while reading. Returns a malloc'd string (caller wipes and frees it), or
 * NULL at end of input, on a too-long line or out of memory.
 */
char *cli_prompt_line(const char *prompt, bool secret);

/* Asks @p question followed by " [y/N] " and reads the answer: true only for "y" or "yes".
 * For confirmations on a terminal (check cli_prompt_interactive() first). */
bool cli_prompt_yes(const char *question);

/* Whether standard input is a terminal (prompts are possible). */
bool cli_prompt_interactive(void);

#endif
