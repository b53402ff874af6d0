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

typedef enum item_kind { ITEM_EVENT, ITEM_READING, ITEM_COMMAND } item_kind;

/* A command waiting in the queue; it lives on its caller's stack until done. */
typedef struct command {
    bridge_writer_command_fn *run;
    void *args;
    int rc;
    bool done;
    char err[256];
} command;

/* One queued input with its own copies of every string, all in the same allocation (text[]),
 * so queueing an event costs one malloc and one free. A command carries only device_id. */
typedef struct item {
    struct item *next;
    item_kind kind;
    char *device_id, *name, *data, *source, *stream, *event_id;
    int64_t ts_ms, received_ms;
    bridge_reading_kind reading_kind;
    double number;
    command *cmd;
    char text[]; /* the strings above point here */
} item;

#define ITEM_STRINGS 6

/* Allocates an item whose string fields are copies of @p in (NULL stays NULL), in the order
 * device_id, name, data, source, stream, event_id. NULL on overflow or OOM. */
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
    char **fields[ITEM_STRINGS] = {&it->device_id, &it->name,   &it->data,
                                   &it->source,    &it->stream, &it->event_id};
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

/* A refused batch is tried again after 100 ms, then after twice as long each time, at most
 * 5 s apart: quick to recover from a busy database, gentle on a server that is down. */
#define RETRY_FIRST_DELAY_MS 100
#define RETRY_MAX_DELAY_MS 5000

struct bridge_writer {
    bridge_store *store;
    bridge_writer_options opts;
    bridge_device_defaults defaults;
    bridge_metrics *metrics;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* items arrived or stop */
    pthread_cond_t room; /* queue has room */
    pthread_cond_t idle; /* a batch or a command is done */
    item *head, *tail;
    size_t queued;
    uint64_t pushed, written; /* sequence numbers for flush */
    bool stopping;
    bool stalled;              /* a batch waits to be retried */
    int64_t inflight_received; /* when the oldest input of the batch being written came; 0 */
    cached_settings *cache;    /* the writer thread's only */
    unsigned int cache_clock;  /* picks the way a miss replaces, in turn */
};

static void item_free(item *it)
{
    free(it); /* the strings live in the same block */
}

/* Publishes when the oldest input not stored yet came (0 = none). Under the lock. */
static void note_oldest(bridge_writer *w)
{
    if (w->metrics != NULL) {
        /* the queue is in arrival order: its head came first */
        int64_t oldest = w->inflight_received != 0 ? w->inflight_received
                         : w->head != NULL         ? w->head->received_ms
                                                   : 0;
        atomic_store(&w->metrics->oldest_unstored_ms, oldest);
    }
}

/* How a producer meets a full queue or a stalled writer. */
typedef enum push_mode {
    PUSH_WAIT,    /* inputs with a sender that can wait (a stream, the poller): wait for room */
    PUSH_OFFER,   /* the webhook: BRIDGE_WRITER_BUSY when full or stalled, never wait */
    PUSH_COMMAND, /* BRIDGE_WRITER_BUSY when stalled, else wait for room */
} push_mode;

/* Queues @p it (taking it), as @p mode says. 0, BRIDGE_WRITER_BUSY, or -1 when stopping;
 * on 0 @p seq_out (may be NULL) gets the item's sequence number (see wait_written). */
static int push(bridge_writer *w, item *it, push_mode mode, uint64_t *seq_out)
{
    pthread_mutex_lock(&w->lock);
    bool busy = false;
    for (;;) {
        bool full = w->queued >= w->opts.max_queue;
        busy = (mode != PUSH_WAIT && w->stalled) || (mode == PUSH_OFFER && full);
        if (w->stopping || busy || !full) {
            break;
        }
        pthread_cond_wait(&w->room, &w->lock);
    }
    int refused = w->stopping ? -1 : busy ? BRIDGE_WRITER_BUSY : 0;
    if (refused != 0) {
        pthread_mutex_unlock(&w->lock);
        item_free(it);
        return refused;
    }
    if (w->tail) {
        w->tail->next = it;
    } else {
        w->head = it;
    }
    w->tail = it;
    w->queued++;
    w->pushed++;
    if (seq_out != NULL) {
        *seq_out = w->pushed;
    }
    if (w->metrics) {
        atomic_store(&w->metrics->queue_depth, w->queued);
        if (w->queued == 1 && w->inflight_received == 0) {
            atomic_store(&w->metrics->oldest_unstored_ms, it->received_ms);
        }
    }
    /* The writer waits for the first item, or for a full batch: wake it only then (a signal
     * per event costs more than the event at high rates), or when a sender waits for its
     * input to be stored (the webhook). */
    if (w->queued == 1 || w->queued == w->opts.batch_size || mode == PUSH_OFFER) {
        pthread_cond_signal(&w->wake);
    }
    pthread_mutex_unlock(&w->lock);
    return 0;
}

static int queue_event(bridge_writer *w, const bridge_event_in *ev, const char *stream,
                       const char *event_id, push_mode mode, uint64_t *seq_out)
{
    const char *in[ITEM_STRINGS] = {ev->device_id ? ev->device_id : "",
                                    ev->name ? ev->name : "",
                                    ev->data,
                                    ev->source ? ev->source : "sse",
                                    stream,
                                    event_id};
    item *it = item_new(ITEM_EVENT, in);
    if (it == NULL) {
        return -1;
    }
    it->ts_ms = ev->published_at_ms;
    it->received_ms = ev->received_at_ms > 0 ? ev->received_at_ms : pu_time_now_ms();
    int rc = push(w, it, mode, seq_out);
    if (rc == 0 && w->metrics) {
        atomic_fetch_add(&w->metrics->events_received, 1);
    }
    return rc;
}

int bridge_writer_push_event(bridge_writer *w, const bridge_event_in *ev, const char *stream,
                             const char *event_id)
{
    return queue_event(w, ev, stream, event_id, PUSH_WAIT, NULL);
}

static int wait_written(bridge_writer *w, uint64_t target, int64_t timeout_ms);

int bridge_writer_offer_event(bridge_writer *w, const bridge_event_in *ev, int64_t timeout_ms)
{
    uint64_t seq = 0;
    int rc = queue_event(w, ev, NULL, NULL, PUSH_OFFER, &seq);
    if (rc != 0) {
        return rc;
    }
    return wait_written(w, seq, timeout_ms) == 0 ? 0 : BRIDGE_WRITER_PENDING;
}

int bridge_writer_push_reading(bridge_writer *w, const bridge_reading_in *r)
{
    const char *in[ITEM_STRINGS] = {r->device_id, r->variable, r->text, NULL, NULL, NULL};
    item *it = item_new(ITEM_READING, in);
    if (it == NULL) {
        return -1;
    }
    it->reading_kind = r->kind;
    it->number = r->number;
    it->ts_ms = r->ts_ms;
    it->received_ms = pu_time_now_ms();
    return push(w, it, PUSH_WAIT, NULL);
}

bool bridge_writer_stalled(bridge_writer *w)
{
    pthread_mutex_lock(&w->lock);
    bool stalled = w->stalled;
    pthread_mutex_unlock(&w->lock);
    return stalled;
}

int bridge_writer_command(bridge_writer *w, bridge_writer_command_fn *run, void *args,
                          const char *device_id, char *err, size_t err_size)
{
    const char *in[ITEM_STRINGS] = {device_id, NULL, NULL, NULL, NULL, NULL};
    item *it = item_new(ITEM_COMMAND, in);
    if (it == NULL) {
        snprintf(err, err_size, "out of memory");
        return BRIDGE_STORE_ERROR;
    }
    command cmd = {.run = run, .args = args};
    it->cmd = &cmd;
    it->received_ms = pu_time_now_ms();
    int rc = push(w, it, PUSH_COMMAND, NULL);
    if (rc != 0) {
        snprintf(err, err_size, "%s",
                 rc == BRIDGE_WRITER_BUSY ? "the store is not writable now; try again later"
                                          : "the writer is stopping");
        return rc == BRIDGE_WRITER_BUSY ? rc : BRIDGE_STORE_ERROR;
    }
    pthread_mutex_lock(&w->lock);
    while (!cmd.done) {
        pthread_cond_wait(&w->idle, &w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    if (cmd.rc != 0) {
        snprintf(err, err_size, "%s", cmd.rc == BRIDGE_STORE_ERROR ? cmd.err : "not found");
    }
    return cmd.rc;
}

/* Forgets what the cache holds about device @p id. */
static void forget_settings(bridge_writer *w, const char *id)
{
    cached_settings *set = &w->cache[(pu_fnv1a64(id) % CACHE_SETS) * CACHE_WAYS];
    for (unsigned int way = 0; way < CACHE_WAYS; way++) {
        if (strcmp(set[way].id, id) == 0) {
            memset(&set[way], 0, sizeof set[way]);
        }
    }
}

static void run_command(bridge_writer *w, item *it)
{
    command *cmd = it->cmd;
    cmd->rc = cmd->run(w->store, cmd->args);
    if (cmd->rc == BRIDGE_STORE_ERROR) {
        snprintf(cmd->err, sizeof cmd->err, "%s", bridge_store_errmsg(w->store));
    }
    if (it->device_id != NULL) {
        forget_settings(w, it->device_id);
    }
}

/* The device's settings: from the cache, else the store, else the defaults. NULL when the
 * store cannot say (its error is in bridge_store_errmsg); nothing is cached then. */
static const cached_settings *settings_for(bridge_writer *w, const char *id)
{
    cached_settings *set = &w->cache[(pu_fnv1a64(id) % CACHE_SETS) * CACHE_WAYS];
    for (unsigned int way = 0; way < CACHE_WAYS; way++) {
        if (strcmp(set[way].id, id) == 0) {
            return &set[way];
        }
    }
    bridge_device d;
    int rc = bridge_store_device_get(w->store, id, &d);
    if (rc != 0 && rc != BRIDGE_STORE_NOTFOUND) {
        return NULL;
    }
    cached_settings *c = &set[w->cache_clock++ % CACHE_WAYS];
    memset(c, 0, sizeof *c);
    pu_strlcpy(c->id, id, sizeof c->id);
    if (rc == 0) {
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

static void out_of_memory(void)
{
    pu_log(PU_LOG_ERROR, "writer", "out of memory");
    abort(); /* the documented OOM policy of the service */
}

/* One attempt at a batch: normalises every input with its device's settings (into @p outs,
 * which the caller disposes) and writes the records and the stream cursors in one
 * transaction. 0, or BRIDGE_STORE_ERROR when the store refused a settings read or the
 * write. Normalising again on each attempt keeps settings a failed read could not get out
 * of what is stored. */
static int attempt_batch(bridge_writer *w, item *batch, bridge_norm_out *outs, bridge_record *recs,
                         bool *fresh, size_t *nrecs_out, bridge_write_result *res)
{
    cursor_slot cursors[MAX_STREAMS];
    size_t ncursors = 0, nrecs = 0;
    unsigned long long other_partition = 0;
    for (item *it = batch; it != NULL; it = it->next) {
        bool ours =
            it->kind != ITEM_EVENT || bridge_partition_owns(&w->opts.partition, it->device_id);
        if (!ours) {
            /* another bridge stores it; the stream position still moves past it */
            note_cursor(cursors, &ncursors, it);
            other_partition++;
            continue;
        }
        const cached_settings *c = settings_for(w, it->device_id);
        if (c == NULL) {
            return BRIDGE_STORE_ERROR;
        }
        bridge_norm_settings s = {c->name,  c->enabled, c->measurements,
                                  c->posts, &c->online, &c->offline};
        bridge_norm_out *o = &outs[nrecs];
        int rc;
        if (it->kind == ITEM_EVENT) {
            bridge_event_in ev = {it->device_id, it->name,        it->data,
                                  it->ts_ms,     it->received_ms, it->source};
            rc = bridge_normalise_event(o, &s, &ev);
            note_cursor(cursors, &ncursors, it);
        } else {
            bridge_reading_in r = {it->device_id, it->name, it->reading_kind,
                                   it->number,    it->data, it->ts_ms};
            rc = bridge_normalise_reading(o, &s, &r);
        }
        if (rc != 0) {
            out_of_memory();
        }
        recs[nrecs] = o->record;
        recs[nrecs].stored_out = &fresh[nrecs];
        nrecs++;
    }
    int64_t now = pu_time_now_ms();
    for (size_t i = 0; i < ncursors; i++) {
        recs[nrecs++] = (bridge_record){.kind = BRIDGE_RECORD_CURSOR,
                                        .stream = cursors[i].stream,
                                        .last_event_id = cursors[i].event_id,
                                        .received_at_ms = now};
    }
    int64_t started_ms = pu_time_mono_ms();
    *nrecs_out = nrecs;
    int error = bridge_store_write_batch(w->store, recs, nrecs, res);
    if (error == 0 && w->metrics != NULL) {
        atomic_fetch_add(&w->metrics->events_other_partition, other_partition);
        bridge_histogram_observe_ms(&w->metrics->write_batch_latency,
                                    pu_time_mono_ms() - started_ms);
    }
    return error;
}

static void set_stalled(bridge_writer *w, bool stalled)
{
    pthread_mutex_lock(&w->lock);
    w->stalled = stalled;
    pthread_mutex_unlock(&w->lock);
    if (w->metrics != NULL) {
        atomic_store(&w->metrics->writer_stalled, stalled ? 1 : 0);
    }
}

static void dispose_outs(bridge_norm_out *outs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        bridge_norm_out_dispose(&outs[i]);
    }
}

/* Writes a batch, retrying with growing delays for as long as the store refuses it: nothing
 * is dropped, and the cursors in it move only when it is stored. One log line when writing
 * starts failing, one when it recovers. */
static void write_batch(bridge_writer *w, item *batch, size_t count)
{
    bridge_norm_out *outs = calloc(count, sizeof *outs);
    bridge_record *recs = calloc(count + MAX_STREAMS, sizeof *recs);
    bool *fresh = calloc(count + MAX_STREAMS, sizeof *fresh);
    if (outs == NULL || recs == NULL || fresh == NULL) {
        out_of_memory();
    }
    size_t nrecs = 0;
    bridge_write_result res;
    int64_t delay_ms = RETRY_FIRST_DELAY_MS, failing_since = 0;
    unsigned long long retries = 0;
    while (attempt_batch(w, batch, outs, recs, fresh, &nrecs, &res) != 0) {
        if (retries == 0) {
            failing_since = pu_time_mono_ms();
            pu_log(PU_LOG_ERROR, "writer",
                   "store writes failing (%s); retrying a batch of %zu, nothing is dropped",
                   bridge_store_errmsg(w->store), count);
            set_stalled(w, true);
            if (w->metrics != NULL) {
                atomic_fetch_add(&w->metrics->write_failures, 1);
            }
        }
        retries++;
        if (w->metrics != NULL) {
            atomic_fetch_add(&w->metrics->write_retries, 1);
        }
        dispose_outs(outs, count);
        pu_time_sleep_ms(delay_ms);
        delay_ms = delay_ms * 2 < RETRY_MAX_DELAY_MS ? delay_ms * 2 : RETRY_MAX_DELAY_MS;
    }
    if (retries > 0) {
        pu_log(PU_LOG_INFO, "writer", "store writes recovered after %llu retries (%lld ms)",
               retries, (long long)(pu_time_mono_ms() - failing_since));
        set_stalled(w, false);
    }
    if (w->metrics) {
        bridge_metrics *m = w->metrics;
        atomic_fetch_add(&m->write_batches, 1);
        atomic_fetch_add(&m->events_stored, res.events_stored);
        atomic_fetch_add(&m->duplicates_dropped, res.duplicates);
        atomic_fetch_add(&m->measurements_stored, res.measurements_stored);
        atomic_fetch_add(&m->status_posts_stored, res.status_posts_stored);
        observe_ingest_lag(m, batch);
    }
    if (w->opts.on_stored != NULL) { /* committed: what the observer shows is stored */
        w->opts.on_stored(recs, nrecs, w->opts.on_stored_payload);
    }
    dispose_outs(outs, count);
    free(outs);
    free(recs);
    free(fresh);
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
        /* Let a batch fill up a little, unless it is full already or we are stopping. A
         * command at the head runs alone: nothing to wait for (the sync sends one per device
         * and waits for each, so a wait here would cost it flush_interval per device). */
        if (w->head->kind != ITEM_COMMAND && w->queued < w->opts.batch_size && !w->stopping) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            int64_t ns = until.tv_nsec + (w->opts.flush_interval_ms % 1000) * 1000000;
            until.tv_sec += (time_t)(w->opts.flush_interval_ms / 1000 + ns / 1000000000);
            until.tv_nsec = (long)(ns % 1000000000);
            while (w->queued < w->opts.batch_size && !w->stopping &&
                   pthread_cond_timedwait(&w->wake, &w->lock, &until) == 0) {
            }
        }
        /* A batch is a run of inputs up to the next command; a command runs alone. */
        item *batch = w->head, *last = w->head;
        size_t n = 1;
        int64_t oldest = batch->received_ms;
        while (batch->kind != ITEM_COMMAND && n < w->opts.batch_size && last->next != NULL &&
               last->next->kind != ITEM_COMMAND) {
            last = last->next;
            n++;
            oldest = last->received_ms < oldest ? last->received_ms : oldest;
        }
        w->inflight_received = oldest;
        w->head = last->next;
        if (w->head == NULL) {
            w->tail = NULL;
        }
        last->next = NULL;
        w->queued -= n;
        pthread_cond_broadcast(&w->room);
        pthread_mutex_unlock(&w->lock);

        if (batch->kind == ITEM_COMMAND) {
            run_command(w, batch);
        } else {
            write_batch(w, batch, n);
        }
        command *done = batch->kind == ITEM_COMMAND ? batch->cmd : NULL;
        while (batch != NULL) {
            item *next = batch->next;
            item_free(batch);
            batch = next;
        }

        pthread_mutex_lock(&w->lock);
        if (done != NULL) {
            done->done = true; /* its caller wakes on idle below */
        }
        w->written += n;
        w->inflight_received = 0;
        note_oldest(w);
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
    w->store = opts->store != NULL ? opts->store : bridge_store_open(opts->db_path, err, err_size);
    w->opts.store = NULL; /* owned from here on */
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

/* Waits until the inputs up to sequence number @p target are written: 0, or -1 when
 * @p timeout_ms passes first. Inputs and commands are written in sequence order. */
static int wait_written(bridge_writer *w, uint64_t target, int64_t timeout_ms)
{
    int64_t deadline = pu_time_mono_ms() + timeout_ms;
    pthread_mutex_lock(&w->lock);
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

int bridge_writer_flush(bridge_writer *w, int64_t timeout_ms)
{
    pthread_mutex_lock(&w->lock);
    uint64_t target = w->pushed;
    pthread_mutex_unlock(&w->lock);
    return wait_written(w, target, timeout_ms);
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
