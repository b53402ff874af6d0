/* The hardening keys of the bridge config (see config_hardening.h). */
#include <string.h>

#include "config_hardening.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "timespan.h"

static bool parse_count(const char *v, unsigned int *out)
{
    int64_t n;
    if (pu_parse_int64(v, 1, 1000000, &n) != 0)
        return false;
    *out = (unsigned int)n;
    return true;
}

/* A whole number of seconds, at least one. */
static bool parse_seconds(const char *v, unsigned int *out)
{
    int64_t ms;
    if (!bridge_config_duration_parse(v, &ms) || ms < 1000 || ms % 1000 != 0 ||
        ms > 24 * 3600 * 1000)
        return false;
    *out = (unsigned int)(ms / 1000);
    return true;
}

static bool is(const char *section, const char *name, const char *s, const char *n)
{
    return strcmp(section, s) == 0 && strcmp(name, n) == 0;
}

int bridge_config_hardening_entry(bridge_config *cfg, const char *section, const char *name,
                                  const char *value, const char **expect)
{
    bool ok;
    if (is(section, name, "api", "max_connections")) {
        ok = parse_count(value, &cfg->max_connections), *expect = "1 to 1000000";
    } else if (is(section, name, "api", "max_connections_per_ip")) {
        ok = parse_count(value, &cfg->max_connections_per_ip), *expect = "1 to 1000000";
    } else if (is(section, name, "api", "request_deadline")) {
        ok = parse_seconds(value, &cfg->request_deadline_s);
        *expect = "a duration of whole seconds, 1s to 24h";
    } else if (is(section, name, "api", "cors_origins")) {
        ok = pu_strlcpy(cfg->cors_origins, value, sizeof cfg->cors_origins);
        *expect = "a comma-separated list of origins, or *";
    } else if (is(section, name, "api", "open_health")) {
        ok = pu_parse_bool(value, &cfg->open_health) == 0, *expect = "true or false";
    } else if (is(section, name, "api", "csv_formula_escape")) {
        ok = pu_parse_bool(value, &cfg->csv_formula_escape) == 0, *expect = "true or false";
    } else if (is(section, name, "database", "group")) {
        ok = pu_strlcpy(cfg->database_group, value, sizeof cfg->database_group);
        *expect = "a group name";
    } else {
        return -1;
    }
    return ok ? 1 : 0;
}
