/* RFC 6238 TOTP and RFC 4648 base32 (sim_totp.h). */
#include "model/sim_totp.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "pu_str.h"

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

uint32_t sim_hotp(const uint8_t *key, size_t key_len, uint64_t counter)
{
    uint8_t msg[8], mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)(counter & 0xff);
        counter >>= 8;
    }
    if (!HMAC(EVP_sha1(), key, (int)key_len, msg, sizeof(msg), mac, &mac_len) || mac_len < 20)
        abort(); /* SHA-1 is always there; failing means libcrypto is broken */
    /* dynamic truncation (RFC 4226 §5.3) */
    unsigned off = mac[mac_len - 1] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
    return bin % 1000000u;
}

void sim_base32_encode(const uint8_t *in, size_t n, char *out)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = B32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = B32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

long sim_base32_decode(const char *in, uint8_t *out, size_t cap)
{
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '=')
            continue;
        char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
        const char *at = strchr(B32, c);
        if (!at || !c)
            return -1;
        acc = (acc << 5) | (uint32_t)(at - B32);
        bits += 5;
        if (bits >= 8) {
            if (o == cap)
                return -1;
            out[o++] = (uint8_t)(acc >> (bits - 8));
            bits -= 8;
        }
    }
    return (long)o;
}

void sim_totp_new_secret(char out[SIM_TOTP_SECRET_LEN + 1])
{
    uint8_t key[SIM_TOTP_KEY_BYTES];
    if (RAND_bytes(key, sizeof(key)) != 1)
        abort();
    sim_base32_encode(key, sizeof(key), out);
    pu_secure_zero(key, sizeof(key));
}

static long decode_secret(const char *secret, uint8_t key[64])
{
    long n = secret ? sim_base32_decode(secret, key, 64) : -1;
    return n > 0 ? n : -1;
}

int sim_totp_code(const char *secret, int64_t now_s, char out[SIM_TOTP_DIGITS + 1])
{
    uint8_t key[64];
    long n = decode_secret(secret, key);
    if (n < 0)
        return -1;
    uint32_t v = sim_hotp(key, (size_t)n, (uint64_t)(now_s / SIM_TOTP_STEP_S));
    pu_secure_zero(key, sizeof(key));
    for (int i = SIM_TOTP_DIGITS - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[SIM_TOTP_DIGITS] = '\0';
    return 0;
}

int64_t sim_totp_check(const char *secret, const char *otp, int64_t now_s, int64_t used_step)
{
    if (!otp || strlen(otp) != SIM_TOTP_DIGITS || strspn(otp, "0123456789") != SIM_TOTP_DIGITS)
        return -1;
    uint8_t key[64];
    long n = decode_secret(secret, key);
    if (n < 0)
        return -1;
    uint32_t want = (uint32_t)strtoul(otp, NULL, 10);
    int64_t step = now_s / SIM_TOTP_STEP_S, found = -1;
    for (int64_t s = step - 1; s <= step + 1 && found < 0; s++)
        if (s > used_step && s >= 0 && sim_hotp(key, (size_t)n, (uint64_t)s) == want)
            found = s;
    pu_secure_zero(key, sizeof(key));
    return found;
}
