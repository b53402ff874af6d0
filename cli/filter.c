#include "filter.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "pu_str.h"

/* Particle platform ids (Device OS platform numbers), as particle-cli names them. */
static const struct {
    int id;
    const char *name;
} platforms[] = {
    {0, "core"},     {6, "photon"},    {8, "p1"},    {10, "electron"}, {12, "argon"},
    {13, "boron"},   {14, "xenon"},    {22, "asom"}, {23, "bsom"},     {25, "b5som"},
    {26, "tracker"}, {28, "trackerm"}, {32, "p2"},   {35, "msom"},
};

const char *cli_platform_name(int platform_id)
{
    for (size_t i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
        if (platforms[i].id == platform_id) {
            return platforms[i].name;
        }
    }
    return NULL;
}

int cli_platform_id(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof(platforms) / sizeof(platforms[0]); i++) {
        if (strcasecmp(platforms[i].name, name) == 0) {
            return platforms[i].id;
        }
    }
    return -1;
}

bool cli_filter_match(const char *filter, const char *name, const char *id, int platform_id,
                      bool online)
{
    if (filter == NULL || filter[0] == '\0') {
        return true;
    }
    if (strcasecmp(filter, "online") == 0) {
        return online;
    }
    if (strcasecmp(filter, "offline") == 0) {
        return !online;
    }
    int wanted = cli_platform_id(filter);
    if (wanted >= 0) {
        return platform_id == wanted;
    }
    return pu_str_contains_nocase(name, filter) || pu_str_contains_nocase(id, filter);
}
