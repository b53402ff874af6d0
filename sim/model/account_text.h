/* Checks of the text the account changes accept (model/ only). */
#ifndef SIM_ACCOUNT_TEXT_H
#define SIM_ACCOUNT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* 1 to @p max bytes, no control characters (and, with @p no_space, no spaces). */
static inline bool sim_plain_text(const char *s, size_t max, bool no_space)
{
    if (!s || !*s)
        return false;
    size_t n = 0;
    for (; s[n]; n++) {
        unsigned char ch = (unsigned char)s[n];
        if (ch < 0x20 || ch == 0x7f || (no_space && ch == ' ') || n >= max)
            return false;
    }
    return true;
}

#endif
