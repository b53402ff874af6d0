#include "ingest/writer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pu_hash.h"
#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"

typedef enum item_kind { ITEM_EVENT, ITEM_READING, ITEM_POST } item_kind;

/* One queued input with its own copies of every string, all in the same allocation (text[]),
 * so queueing an event costs one malloc and one free. */
typedef struct item {
    struct item *next;
    item_kind kind;
    char *device_id, *name, *data, *source, *stream, *event_id, *kind_text;
    int64_t ts_ms, received_ms;
    bridge_reading_kind reading_kind;
    double number;
    char text[]; /* the strings above point here */
} item;

#define ITEM_STRINGS 7

/* Allocates an item whose string fields are copies of @p in (NULL stays NULL), in the order
 * device_id, name, data, source, stream, event_id, kind_text. NULL on overflow or OOM. */
static item *item_new(item_kind kind, const char *const in[ITEM_STRINGS])
{
    size_t lens[ITEM_STRINGS], total = sizeof(item);
    for (size_t i = 0; i < ITEM_STRINGS; i++) {
        lens[i] = in[i] != NULL ? strlen(in[i]) + 1 : 0;
        if (__builtin_add_overflow(total, lens[i], &total)) {
            return NULL;
        }
    }
    item *it = malloc(total);
    if (it == NULL) {
        return NULL;
    }
    memset(it, 0, sizeof *it);
    it->kind = kind;
    char **fields[ITEM_STRINGS] = {&it->device_id, &it->name,     &it->data,     &it->source,
                                   &it->stream,    &it->event_id, &it->kind_text};
    char *p = it->text;
    for (size_t i = 0; i < ITEM_STRINGS; i++) {
        if (in[i] != NULL) {
            memcpy(p, in[i], lens[i]);
            *fields[i] = p;
            p += lens[i];
        }
    }
    return it;
}

/* Settings of one device, cached by the writer thread only. */
typedef struct cached_settings {
    char id[BRIDGE_ID_SIZE];
    char name[BRIDGE_NAME_SIZE];
    bool enabled, measurements, posts;
    bridge_notify_option online, offline;
} cached_settings;

/* Device settings cache: 1,024 sets of 4 by id hash. A miss costs one store read (a round
 * trip with PostgreSQL); with one slot per hash, ids that shared a slot kept evicting each
 * other (15 % misses with 1,000 devices), four ways make that rare. */
#define CACHE_WAYS 4u
#define CACHE_SETS 1024u
#define CACHE_SLOTS (CACHE_WAYS * CACHE_SETS)

struct bridge_writer {
    bridge_store *store;
    bridge_writer_options opts;
    bridge_device_defaults defaults;
    bridge_metrics *metrics;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* items arrived or stop */
    pthread_cond_t room; /* queue has room */
    pthread_cond_t idle; /* everything pushed is written */
    item *head, *tail;
    size_t queued;
    uint64_t pushed, written; /* sequence numbers for flush */
    bool stopping;
    unsigned int settings_gen, cache_gen; /* gen bumped by settings_changed */
    cached_settings *cache;
    unsigned int cache_clock; /* picks the way a miss replaces, in turn */
};

static void item_free(item *it)
{
    free(it); /* the strings live in the same block */
}

static int push(bridge_writer *w, item *it)
{
    pthread_mutex_lock(&w->lock);
    while (!w->stopping && w->queued >= w->opts.max_queue) {
        pthread_cond_wait(&w->room, &w->lock);
    }
    if (w->stopping) {
        pthread_mutex_unlock(&w->lock);
        item_free(it);
        return -1;
    }
    if (w->tail) {
        w->tail->next = it;
    } else {
        w->head = it;
    }
    w->tail = it;
    w->queued++;
    w->pushed++;
    if (w->metrics) {
        atomic_store(&w->metrics->queue_depth, w->queued);
    }
    /* The writer waits for the first item, or for a full batch: wake it only then (a signal
     * per event costs more than the event at high rates). */
    if (w->queued == 1 || w->queued == w->opts.batch_size) {
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return 0;
}

int bridge_writer_push_event(bridge_writer *w, const bridge_event_in *ev, const char *stream,
                             const char *event_id)
{
    const char *in[ITEM_STRINGS] = {ev->device_id ? ev->device_id : "",
                                    ev->name ? ev->name : "",
                                    ev->data,
                                    ev->source ? ev->source : "sse",
                                    stream,
                                    event_id,
                                    NULL};
    item *it = item_new(ITEM_EVENT, in);
    if (it == NULL) {
        return -1;
    }
    it->ts_ms = ev->published_at_ms;
    it->received_ms = ev->received_at_ms > 0 ? ev->received_at_ms : pu_time_now_ms();
    if (w->metrics) {
        atomic_fetch_add(&w->metrics->events_received, 1);
    }
    return push(w, it);
}

int bridge_writer_push_reading(bridge_writer *w, const bridge_reading_in *r)
{
    const char *in[ITEM_STRINGS] = {r->device_id, r->variable, r->text, NULL, NULL, NULL, NULL};
    item *it = item_new(ITEM_READING, in);
    if (it == NULL) {
        return -1;
    }
    it->reading_kind = r->kind;
    it->number = r->number;
    it->ts_ms = r->ts_ms;
    return push(w, it);
}

int bridge_writer_push_post(bridge_writer *w, const char *device_id, const char *kind,
                            const char *name, const char *message, int64_t ts_ms)
{
    const char *in[ITEM_STRINGS] = {
        device_id, name ? name : "", message ? message : "", NULL, NULL, NULL, kind};
    item *it = item_new(ITEM_POST, in);
    if (it == NULL) {
        return -1;
    }
    it->ts_ms = ts_ms;
    return push(w, it);
}

void bridge_writer_settings_changed(bridge_writer *w)
{
    pthread_mutex_lock(&w->lock);
    w->settings_gen++;
    pthread_mutex_unlock(&w->lock);
}

/* The device's settings: from the cache, else the store, else the defaults. */
static const cached_settings *settings_for(bridge_writer *w, const char *id)
{
    cached_settings *set = &w->cache[(pu_fnv1a64(id) % CACHE_SETS) * CACHE_WAYS];
    for (unsigned int way = 0; way < CACHE_WAYS; way++) {
        if (strcmp(set[way].id, id) == 0) {
            return &set[way];
        }
    }
    cached_settings *c = &set[w->cache_clock++ % CACHE_WAYS];
    bridge_device d;
    memset(c, 0, sizeof *c);
    pu_strlcpy(c->id, id, sizeof c->id);
    if (bridge_store_device_get(w->store, id, &d) == 0) {
        pu_strlcpy(c->name, d.name, sizeof c->name);
        c->enabled = d.enabled;
        c->measurements = d.publish_unknown_as_measurements;
        c->posts = d.publish_unknown_as_status_posts;
        c->online = d.online_notify;
        c->offline = d.offline_notify;
        bridge_device_dispose(&d);
    } else {
        c->enabled = w->defaults.enabled;
        c->measurements = w->defaults.publish_unknown_as_measurements;
        c->posts = w->defaults.publish_unknown_as_status_posts;
        c->online = w->defaults.online_notify;
        c->offline = w->defaults.offline_notify;
    }
    return c;
}

/* Latest stream position per stream within one batch. */
typedef struct cursor_slot {
    const char *stream;
    const char *event_id;
} cursor_slot;

#define MAX_STREAMS 64

/* Records that the event's stream has got as far as the event. */
static void note_cursor(cursor_slot *cursors, size_t *ncursors, const item *it)
{
    if (it->stream == NULL || it->event_id == NULL) {
        return;
    }
    size_t i = 0;
    while (i < *ncursors && strcmp(cursors[i].stream, it->stream) != 0) {
        i++;
    }
    if (i < MAX_STREAMS) {
        cursors[i] = (cursor_slot){it->stream, it->event_id};
        *ncursors = i == *ncursors ? *ncursors + 1 : *ncursors;
    }
}

/* Each stored event's lag, from its published_at to now. */
static void observe_ingest_lag(bridge_metrics *m, const item *batch)
{
    int64_t now = pu_time_now_ms();
    for (const item *it = batch; it != NULL; it = it->next) {
        if (it->kind == ITEM_EVENT && it->ts_ms > 0) {
            bridge_histogram_observe_ms(&m->ingest_lag, now - it->ts_ms);
        }
    }
}

static void write_batch(bridge_writer *w, item *batch, size_t count)
{
    bridge_norm_out *outs = calloc(count, sizeof *outs);
    bridge_record *recs = calloc(count + MAX_STREAMS, sizeof *recs);
    cursor_slot cursors[MAX_STREAMS];
    size_t ncursors = 0, nrecs = 0;
    if (outs == NULL || recs == NULL) {
        pu_log(PU_LOG_ERROR, "writer", "out of memory");
        abort(); /* the documented OOM policy of the service */
    }
    for (item *it = batch; it != NULL; it = it->next) {
        bool ours =
            it->kind != ITEM_EVENT || bridge_partition_owns(&w->opts.partition, it->device_id);
        if (!ours) {
            /* another bridge stores it; the stream position still moves past it */
            note_cursor(cursors, &ncursors, it);
            if (w->metrics != NULL) {
                atomic_fetch_add(&w->metrics->events_other_partition, 1);
            }
            continue;
        }
        const cached_settings *c = settings_for(w, it->device_id);
        bridge_norm_settings s = {c->name,  c->enabled, c->measurements,
                                  c->posts, &c->online, &c->offline};
        bridge_norm_out *o = &outs[nrecs];
        int rc = 0;
        if (it->kind == ITEM_EVENT) {
            bridge_event_in ev = {it->device_id, it->name,        it->data,
                                  it->ts_ms,     it->received_ms, it->source};
            rc = bridge_normalise_event(o, &s, &ev);
            note_cursor(cursors, &ncursors, it);
        } else if (it->kind == ITEM_READING) {
            bridge_reading_in r = {it->device_id, it->name, it->reading_kind,
                                   it->number,    it->data, it->ts_ms};
            rc = bridge_normalise_reading(o, &s, &r);
        } else {
            o->posts = malloc(sizeof *o->posts);
            rc = o->posts ? 0 : -1;
            if (rc == 0) {
                o->posts[0] = (bridge_status_post){it->device_id, it->kind_text, it->name, it->data,
                                                   it->ts_ms};
                o->post_count = 1;
                o->record = (bridge_record){.kind = BRIDGE_RECORD_READING,
                                            .posts = o->posts,
                                            .post_count = 1,
                                            .online = -1};
            }
        }
        if (rc != 0) {
            pu_log(PU_LOG_ERROR, "writer", "out of memory");
            abort();
        }
        recs[nrecs++] = o->record;
    }
    int64_t now = pu_time_now_ms();
    for (size_t i = 0; i < ncursors; i++) {
        recs[nrecs++] = (bridge_record){.kind = BRIDGE_RECORD_CURSOR,
                                        .stream = cursors[i].stream,
                                        .last_event_id = cursors[i].event_id,
                                        .received_at_ms = now};
    }
    bridge_write_result res;
    int64_t write_started_ms = pu_time_mono_ms();
    int error = bridge_store_write_batch(w->store, recs, nrecs, &res);
    /* A failed transaction (disk full, locked too long) is retried once, then reported:
     * the stream's cursor was not advanced, so a restart replays what was lost. */
    if (error != 0) {
        pu_time_sleep_ms(100);
        error = bridge_store_write_batch(w->store, recs, nrecs, &res);
    }
    if (w->metrics) {
        bridge_metrics *m = w->metrics;
        atomic_fetch_add(&m->write_batches, 1);
        if (error != 0) {
            atomic_fetch_add(&m->write_failures, 1);
            pu_log(PU_LOG_ERROR, "writer", "store write failed: %s", bridge_store_errmsg(w->store));
        } else {
            atomic_fetch_add(&m->events_stored, res.events_stored);
            atomic_fetch_add(&m->duplicates_dropped, res.duplicates);
            atomic_fetch_add(&m->measurements_stored, res.measurements_stored);
            atomic_fetch_add(&m->status_posts_stored, res.status_posts_stored);
            bridge_histogram_observe_ms(&m->write_batch_latency,
                                        pu_time_mono_ms() - write_started_ms);
            observe_ingest_lag(m, batch);
        }
    }
    for (size_t i = 0; i < count; i++) {
        bridge_norm_out_dispose(&outs[i]);
    }
    free(outs);
    free(recs);
}

static void *writer_main(void *arg)
{
    bridge_writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->head == NULL && !w->stopping) {
            pthread_cond_wait(&w->wake, &w->lock);
        }
        if (w->head == NULL && w->stopping) {
            break;
        }
        /* Let a batch fill up a little, unless it is full already or we are stopping. */
        if (w->queued < w->opts.batch_size && !w->stopping) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            int64_t ns = until.tv_nsec + (w->opts.flush_interval_ms % 1000) * 1000000;
            until.tv_sec += (time_t)(w->opts.flush_interval_ms / 1000 + ns / 1000000000);
            until.tv_nsec = (long)(ns % 1000000000);
            while (w->queued < w->opts.batch_size && !w->stopping &&
                   pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0) {
            }
        }
        item *batch = w->head, *last = w->head;
        size_t n = 1;
        while (n < w->opts.batch_size && last->next != NULL) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (w->head == NULL) {
            w->tail = NULL;
        }
        last->next = NULL;
        w->queued -= n;
        bool stale = w->cache_gen != w->settings_gen;
        w->cache_gen = w->settings_gen;
        pthread_cond_broadcast(&w->room);
        pthread_mutex_unlock(&w->lock);

        if (stale) {
            memset(w->cache, 0, CACHE_SLOTS * sizeof *w->cache);
        }
        write_batch(w, batch, n);
        while (batch != NULL) {
            item *next = batch->next;
            item_free(batch);
            batch = next;
        }

        pthread_mutex_lock(&w->lock);
        w->written += n;
        if (w->metrics) {
            atomic_store(&w->metrics->queue_depth, w->queued);
        }
        pthread_cond_broadcast(&w->idle);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

bridge_writer *bridge_writer_new(const bridge_writer_options *opts, char *err, size_t err_size)
{
    bridge_writer *w = calloc(1, sizeof *w);
    if (w == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    w->opts = *opts;
    if (w->opts.batch_size == 0) {
        w->opts.batch_size = 5000;
    }
    if (w->opts.flush_interval_ms <= 0) {
        w->opts.flush_interval_ms = 10;
    }
    if (w->opts.max_queue == 0) {
        w->opts.max_queue = 100000;
    }
    if (opts->defaults) {
        w->defaults = *opts->defaults;
    } else {
        w->defaults.enabled = true;
        w->defaults.publish_unknown_as_measurements = true;
        w->defaults.publish_unknown_as_status_posts = true;
    }
    w->opts.defaults = NULL; /* copied above; never keep the caller's pointer */
    w->metrics = opts->metrics;
    w->cache = calloc(CACHE_SLOTS, sizeof *w->cache);
    w->store = bridge_store_open(opts->db_path, err, err_size);
    if (w->cache == NULL || w->store == NULL) {
        if (w->cache == NULL) {
            snprintf(err, err_size, "out of memory");
        }
        bridge_store_close(w->store);
        free(w->cache);
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    pthread_cond_init(&w->room, NULL);
    pthread_cond_init(&w->idle, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        snprintf(err, err_size, "cannot start the writer thread");
        bridge_store_close(w->store);
        free(w->cache);
        free(w);
        return NULL;
    }
    return w;
}

int bridge_writer_flush(bridge_writer *w, int64_t timeout_ms)
{
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    pthread_mutex_lock(&w->lock);
    uint64_t target = w->pushed;
    pthread_cond_signal(&w->wake);
    while (w->written < target) {
        int64_t left = deadline - pu_time_mono_ms();
        if (left <= 0) {
            pthread_mutex_unlock(&w->lock);
            return -1;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t step = left < 50 ? left : 50;
        int64_t ns = until.tv_nsec + step * 1000000;
        until.tv_sec += (time_t)(ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        pthread_cond_timedwait(&w->idle, &w->lock, &until);
    }
    pthread_mutex_unlock(&w->lock);
    return 0;
}

void bridge_writer_free(bridge_writer *w)
{
    if (w == NULL) {
        return;
    }
    pthread_mutex_lock(&w->lock);
    w->stopping = true;
    pthread_cond_broadcast(&w->wake);
    pthread_cond_broadcast(&w->room);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL); /* the thread writes what is queued before it ends */
    pthread_cond_destroy(&w->wake);
    pthread_cond_destroy(&w->room);
    pthread_cond_destroy(&w->idle);
    pthread_mutex_destroy(&w->lock);
    bridge_store_close(w->store);
    free(w->cache);
    free(w);
}
