/* The table of accepted config keys (config_keys.h), in the order of the sample file. */
#include "config_keys.h"

#include <stdbool.h>
#include <string.h>

const bridge_config_key bridge_config_keys[] = {
    {"cloud", "url"},
    {"cloud", "token"},
    {"cloud", "token_file"},
    {"cloud", "user_scope"},
    {"cloud", "products"},
    {"cloud", "orgs"},
    {"cloud", "partition"},
    {"cloud", "sync_interval"},
    {"cloud", "details_per_sync"},
    {"cloud", "requests_per_5min"},
    {"cloud", "poll_concurrency"},
    {"cloud", "request_timeout"},
    {"cloud", "report_data"},
    {"database", "path"},
    {"database", "url"},
    {"database", "group"},
    {"database", "retention"},
    {"api", "listen"},
    {"api", "port"},
    {"api", "api_key"},
    {"api", "api_key_file"},
    {"api", "webhook_secret"},
    {"api", "webhook_secret_file"},
    {"api", "max_connections"},
    {"api", "max_connections_per_ip"},
    {"api", "request_deadline"},
    {"api", "cors_origins"},
    {"api", "open_health"},
    {"api", "csv_formula_escape"},
    {"api", "dashboard"},
    {"api", "dashboard_dir"},
    {"api", "chartjs_path"},
    {"api", "read_only_key"},
    {"api", "read_only_key_file"},
    {"api", "session_idle"},
    {"defaults", "check_interval"},
    {"defaults", "enabled"},
    {"defaults", "publish_unknown_events_as_measurements"},
    {"defaults", "publish_unknown_events_as_status_posts"},
    {"defaults", "online_post"},
    {"defaults", "online_message"},
    {"defaults", "offline_post"},
    {"defaults", "offline_message"},
    {"breaker", "threshold"},
    {"breaker", "reset_delay"},
    {"breaker", "max_reset_delay"},
    {"ingest", "batch_size"},
    {"ingest", "flush_interval"},
    {"log", "level"},
    {"log", "format"},
    {"log", "output"},
    {"webhook", "manage"},
    {"webhook", "public_url"},
    {"webhook", "events"},
    {"webhook", "product"},
    /* [export.<name>]: one section per export (config_export.c) */
    {"export.*", "report"},
    {"export.*", "format"},
    {"export.*", "directory"},
    {"export.*", "file"},
    {"export.*", "interval"},
    {"export.*", "retries"},
    {"export.*", "retry_backoff"},
    {"export.*", "product"},
};

const size_t bridge_config_key_count = sizeof bridge_config_keys / sizeof bridge_config_keys[0];

/* A table section "x.*" stands for every section "x.<name>". */
static bool section_matches(const char *pattern, const char *section)
{
    size_t n = strlen(pattern);
    if (n >= 2 && strcmp(pattern + n - 2, ".*") == 0) {
        return strncmp(section, pattern, n - 1) == 0 && section[n - 1] != '\0';
    }
    return strcmp(pattern, section) == 0;
}

int bridge_config_key_index(const char *section, const char *name)
{
    for (size_t i = 0; i < bridge_config_key_count; i++) {
        if (section_matches(bridge_config_keys[i].section, section) &&
            strcmp(bridge_config_keys[i].name, name) == 0) {
            return (int)i;
        }
    }
    return -1;
}
