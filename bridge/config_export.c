/* The [export.<name>] sections of the configuration (config.h, export_spec.h): one scheduled
 * report export each. A section's keys fill the spec of that name, created at its first key
 * with the defaults below. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "api/reports.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "timespan.h"

#define EXPORT_PREFIX "export."

static bool name_valid(const char *name)
{
    if (name[0] == '\0' || strlen(name) >= BRIDGE_EXPORT_NAME_SIZE) {
        return false;
    }
    for (const char *p = name; *p != '\0'; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* The spec called @p name, added with the defaults when new; NULL when all are taken. */
static bridge_export_spec *spec_named(bridge_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->export_count; i++) {
        if (strcmp(cfg->exports[i].name, name) == 0) {
            return &cfg->exports[i];
        }
    }
    if (cfg->export_count == BRIDGE_MAX_EXPORTS) {
        return NULL;
    }
    bridge_export_spec *s = &cfg->exports[cfg->export_count++];
    *s = (bridge_export_spec){.format = BRIDGE_EXPORT_CSV,
                              .interval_ms = 15 * 60 * 1000,
                              .retries = 3,
                              .retry_backoff_ms = 30 * 1000};
    pu_strlcpy(s->name, name, sizeof s->name);
    return s;
}

static int text_entry(char *dst, size_t size, const char *value, const char **expect)
{
    *expect = "a shorter value";
    return pu_strlcpy(dst, value, size) ? 1 : 0;
}

int bridge_config_export_entry(bridge_config *cfg, const char *section, const char *name,
                               const char *value, const char **expect)
{
    if (strncmp(section, EXPORT_PREFIX, strlen(EXPORT_PREFIX)) != 0) {
        return -1;
    }
    const char *export_name = section + strlen(EXPORT_PREFIX);
    *expect = "a section [export.<name>] whose name has letters, digits, '-' and '_' (at most "
              "16 exports)";
    bridge_export_spec *s = name_valid(export_name) ? spec_named(cfg, export_name) : NULL;
    if (s == NULL) {
        return 0;
    }
    if (strcmp(name, "report") == 0) {
        *expect = "a report name (GET /api/v1/reports/{name})";
        return bridge_report_find(value) != NULL && pu_strlcpy(s->report, value, sizeof s->report);
    }
    if (strcmp(name, "format") == 0) {
        *expect = "csv, json or table";
        if (strcmp(value, "json") == 0) {
            s->format = BRIDGE_EXPORT_JSON;
        } else if (strcmp(value, "csv") == 0) {
            s->format = BRIDGE_EXPORT_CSV;
        } else if (strcmp(value, "table") == 0) {
            s->format = BRIDGE_EXPORT_TABLE;
        } else {
            return 0;
        }
        return 1;
    }
    if (strcmp(name, "interval") == 0) {
        *expect = "a duration of at least 1s";
        return bridge_config_duration_parse(value, &s->interval_ms) && s->interval_ms >= 1000;
    }
    if (strcmp(name, "retry_backoff") == 0) {
        *expect = "a duration";
        return bridge_config_duration_parse(value, &s->retry_backoff_ms) && s->retry_backoff_ms > 0;
    }
    if (strcmp(name, "retries") == 0) {
        int64_t n = 0;
        *expect = "0 to 100";
        bool ok = pu_parse_int64(value, 0, 100, &n) == 0;
        s->retries = (unsigned int)n;
        return ok;
    }
    if (strcmp(name, "directory") == 0) {
        return text_entry(s->directory, sizeof s->directory, value, expect);
    }
    if (strcmp(name, "file") == 0) {
        *expect = "a file name without '/'";
        return strchr(value, '/') == NULL && text_entry(s->file, sizeof s->file, value, expect);
    }
    if (strcmp(name, "product") == 0) {
        return text_entry(s->product, sizeof s->product, value, expect);
    }
    return -1;
}

int bridge_config_export_validate(const bridge_config *cfg, char *err, size_t err_size)
{
    for (size_t i = 0; i < cfg->export_count; i++) {
        const bridge_export_spec *s = &cfg->exports[i];
        if (s->report[0] == '\0' || (s->directory[0] == '\0' && s->format != BRIDGE_EXPORT_TABLE)) {
            snprintf(err, err_size, "[export.%s] needs report and directory (or format = table)",
                     s->name);
            return -1;
        }
    }
    return 0;
}
