/*
 * A store that refuses writes on demand, for the writer's fault tests: it wraps a real store
 * (its state and operations) and, while told to, answers a batch write (and, for a busy
 * database, a device read too) with BRIDGE_STORE_ERROR and the message SQLite gives for the
 * fault. Hand it to the writer through bridge_writer_options.store, which then owns it.
 *
 * This is the test-side seam until the SQLite driver has its own fault hook; only the
 * calls the writer's retry path makes are wrapped, every other operation is the real one.
 */
#ifndef BRIDGE_FAULTY_STORE_H
#define BRIDGE_FAULTY_STORE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>

#include "store/store.h"

typedef struct faulty_store {
    bridge_store st; /* what the writer gets: the real backend state, the ops below */
    bridge_store *real;
    bridge_store_ops ops;
    const char *message;    /* errmsg after a refused call */
    bool reads_too;         /* a busy database: device reads fail as well */
    atomic_bool failing;    /* refuse every call while set */
    atomic_int refuse_next; /* refuse this many calls, then pass */
    atomic_uint refused;    /* calls refused so far */
    bool last_refused;      /* the writer thread's last call was refused */
} faulty_store;

static faulty_store *faulty_of(const bridge_store *st)
{
    return (faulty_store *)st; /* st is the first member */
}

/* Whether this call is refused (and counts it). */
static bool faulty_refuse(faulty_store *f)
{
    int left = atomic_load(&f->refuse_next);
    while (left > 0 && !atomic_compare_exchange_weak(&f->refuse_next, &left, left - 1)) {
    }
    f->last_refused = atomic_load(&f->failing) || left > 0;
    if (f->last_refused) {
        atomic_fetch_add(&f->refused, 1);
    }
    return f->last_refused;
}

static int faulty_write_batch(bridge_store *st, const bridge_record *recs, size_t count,
                              bridge_write_result *result)
{
    faulty_store *f = faulty_of(st);
    return faulty_refuse(f) ? BRIDGE_STORE_ERROR
                            : f->real->ops->write_batch(st, recs, count, result);
}

static int faulty_device_get(bridge_store *st, const char *id, bridge_device *out)
{
    faulty_store *f = faulty_of(st);
    if (f->reads_too && faulty_refuse(f)) {
        return BRIDGE_STORE_ERROR;
    }
    f->last_refused = false;
    return f->real->ops->device_get(st, id, out);
}

static const char *faulty_errmsg(const bridge_store *st)
{
    faulty_store *f = faulty_of(st);
    return f->last_refused ? f->message : f->real->ops->errmsg(st);
}

static void faulty_close(bridge_store *st)
{
    faulty_store *f = faulty_of(st);
    bridge_store_close(f->real);
    free(f);
}

/* Wraps @p real (taking it). @p message: "database or disk is full" (SQLITE_FULL) or
 * "database is locked" (SQLITE_BUSY, with @p reads_too). */
static faulty_store *faulty_store_new(bridge_store *real, const char *message, bool reads_too)
{
    faulty_store *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return NULL;
    }
    f->real = real;
    f->ops = *real->ops;
    f->ops.write_batch = faulty_write_batch;
    f->ops.device_get = faulty_device_get;
    f->ops.errmsg = faulty_errmsg;
    f->ops.close = faulty_close;
    f->st = (bridge_store){.backend = real->backend, .impl = real->impl, .ops = &f->ops};
    f->message = message;
    f->reads_too = reads_too;
    atomic_init(&f->failing, false);
    atomic_init(&f->refuse_next, 0);
    atomic_init(&f->refused, 0);
    return f;
}

#endif
