#include "ingest/sse.h"

#include <particle/client.h>
#include <particle/particle.h>
#include <particle/stream.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/event_check.h"
#include "pu_str.h"
#include "pu_time.h"

struct bridge_sse {
    particle_stream *stream;
    pthread_t thread;
    bridge_writer *writer;
    bridge_metrics *metrics;
    char key[96];
};

/* Queues the event, waiting while the writer's queue is full: the stream is not read
 * meanwhile (backpressure), and its position is stored only with the events before it. */
static int on_event(const particle_event *ev, void *payload)
{
    bridge_sse *s = payload;
    bridge_event_in in = {ev->coreid,       ev->name,
                          ev->data,         ev->published_at_ms > 0 ? ev->published_at_ms : 0,
                          pu_time_now_ms(), "sse"};
    const char *reason = bridge_event_check(&in);
    if (reason != NULL) {
        /* the webhook answers 400 to such an event; a stream can only pass over it */
        fprintf(stderr, "particle-bridge: stream %s: event %s passed over: %s\n", s->key,
                ev->id != NULL ? ev->id : "without id", reason);
        return 0;
    }
    bridge_writer_push_event(s->writer, &in, s->key, ev->id);
    return 0;
}

static void on_reconnect(unsigned int attempt, long delay_ms, void *payload)
{
    (void)attempt;
    (void)delay_ms;
    bridge_sse *s = payload;
    atomic_fetch_add(&s->metrics->stream_reconnects, 1);
}

static void on_error(int code, const particle_error *err, void *payload)
{
    bridge_sse *s = payload;
    fprintf(stderr, "particle-bridge: stream %s: %s (%s)\n", s->key, err->message,
            particle_code_name(code));
}

static void *stream_main(void *arg)
{
    bridge_sse *s = arg;
    atomic_fetch_add(&s->metrics->stream_connected, 1);
    int rc = particle_stream_run(s->stream);
    atomic_fetch_sub(&s->metrics->stream_connected, 1);
    if (rc != 0 && rc != PARTICLE_ECANCELED) {
        fprintf(stderr, "particle-bridge: stream %s stopped: %s\n", s->key,
                particle_error_last()->message);
    }
    return NULL;
}

bridge_sse *bridge_sse_new(const bridge_sse_options *opts, char *err, size_t err_size)
{
    bridge_sse *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    s->writer = opts->writer;
    s->metrics = opts->metrics;
    if (opts->product != NULL) {
        snprintf(s->key, sizeof s->key, "product:%s", opts->product);
    } else {
        pu_strlcpy(s->key, "user", sizeof s->key);
    }
    particle_client_options co;
    particle_client_options_init(&co, PARTICLE_CLIENT_OPTIONS_VERSION);
    co.base_url = opts->cloud_url && opts->cloud_url[0] ? opts->cloud_url : NULL;
    co.access_token = opts->access_token;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    char cursor[BRIDGE_TEXT_SIZE] = "";
    if (opts->cursor_store != NULL &&
        bridge_store_cursor_get(opts->cursor_store, s->key, cursor, sizeof cursor) == 0 &&
        cursor[0] != '\0') {
        fprintf(stderr, "particle-bridge: stream %s resumes after event %s\n", s->key, cursor);
    }
    particle_client *client = NULL;
    particle_stream_options so;
    particle_stream_options_init(&so, PARTICLE_STREAM_OPTIONS_VERSION);
    so.scope = opts->product ? PARTICLE_STREAM_PRODUCT : PARTICLE_STREAM_MINE;
    so.product = opts->product;
    so.on_event = on_event;
    so.on_reconnect = on_reconnect;
    so.on_error = on_error;
    so.payload = s;
    so.last_event_id = cursor; /* "" = none */
    if (particle_client_new(&client, &co) != 0 ||
        particle_stream_open(&s->stream, client, &so) != 0) {
        snprintf(err, err_size, "event stream %s: %s", s->key, particle_error_last()->message);
        particle_client_free(client);
        free(s);
        return NULL;
    }
    particle_client_free(client); /* the stream copied what it needs */
    if (pthread_create(&s->thread, NULL, stream_main, s) != 0) {
        snprintf(err, err_size, "cannot start the stream thread");
        particle_stream_free(s->stream);
        free(s);
        return NULL;
    }
    return s;
}

const char *bridge_sse_key(const bridge_sse *s)
{
    return s->key;
}

void bridge_sse_free(bridge_sse *s)
{
    if (s == NULL) {
        return;
    }
    particle_stream_cancel(s->stream);
    pthread_join(s->thread, NULL);
    particle_stream_free(s->stream);
    free(s);
}
