/* Product firmware and other binaries (model/sim_firmware.h): uploads, edits, releases,
 * flashing a binary. The store's lifetime and lookups are model/firmware_store.c's, the
 * updates they cause model/firmware_updates.c's. */
#include <stdlib.h>
#include <string.h>

#include "model/account_text.h"
#include "model/firmware_store.h"
#include "model/sim_groups.h"
#include "model/sim_internal.h"
#include "pu_str.h"

static unsigned char *copy_bytes(const unsigned char *data, size_t size)
{
    unsigned char *out = malloc(size ? size : 1);
    if (!out)
        abort();
    if (size)
        memcpy(out, data, size);
    return out;
}

/* A title: 1 to @p max bytes without control characters; a description (@p may_be_empty):
 * up to @p max bytes, line breaks allowed. Both come from parsed bodies (UTF-8). */
static bool text_ok(const char *s, size_t max, bool may_be_empty)
{
    return may_be_empty ? s && strlen(s) <= max : sim_plain_text(s, max, false);
}

/* Why @p data cannot be @p product's firmware, or NULL (@p info gets what it says). */
static const char *binary_problem(const unsigned char *data, size_t size, uint16_t platform_id,
                                  sim_module_info *info)
{
    if (!data || size == 0)
        return "The firmware binary is empty";
    if (size > SIM_FIRMWARE_MAX_BYTES)
        return "The firmware binary is larger than 512 KiB";
    if (!sim_module_read(data, size, info))
        return "The file is not a Particle firmware binary (no module prefix)";
    if (info->platform_id != platform_id)
        return "The firmware binary is for another platform than the product's";
    return NULL;
}

static void put_firmware(sim_model *m, uint32_t product, const sim_firmware_upload *u,
                         const char *app_hash, const char *id, int64_t uploaded_ms)
{
    sim_firmware_store *s = sim_firmware_store_get(m);
    sim_model_reserve((void **)&s->fw, s->fw_count + 1, &s->fw_cap, sizeof(*s->fw));
    sim_firmware *f = &s->fw[s->fw_count++];
    *f = (sim_firmware){.product = product,
                        .version = (int32_t)u->version,
                        .title = pu_xstrdup(u->title),
                        .description = u->description ? pu_xstrdup(u->description) : NULL,
                        .filename = pu_xstrdup(u->filename ? u->filename : "firmware.bin"),
                        .data = copy_bytes(u->data, u->size),
                        .size = u->size,
                        .mandatory = u->mandatory,
                        .uploaded_by = u->uploaded_by ? pu_xstrdup(u->uploaded_by) : NULL,
                        .uploaded_ms = uploaded_ms};
    memcpy(f->app_hash, app_hash, sizeof(f->app_hash));
    if (id)
        pu_strlcpy(f->id, id, sizeof(f->id));
    else
        pu_random_hex(f->id, 12, &m->rng);
}

const char *sim_firmware_upload_add(sim_model *m, uint32_t product, const sim_firmware_upload *u,
                                    uint32_t *index_out, sim_result *result)
{
    sim_module_info info;
    *result = SIM_INVALID;
    if (u->version < 1 || u->version > INT32_MAX)
        return "version must be a whole number from 1";
    if (!text_ok(u->title, SIM_FIRMWARE_TITLE_MAX, false))
        return "title is required: 1 to 128 characters of text";
    if (u->description && !text_ok(u->description, SIM_FIRMWARE_DESCRIPTION_MAX, true))
        return "description must be text of at most 1024 characters";
    const char *bad = binary_problem(u->data, u->size, m->products[product].platform_id, &info);
    if (bad)
        return bad;
    if (sim_firmware_find(m, product, u->version) != SIM_NONE) {
        *result = SIM_CONFLICT;
        return "This version of the product's firmware exists already";
    }
    put_firmware(m, product, u, info.app_hash, NULL, sim_model_now(m));
    *result = SIM_OK;
    *index_out = m->firmware->fw_count - 1;
    sim_model_notify(m, SIM_CHANGED_FIRMWARE, *index_out, 0);
    return NULL;
}

const char *sim_firmware_edit(sim_model *m, uint32_t fw, const char *title, bool set_description,
                              const char *description)
{
    sim_firmware *f = &m->firmware->fw[fw];
    if (title && !text_ok(title, SIM_FIRMWARE_TITLE_MAX, false))
        return "title must be 1 to 128 characters of text";
    if (set_description && description && !text_ok(description, SIM_FIRMWARE_DESCRIPTION_MAX, true))
        return "description must be text of at most 1024 characters";
    if (title) {
        free(f->title);
        f->title = pu_xstrdup(title);
    }
    if (set_description) {
        free(f->description);
        f->description = description ? pu_xstrdup(description) : NULL;
    }
    sim_model_notify(m, SIM_CHANGED_FIRMWARE, fw, 0);
    return NULL;
}

const char *sim_firmware_delete(sim_model *m, uint32_t fw)
{
    sim_firmware_store *s = m->firmware;
    if (s->fw[fw].released_ms)
        return "Released firmware cannot be deleted";
    sim_model_notify(m, SIM_CHANGED_FIRMWARE_DELETED, fw, 0);
    sim_firmware_free_fields(&s->fw[fw]);
    memmove(&s->fw[fw], &s->fw[fw + 1], (s->fw_count - fw - 1) * sizeof(*s->fw));
    s->fw_count--;
    return NULL;
}

int32_t sim_firmware_group_version(const sim_model *m, uint32_t product, uint32_t group)
{
    int32_t best = -1;
    const char *name = m->products[product].groups[group];
    for (uint32_t i = 0; i < sim_firmware_count(m); i++) {
        const sim_firmware *f = &m->firmware->fw[i];
        for (uint32_t g = 0; f->product == product && g < f->group_count; g++)
            if (strcmp(f->groups[g], name) == 0 && f->version > best)
                best = f->version;
    }
    return best;
}

/* Sets @p f's release state (no checks, no notifications). */
static void set_release(sim_model *m, uint32_t fw, bool product_default, const char *const *groups,
                        size_t group_count, int64_t released_ms)
{
    sim_firmware_store *s = m->firmware;
    sim_firmware *f = &s->fw[fw];
    if (product_default)
        for (uint32_t i = 0; i < s->fw_count; i++)
            if (s->fw[i].product == f->product && s->fw[i].product_default) {
                s->fw[i].product_default = false;
                if (i != fw)
                    sim_model_notify(m, SIM_CHANGED_FIRMWARE, i, 0);
            }
    f->product_default = product_default;
    sim_firmware_free_groups(f);
    if (group_count) {
        f->groups = calloc(group_count, sizeof(*f->groups));
        if (!f->groups)
            abort();
    }
    for (size_t g = 0; g < group_count; g++)
        f->groups[f->group_count++] = pu_xstrdup(groups[g]);
    f->released_ms = released_ms;
}

const char *sim_firmware_release(sim_model *m, uint32_t fw, bool product_default,
                                 const char *const *groups, size_t group_count)
{
    uint32_t product = m->firmware->fw[fw].product;
    if (!product_default && !group_count)
        return "Release to the product (product_default) or to groups";
    for (size_t g = 0; g < group_count; g++)
        if (!groups[g] || sim_group_find(m, product, groups[g]) == SIM_NONE)
            return "groups must name groups of the product";
    int32_t *before = malloc((m->device_count ? m->device_count : 1) * sizeof(*before));
    if (!before)
        abort();
    for (uint32_t d = 0; d < m->device_count; d++)
        before[d] = m->devices[d].product == product ? sim_firmware_target(m, d) : -1;
    int64_t now = sim_model_now(m);
    set_release(m, fw, product_default, groups, group_count, now);
    sim_model_notify(m, SIM_CHANGED_FIRMWARE, fw, 0);
    for (uint32_t d = 0; d < m->device_count; d++) {
        if (m->devices[d].product != product || sim_firmware_target(m, d) == before[d])
            continue;
        /* what it shows changed (its target), not what it runs: a new rev, no one told */
        sim_model_device_new_rev(m, d);
        sim_firmware_consider(m, d, now + (int64_t)(pu_rand_next(&m->rng) % SIM_FLASH_SPREAD_MS));
    }
    free(before);
    return NULL;
}

void sim_firmware_restore(sim_model *m, uint32_t product, const sim_firmware_upload *u,
                          const char *id, int64_t uploaded_ms, bool product_default,
                          const char *const *groups, size_t group_count, int64_t released_ms)
{
    sim_module_info info = {.app_hash = ""};
    sim_module_read(u->data, u->size, &info);
    uint32_t fw = sim_firmware_find(m, product, u->version);
    if (fw != SIM_NONE) { /* the stored copy wins */
        sim_firmware_store *s = m->firmware;
        sim_firmware_free_fields(&s->fw[fw]);
        memmove(&s->fw[fw], &s->fw[fw + 1], (s->fw_count - fw - 1) * sizeof(*s->fw));
        s->fw_count--;
    }
    put_firmware(m, product, u, info.app_hash, id, uploaded_ms);
    set_release(m, m->firmware->fw_count - 1, product_default, groups, group_count, released_ms);
}

/* ---- other binaries ---- */

static uint32_t put_binary(sim_model *m, const unsigned char *data, size_t size,
                           const sim_module_info *info, const char *source)
{
    sim_firmware_store *s = sim_firmware_store_get(m);
    sim_model_reserve((void **)&s->bins, s->bin_count + 1, &s->bin_cap, sizeof(*s->bins));
    sim_binary *b = &s->bins[s->bin_count];
    *b = (sim_binary){.data = copy_bytes(data, size),
                      .size = size,
                      .platform_id = info->platform_id,
                      .source = source ? pu_xstrdup(source) : NULL};
    memcpy(b->app_hash, info->app_hash, sizeof(b->app_hash));
    pu_random_hex(b->id, 12, &m->rng);
    return s->bin_count++;
}

const char *sim_binary_add_prepared(sim_model *m, const char *source, const unsigned char *data,
                                    size_t size, uint32_t *binary_out)
{
    sim_module_info info;
    if (!size || size > SIM_FIRMWARE_MAX_BYTES || !sim_module_read(data, size, &info))
        return "not a Particle firmware binary of at most 512 KiB";
    *binary_out = put_binary(m, data, size, &info, source);
    return NULL;
}

const char *sim_firmware_flash_binary(sim_model *m, uint32_t dev, const unsigned char *data,
                                      size_t size, uint32_t *binary_out)
{
    sim_module_info info;
    const char *bad = binary_problem(data, size, m->devices[dev].platform_id, &info);
    if (bad)
        return strcmp(bad, "The firmware binary is for another platform than the product's") == 0
                   ? "The firmware binary is for another platform than the device's"
                   : bad;
    if (!m->devices[dev].online)
        return "The device is offline: flash it when it is connected";
    *binary_out = put_binary(m, data, size, &info, NULL);
    sim_firmware_start_binary(m, dev, *binary_out, sim_model_now(m));
    return NULL;
}

uint32_t sim_binary_count(const sim_model *m)
{
    return m->firmware ? m->firmware->bin_count : 0;
}

const sim_binary *sim_binary_at(const sim_model *m, uint32_t i)
{
    return &m->firmware->bins[i];
}

uint32_t sim_binary_find(const sim_model *m, const char *id)
{
    for (uint32_t i = 0; id && i < sim_binary_count(m); i++)
        if (strcmp(m->firmware->bins[i].id, id) == 0)
            return i;
    return SIM_NONE;
}

uint32_t sim_binary_find_source(const sim_model *m, const char *source, uint16_t platform_id)
{
    for (uint32_t i = 0; source && i < sim_binary_count(m); i++) {
        const sim_binary *b = &m->firmware->bins[i];
        if (b->source && strcmp(b->source, source) == 0 &&
            (!platform_id || b->platform_id == platform_id))
            return i;
    }
    return SIM_NONE;
}
