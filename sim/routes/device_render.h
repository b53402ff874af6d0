/*
 * Fast rendering of the §5.1 device object for the hot list and get routes.
 *
 * This is the one definition of the device object in the simulator (tests/unit/sim/
 * test_sim_render.c keeps a jansson-built oracle of it and checks the two agree byte for
 * byte: same fields, order, types and escaping as json_dumps(JSON_COMPACT)). No jansson tree
 * is built per request: each device's object is written once into a cached text with its
 * optional parts marked ("owner", the product-only fields), and "last_heard", the one field
 * that moves with the clock, is spliced in per request. An entry is valid while the device's
 * rev is unchanged (the model gives a device a new rev on every change it shows); revs are
 * unique over the model's life, so a reset needs no invalidation (sim_render_cache_clear
 * only gives the memory back).
 *
 * The cache holds at most max_bytes of entries; devices beyond that are rendered into a
 * scratch buffer on each request (same bytes, slower). Debug builds (no NDEBUG) check every
 * cache hit against a fresh rendering and abort on a difference, so a field changed without
 * a new rev shows up in any test that lists the device afterwards.
 *
 * Threads: the cache has no lock of its own; every call needs the model lock.
 */
#ifndef SIM_DEVICE_RENDER_H
#define SIM_DEVICE_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_model.h"
#include "pu_buf.h"

typedef struct sim_render_cache sim_render_cache;

/* A cache of at most @p max_bytes (0 = 16 MiB) of rendered devices. Aborts on OOM. */
sim_render_cache *sim_render_cache_new(size_t max_bytes);
void sim_render_cache_free(sim_render_cache *c); /* NULL-safe */
/* Frees every entry (after the model was cleared and reloaded). */
void sim_render_cache_clear(sim_render_cache *c);
/* Bytes held by entries (for tests and the memory figures). */
size_t sim_render_cache_bytes(const sim_render_cache *c);

/* Appends device @p dev's object (reference/cloud-api.md §5.1) to @p out: @p product_view
 * adds the product-only fields, @p with_owner "owner"; "last_heard" is @p now (sim_model_now(),
 * read once per response so a list is one snapshot) while the device is online. Model lock
 * held. */
void sim_render_device(sim_render_cache *c, const sim_model *m, uint32_t dev, bool product_view,
                       bool with_owner, int64_t now, pu_buf *out);

/* Appends @p s as a JSON string, escaped as jansson dumps it ("null" for NULL). */
void sim_render_string(pu_buf *out, const char *s);

#endif
