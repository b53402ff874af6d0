/*
 * Reading a whole file into memory, with a size cap: the fleet file, a CLI --data or --file
 * argument, a key file. One place for the open / read / cap / error logic.
 */
#ifndef PU_FILE_H
#define PU_FILE_H

#include <stddef.h>
#include <stdio.h>

/* Reads @p path (or standard input when @p path is "-") into a NUL-terminated block of at
 * most @p max_bytes (PU_FILE_NO_LIMIT: any size), put in *out (free() it) with its length in
 * *len_out (may be NULL): 0. On failure *out is NULL, the result says what failed and
 * @p err says it in words, naming the file ("PATH: cannot open: No such file or directory",
 * "PATH: larger than N bytes", "PATH: cannot read: ...", "out of memory"). */
#define PU_FILE_NO_LIMIT ((size_t)-1)
enum { PU_FILE_EOPEN = -1, PU_FILE_EREAD = -2, PU_FILE_ETOOBIG = -3, PU_FILE_ENOMEM = -4 };
int pu_file_read(const char *path, size_t max_bytes, char **out, size_t *len_out, char *err,
                 size_t err_size);

#endif
