/*
 * The keys particle-bridge's INI file accepts, one table: the parser (config.c) refuses a
 * key that is not in it, and the sample configuration (dist/config/particle-bridge.ini) is
 * tested against it (tests/unit/bridge/test_bridge_config_sample.c), so the parser, the
 * sample and the docs cannot drift apart. A new key goes here and into the sample.
 */
#ifndef BRIDGE_CONFIG_KEYS_H
#define BRIDGE_CONFIG_KEYS_H

#include <stddef.h>

/* More than the table holds; sizes the per-key arrays of the parser (a test checks). */
#define BRIDGE_CONFIG_MAX_KEYS 128

typedef struct bridge_config_key {
    const char *section; /* "export.*" stands for every [export.<name>] section */
    const char *name;
} bridge_config_key;

extern const bridge_config_key bridge_config_keys[];
extern const size_t bridge_config_key_count;

/* The key's index in bridge_config_keys, or -1 when the parser does not accept it. */
int bridge_config_key_index(const char *section, const char *name);

#endif
