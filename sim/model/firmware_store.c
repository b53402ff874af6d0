/* The firmware store's lifetime and lookups (model/sim_firmware.h, firmware_store.h): the
 * floor that the firmware edits (firmware.c) and the updates (firmware_updates.c) share. */
#include <stdlib.h>

#include "model/firmware_store.h"
#include "model/sim_internal.h"

sim_firmware_store *sim_firmware_store_get(sim_model *m)
{
    if (!m->firmware) {
        m->firmware = calloc(1, sizeof(*m->firmware));
        if (!m->firmware)
            abort();
    }
    return m->firmware;
}

void sim_firmware_free_groups(sim_firmware *f)
{
    for (uint32_t g = 0; g < f->group_count; g++)
        free(f->groups[g]);
    free(f->groups);
    f->groups = NULL;
    f->group_count = 0;
}

void sim_firmware_free_fields(sim_firmware *f)
{
    free(f->title);
    free(f->description);
    free(f->filename);
    free(f->data);
    free(f->uploaded_by);
    sim_firmware_free_groups(f);
}

void sim_firmware_store_free(sim_model *m)
{
    sim_firmware_store *s = m->firmware;
    if (!s)
        return;
    for (uint32_t i = 0; i < s->fw_count; i++)
        sim_firmware_free_fields(&s->fw[i]);
    for (uint32_t i = 0; i < s->bin_count; i++) {
        free(s->bins[i].data);
        free(s->bins[i].source);
    }
    free(s->fw);
    free(s->bins);
    free(s->flash);
    free(s->steps);
    free(s);
    m->firmware = NULL;
}

uint32_t sim_firmware_count(const sim_model *m)
{
    return m->firmware ? m->firmware->fw_count : 0;
}

const sim_firmware *sim_firmware_at(const sim_model *m, uint32_t i)
{
    return &m->firmware->fw[i];
}

uint32_t sim_firmware_find(const sim_model *m, uint32_t product, int64_t version)
{
    for (uint32_t i = 0; i < sim_firmware_count(m); i++)
        if (m->firmware->fw[i].product == product && m->firmware->fw[i].version == version)
            return i;
    return SIM_NONE;
}

uint32_t sim_firmware_device_count(const sim_model *m, uint32_t product, int32_t version)
{
    uint32_t n = 0;
    for (uint32_t d = 0; d < m->device_count; d++)
        n += m->devices[d].product == product && m->devices[d].firmware_version == version;
    return n;
}
