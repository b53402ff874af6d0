/* The [webhook] section of the configuration (config.h): whether the bridge keeps an
 * integration in the cloud that delivers events to its own POST /api/v1/webhook, and what
 * that integration looks like. The shared secret is [api]'s webhook secret. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pu_parse.h"
#include "pu_str.h"

int bridge_config_webhook_entry(bridge_config *cfg, const char *name, const char *value,
                                const char **expect)
{
    if (strcmp(name, "manage") == 0) {
        *expect = "true or false";
        return pu_parse_bool(value, &cfg->webhook_manage) == 0;
    }
    struct {
        const char *key;
        char *dst;
        size_t size;
    } texts[] = {
        {"public_url", cfg->webhook_public_url, sizeof cfg->webhook_public_url},
        {"events", cfg->webhook_events, sizeof cfg->webhook_events},
        {"product", cfg->webhook_product, sizeof cfg->webhook_product},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (strcmp(name, texts[i].key) == 0) {
            *expect = "a shorter value";
            return pu_strlcpy(texts[i].dst, value, texts[i].size);
        }
    }
    return -1;
}

int bridge_config_webhook_validate(const bridge_config *cfg, char *err, size_t err_size)
{
    if (!cfg->webhook_manage) {
        return 0;
    }
    const char *url = cfg->webhook_public_url;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        snprintf(err, err_size,
                 "[webhook] public_url must be the bridge's URL as the cloud reaches it, "
                 "starting with http:// or https://");
        return -1;
    }
    if (cfg->webhook_events[0] == '\0') {
        snprintf(err, err_size, "[webhook] events (the event-name prefix to deliver) is empty");
        return -1;
    }
    if (cfg->webhook_secret[0] == '\0') {
        snprintf(err, err_size,
                 "[webhook] manage needs the webhook secret: set PARTICLE_BRIDGE_WEBHOOK_SECRET "
                 "or [api] webhook_secret_file");
        return -1;
    }
    return 0;
}
