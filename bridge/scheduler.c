#include "scheduler.h"

#include <particle/client.h>
#include <particle/devices.h>
#include <particle/particle.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pu_ratelimit.h"
#include "pu_str.h"
#include "pu_time.h"

#define BUDGET_WINDOW_MS (5 * 60 * 1000)
#define DEFAULT_RETRY_AFTER_MS 5000

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

typedef struct job {
    char device[BRIDGE_ID_SIZE];
    char variable[BRIDGE_NAME_SIZE];
} job;

struct bridge_scheduler {
    bridge_scheduler_options opts;
    char *cloud_url, *token;
    bridge_store *store;
    pu_ratelimit *budget;
    pthread_mutex_t lock;
    pthread_cond_t wake; /* scheduler: reload, stop, a worker became free */
    pthread_cond_t work; /* workers: a job is queued, or stop */
    pthread_t thread;
    pthread_t *workers;
    unsigned int started_workers;
    bool stopping, reload;
    sched_device *devices;
    size_t device_count;
    sched_slot *slots;
    size_t slot_count;
    job *queue; /* ring of at most opts.workers jobs */
    size_t q_head, q_len;
    unsigned int busy;       /* workers executing a job */
    int64_t paused_until_ms; /* monotonic; after a 429 */
};

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

/* Loads devices and slots from the store, keeping the due times of slots that stay. */
static void reload_locked(bridge_scheduler *s)
{
    bridge_device *devs = NULL;
    size_t n = 0;
    if (bridge_store_device_list(s->store, &devs, &n) != 0) {
        fprintf(stderr, "particle-bridge: scheduler cannot read devices: %s\n",
                bridge_store_errmsg(s->store));
        return;
    }
    size_t nslots = 0;
    for (size_t i = 0; i < n; i++) {
        nslots += devs[i].gone ? 0 : devs[i].variable_count;
    }
    sched_device *nd = calloc(n ? n : 1, sizeof *nd);
    sched_slot *ns = calloc(nslots ? nslots : 1, sizeof *ns);
    if (nd == NULL || ns == NULL) {
        free(nd);
        free(ns);
        bridge_device_list_free(devs, n);
        return;
    }
    int64_t now = pu_time_mono_ms();
    size_t k = 0, old = 0;
    for (size_t i = 0; i < n; i++) {
        const bridge_device *d = &devs[i];
        sched_device *sd = &nd[i];
        pu_strlcpy(sd->id, d->particle_id, sizeof sd->id);
        sd->enabled = d->enabled && !d->gone;
        sd->check_interval_ms = d->check_interval_ms;
        sd->breaker = (bridge_breaker_state){d->fault_count, d->faulted, d->breaker_reset_at_ms,
                                             d->breaker_trips};
        sched_device *prev = find_device(s, d->particle_id);
        if (prev != NULL) {
            sd->probing = prev->probing;
        }
        if (d->gone) {
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
    bridge_device_list_free(devs, n);
}

static void persist_breaker(bridge_scheduler *s, const sched_device *d)
{
    if (bridge_store_device_set_breaker(s->store, d->id, &d->breaker) != 0) {
        fprintf(stderr, "particle-bridge: cannot save breaker state of %s: %s\n", d->id,
                bridge_store_errmsg(s->store));
    }
}

/* A worker's result, applied under the lock. */
static void record_result(bridge_scheduler *s, const char *device, int code, long retry_after_ms)
{
    bridge_metrics *m = s->opts.metrics;
    sched_device *d = find_device(s, device);
    if (code == PARTICLE_ERATELIMIT) {
        atomic_fetch_add(&m->rate_limited, 1);
        s->paused_until_ms =
            pu_time_mono_ms() + (retry_after_ms > 0 ? retry_after_ms : DEFAULT_RETRY_AFTER_MS);
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
    if (bridge_breaker_failure(&d->breaker, &s->opts.breaker, pu_time_now_ms())) {
        atomic_fetch_add(&m->breaker_trips, 1);
    }
    persist_breaker(s, d);
}

static void *worker_main(void *arg)
{
    bridge_scheduler *s = arg;
    particle_client_options co;
    particle_client_options_init(&co, PARTICLE_CLIENT_OPTIONS_VERSION);
    co.base_url = s->cloud_url;
    co.access_token = s->token;
    co.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    co.request_timeout_ms = s->opts.request_timeout_ms;
    co.max_retries = -1; /* the scheduler decides about retries and the breaker counts */
    particle_client *client = NULL;
    if (particle_client_new(&client, &co) != 0) {
        fprintf(stderr, "particle-bridge: poll worker: %s\n", particle_error_last()->message);
    }
    pthread_mutex_lock(&s->lock);
    for (;;) {
        while (s->q_len == 0 && !s->stopping) {
            pthread_cond_wait(&s->work, &s->lock);
        }
        if (s->stopping) {
            break;
        }
        job j = s->queue[s->q_head];
        s->q_head = (s->q_head + 1) % s->opts.workers;
        s->q_len--;
        s->busy++;
        pthread_mutex_unlock(&s->lock);

        particle_variable *var = NULL;
        int code = client ? particle_variable_get(&var, client, j.device, j.variable, NULL)
                          : PARTICLE_ERROR;
        long retry_after = code != 0 ? particle_error_last()->retry_after_ms : -1;
        atomic_fetch_add(&s->opts.metrics->polls, 1);
        if (code == 0) {
            bridge_reading_in r = {j.device, j.variable, BRIDGE_READING_NUMBER,
                                   0,        NULL,       pu_time_now_ms()};
            switch (particle_variable_type(var)) {
            case PARTICLE_VAR_INT:
                r.number = (double)particle_variable_int(var);
                break;
            case PARTICLE_VAR_DOUBLE:
                r.number = particle_variable_double(var);
                break;
            case PARTICLE_VAR_BOOL:
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
            particle_variable_free(var);
        } else {
            atomic_fetch_add(&s->opts.metrics->poll_failures, 1);
        }

        pthread_mutex_lock(&s->lock);
        s->busy--;
        record_result(s, j.device, code, retry_after);
        pthread_cond_signal(&s->wake);
    }
    pthread_mutex_unlock(&s->lock);
    particle_client_free(client);
    return NULL;
}

static void wait_until(bridge_scheduler *s, int64_t mono_deadline)
{
    int64_t left = mono_deadline - pu_time_mono_ms();
    if (left <= 0) {
        return;
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + (left % 1000) * 1000000;
    until.tv_sec += (time_t)(left / 1000 + ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_cond_timedwait(&s->wake, &s->lock, &until);
}

static void *scheduler_main(void *arg)
{
    bridge_scheduler *s = arg;
    bridge_metrics *m = s->opts.metrics;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        if (s->reload) {
            s->reload = false;
            reload_locked(s);
        }
        int64_t now = pu_time_mono_ms();
        int64_t wall = pu_time_now_ms();
        int64_t next = now + 1000;
        if (now < s->paused_until_ms) {
            wait_until(s, s->paused_until_ms);
            continue;
        }
        for (size_t i = 0; i < s->slot_count && !s->stopping; i++) {
            sched_slot *sl = &s->slots[i];
            if (sl->next_due_ms > now) {
                next = sl->next_due_ms < next ? sl->next_due_ms : next;
                continue;
            }
            sched_device *d = &s->devices[sl->device];
            if (!d->enabled || !sl->enabled) {
                sl->next_due_ms = now + sl->interval_ms;
                continue;
            }
            if (!bridge_breaker_allows(&d->breaker, wall) || (d->breaker.faulted && d->probing)) {
                atomic_fetch_add(&m->polls_skipped_faulted, 1);
                sl->next_due_ms = now + sl->interval_ms;
                continue;
            }
            if (s->q_len + s->busy >= s->opts.workers) {
                next = now + 5; /* the pool is full: come back when a worker is free */
                break;
            }
            int64_t retry_ms = 0;
            if (!pu_ratelimit_hit(s->budget, "cloud", wall, &retry_ms)) {
                next = now + retry_ms;
                break;
            }
            job *j = &s->queue[(s->q_head + s->q_len) % s->opts.workers];
            pu_strlcpy(j->device, d->id, sizeof j->device);
            pu_strlcpy(j->variable, sl->name, sizeof j->variable);
            s->q_len++;
            if (d->breaker.faulted) {
                d->probing = true; /* half-open: one try at a time */
            }
            sl->next_due_ms = now + sl->interval_ms;
            pthread_cond_signal(&s->work);
        }
        wait_until(s, next);
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
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
    if (s->opts.workers == 0) {
        s->opts.workers = 4;
    }
    if (s->opts.budget_per_5min == 0) {
        s->opts.budget_per_5min = 9000;
    }
    if (s->opts.request_timeout_ms == 0) {
        s->opts.request_timeout_ms = 30000;
    }
    s->cloud_url = opts->cloud_url && opts->cloud_url[0] ? pu_xstrdup(opts->cloud_url) : NULL;
    s->token = pu_xstrdup(opts->access_token ? opts->access_token : "");
    s->opts.cloud_url = s->opts.access_token = NULL; /* never keep the caller's pointers */
    s->store = bridge_store_open(opts->db_path, err, err_size);
    s->queue = calloc(s->opts.workers, sizeof *s->queue);
    s->workers = calloc(s->opts.workers, sizeof *s->workers);
    if (s->store == NULL || s->queue == NULL || s->workers == NULL) {
        bridge_scheduler_free(s);
        return NULL;
    }
    s->budget = pu_ratelimit_new(s->opts.budget_per_5min, BUDGET_WINDOW_MS, 1);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    pthread_cond_init(&s->work, NULL);
    reload_locked(s);
    for (unsigned int i = 0; i < s->opts.workers; i++) {
        if (pthread_create(&s->workers[i], NULL, worker_main, s) != 0) {
            break;
        }
        s->started_workers++;
    }
    if (s->started_workers == 0 || pthread_create(&s->thread, NULL, scheduler_main, s) != 0) {
        snprintf(err, err_size, "cannot start the scheduler threads");
        s->thread = 0;
        bridge_scheduler_free(s);
        return NULL;
    }
    return s;
}

void bridge_scheduler_reload(bridge_scheduler *s)
{
    pthread_mutex_lock(&s->lock);
    s->reload = true;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
}

void bridge_scheduler_set_policy(bridge_scheduler *s, const bridge_breaker_policy *p)
{
    pthread_mutex_lock(&s->lock);
    s->opts.breaker = *p;
    pthread_mutex_unlock(&s->lock);
}

void bridge_scheduler_free(bridge_scheduler *s)
{
    if (s == NULL) {
        return;
    }
    if (s->budget != NULL) { /* the lock and threads exist only past that point */
        pthread_mutex_lock(&s->lock);
        s->stopping = true;
        pthread_cond_broadcast(&s->wake);
        pthread_cond_broadcast(&s->work);
        pthread_mutex_unlock(&s->lock);
        if (s->thread) {
            pthread_join(s->thread, NULL);
        }
        for (unsigned int i = 0; i < s->started_workers; i++) {
            pthread_join(s->workers[i], NULL);
        }
        pthread_cond_destroy(&s->wake);
        pthread_cond_destroy(&s->work);
        pthread_mutex_destroy(&s->lock);
        pu_ratelimit_free(s->budget);
    }
    for (size_t i = 0; i < s->slot_count; i++) {
        free(s->slots[i].name);
    }
    free(s->slots);
    free(s->devices);
    free(s->queue);
    free(s->workers);
    bridge_store_close(s->store);
    free(s->cloud_url);
    if (s->token != NULL) {
        pu_secure_zero(s->token, strlen(s->token));
        free(s->token);
    }
    free(s);
}
