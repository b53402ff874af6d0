/*
 * For the model's own files (model/): how a change is announced, and how its arrays grow.
 * Code outside model/ does not include this: it changes the model through the functions of
 * sim_model.h, sim_tokens.h and sim_cards.h, which call these.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "model/sim_model.h"

/* Tells every observer of @p kind on @p index (device @p fields for SIM_CHANGED_DEVICE). */
void sim_model_notify(sim_model *m, sim_change_kind kind, uint32_t index, uint32_t fields);
/* Device @p dev changed in @p fields: a new rev (the rendering cache's key), then the
 * observers are told. */
void sim_model_device_changed(sim_model *m, uint32_t dev, uint32_t fields);
/* A new rev alone: a device that is built, not changed. */
void sim_model_device_new_rev(sim_model *m, uint32_t dev);

/* Grows *@p arr (*@p cap elements of @p elem bytes) to hold at least @p need elements,
 * doubling from 16; new elements are not initialised. Aborts on OOM (the server's policy). */
void sim_model_reserve(void **arr, uint32_t need, uint32_t *cap, size_t elem);

/* Frees what an OAuth client owns (its strings), not the client slot. */
void sim_model_client_free_fields(sim_client *cl);

#endif
