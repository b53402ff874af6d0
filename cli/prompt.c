#include "prompt.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pu_str.h"

#define LINE_MAX_BYTES 1024

static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

/* Ctrl-C while echo is off: put the terminal back, then die of the signal as usual. */
static void restore_and_reraise(int sig)
{
    if (echo_off) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

bool cli_prompt_interactive(void)
{
    return isatty(STDIN_FILENO) != 0;
}

char *cli_prompt_line(const char *prompt, bool secret)
{
    char buf[LINE_MAX_BYTES];
    bool tty = cli_prompt_interactive();
    struct sigaction sa, old_int, old_term;
    bool hushed = false;
    bool handlers_set = false; /* old_int/old_term hold what to restore */

    if (prompt != NULL && tty) {
        fputs(prompt, stderr);
        fflush(stderr);
    }
    if (secret && tty && tcgetattr(STDIN_FILENO, &saved_termios) == 0) {
        struct termios quiet = saved_termios;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = restore_and_reraise;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        handlers_set = true;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        echo_off = 1;
        hushed = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    char *line = fgets(buf, sizeof(buf), stdin);
    if (hushed) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    }
    if (handlers_set) {
        echo_off = 0;
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    if (line == NULL) {
        return NULL;
    }
    size_t len = strlen(buf);
    if (len == sizeof(buf) - 1 && buf[len - 1] != '\n') {
        pu_secure_zero(buf, sizeof(buf));
        return NULL;
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
        buf[--len] = '\0';
    }
    char *copy = strdup(buf);
    pu_secure_zero(buf, sizeof(buf));
    return copy;
}

bool cli_prompt_yes(const char *question)
{
    char prompt[320];
    snprintf(prompt, sizeof(prompt), "%s [y/N] ", question);
    char *answer = cli_prompt_line(prompt, false);
    bool yes = answer != NULL && (strcmp(answer, "y") == 0 || strcmp(answer, "yes") == 0);
    free(answer);
    return yes;
}
