/*
 * The list routes' paging cursor: the sort key of the last row a page returned, so the next
 * page starts right after it (keyset paging: WHERE key > cursor ORDER BY key LIMIT n, no
 * OFFSET scan, and rows written meanwhile neither shift nor repeat the walk).
 *
 * On the wire it is opaque: base64url (RFC 4648 §5, no padding) of
 *   version (1 byte, 1) | list (length byte + text, e.g. "measurements:time")
 *   | n1, n2 (8 bytes each, big-endian) | s1, s2 (length byte + text each)
 *   | check (4 bytes: FNV-1a 64 of everything before, low half).
 * A cursor that does not decode, has another version, fails its check or belongs to another
 * list or sort order is refused (the route answers 400), so garbage never reaches SQL.
 * The check guards against typing mistakes and truncation, not against forgery: a cursor
 * only ever selects rows the caller may list anyway.
 *
 * Pure functions, thread-safe.
 */
#ifndef BRIDGE_API_CURSOR_H
#define BRIDGE_API_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRIDGE_CURSOR_TEXT 256 /* the longest text key part */
#define BRIDGE_CURSOR_SIZE 700 /* an encoded cursor and its NUL */

/* A row's sort key: which parts are used depends on the list (the route documents it). */
typedef struct bridge_cursor_key {
    int64_t n1, n2;
    char s1[BRIDGE_CURSOR_TEXT];
    char s2[BRIDGE_CURSOR_TEXT];
} bridge_cursor_key;

/* Encodes @p key for the list (and sort) @p list into @p out. False if it does not fit. */
bool bridge_cursor_encode(const char *list, const bridge_cursor_key *key, char *out, size_t size);

/* Decodes @p text issued for @p list into @p key. False (and a reason in @p why) when it is
 * not one. */
bool bridge_cursor_decode(const char *text, const char *list, bridge_cursor_key *key,
                          const char **why);

#endif
