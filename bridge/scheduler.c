/* The variable poller: one thread that decides what is due and keeps up to `concurrency`
 * reads in flight on a particle_multi (libcurl multi). See scheduler.h. */
#include "scheduler.h"

#include <particle/client.h>
#include <particle/devices.h>
#include <particle/multi.h>
#include <particle/particle.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"

#define IDLE_WAIT_MS 1000 /* longest sleep: settings and the budget are looked at again */

typedef struct sched_device {
    char id[BRIDGE_ID_SIZE];
    bool enabled;
    bool probing; /* a half-open try is in flight */
    int64_t check_interval_ms;
    bridge_breaker_state breaker;
} sched_device;

typedef struct sched_slot {
    uint32_t device; /* index into devices */
    char *name;
    int64_t interval_ms;
    int64_t next_due_ms; /* monotonic */
    bool enabled;
} sched_slot;

/* One read in flight: copies, because a reload may replace devices and slots meanwhile.
 * The scheduler keeps `concurrency` of them and hands out free ones, so reads dropped at
 * shutdown (particle_multi_free runs no callbacks) leave nothing to free one by one. */
typedef struct poll_call {
    bridge_scheduler *s;
    struct poll_call *next_free;
    char device[BRIDGE_ID_SIZE];
    char variable[BRIDGE_NAME_SIZE];
    int64_t sent_mono_ms; /* for the poll latency histogram */
} poll_call;

struct bridge_scheduler {
    bridge_scheduler_options opts;
    char *token;
    char owner[BRIDGE_OWNER_SIZE]; /* "" = every device */
    bridge_store *store;
    particle_client *client;
    particle_multi *multi;
    pthread_t thread;
    bool thread_started;
    /* Shared with other threads: the flags and the policy, under lock; they wake the
     * scheduler with particle_multi_wakeup(). */
    pthread_mutex_t lock;
    bool stopping, reload;
    bridge_breaker_policy policy;
    /* The scheduler thread's own. */
    bridge_breaker_policy active_policy;
    sched_device *devices;
    size_t device_count;
    sched_slot *slots;
    size_t slot_count;
    uint32_t *due;    /* min-heap of slot indices by next_due_ms: the next read is at due[0] */
    poll_call *calls; /* concurrency of them */
    poll_call *free_calls;
};

/* ---- the due heap: dispatching looks only at the reads that are due, not at every slot ---- */

static bool due_before(const bridge_scheduler *s, uint32_t a, uint32_t b)
{
    return s->slots[a].next_due_ms < s->slots[b].next_due_ms;
}

static void due_sift_down(bridge_scheduler *s, size_t i)
{
    size_t n = s->slot_count;
    for (;;) {
        size_t least = i, left = 2 * i + 1, right = left + 1;
        if (left < n && due_before(s, s->due[left], s->due[least])) {
            least = left;
        }
        if (right < n && due_before(s, s->due[right], s->due[least])) {
            least = right;
        }
        if (least == i) {
            return;
        }
        uint32_t t = s->due[i];
        s->due[i] = s->due[least];
        s->due[least] = t;
        i = least;
    }
}

static void due_build(bridge_scheduler *s)
{
    for (size_t i = 0; i < s->slot_count; i++) {
        s->due[i] = (uint32_t)i;
    }
    for (size_t i = s->slot_count / 2; i-- > 0;) {
        due_sift_down(s, i);
    }
}

/* Moves the first slot to its next interval and restores the heap. */
static void due_reschedule_first(bridge_scheduler *s, int64_t now)
{
    sched_slot *sl = &s->slots[s->due[0]];
    sl->next_due_ms = now + sl->interval_ms;
    due_sift_down(s, 0);
}

static int cmp_device(const void *key, const void *elem)
{
    return strcmp(key, ((const sched_device *)elem)->id);
}

static sched_device *find_device(bridge_scheduler *s, const char *id)
{
    if (s->device_count == 0) {
        return NULL; /* bsearch must not get a NULL array */
    }
    return bsearch(id, s->devices, s->device_count, sizeof *s->devices, cmp_device);
}

/* Whether this bridge polls @p d: listed by the cloud, and synced by this bridge (its scope
 * tag) or by none yet. */
static bool polled(const bridge_scheduler *s, const bridge_device *d)
{
    return !d->gone &&
           (s->owner[0] == '\0' || d->owner[0] == '\0' || strcmp(d->owner, s->owner) == 0);
}

/* Loads devices and slots from the store, keeping the due times of slots that stay. */
static void reload_devices(bridge_scheduler *s)
{
    bridge_device *devs = NULL;
    size_t n = 0;
    if (bridge_store_device_list(s->store, &devs, &n) != 0) {
        pu_log(PU_LOG_ERROR, "scheduler", "scheduler cannot read devices: %s",
               bridge_store_errmsg(s->store));
        return;
    }
    size_t nslots = 0;
    for (size_t i = 0; i < n; i++) {
        nslots += polled(s, &devs[i]) ? devs[i].variable_count : 0;
    }
    sched_device *nd = calloc(n ? n : 1, sizeof *nd);
    sched_slot *ns = calloc(nslots ? nslots : 1, sizeof *ns);
    uint32_t *heap = calloc(nslots ? nslots : 1, sizeof *heap);
    if (nd == NULL || ns == NULL || heap == NULL || nslots > UINT32_MAX) {
        free(nd);
        free(ns);
        free(heap);
        bridge_device_list_free(devs, n);
        return;
    }
    int64_t now = pu_time_mono_ms();
    size_t k = 0, old = 0;
    for (size_t i = 0; i < n; i++) {
        const bridge_device *d = &devs[i];
        sched_device *sd = &nd[i];
        pu_strlcpy(sd->id, d->particle_id, sizeof sd->id);
        sd->enabled = d->enabled && polled(s, d);
        sd->check_interval_ms = d->check_interval_ms;
        sd->breaker = (bridge_breaker_state){d->fault_count, d->faulted, d->breaker_reset_at_ms,
                                             d->breaker_trips};
        sched_device *prev = find_device(s, d->particle_id);
        if (prev != NULL) {
            sd->probing = prev->probing;
        }
        if (!polled(s, d)) {
            continue;
        }
        for (size_t v = 0; v < d->variable_count; v++) {
            sched_slot *sl = &ns[k++];
            sl->device = (uint32_t)i;
            sl->name = pu_xstrdup(d->variables[v].name);
            sl->enabled = d->variables[v].enabled;
            sl->interval_ms = d->variables[v].check_interval_ms > 0
                                  ? d->variables[v].check_interval_ms
                                  : d->check_interval_ms;
            sl->next_due_ms = now; /* new variables are read at once */
            /* Old and new slots are both ordered by (device id, variable name). */
            while (old < s->slot_count) {
                const sched_slot *o = &s->slots[old];
                int c = strcmp(s->devices[o->device].id, d->particle_id);
                if (c == 0) {
                    c = strcmp(o->name, sl->name);
                }
                if (c > 0) {
                    break;
                }
                old++;
                if (c == 0) {
                    int64_t due = o->next_due_ms;
                    /* A shorter interval takes effect now, not after the old one ran out. */
                    sl->next_due_ms = due - o->interval_ms + sl->interval_ms < due
                                          ? due - o->interval_ms + sl->interval_ms
                                          : due;
                    break;
                }
            }
        }
    }
    for (size_t i = 0; i < s->slot_count; i++) {
        free(s->slots[i].name);
    }
    free(s->slots);
    free(s->devices);
    s->devices = nd;
    s->device_count = n;
    s->slots = ns;
    s->slot_count = k;
    free(s->due);
    s->due = heap;
    due_build(s);
    bridge_device_list_free(devs, n);
}

/* Saves a breaker change through the writer. While the writer is stalled it is not saved
 * (the writer logs the stall); the state in memory holds and the next change saves it. */
static void persist_breaker(bridge_scheduler *s, const sched_device *d)
{
    char why[256];
    int rc = bridge_writer_device_set_breaker(s->opts.writer, d->id, &d->breaker, why, sizeof why);
    if (rc != 0 && rc != BRIDGE_WRITER_BUSY) {
        pu_log(PU_LOG_WARN, "scheduler", "cannot save breaker state of %s: %s", d->id, why);
    }
}

/* A read's outcome, for the breaker and the rate limit. */
static void record_result(bridge_scheduler *s, const char *device, int code, long retry_after_ms)
{
    bridge_metrics *m = s->opts.metrics;
    sched_device *d = find_device(s, device);
    if (code == PARTICLE_ERATELIMIT) {
        atomic_fetch_add(&m->rate_limited, 1);
        bridge_budget_pause(s->opts.budget, retry_after_ms);
        if (d != NULL) {
            d->probing = false;
        }
        return; /* the cloud's limit, not the device's fault */
    }
    if (d == NULL) {
        return; /* removed by a reload meanwhile */
    }
    d->probing = false;
    if (code == 0 || code == PARTICLE_ENOTFOUND) {
        /* ENOTFOUND: the variable went away (the next sync drops it); the device answered. */
        if (bridge_breaker_success(&d->breaker)) {
            persist_breaker(s, d);
        }
        return;
    }
    if (bridge_breaker_failure(&d->breaker, &s->active_policy, pu_time_now_ms())) {
        atomic_fetch_add(&m->breaker_trips, 1);
    }
    persist_breaker(s, d);
}

/* Numbers become measurements (booleans 0/1), text a status post, via the writer. */
static void push_reading(bridge_scheduler *s, const poll_call *call, const particle_variable *var)
{
    bridge_reading_in r = {call->device, call->variable,  BRIDGE_READING_NUMBER, 0,
                           NULL,         pu_time_now_ms()};
    switch (particle_variable_type(var)) {
    case PARTICLE_VALUE_INT:
        r.number = (double)particle_variable_int(var);
        break;
    case PARTICLE_VALUE_DOUBLE:
        r.number = particle_variable_double(var);
        break;
    case PARTICLE_VALUE_BOOL:
        r.kind = BRIDGE_READING_BOOL;
        r.number = particle_variable_bool(var) ? 1 : 0;
        break;
    default:
        r.kind = BRIDGE_READING_STRING;
        r.text = particle_variable_string(var);
        break;
    }
    if (r.kind != BRIDGE_READING_STRING || r.text != NULL) {
        bridge_writer_push_reading(s->opts.writer, &r);
    }
}

/* particle_multi callback: runs on the scheduler thread inside particle_multi_perform(). */
static void on_read(int code, const particle_variable *var, void *payload)
{
    poll_call *call = payload;
    bridge_scheduler *s = call->s;
    long retry_after = code != 0 ? particle_error_last()->retry_after_ms : -1;
    bridge_histogram_observe_ms(&s->opts.metrics->poll_latency,
                                pu_time_mono_ms() - call->sent_mono_ms);
    if (code == 0) {
        push_reading(s, call, var); /* waits while the writer's queue is full */
    }
    /* counted once the reading is queued: polls - poll_failures readings are in the writer */
    atomic_fetch_add(&s->opts.metrics->polls, 1);
    if (code != 0) {
        atomic_fetch_add(&s->opts.metrics->poll_failures, 1);
    }
    record_result(s, call->device, code, retry_after);
    call->next_free = s->free_calls;
    s->free_calls = call;
}

static bool start_read(bridge_scheduler *s, const sched_device *d, const sched_slot *sl)
{
    poll_call *call = s->free_calls; /* never NULL: fewer than concurrency reads pending */
    pu_strlcpy(call->device, d->id, sizeof call->device);
    pu_strlcpy(call->variable, sl->name, sizeof call->variable);
    call->sent_mono_ms = pu_time_mono_ms();
    if (particle_multi_variable_get(s->multi, call->device, call->variable, NULL, on_read, call) !=
        0) {
        pu_log(PU_LOG_DEBUG, "scheduler", "cannot read %s of %s: %s", call->variable, call->device,
               particle_error_last()->message);
        return false;
    }
    s->free_calls = call->next_free;
    return true;
}

/* Starts the reads that are due, as far as the concurrency and the budget allow. Returns
 * the monotonic time at which something next becomes due. */
static int64_t dispatch_due(bridge_scheduler *s, int64_t now)
{
    bridge_metrics *m = s->opts.metrics;
    int64_t wall = pu_time_now_ms();
    int64_t idle_until = now + IDLE_WAIT_MS;
    while (s->slot_count > 0 && s->slots[s->due[0]].next_due_ms <= now) {
        sched_slot *sl = &s->slots[s->due[0]];
        sched_device *d = &s->devices[sl->device];
        if (!d->enabled || !sl->enabled) {
            due_reschedule_first(s, now);
            continue;
        }
        if (!bridge_breaker_allows(&d->breaker, wall) || (d->breaker.faulted && d->probing)) {
            atomic_fetch_add(&m->polls_skipped_faulted, 1);
            due_reschedule_first(s, now);
            continue;
        }
        if (particle_multi_pending(s->multi) >= s->opts.concurrency) {
            return idle_until; /* a completion wakes particle_multi_perform before that */
        }
        int64_t retry_ms = 0;
        if (!bridge_budget_take(s->opts.budget, &retry_ms)) {
            return now + retry_ms;
        }
        if (start_read(s, d, sl) && d->breaker.faulted) {
            d->probing = true; /* half-open: one try at a time */
        }
        due_reschedule_first(s, now); /* a read that could not start waits its interval */
    }
    if (s->slot_count > 0 && s->slots[s->due[0]].next_due_ms < idle_until) {
        return s->slots[s->due[0]].next_due_ms;
    }
    return idle_until;
}

static void *scheduler_main(void *arg)
{
    bridge_scheduler *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->lock);
        bool stopping = s->stopping, reload = s->reload;
        s->reload = false;
        s->active_policy = s->policy;
        pthread_mutex_unlock(&s->lock);
        if (stopping) {
            break;
        }
        if (reload) {
            reload_devices(s);
        }
        int64_t now = pu_time_mono_ms();
        int64_t paused_until = bridge_budget_paused_until(s->opts.budget);
        int64_t next = paused_until != 0 ? paused_until : dispatch_due(s, now);
        if (particle_multi_perform(s->multi, (long)(next - now)) < 0) {
            pu_log(PU_LOG_ERROR, "scheduler", "polling: %s", particle_error_last()->message);
            pu_time_sleep_ms(100);
        }
    }
    return NULL;
}

static void wake(bridge_scheduler *s)
{
    particle_multi_wakeup(s->multi);
}

static bool open_client(bridge_scheduler *s, const char *cloud_url, char *err, size_t err_size)
{
    particle_client_options co;
    particle_client_options_init(&co, PARTICLE_CLIENT_OPTIONS_VERSION);
    co.base_url = cloud_url != NULL && cloud_url[0] != '\0' ? cloud_url : NULL;
    co.access_token = s->token;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    co.request_timeout_ms = s->opts.request_timeout_ms;
    particle_multi_options mo = PARTICLE_MULTI_OPTIONS_INIT;
    mo.max_in_flight = s->opts.concurrency;
    if (particle_client_new(&s->client, &co) != 0 ||
        particle_multi_new(&s->multi, s->client, &mo) != 0) {
        snprintf(err, err_size, "poller: %s", particle_error_last()->message);
        return false;
    }
    return true;
}

bridge_scheduler *bridge_scheduler_new(const bridge_scheduler_options *opts, char *err,
                                       size_t err_size)
{
    bridge_scheduler *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    s->opts = *opts;
    if (s->opts.concurrency == 0) {
        s->opts.concurrency = 16;
    }
    if (s->opts.request_timeout_ms == 0) {
        s->opts.request_timeout_ms = 30000;
    }
    s->token = pu_xstrdup(opts->access_token ? opts->access_token : "");
    pu_strlcpy(s->owner, opts->owner ? opts->owner : "", sizeof s->owner);
    /* never keep the caller's pointers */
    s->opts.cloud_url = s->opts.access_token = s->opts.owner = NULL;
    s->policy = s->active_policy = opts->breaker;
    pthread_mutex_init(&s->lock, NULL);
    s->store = bridge_store_open(opts->db_path, err, err_size);
    s->calls = calloc(s->opts.concurrency, sizeof *s->calls);
    for (unsigned int i = 0; s->calls != NULL && i < s->opts.concurrency; i++) {
        s->calls[i] = (poll_call){.s = s, .next_free = s->free_calls};
        s->free_calls = &s->calls[i];
    }
    if (s->store == NULL || s->calls == NULL || !open_client(s, opts->cloud_url, err, err_size)) {
        bridge_scheduler_free(s);
        return NULL;
    }
    reload_devices(s);
    if (pthread_create(&s->thread, NULL, scheduler_main, s) != 0) {
        snprintf(err, err_size, "cannot start the scheduler thread");
        bridge_scheduler_free(s);
        return NULL;
    }
    s->thread_started = true;
    return s;
}

void bridge_scheduler_reload(bridge_scheduler *s)
{
    pthread_mutex_lock(&s->lock);
    s->reload = true;
    pthread_mutex_unlock(&s->lock);
    wake(s);
}

void bridge_scheduler_set_policy(bridge_scheduler *s, const bridge_breaker_policy *p)
{
    pthread_mutex_lock(&s->lock);
    s->policy = *p;
    pthread_mutex_unlock(&s->lock);
    wake(s);
}

void bridge_scheduler_free(bridge_scheduler *s)
{
    if (s == NULL) {
        return;
    }
    if (s->thread_started) {
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_mutex_unlock(&s->lock);
        wake(s);
        pthread_join(s->thread, NULL);
    }
    particle_multi_free(s->multi); /* drops the reads still in flight */
    free(s->calls);
    particle_client_free(s->client);
    pthread_mutex_destroy(&s->lock);
    for (size_t i = 0; i < s->slot_count; i++) {
        free(s->slots[i].name);
    }
    free(s->slots);
    free(s->due);
    free(s->devices);
    bridge_store_close(s->store);
    if (s->token != NULL) {
        pu_secure_zero(s->token, strlen(s->token));
        free(s->token);
    }
    free(s);
}
