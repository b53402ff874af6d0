/* The [api] keys of the web dashboard (config.h): whether it is served, where its files and
 * Chart.js are, and how long an idle session lives. The read-only key is a secret and is read
 * with the others in config.c. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "timespan.h"

#define SESSION_IDLE_MIN_MS 1000LL
#define SESSION_IDLE_MAX_MS (30LL * 24 * 3600 * 1000)

static bool is(const char *section, const char *name, const char *n)
{
    return strcmp(section, "api") == 0 && strcmp(name, n) == 0;
}

int bridge_config_dashboard_entry(bridge_config *cfg, const char *section, const char *name,
                                  const char *value, const char **expect)
{
    bool ok;
    if (is(section, name, "dashboard")) {
        ok = pu_parse_bool(value, &cfg->dashboard) == 0;
        *expect = "true or false";
    } else if (is(section, name, "dashboard_dir")) {
        ok = value[0] != '\0' && pu_strlcpy(cfg->dashboard_dir, value, sizeof cfg->dashboard_dir);
        *expect = "a folder";
    } else if (is(section, name, "chartjs_path")) {
        ok = value[0] != '\0' && pu_strlcpy(cfg->chartjs_path, value, sizeof cfg->chartjs_path);
        *expect = "a file";
    } else if (is(section, name, "session_idle")) {
        ok = bridge_config_duration_parse(value, &cfg->session_idle_ms) &&
             cfg->session_idle_ms >= SESSION_IDLE_MIN_MS &&
             cfg->session_idle_ms <= SESSION_IDLE_MAX_MS;
        *expect = "a duration from 1s to 30d";
    } else {
        return -1;
    }
    return ok ? 1 : 0;
}

void bridge_config_dashboard_warning(const bridge_config *cfg, char *out, size_t size)
{
    out[0] = '\0';
    if (!cfg->dashboard) {
        return;
    }
    char index[BRIDGE_PATH_SIZE + 16];
    snprintf(index, sizeof index, "%s/index.html", cfg->dashboard_dir);
    if (access(index, R_OK) != 0) {
        snprintf(out, size, "[api] dashboard_dir %s has no index.html: / answers 404",
                 cfg->dashboard_dir);
    } else if (access(cfg->chartjs_path, R_OK) != 0) {
        snprintf(out, size,
                 "[api] chartjs_path %s cannot be read: the dashboard draws no charts "
                 "(install libjs-chart.js or set chartjs_path)",
                 cfg->chartjs_path);
    }
}
