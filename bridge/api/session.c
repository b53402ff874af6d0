/* The dashboard's in-memory session table (session.h). */
#include "api/session.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "pu_str.h"
#include "pu_time.h"

typedef struct slot {
    bool used;
    bridge_session session;
    int64_t last_use_mono_ms; /* monotonic: a clock step does not expire or revive it */
} slot;

struct bridge_sessions {
    pthread_mutex_t lock;
    int64_t idle_ms;
    size_t max;
    slot *slots;
};

bridge_sessions *bridge_sessions_new(int64_t idle_ms, size_t max)
{
    bridge_sessions *s = calloc(1, sizeof *s);
    if (s != NULL) {
        s->max = max != 0 ? max : BRIDGE_SESSIONS_MAX;
        s->slots = calloc(s->max, sizeof *s->slots);
    }
    if (s == NULL || s->slots == NULL) {
        fprintf(stderr, "particle-bridge: out of memory for the session table\n");
        abort();
    }
    s->idle_ms = idle_ms;
    pthread_mutex_init(&s->lock, NULL);
    return s;
}

void bridge_sessions_free(bridge_sessions *s)
{
    if (s == NULL) {
        return;
    }
    pu_secure_zero(s->slots, s->max * sizeof *s->slots);
    free(s->slots);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

int64_t bridge_sessions_idle_ms(const bridge_sessions *s)
{
    return s->idle_ms;
}

/* @p hex gets 64 hex digits of fresh random bytes. */
static int random_token(char hex[BRIDGE_SESSION_TOKEN_HEX + 1])
{
    unsigned char bytes[BRIDGE_SESSION_TOKEN_HEX / 2];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        got += (size_t)n;
    }
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof bytes; i++) {
        hex[2 * i] = digits[bytes[i] >> 4];
        hex[2 * i + 1] = digits[bytes[i] & 15];
    }
    hex[BRIDGE_SESSION_TOKEN_HEX] = '\0';
    pu_secure_zero(bytes, sizeof bytes);
    return 0;
}

static bool expired(const bridge_sessions *s, const slot *sl, int64_t now_mono)
{
    return now_mono - sl->last_use_mono_ms >= s->idle_ms;
}

/* Restarts @p sl's idle time and copies its session out. */
static void touch(const bridge_sessions *s, slot *sl, bridge_session *out)
{
    sl->last_use_mono_ms = pu_time_mono_ms();
    sl->session.expires_at_ms = pu_time_now_ms() + s->idle_ms;
    if (out != NULL) {
        *out = sl->session;
    }
}

int bridge_sessions_open(bridge_sessions *s, bool read_only, bridge_session *out)
{
    bridge_session fresh = {.read_only = read_only};
    if (random_token(fresh.id) != 0 || random_token(fresh.csrf) != 0) {
        return -1;
    }
    int64_t now = pu_time_mono_ms();
    pthread_mutex_lock(&s->lock);
    /* a free or expired slot, else the one idle the longest */
    slot *pick = NULL;
    for (size_t i = 0; i < s->max; i++) {
        slot *sl = &s->slots[i];
        if (!sl->used || expired(s, sl, now)) {
            pick = sl;
            break;
        }
        if (pick == NULL || sl->last_use_mono_ms < pick->last_use_mono_ms) {
            pick = sl;
        }
    }
    pick->used = true;
    pick->session = fresh;
    touch(s, pick, out);
    pthread_mutex_unlock(&s->lock);
    pu_secure_zero(&fresh, sizeof fresh);
    return 0;
}

/* The used slot named @p id, NULL when none. Every used slot is compared, in constant time,
 * so the answer's timing says nothing about how near a guess came. Call locked. */
static slot *find(bridge_sessions *s, const char *id)
{
    slot *found = NULL;
    if (strlen(id) != BRIDGE_SESSION_TOKEN_HEX) {
        return NULL;
    }
    for (size_t i = 0; i < s->max; i++) {
        slot *sl = &s->slots[i];
        if (sl->used && bridge_secret_equal(id, sl->session.id)) {
            found = sl;
        }
    }
    return found;
}

bool bridge_sessions_use(bridge_sessions *s, const char *id, bridge_session *out)
{
    pthread_mutex_lock(&s->lock);
    slot *sl = find(s, id);
    if (sl != NULL && expired(s, sl, pu_time_mono_ms())) {
        pu_secure_zero(sl, sizeof *sl);
        sl = NULL;
    }
    if (sl != NULL) {
        touch(s, sl, out);
    }
    pthread_mutex_unlock(&s->lock);
    return sl != NULL;
}

bool bridge_sessions_close(bridge_sessions *s, const char *id)
{
    pthread_mutex_lock(&s->lock);
    slot *sl = find(s, id);
    if (sl != NULL) {
        pu_secure_zero(sl, sizeof *sl);
    }
    pthread_mutex_unlock(&s->lock);
    return sl != NULL;
}

size_t bridge_sessions_count(bridge_sessions *s)
{
    size_t n = 0;
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->max; i++) {
        n += s->slots[i].used;
    }
    pthread_mutex_unlock(&s->lock);
    return n;
}

bool bridge_session_cookie(const char *cookie_header, char out[BRIDGE_SESSION_TOKEN_HEX + 1])
{
    static const char name[] = BRIDGE_SESSION_COOKIE "=";
    const char *p = cookie_header;
    while (p != NULL && *p != '\0') {
        p += strspn(p, " \t;");
        size_t len = strcspn(p, ";");
        if (strncmp(p, name, sizeof name - 1) == 0) {
            const char *value = p + sizeof name - 1;
            size_t n = len - (sizeof name - 1);
            while (n > 0 && (value[n - 1] == ' ' || value[n - 1] == '\t')) {
                n--;
            }
            if (n == BRIDGE_SESSION_TOKEN_HEX && strspn(value, "0123456789abcdef") >= n) {
                memcpy(out, value, n);
                out[n] = '\0';
                return true;
            }
        }
        p += len;
    }
    return false;
}

bool bridge_secret_equal(const char *given, const char *secret)
{
    size_t a = strlen(given), b = strlen(secret);
    unsigned char diff = (unsigned char)(a != b);
    for (size_t i = 0; i < b; i++) {
        diff |= (unsigned char)(given[i < a ? i : 0] ^ secret[i]);
    }
    return diff == 0 && a == b;
}
