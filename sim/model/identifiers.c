/* Devices found by what is printed on them: serial number, IMEI, ICCID (sim_model.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "model/sim_model.h"

uint32_t sim_model_find_serial(const sim_model *m, const char *serial)
{
    if (!*serial)
        return SIM_NONE;
    for (uint32_t i = 0; i < m->device_count; i++)
        if (strcasecmp(m->devices[i].serial, serial) == 0)
            return i;
    return SIM_NONE;
}

/* The device for a 24-hex id in any case, else SIM_NONE. */
static uint32_t find_id_any_case(const sim_model *m, const char *id)
{
    char lower[SIM_DEVICE_ID_LEN + 1];
    if (strlen(id) != SIM_DEVICE_ID_LEN)
        return SIM_NONE;
    for (size_t i = 0; i < SIM_DEVICE_ID_LEN; i++) {
        if (!isxdigit((unsigned char)id[i]))
            return SIM_NONE;
        lower[i] = (char)tolower((unsigned char)id[i]);
    }
    lower[SIM_DEVICE_ID_LEN] = '\0';
    return sim_model_find_device_id(m, lower);
}

uint32_t sim_model_find_device_identifier(const sim_model *m, const char *identifier)
{
    uint32_t dev = find_id_any_case(m, identifier);
    if (dev != SIM_NONE || !*identifier)
        return dev;
    dev = sim_model_find_serial(m, identifier);
    for (uint32_t i = 0; dev == SIM_NONE && i < m->device_count; i++)
        if (strcmp(m->devices[i].imei, identifier) == 0 ||
            strcmp(m->devices[i].iccid, identifier) == 0)
            dev = i;
    return dev;
}
