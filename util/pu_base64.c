/* Base64 decoding: four 6-bit symbols make three bytes. */
#include "pu_base64.h"

#include <string.h>

static int symbol_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool pu_base64_decode(const char *in, char *out, size_t out_size, size_t *out_len)
{
    size_t len = strlen(in);
    while (len > 0 && in[len - 1] == '=')
        len--;
    size_t pad = strlen(in) - len;
    /* Padding is optional, but when present it completes the last 4-symbol group. */
    if (len % 4 == 1 || pad > 2 || (pad > 0 && (len + pad) % 4 != 0))
        return false;
    size_t n = 0;
    unsigned int acc = 0, bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = symbol_value(in[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (unsigned int)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (n + 1 >= out_size)
                return false;
            out[n++] = (char)((acc >> bits) & 0xff);
        }
    }
    if (out_size == 0)
        return false;
    out[n] = '\0';
    if (out_len)
        *out_len = n;
    return true;
}
