/* Device public keys, protection status and the unprotect handshake (sim_keys.h). */
#include "model/sim_keys.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "model/sim_internal.h"
#include "pu_base64.h"
#include "pu_str.h"
#include "pu_time.h"

#define NONCE_BYTES 32
#define NONCE_TTL_MS (5 * 60 * 1000)
#define SIGNATURE_MAX 1024

typedef struct sim_key_entry {
    char device[SIM_DEVICE_ID_LEN + 1];
    char *pem;
    uint8_t protection;
    char nonce[SIM_NONCE_B64];
    int64_t nonce_expires_ms;
} sim_key_entry;

struct sim_keys {
    sim_key_entry *items;
    uint32_t count, cap;
    EVP_PKEY *server_key; /* made on the first confirm */
};

/* The entry of @p dev, or NULL (created when @p add). */
static sim_key_entry *entry(sim_model *m, uint32_t dev, bool add)
{
    const char *id = m->devices[dev].id;
    struct sim_keys *k = m->keys;
    for (uint32_t i = 0; k && i < k->count; i++)
        if (strcmp(k->items[i].device, id) == 0)
            return &k->items[i];
    if (!add)
        return NULL;
    if (!k) {
        k = m->keys = calloc(1, sizeof(*k));
        if (!k)
            abort();
    }
    sim_model_reserve((void **)&k->items, k->count + 1, &k->cap, sizeof(sim_key_entry));
    sim_key_entry *e = &k->items[k->count++];
    memset(e, 0, sizeof(*e));
    pu_strlcpy(e->device, id, sizeof(e->device));
    return e;
}

static const sim_key_entry *find(const sim_model *m, uint32_t dev)
{
    return entry((sim_model *)m, dev, false);
}

static EVP_PKEY *parse_pem(const char *pem)
{
    BIO *bio = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    return key;
}

sim_result sim_key_set(sim_model *m, uint32_t dev, const char *pem, const char *algorithm,
                       const char **why)
{
    if (!algorithm)
        algorithm = "rsa";
    bool ec = strcmp(algorithm, "ecc") == 0;
    if (!ec && strcmp(algorithm, "rsa") != 0) {
        *why = "algorithm must be rsa or ecc";
        return SIM_INVALID;
    }
    if (!pem || strlen(pem) > SIM_PUBLIC_KEY_MAX) {
        *why = "publicKey must be a PEM public key";
        return SIM_INVALID;
    }
    EVP_PKEY *key = parse_pem(pem);
    int type = key ? EVP_PKEY_base_id(key) : EVP_PKEY_NONE;
    EVP_PKEY_free(key);
    if (!key || (ec ? type != EVP_PKEY_EC : type != EVP_PKEY_RSA)) {
        *why =
            key ? "publicKey does not match the algorithm" : "publicKey must be a PEM public key";
        return SIM_INVALID;
    }
    sim_key_entry *e = entry(m, dev, true);
    free(e->pem);
    e->pem = pu_xstrdup(pem);
    e->nonce[0] = '\0'; /* a handshake in progress was for the old key */
    return SIM_OK;
}

const char *sim_key_get(const sim_model *m, uint32_t dev)
{
    const sim_key_entry *e = find(m, dev);
    return e ? e->pem : NULL;
}

static const char *const NAMES[] = {"disabled", "active", "service_mode"};

const char *sim_protection_name(sim_protection p)
{
    return NAMES[p];
}

int sim_protection_parse(const char *name)
{
    for (int i = 0; name && i < 3; i++)
        if (strcmp(name, NAMES[i]) == 0)
            return i;
    return -1;
}

sim_protection sim_protection_of(const sim_model *m, uint32_t dev)
{
    const sim_key_entry *e = find(m, dev);
    return e ? (sim_protection)e->protection : SIM_PROTECTION_DISABLED;
}

void sim_protection_set(sim_model *m, uint32_t dev, sim_protection p)
{
    sim_key_entry *e = entry(m, dev, true);
    if (e->protection == p)
        return;
    e->protection = (uint8_t)p;
    e->nonce[0] = '\0';
    sim_model_device_changed(m, dev, 0);
}

sim_result sim_unprotect_prepare(sim_model *m, uint32_t dev, char nonce[SIM_NONCE_B64],
                                 const char **why)
{
    sim_key_entry *e = entry(m, dev, false);
    if (!e || e->protection == SIM_PROTECTION_DISABLED) {
        *why = "Device Protection is not active on this device";
        return SIM_INVALID;
    }
    if (!e->pem) {
        *why = "Device public key was not found";
        return SIM_NOT_FOUND;
    }
    unsigned char raw[NONCE_BYTES];
    if (RAND_bytes(raw, sizeof(raw)) != 1)
        abort();
    EVP_EncodeBlock((unsigned char *)e->nonce, raw, sizeof(raw));
    e->nonce_expires_ms = pu_time_now_ms() + NONCE_TTL_MS;
    memcpy(nonce, e->nonce, SIM_NONCE_B64);
    return SIM_OK;
}

/* base64 -> bytes; the length, or 0 when malformed, empty or longer than @p cap. */
static size_t decode(const char *b64, unsigned char *out, size_t cap)
{
    size_t n = 0;
    return b64 && pu_base64_decode(b64, (char *)out, cap, &n) ? n : 0;
}

static char *encode(const unsigned char *in, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (!out)
        abort();
    EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    return out;
}

/* SHA-256 of the key's DER SubjectPublicKeyInfo. */
static bool fingerprint(EVP_PKEY *key, unsigned char out[32])
{
    unsigned char *der = NULL;
    int len = i2d_PUBKEY(key, &der);
    unsigned int md_len = 0;
    bool ok = len > 0 && EVP_Digest(der, (size_t)len, out, &md_len, EVP_sha256(), NULL) == 1;
    OPENSSL_free(der);
    return ok && md_len == 32;
}

static bool verify(EVP_PKEY *key, const unsigned char *msg, size_t msg_len,
                   const unsigned char *sig, size_t sig_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
              EVP_DigestVerify(ctx, sig, sig_len, msg, msg_len) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

static EVP_PKEY *server_key(sim_model *m)
{
    if (!m->keys->server_key && !(m->keys->server_key = EVP_EC_gen("P-256")))
        abort();
    return m->keys->server_key;
}

static char *sign(EVP_PKEY *key, const unsigned char *msg, size_t msg_len)
{
    unsigned char sig[SIGNATURE_MAX];
    size_t sig_len = sizeof(sig);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
        EVP_DigestSign(ctx, sig, &sig_len, msg, msg_len) != 1)
        abort();
    EVP_MD_CTX_free(ctx);
    return encode(sig, sig_len);
}

sim_result sim_unprotect_confirm(sim_model *m, uint32_t dev, const char *server_nonce,
                                 const char *device_nonce, const char *signature, const char *fp,
                                 char **server_signature, char **server_fingerprint,
                                 const char **why)
{
    sim_key_entry *e = entry(m, dev, false);
    unsigned char msg[2 * SIGNATURE_MAX], sig[SIGNATURE_MAX], want_fp[32], got_fp[64];
    size_t sn = 0, dn = 0, sig_len, fp_len;
    *why = "Invalid server_nonce: start with action=prepare";
    if (!e || !e->nonce[0] || !server_nonce || strcmp(e->nonce, server_nonce) != 0 ||
        e->nonce_expires_ms <= pu_time_now_ms())
        return SIM_INVALID;
    *why = "device_nonce, device_signature and device_public_key_fingerprint must be base64";
    sn = decode(server_nonce, msg, SIGNATURE_MAX);
    dn = decode(device_nonce, msg + sn, SIGNATURE_MAX);
    sig_len = decode(signature, sig, sizeof(sig));
    fp_len = decode(fp, got_fp, sizeof(got_fp));
    if (!sn || !dn || !sig_len || !fp_len)
        return SIM_INVALID;
    EVP_PKEY *key = parse_pem(e->pem);
    bool fp_ok =
        key && fingerprint(key, want_fp) && fp_len == 32 && memcmp(want_fp, got_fp, 32) == 0;
    bool sig_ok = fp_ok && verify(key, msg, sn + dn, sig, sig_len);
    EVP_PKEY_free(key);
    if (!fp_ok) {
        *why = "Device public key was not found";
        return SIM_INVALID;
    }
    if (!sig_ok) {
        *why = "Invalid device signature";
        return SIM_INVALID;
    }
    /* The answer signs device_nonce || server_nonce: the device checks it the other way. */
    unsigned char reply[2 * SIGNATURE_MAX];
    memcpy(reply, msg + sn, dn);
    memcpy(reply + dn, msg, sn);
    EVP_PKEY *own = server_key(m);
    unsigned char own_fp[32];
    if (!fingerprint(own, own_fp))
        abort();
    *server_signature = sign(own, reply, sn + dn);
    *server_fingerprint = encode(own_fp, sizeof(own_fp));
    e->nonce[0] = '\0';
    e->protection = SIM_PROTECTION_SERVICE_MODE;
    sim_model_device_changed(m, dev, 0);
    return SIM_OK;
}

void sim_keys_free(sim_model *m)
{
    struct sim_keys *k = m->keys;
    if (!k)
        return;
    for (uint32_t i = 0; i < k->count; i++)
        free(k->items[i].pem);
    free(k->items);
    EVP_PKEY_free(k->server_key);
    free(k);
    m->keys = NULL;
}
