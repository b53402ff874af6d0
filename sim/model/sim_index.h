/*
 * sim_index: an open-addressing hash index from a string key to a uint32 value, where the
 * key is not stored but read back through a callback (key_of). The model keeps its devices
 * and tokens in arrays; the index maps "id" -> array position in 4 bytes per slot, which
 * keeps 100,000 devices cheap.
 *
 * Not thread-safe: the model's lock protects it.
 */
#ifndef SIM_INDEX_H
#define SIM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns the key of @p value (borrowed; must stay valid while @p value is indexed). */
typedef const char *sim_index_key_fn(const void *ctx, uint32_t value);

typedef struct sim_index {
    uint32_t *slots; /* 0 = empty, UINT32_MAX = deleted, else value + 1 */
    size_t cap;      /* power of two, or 0 */
    size_t used;     /* live + deleted slots */
    size_t count;    /* live entries */
    sim_index_key_fn *key_of;
    const void *ctx;
} sim_index;

void sim_index_init(sim_index *ix, sim_index_key_fn *key_of, const void *ctx);
void sim_index_dispose(sim_index *ix);
/* Adds @p value under key_of(value), replacing an entry with the same key. Aborts on OOM. */
void sim_index_put(sim_index *ix, uint32_t value);
/* Looks @p key up; true and *out set when found. */
bool sim_index_get(const sim_index *ix, const char *key, uint32_t *out);
/* Removes @p key if present. */
void sim_index_remove(sim_index *ix, const char *key);
/* Empties the index (keeps its memory). */
void sim_index_clear(sim_index *ix);

#endif
