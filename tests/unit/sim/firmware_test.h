/* Helpers of the firmware tests: Particle module binaries and multipart bodies. */
#ifndef SIM_FIRMWARE_TEST_H
#define SIM_FIRMWARE_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_buf.h"

/* A @p size-byte application module for @p platform_id with its prefix at @p offset (after
 * a vector table of that size), filled from @p seed; the 32 hash bytes before the suffix
 * size are seed, seed+1, ... (the app hash). */
static inline unsigned char *fw_module(unsigned platform_id, size_t size, size_t offset,
                                       unsigned seed)
{
    unsigned char *b = malloc(size);
    if (!b)
        abort();
    for (size_t i = 0; i < size; i++)
        b[i] = (unsigned char)(i * 7 + seed);
    unsigned char *p = b + offset;
    uint32_t start = 0x000D4000, end = start + (uint32_t)size - 4;
    memset(p, 0, 24);
    for (int i = 0; i < 4; i++) {
        p[i] = (unsigned char)(start >> (8 * i));
        p[4 + i] = (unsigned char)(end >> (8 * i));
    }
    p[10] = 6;                          /* module version */
    p[12] = (unsigned char)platform_id; /* platform id, u16 LE */
    p[13] = (unsigned char)(platform_id >> 8);
    p[14] = 5; /* module function: user part */
    p[15] = 1;
    p[16] = 4; /* depends on system part 1 */
    p[17] = 1;
    for (int i = 0; i < 32; i++)
        b[size - 38 + i] = (unsigned char)(seed + i);
    return b;
}

/* The app hash fw_module(.., seed) carries. */
static inline void fw_module_hash(unsigned seed, char out[65])
{
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02X", (unsigned char)(seed + i));
}

#define FW_BOUNDARY "----fwtestboundary7f3a"
#define FW_MULTIPART "Content-Type: multipart/form-data; boundary=" FW_BOUNDARY

/* Appends a text part. */
static inline void fw_part_text(pu_buf *b, const char *name, const char *value)
{
    pu_buf_append_str(b, "--" FW_BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
    pu_buf_append_str(b, name);
    pu_buf_append_str(b, "\"\r\n\r\n");
    pu_buf_append_str(b, value);
    pu_buf_append_str(b, "\r\n");
}

/* Appends a file part. */
static inline void fw_part_file(pu_buf *b, const char *name, const char *filename, const void *data,
                                size_t len)
{
    pu_buf_append_str(b, "--" FW_BOUNDARY "\r\nContent-Disposition: form-data; name=\"");
    pu_buf_append_str(b, name);
    pu_buf_append_str(b, "\"; filename=\"");
    pu_buf_append_str(b, filename);
    pu_buf_append_str(b, "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    pu_buf_append(b, data, len);
    pu_buf_append_str(b, "\r\n");
}

static inline void fw_part_end(pu_buf *b)
{
    pu_buf_append_str(b, "--" FW_BOUNDARY "--\r\n");
}

#endif
