/*
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1, 6 digits, 30 s
 * steps): what authenticator apps compute from the secret that MFA enrolment hands out
 * (GET /v1/user/mfa-enable), so a client of the simulator can compute real codes.
 * Secrets travel in base32 (RFC 4648, upper case, no padding) as in otpauth:// URLs.
 * HMAC-SHA1 is OpenSSL's libcrypto, linked explicitly by sim_core.
 */
#ifndef SIM_TOTP_H
#define SIM_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define SIM_TOTP_KEY_BYTES 20  /* 160 bits, RFC 4226's recommended key length */
#define SIM_TOTP_SECRET_LEN 32 /* base32 of 20 bytes */
#define SIM_TOTP_STEP_S 30
#define SIM_TOTP_DIGITS 6

/* The RFC 4226 HOTP value (6 digits, 0..999999) of @p key for @p counter. */
uint32_t sim_hotp(const uint8_t *key, size_t key_len, uint64_t counter);

/* Base32 of @p n bytes into @p out (room for ceil(n*8/5)+1 characters). */
void sim_base32_encode(const uint8_t *in, size_t n, char *out);
/* Decodes upper- or lower-case base32 (spaces and '=' ignored) into @p out (room @p cap);
 * the byte count, or -1 for a character outside the alphabet or too long an input. */
long sim_base32_decode(const char *in, uint8_t *out, size_t cap);

/* A fresh random secret (base32, SIM_TOTP_SECRET_LEN characters plus NUL). */
void sim_totp_new_secret(char out[SIM_TOTP_SECRET_LEN + 1]);

/* The code for @p secret (base32) at Unix time @p now_s as 6 digits plus NUL; -1 for a
 * secret that does not decode. */
int sim_totp_code(const char *secret, int64_t now_s, char out[SIM_TOTP_DIGITS + 1]);

/* The time step @p otp matches for @p secret at @p now_s, allowing one step of clock drift
 * either way (RFC 6238 §5.2) and refusing steps up to @p used_step (a code is good once);
 * -1 when it matches none. */
int64_t sim_totp_check(const char *secret, const char *otp, int64_t now_s, int64_t used_step);

#endif
