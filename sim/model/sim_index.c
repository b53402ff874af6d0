/* Open addressing with linear probing; keys are fetched from the owner through key_of. */
#include "sim_index.h"
#include "pu_hash.h"

#include <stdlib.h>
#include <string.h>

#define SLOT_EMPTY 0u
#define SLOT_DELETED UINT32_MAX

void sim_index_init(sim_index *ix, sim_index_key_fn *key_of, const void *ctx)
{
    memset(ix, 0, sizeof(*ix));
    ix->key_of = key_of;
    ix->ctx = ctx;
}

void sim_index_dispose(sim_index *ix)
{
    free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->used = ix->count = 0;
}

void sim_index_clear(sim_index *ix)
{
    if (ix->slots)
        memset(ix->slots, 0, ix->cap * sizeof(*ix->slots));
    ix->used = ix->count = 0;
}

static void insert_slot(uint32_t *slots, size_t cap, uint64_t h, uint32_t stored)
{
    size_t i = (size_t)h & (cap - 1);
    while (slots[i] != SLOT_EMPTY)
        i = (i + 1) & (cap - 1);
    slots[i] = stored;
}

static void grow(sim_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 64;
    /* Rehash in place of tombstones when most used slots are deleted ones. */
    if (ix->cap && ix->count * 2 < ix->cap / 2)
        cap = ix->cap;
    uint32_t *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        abort();
    for (size_t i = 0; i < ix->cap; i++) {
        uint32_t s = ix->slots[i];
        if (s != SLOT_EMPTY && s != SLOT_DELETED)
            insert_slot(slots, cap, pu_fnv1a64(ix->key_of(ix->ctx, s - 1)), s);
    }
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    ix->used = ix->count;
}

static size_t find(const sim_index *ix, const char *key, bool *found)
{
    *found = false;
    if (!ix->cap)
        return 0;
    size_t i = (size_t)pu_fnv1a64(key) & (ix->cap - 1);
    for (size_t n = 0; n < ix->cap; n++, i = (i + 1) & (ix->cap - 1)) {
        uint32_t s = ix->slots[i];
        if (s == SLOT_EMPTY)
            return i;
        if (s != SLOT_DELETED && strcmp(ix->key_of(ix->ctx, s - 1), key) == 0) {
            *found = true;
            return i;
        }
    }
    return 0;
}

void sim_index_put(sim_index *ix, uint32_t value)
{
    const char *key = ix->key_of(ix->ctx, value);
    bool found;
    size_t i = find(ix, key, &found);
    if (found) {
        ix->slots[i] = value + 1;
        return;
    }
    if ((ix->used + 1) * 4 > ix->cap * 3)
        grow(ix);
    insert_slot(ix->slots, ix->cap, pu_fnv1a64(key), value + 1);
    ix->used++;
    ix->count++;
}

bool sim_index_get(const sim_index *ix, const char *key, uint32_t *out)
{
    bool found;
    size_t i = find(ix, key, &found);
    if (found)
        *out = ix->slots[i] - 1;
    return found;
}

void sim_index_remove(sim_index *ix, const char *key)
{
    bool found;
    size_t i = find(ix, key, &found);
    if (found) {
        ix->slots[i] = SLOT_DELETED;
        ix->count--;
    }
}
