/*
 * The dashboard's sessions (docs/BRIDGE.md, "Dashboard"): a browser trades the API key (or
 * the read-only key) for a session once, then sends the pb_session cookie; changes also carry
 * the session's CSRF token in X-CSRF-Token. Sessions live in memory only (a restart asks for
 * the key again), expire after an idle time, and are at most BRIDGE_SESSIONS_MAX: a new one
 * past that evicts the one idle the longest. Ids and CSRF tokens are 32 random bytes from
 * getrandom(2), as 64 hex digits, and are compared in constant time.
 *
 * Threads: every function may be called from any thread (one lock per table).
 */
#ifndef BRIDGE_API_SESSION_H
#define BRIDGE_API_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_SESSION_TOKEN_HEX 64 /* an id or CSRF token: 32 random bytes in hex */
#define BRIDGE_SESSIONS_MAX 1024
#define BRIDGE_SESSION_COOKIE "pb_session"

typedef struct bridge_sessions bridge_sessions;

typedef struct bridge_session {
    char id[BRIDGE_SESSION_TOKEN_HEX + 1];
    char csrf[BRIDGE_SESSION_TOKEN_HEX + 1];
    bool read_only;        /* opened with the read-only key */
    int64_t expires_at_ms; /* wall clock: when it expires unless used again */
} bridge_session;

/* A table whose sessions expire after @p idle_ms without use; at most @p max of them (0 =
 * BRIDGE_SESSIONS_MAX). Aborts on out of memory, as the server layer does. */
bridge_sessions *bridge_sessions_new(int64_t idle_ms, size_t max);

/* Wipes and frees. NULL-safe. */
void bridge_sessions_free(bridge_sessions *s);

/* The idle expiry the table was made with. */
int64_t bridge_sessions_idle_ms(const bridge_sessions *s);

/* Opens a session (evicting the one idle the longest when the table is full) into @p out.
 * 0, or -1 when the system gave no random bytes. */
int bridge_sessions_open(bridge_sessions *s, bool read_only, bridge_session *out);

/* The live session named @p id into @p out, its idle time restarted; false when there is
 * none (unknown or expired: an expired one is forgotten). */
bool bridge_sessions_use(bridge_sessions *s, const char *id, bridge_session *out);

/* Forgets the session named @p id; false when there was none. */
bool bridge_sessions_close(bridge_sessions *s, const char *id);

/* Live and expired-but-not-yet-forgotten sessions (for tests). */
size_t bridge_sessions_count(bridge_sessions *s);

/* The pb_session cookie's value from a Cookie header into @p out: true when the header has
 * one of 64 hex digits. */
bool bridge_session_cookie(const char *cookie_header, char out[BRIDGE_SESSION_TOKEN_HEX + 1]);

/* Whether @p given equals @p secret, in a time that depends only on @p secret's length (not
 * on where they differ). */
bool bridge_secret_equal(const char *given, const char *secret);

#endif
