/*
 * Fast rendering of the §5.1 device object for the hot list and get routes.
 *
 * sim_device_json() (routes/common.c) builds the object as a jansson tree; it is the
 * definition. This renderer writes the same bytes (what json_dumps(JSON_COMPACT) of that
 * tree gives: same fields, order, types and escaping) without building a tree per request:
 * each device's object is written once into a cached text with its optional parts marked
 * ("owner", the product-only fields), and "last_heard", the one field that moves with the
 * clock, is spliced in per request. An entry is valid while the device's rev is unchanged
 * (sim_model_device_changed); revs are unique over the model's life, so a reset needs no
 * invalidation (sim_render_cache_clear only gives the memory back).
 *
 * The cache holds at most max_bytes of entries; devices beyond that are rendered into a
 * scratch buffer on each request (same bytes, slower). Debug builds (no NDEBUG) check every
 * cache hit against a fresh rendering and abort on a difference, so a field written without
 * sim_model_device_changed() shows up in any test that lists the device afterwards.
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

/* Appends device @p dev's object to @p out: byte for byte json_dumps(sim_device_json(m, dev,
 * product_view, with_owner), JSON_COMPACT) at simulation time @p now (sim_model_now(), read
 * once per response so a list is one snapshot). Model lock held. */
void sim_render_device(sim_render_cache *c, const sim_model *m, uint32_t dev, bool product_view,
                       bool with_owner, int64_t now, pu_buf *out);

/* Appends @p s as a JSON string, escaped as jansson dumps it ("null" for NULL). */
void sim_render_string(pu_buf *out, const char *s);

#endif
