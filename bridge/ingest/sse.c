#include "ingest/sse.h"

#include <particle/client.h>
#include <particle/particle.h>
#include <particle/stream.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/event_check.h"
#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"

struct bridge_sse {
    particle_stream *stream;
    pthread_t thread;
    bridge_writer *writer;
    bridge_metrics *metrics;
    bridge_stream_gauges *gauges; /* a slot in metrics, or own_gauges when none was left */
    bridge_stream_gauges own_gauges;
    /* Stream thread only: the outage being reported, so it is logged once when it starts
     * and once when it ends, not once per failed attempt. */
    bool down_logged;
    int64_t down_since_ms;
    unsigned int failed_attempts;
    char key[BRIDGE_STREAM_KEY_SIZE];
};

/* Queues the event, waiting while the writer's queue is full: the stream is not read
 * meanwhile (backpressure), and its position is stored only with the events before it. */
static int on_event(const particle_event *ev, void *payload)
{
    bridge_sse *s = payload;
    bridge_event_in in = {ev->coreid,       ev->name,
                          ev->data,         ev->published_at_ms > 0 ? ev->published_at_ms : 0,
                          pu_time_now_ms(), "sse"};
    atomic_store(&s->gauges->last_event_ms, in.received_at_ms);
    atomic_fetch_add(&s->gauges->events, 1);
    const char *reason = bridge_event_check(&in);
    if (reason != NULL) {
        /* the webhook answers 400 to such an event; a stream can only pass over it */
        pu_log(PU_LOG_WARN, "stream", "%s: event %s passed over: %s", s->key,
               ev->id != NULL ? ev->id : "without id", reason);
        return 0;
    }
    bridge_writer_push_event(s->writer, &in, s->key, ev->id);
    return 0;
}

/* Starts reporting an outage: one warning, then quiet until the stream is back. */
static void note_down(bridge_sse *s, const char *what, const char *why)
{
    if (s->down_logged) {
        return;
    }
    s->down_logged = true;
    s->down_since_ms = pu_time_now_ms();
    s->failed_attempts = 0;
    pu_log(PU_LOG_WARN, "sse", "stream %s %s: %s", s->key, what, why);
}

static void on_connect(unsigned int attempt, void *payload)
{
    (void)attempt;
    bridge_sse *s = payload;
    bridge_metrics_stream_set(s->metrics, s->gauges, true);
    if (s->down_logged) {
        pu_log(PU_LOG_INFO, "sse", "stream %s is back after %.1f s (%u failed attempts)", s->key,
               (double)(pu_time_now_ms() - s->down_since_ms) / 1000.0, s->failed_attempts);
        s->down_logged = false;
    } else {
        pu_log(PU_LOG_INFO, "sse", "stream %s connected", s->key);
    }
}

static void on_disconnect(int reason, void *payload)
{
    bridge_sse *s = payload;
    bridge_metrics_stream_set(s->metrics, s->gauges, false);
    /* the record of the stream's thread says more than the code ("stream line or event too
     * large", the transport's words) */
    const particle_error *e = particle_error_last();
    note_down(s, "lost",
              e != NULL && e->code == reason && e->message[0] != '\0' ? e->message
                                                                      : particle_strerror(reason));
}

static void on_reconnect(unsigned int attempt, long delay_ms, void *payload)
{
    (void)attempt;
    (void)delay_ms;
    bridge_sse *s = payload;
    atomic_fetch_add(&s->metrics->stream_reconnects, 1);
}

/* The stream resumed but the server could not replay everything after its cursor. */
static void on_gap(long long missed, const char *after_id, void *payload)
{
    bridge_sse *s = payload;
    atomic_fetch_add(&s->metrics->stream_gaps, 1);
    if (missed >= 0) {
        atomic_fetch_add(&s->metrics->stream_gap_ids, (unsigned long long)missed);
        pu_log(PU_LOG_WARN, "sse",
               "stream %s: gap after event %s: up to %lld events missed; webhooks beside "
               "the stream close it (docs/BRIDGE.md)",
               s->key, after_id != NULL ? after_id : "(none)", missed);
    } else {
        atomic_fetch_add(&s->metrics->stream_gaps_unsized, 1);
        pu_log(PU_LOG_WARN, "sse",
               "stream %s: gap of unknown size after event %s (the server restarted); "
               "webhooks beside the stream close it (docs/BRIDGE.md)",
               s->key, after_id != NULL ? after_id : "(none)");
    }
}

/* A failed connection attempt, or an event skipped because its data was not JSON. */
static void on_error(int code, const particle_error *err, void *payload)
{
    bridge_sse *s = payload;
    if (atomic_load(&s->gauges->connected)) {
        pu_log(PU_LOG_WARN, "sse", "stream %s: event skipped: %s", s->key, err->message);
        return;
    }
    char why[384];
    snprintf(why, sizeof why, "%s (%s)", err->message, particle_code_name(code));
    note_down(s, "cannot connect", why);
    s->failed_attempts++;
    pu_log(PU_LOG_DEBUG, "sse", "stream %s attempt failed: %s", s->key, why);
}

static void *stream_main(void *arg)
{
    bridge_sse *s = arg;
    int rc = particle_stream_run(s->stream);
    bridge_metrics_stream_set(s->metrics, s->gauges, false);
    atomic_store(&s->gauges->stopped, true);
    if (rc != 0 && rc != PARTICLE_ECANCELED) {
        pu_log(PU_LOG_ERROR, "sse", "stream %s stopped: %s", s->key,
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
    s->gauges = bridge_metrics_stream_add(s->metrics, s->key);
    if (s->gauges == NULL) {
        s->gauges = &s->own_gauges;
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
        pu_log(PU_LOG_INFO, "sse", "stream %s resumes after event %s", s->key, cursor);
    }
    particle_client *client = NULL;
    particle_stream_options so;
    particle_stream_options_init(&so, PARTICLE_STREAM_OPTIONS_VERSION);
    so.scope = opts->product ? PARTICLE_STREAM_PRODUCT : PARTICLE_STREAM_MINE;
    so.product = opts->product;
    so.on_event = on_event;
    so.on_connect = on_connect;
    so.on_disconnect = on_disconnect;
    so.on_reconnect = on_reconnect;
    so.on_error = on_error;
    so.on_gap = on_gap;
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
