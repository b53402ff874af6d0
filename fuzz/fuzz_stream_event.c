/*
 * fuzz_stream_event: libFuzzer target comparing libparticle's two stream event decoders.
 *
 * The input is an event's `data:` text. The fast decoder (src/stream_event_flat.c, yajl's
 * event parser) either declines it or decodes it; where it decodes, the general decoder
 * (src/stream_event.c, jansson) must accept the text too and give the same event: data
 * (bytes and length, or NULL), ttl, published_at, its time in ms, and coreid. The fast
 * decoder's whole promise is that it never answers differently from jansson, so every
 * laxity of yajl it fails to decline shows up here (a cut string after the object did).
 * The decoded strings must be NUL-terminated where the header says so.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static void check_same(const particle_event *fast, const particle_event *general)
{
    CHECK(fast->ttl == general->ttl);
    CHECK(fast->published_at_ms == general->published_at_ms);
    CHECK(strcmp(fast->published_at, general->published_at) == 0);
    CHECK(strcmp(fast->coreid, general->coreid) == 0);
    CHECK((fast->data == NULL) == (general->data == NULL));
    CHECK(fast->data_len == general->data_len);
    if (fast->data != NULL) {
        CHECK(memcmp(fast->data, general->data, fast->data_len) == 0);
        CHECK(fast->data[fast->data_len] == '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly the input's size, so ASan sees any read past the text */
    char *json = malloc(size > 0 ? size : 1);
    if (json == NULL)
        return 0;
    memcpy(json, data, size);
    particle__decoded_event fast;
    int rc = particle__event_decode_flat(&fast, "fuzz", json, size, "1");
    CHECK(rc == 0 || rc == PARTICLE__EVENT_NOT_FLAT);
    if (rc == 0) {
        particle__decoded_event general;
        CHECK(particle__event_decode_tree(&general, "fuzz", json, size, "1") == 0);
        check_same(&fast.ev, &general.ev);
        particle__event_dispose(&general);
        particle__event_dispose(&fast);
    }
    free(json);
    return 0;
}
