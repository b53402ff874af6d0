#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_hardening.h"
#include "config_keys.h"
#include "pu_hash.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "store/store.h"
#include "timespan.h"

void bridge_config_defaults(bridge_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->user_scope = true;
    cfg->sync_interval_ms = 5 * 60 * 1000;
    cfg->details_per_sync = 500;
    cfg->report_data = true;
    cfg->partition = (bridge_partition){1, 1};
    /* The cloud allows 10,000 requests per 5 minutes per IP; leave room for other tools. */
    cfg->request_budget = 9000;
    cfg->poll_concurrency = 16;
    cfg->request_timeout_ms = 30000;
    pu_strlcpy(cfg->database_path, "particle-bridge.db", sizeof cfg->database_path);
    pu_strlcpy(cfg->listen_addr, "127.0.0.1", sizeof cfg->listen_addr);
    cfg->port = 8080;
    cfg->defaults.check_interval_ms = 60 * 1000;
    cfg->defaults.enabled = true;
    cfg->defaults.publish_unknown_as_measurements = true;
    cfg->defaults.publish_unknown_as_status_posts = true;
    cfg->defaults.online_notify.post_status_message = true;
    pu_strlcpy(cfg->defaults.online_notify.message, "{name} is online",
               sizeof cfg->defaults.online_notify.message);
    cfg->defaults.offline_notify.post_status_message = true;
    pu_strlcpy(cfg->defaults.offline_notify.message, "{name} went offline",
               sizeof cfg->defaults.offline_notify.message);
    cfg->breaker_threshold = 3;
    cfg->breaker_reset_ms = 30 * 1000;
    cfg->breaker_max_reset_ms = 60 * 60 * 1000;
    cfg->batch_size = 5000;
    cfg->flush_interval_ms = 10; /* a batch waits at most this long: keeps latency low */
    cfg->log = (pu_log_options){NULL, PU_LOG_INFO, PU_LOG_FORMAT_TEXT, PU_LOG_OUTPUT_STDERR};
    cfg->csv_formula_escape = true;
    cfg->dashboard = true;
    pu_strlcpy(cfg->dashboard_dir, BRIDGE_DASHBOARD_DIR, sizeof cfg->dashboard_dir);
    pu_strlcpy(cfg->chartjs_path, BRIDGE_CHARTJS_PATH, sizeof cfg->chartjs_path);
    cfg->session_idle_ms = 12 * 3600 * 1000;
}

void bridge_config_dispose(bridge_config *cfg)
{
    pu_secure_zero(cfg->access_token, sizeof cfg->access_token);
    pu_secure_zero(cfg->api_key, sizeof cfg->api_key);
    pu_secure_zero(cfg->webhook_secret, sizeof cfg->webhook_secret);
    pu_secure_zero(cfg->read_only_key, sizeof cfg->read_only_key);
    pu_secure_zero(cfg->database_path, sizeof cfg->database_path); /* a URI may hold a password */
}

int bridge_read_secret_file(const char *path, char *out, size_t out_size, char *err,
                            size_t err_size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, err_size, "%s is not a regular file", path);
        close(fd);
        return -1;
    }
    if ((sb.st_mode & 077) != 0) {
        snprintf(err, err_size,
                 "%s is readable by group or others (mode %03o); refusing it: chmod 600 %s", path,
                 (unsigned)(sb.st_mode & 0777), path);
        close(fd);
        return -1;
    }
    ssize_t n = read(fd, out, out_size - 1);
    close(fd);
    if (n < 0) {
        snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    if ((size_t)n == out_size - 1) {
        pu_secure_zero(out, out_size);
        snprintf(err, err_size, "%s: secret longer than %zu bytes", path, out_size - 2);
        return -1;
    }
    while (n > 0 &&
           (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ' || out[n - 1] == '\t')) {
        n--;
    }
    out[n] = '\0';
    if (n == 0) {
        snprintf(err, err_size, "%s is empty", path);
        return -1;
    }
    return 0;
}

/* What the inih callback collects before the secrets are resolved. */
typedef struct parse_state {
    bridge_config *cfg;
    char token_file[BRIDGE_PATH_SIZE];
    char api_key_file[BRIDGE_PATH_SIZE];
    char webhook_secret_file[BRIDGE_PATH_SIZE];
    char read_only_key_file[BRIDGE_PATH_SIZE];
    bool inline_secret;                   /* a secret written in the config file itself */
    bool database_path;                   /* [database] path given */
    bool database_url;                    /* [database] url given */
    bool database_password;               /* ... with a password in it */
    FILE *file;                           /* the file being parsed */
    int line;                             /* the line being parsed (count_lines) */
    bool line_ended;                      /* the last piece read ended its line */
    int key_line[BRIDGE_CONFIG_MAX_KEYS]; /* where each key of config_keys.h was set; 0 = not */
    /* The first problem and its line, or with @p report (bridge_config_check) every one. */
    char err[512];
    int err_line;
    bridge_config_problem_fn report;
    void *report_user;
    int problems;
} parse_state;

/* Records a problem at @p line (0 = the file as a whole): the first one in err, and every
 * one through ps->report when checking. */
static void problem(parse_state *ps, int line, const char *message)
{
    if (ps->problems++ == 0) {
        pu_strlcpy(ps->err, message, sizeof ps->err); /* a long message is cut */
        ps->err_line = line;
    }
    if (ps->report != NULL) {
        ps->report(ps->report_user, line, message);
    }
}

/* The line where [section] name was set, 0 when it was not. */
static int line_of(const parse_state *ps, const char *section, const char *name)
{
    int i = bridge_config_key_index(section, name);
    return i < 0 ? 0 : ps->key_line[i];
}

/* fgets for inih (through read_line), counting lines so that every problem can name its
 * own; inih reads a line longer than its buffer in several pieces. */
static char *count_lines(char *str, int size, parse_state *ps)
{
    char *got = fgets(str, size, ps->file);
    if (got != NULL) {
        if (ps->line_ended) {
            ps->line++;
        }
        size_t len = strlen(got);
        ps->line_ended = len > 0 && got[len - 1] == '\n';
    }
    return got;
}

static bool parse_bool(const char *v, bool *out)
{
    return pu_parse_bool(v, out) == 0;
}

static bool parse_uint(const char *v, unsigned long max, unsigned long *out)
{
    int64_t n;
    if (pu_parse_int64(v, 0, (int64_t)max, &n) != 0) {
        return false;
    }
    *out = (unsigned long)n;
    return true;
}

static bool copy_value(char *dst, size_t size, const char *v)
{
    return pu_strlcpy(dst, v, size);
}

/* Splits "a, b ,c" into at most @p max names of fewer than 64 bytes. */
static bool parse_names(char (*names)[64], size_t max, size_t *count, const char *v)
{
    *count = 0;
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == ',') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        const char *start = p;
        while (*p && *p != ',') {
            p++;
        }
        const char *end = p;
        while (end > start && end[-1] == ' ') {
            end--;
        }
        size_t len = (size_t)(end - start);
        if (*count == max || len >= sizeof names[0]) {
            return false;
        }
        memcpy(names[*count], start, len);
        names[*count][len] = '\0';
        (*count)++;
    }
    return true;
}

#define MATCH(s, n) (strcmp(section, s) == 0 && strcmp(name, n) == 0)

static int on_entry(void *user, const char *section, const char *name, const char *v)
{
    parse_state *ps = user;
    bridge_config *c = ps->cfg;
    unsigned long n = 0;
    bool ok = true;
    const char *expect = "a value";
    int sub; /* what a section's own parser made of the key: 1 read, 0 bad value, -1 not its */
    char message[512];

    int key = bridge_config_key_index(section, name);
    if (key < 0) {
        snprintf(message, sizeof message, "unknown key [%s] %s", section, name);
        problem(ps, ps->line, message);
        return 0;
    }
    ps->key_line[key] = ps->line;
    if (MATCH("cloud", "url")) {
        ok = copy_value(c->cloud_url, sizeof c->cloud_url, v);
    } else if (MATCH("cloud", "token")) {
        ok = copy_value(c->access_token, sizeof c->access_token, v);
        ps->inline_secret = true;
    } else if (MATCH("cloud", "token_file")) {
        ok = copy_value(ps->token_file, sizeof ps->token_file, v);
    } else if (MATCH("cloud", "user_scope")) {
        ok = parse_bool(v, &c->user_scope), expect = "true or false";
    } else if (MATCH("cloud", "products")) {
        ok = parse_names(c->products, BRIDGE_MAX_PRODUCTS, &c->product_count, v);
        expect = "at most 32 comma-separated product ids or slugs";
    } else if (MATCH("cloud", "orgs")) {
        ok = parse_names(c->orgs, BRIDGE_MAX_ORGS, &c->org_count, v);
        expect = "at most 16 comma-separated organization ids or slugs";
    } else if (MATCH("cloud", "partition")) {
        ok = bridge_partition_parse(v, &c->partition), expect = "K/N with 1 <= K <= N <= 1024";
    } else if (MATCH("cloud", "report_data")) {
        ok = pu_parse_bool(v, &c->report_data) == 0, expect = "true or false";
    } else if (MATCH("cloud", "details_per_sync")) {
        ok = parse_uint(v, 1000000, &n), c->details_per_sync = (unsigned)n, expect = "0 to 1000000";
    } else if (MATCH("cloud", "sync_interval")) {
        ok = bridge_config_duration_parse(v, &c->sync_interval_ms), expect = "a duration";
    } else if (MATCH("cloud", "requests_per_5min")) {
        ok = parse_uint(v, 1000000, &n), c->request_budget = (unsigned)n;
        expect = "a whole number";
    } else if (MATCH("cloud", "poll_concurrency")) {
        ok = parse_uint(v, 1024, &n), c->poll_concurrency = (unsigned)n, expect = "1 to 1024";
    } else if (MATCH("cloud", "request_timeout")) {
        ok = bridge_config_duration_parse(v, &c->request_timeout_ms), expect = "a duration";
    } else if (MATCH("database", "path")) {
        ok = copy_value(c->database_path, sizeof c->database_path, v);
        ps->database_path = true;
    } else if (MATCH("database", "url")) {
        ok = bridge_store_is_postgres_uri(v) &&
             copy_value(c->database_path, sizeof c->database_path, v);
        expect = "a postgresql:// or postgres:// URI";
        ps->database_url = true;
        /* The redacted form differs exactly when the URI carries a password. */
        char shown[BRIDGE_PATH_SIZE];
        ps->database_password =
            ok && strcmp(bridge_store_uri_redact(v, shown, sizeof shown), v) != 0;
    } else if (MATCH("database", "retention")) {
        ok = bridge_config_duration_parse(v, &c->retention_ms) &&
             (c->retention_ms == 0 || c->retention_ms >= 86400000);
        expect = "0 (keep everything) or a duration of at least 1d";
    } else if (MATCH("api", "listen")) {
        ok = copy_value(c->listen_addr, sizeof c->listen_addr, v);
    } else if (MATCH("api", "port")) {
        ok = parse_uint(v, 65535, &n), c->port = (unsigned short)n, expect = "0 to 65535";
    } else if (MATCH("api", "api_key")) {
        ok = copy_value(c->api_key, sizeof c->api_key, v);
        ps->inline_secret = true;
    } else if (MATCH("api", "api_key_file")) {
        ok = copy_value(ps->api_key_file, sizeof ps->api_key_file, v);
    } else if (MATCH("api", "webhook_secret")) {
        ok = copy_value(c->webhook_secret, sizeof c->webhook_secret, v);
        ps->inline_secret = true;
    } else if (MATCH("api", "webhook_secret_file")) {
        ok = copy_value(ps->webhook_secret_file, sizeof ps->webhook_secret_file, v);
    } else if (MATCH("api", "read_only_key")) {
        ok = copy_value(c->read_only_key, sizeof c->read_only_key, v);
        ps->inline_secret = true;
    } else if (MATCH("api", "read_only_key_file")) {
        ok = copy_value(ps->read_only_key_file, sizeof ps->read_only_key_file, v);
    } else if (MATCH("defaults", "check_interval")) {
        ok = bridge_config_duration_parse(v, &c->defaults.check_interval_ms);
        expect = "a duration";
    } else if (MATCH("defaults", "enabled")) {
        ok = parse_bool(v, &c->defaults.enabled), expect = "true or false";
    } else if (MATCH("defaults", "publish_unknown_events_as_measurements")) {
        ok = parse_bool(v, &c->defaults.publish_unknown_as_measurements);
        expect = "true or false";
    } else if (MATCH("defaults", "publish_unknown_events_as_status_posts")) {
        ok = parse_bool(v, &c->defaults.publish_unknown_as_status_posts);
        expect = "true or false";
    } else if (MATCH("defaults", "online_post")) {
        ok = parse_bool(v, &c->defaults.online_notify.post_status_message);
        expect = "true or false";
    } else if (MATCH("defaults", "online_message")) {
        ok = copy_value(c->defaults.online_notify.message, sizeof c->defaults.online_notify.message,
                        v);
    } else if (MATCH("defaults", "offline_post")) {
        ok = parse_bool(v, &c->defaults.offline_notify.post_status_message);
        expect = "true or false";
    } else if (MATCH("defaults", "offline_message")) {
        ok = copy_value(c->defaults.offline_notify.message,
                        sizeof c->defaults.offline_notify.message, v);
    } else if (MATCH("breaker", "threshold")) {
        ok = parse_uint(v, 1000, &n), c->breaker_threshold = (unsigned)n, expect = "1 to 1000";
    } else if (MATCH("breaker", "reset_delay")) {
        ok = bridge_config_duration_parse(v, &c->breaker_reset_ms), expect = "a duration";
    } else if (MATCH("breaker", "max_reset_delay")) {
        ok = bridge_config_duration_parse(v, &c->breaker_max_reset_ms), expect = "a duration";
    } else if (MATCH("ingest", "batch_size")) {
        ok = parse_uint(v, 100000, &n), c->batch_size = (unsigned)n, expect = "1 to 100000";
    } else if (MATCH("ingest", "flush_interval")) {
        ok = bridge_config_duration_parse(v, &c->flush_interval_ms), expect = "a duration";
    } else if (MATCH("log", "level")) {
        ok = pu_log_level_parse(v, &c->log.level) == 0, expect = "debug, info, warn or error";
    } else if (MATCH("log", "format")) {
        ok = pu_log_format_parse(v, &c->log.format) == 0, expect = "text or json";
    } else if (MATCH("log", "output")) {
        ok = pu_log_output_parse(v, &c->log.output) == 0, expect = "stderr, syslog or journald";
    } else if ((strcmp(section, "webhook") == 0 &&
                (sub = bridge_config_webhook_entry(c, name, v, &expect)) >= 0) ||
               (sub = bridge_config_hardening_entry(c, section, name, v, &expect)) >= 0 ||
               (sub = bridge_config_dashboard_entry(c, section, name, v, &expect)) >= 0 ||
               (sub = bridge_config_export_entry(c, section, name, v, &expect)) >= 0) {
        ok = sub == 1;
    } else {
        snprintf(message, sizeof message, "[%s] %s is in config_keys.c but not read", section,
                 name);
        problem(ps, ps->line, message);
        return 0;
    }
    if (!ok) {
        /* Never echo the value: it may be a secret. */
        snprintf(message, sizeof message, "[%s] %s: expected %s", section, name, expect);
        problem(ps, ps->line, message);
        return 0;
    }
    return 1;
}

/* The environment wins, then the *_file key, then an inline value. */
static int resolve_secret(char *dst, size_t size, const char *env_name, const char *file, char *err,
                          size_t err_size)
{
    const char *env = getenv(env_name);
    if (env != NULL && env[0] != '\0') {
        if (!pu_strlcpy(dst, env, size)) {
            snprintf(err, err_size, "%s is too long", env_name);
            return -1;
        }
        return 0;
    }
    if (file[0] != '\0') {
        char ferr[BRIDGE_PATH_SIZE + 128];
        if (bridge_read_secret_file(file, dst, size, ferr, sizeof ferr) != 0) {
            snprintf(err, err_size, "%s", ferr);
            return -1;
        }
    }
    return 0;
}

/* Flags what inih refuses on a whole line (its syntax errors, which never reach on_entry):
 * neither a comment, a [section], a name = value (or name: value) nor, after a value, an
 * indented continuation line. */
static void check_syntax(parse_state *ps, const char *text, bool *after_value)
{
    if (ps->line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3; /* a UTF-8 byte order mark */
    }
    const char *start = text + strspn(text, " \t\r\n");
    bool indented = start > text;
    if (*start == '\0' || *start == ';' || *start == '#') {
        return;
    }
    if (*after_value && indented) {
        return; /* a multi-line value goes on */
    }
    if (*start == '[') {
        *after_value = false;
        if (strchr(start, ']') == NULL) {
            problem(ps, ps->line, "syntax error: a [section] line without its ']'");
        }
        return;
    }
    if (strpbrk(start, "=:") == NULL) {
        problem(ps, ps->line, "syntax error: neither name = value, [section] nor a comment");
        *after_value = false;
        return;
    }
    *after_value = true;
}

/* The file's lines, each checked by check_syntax, then given to inih's parser. */
typedef struct line_reader {
    parse_state *ps;
    bool after_value;
} line_reader;

static char *read_line(char *str, int size, void *user)
{
    line_reader *r = user;
    bool starts_line = r->ps->line_ended;
    char *got = count_lines(str, size, r->ps);
    if (got != NULL && starts_line) {
        check_syntax(r->ps, got, &r->after_value);
    }
    return got;
}

/* Parses @p path over the defaults and reads the secrets, recording every problem in
 * @p ps (bridge_config_load keeps the first, bridge_config_check reports them all). */
static void parse_file(bridge_config *cfg, const char *path, parse_state *ps)
{
    bridge_config_defaults(cfg);
    ps->cfg = cfg;
    ps->line_ended = true;
    char message[BRIDGE_PATH_SIZE + 256];
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        problem(ps, 0, strerror(errno));
        return;
    }
    struct stat sb;
    bool private_file = fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077) == 0;
    ps->file = f;
    line_reader reader = {ps, false};
    int first_error = ini_parse_stream(read_line, &reader, on_entry, ps);
    fclose(f);
    ps->file = NULL;
    if (first_error < 0) {
        problem(ps, 0, "cannot read");
        return;
    }
    if (first_error > 0 && ps->problems == 0) {
        problem(ps, first_error, "syntax error"); /* one check_syntax did not foresee */
    }
    if (ps->inline_secret && !private_file) {
        int line = line_of(ps, "cloud", "token");
        line = line ? line : line_of(ps, "api", "api_key");
        line = line ? line : line_of(ps, "api", "webhook_secret");
        line = line ? line : line_of(ps, "api", "read_only_key");
        snprintf(
            message, sizeof message,
            "the file holds a secret (token, api_key, webhook_secret or read_only_key) but is "
            "readable by group or others; chmod 600 %s, or use the environment or a *_file key",
            path);
        problem(ps, line, message);
    }
    if (ps->database_path && ps->database_url) {
        problem(ps, line_of(ps, "database", "url"),
                "[database] has both path (SQLite) and url (PostgreSQL); keep one");
    }
    if (ps->database_password && !private_file) {
        snprintf(message, sizeof message,
                 "the file holds a database password ([database] url) but is readable by group "
                 "or others; chmod 600 %s, or leave the password out of the URI and use "
                 "PGPASSWORD or a PGPASSFILE",
                 path);
        problem(ps, line_of(ps, "database", "url"), message);
    }
    if (resolve_secret(cfg->access_token, sizeof cfg->access_token, "PARTICLE_ACCESS_TOKEN",
                       ps->token_file, message, sizeof message) != 0) {
        problem(ps, line_of(ps, "cloud", "token_file"), message);
    }
    if (resolve_secret(cfg->api_key, sizeof cfg->api_key, "PARTICLE_BRIDGE_API_KEY",
                       ps->api_key_file, message, sizeof message) != 0) {
        problem(ps, line_of(ps, "api", "api_key_file"), message);
    }
    if (resolve_secret(cfg->webhook_secret, sizeof cfg->webhook_secret,
                       "PARTICLE_BRIDGE_WEBHOOK_SECRET", ps->webhook_secret_file, message,
                       sizeof message) != 0) {
        problem(ps, line_of(ps, "api", "webhook_secret_file"), message);
    }
    if (resolve_secret(cfg->read_only_key, sizeof cfg->read_only_key,
                       "PARTICLE_BRIDGE_READ_ONLY_KEY", ps->read_only_key_file, message,
                       sizeof message) != 0) {
        problem(ps, line_of(ps, "api", "read_only_key_file"), message);
    }
}

/* Every check of bridge_config_validate, each recorded in @p ps with the line of its key
 * when @p ps parsed a file. */
static void validate_into(const bridge_config *cfg, parse_state *ps)
{
    if (cfg->access_token[0] == '\0') {
        problem(ps, 0, "no Particle access token: set PARTICLE_ACCESS_TOKEN or [cloud] token_file");
    }
    if (cfg->api_key[0] == '\0') {
        problem(ps, 0,
                "no API key for the bridge's REST API: set PARTICLE_BRIDGE_API_KEY or [api] "
                "api_key_file");
    } else if (strlen(cfg->api_key) < 16) {
        problem(ps, line_of(ps, "api", "api_key_file"),
                "the API key must have at least 16 characters");
    }
    if (!cfg->user_scope && cfg->product_count == 0) {
        problem(ps, line_of(ps, "cloud", "user_scope"),
                "nothing to watch: [cloud] user_scope is false and no products are listed");
    }
    if (cfg->cloud_url[0] != '\0' && strncmp(cfg->cloud_url, "http://", 7) != 0 &&
        strncmp(cfg->cloud_url, "https://", 8) != 0) {
        problem(ps, line_of(ps, "cloud", "url"), "[cloud] url must start with http:// or https://");
    }
    if (cfg->database_path[0] == '\0') {
        int line = line_of(ps, "database", "path");
        problem(ps, line ? line : line_of(ps, "database", "url"),
                "[database] path (or url) is empty");
    }
    if (cfg->listen_addr[0] == '\0') {
        problem(ps, line_of(ps, "api", "listen"), "[api] listen is empty");
    }
    if (cfg->poll_concurrency == 0) {
        problem(ps, line_of(ps, "cloud", "poll_concurrency"),
                "[cloud] poll_concurrency must be at least 1");
    }
    if (cfg->request_budget == 0) {
        problem(ps, line_of(ps, "cloud", "requests_per_5min"),
                "[cloud] requests_per_5min must be at least 1");
    }
    if (cfg->sync_interval_ms < 1000) {
        problem(ps, line_of(ps, "cloud", "sync_interval"),
                "[cloud] sync_interval must be at least 1s");
    }
    if (cfg->defaults.check_interval_ms < 100) {
        problem(ps, line_of(ps, "defaults", "check_interval"),
                "[defaults] check_interval must be at least 100ms");
    }
    if (cfg->breaker_threshold == 0) {
        problem(ps, line_of(ps, "breaker", "threshold"), "[breaker] threshold must be at least 1");
    }
    if (cfg->breaker_reset_ms <= 0 || cfg->breaker_max_reset_ms < cfg->breaker_reset_ms) {
        int line = line_of(ps, "breaker", "max_reset_delay");
        problem(ps, line ? line : line_of(ps, "breaker", "reset_delay"),
                "[breaker] reset_delay must be positive and max_reset_delay at least as long");
    }
    if (cfg->batch_size == 0) {
        problem(ps, line_of(ps, "ingest", "batch_size"), "[ingest] batch_size must be at least 1");
    }
    if (cfg->webhook_secret[0] != '\0' && strlen(cfg->webhook_secret) < 16) {
        problem(ps, line_of(ps, "api", "webhook_secret_file"),
                "the webhook secret must have at least 16 characters");
    }
    if (cfg->read_only_key[0] != '\0' && strlen(cfg->read_only_key) < 16) {
        problem(ps, line_of(ps, "api", "read_only_key_file"),
                "the read-only key must have at least 16 characters");
    } else if (cfg->read_only_key[0] != '\0' && strcmp(cfg->read_only_key, cfg->api_key) == 0) {
        problem(ps, line_of(ps, "api", "read_only_key_file"),
                "the read-only key must differ from the API key");
    }
    char err[512];
    if (bridge_config_webhook_validate(cfg, err, sizeof err) != 0) {
        problem(ps, line_of(ps, "webhook", "manage"), err);
    }
    if (bridge_config_export_validate(cfg, err, sizeof err) != 0) {
        problem(ps, 0, err);
    }
}

int bridge_config_load(bridge_config *cfg, const char *path, char *err, size_t err_size)
{
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    parse_file(cfg, path, &ps);
    if (ps.problems == 0) {
        validate_into(cfg, &ps);
    }
    if (ps.problems == 0) {
        return 0;
    }
    if (ps.err_line > 0) {
        snprintf(err, err_size, "%s:%d: %s", path, ps.err_line, ps.err);
    } else {
        snprintf(err, err_size, "%s: %s", path, ps.err);
    }
    bridge_config_dispose(cfg);
    return -1;
}

int bridge_config_check(const char *path, bridge_config_problem_fn report, void *user, char *note,
                        size_t note_size)
{
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    ps.report = report;
    ps.report_user = user;
    bridge_config cfg;
    parse_file(&cfg, path, &ps);
    note[0] = '\0';
    /* The service may get its secrets from an environment this shell does not have. */
    if (cfg.access_token[0] == '\0' || cfg.api_key[0] == '\0') {
        snprintf(note, note_size,
                 "%s%s%s not set here: the service must get %s from its environment or a "
                 "*_file key",
                 cfg.access_token[0] ? "" : "PARTICLE_ACCESS_TOKEN",
                 !cfg.access_token[0] && !cfg.api_key[0] ? " and " : "",
                 cfg.api_key[0] ? "" : "PARTICLE_BRIDGE_API_KEY",
                 !cfg.access_token[0] && !cfg.api_key[0] ? "them" : "it");
        if (cfg.access_token[0] == '\0') {
            pu_strlcpy(cfg.access_token, "placeholder-for-the-check", sizeof cfg.access_token);
        }
        if (cfg.api_key[0] == '\0') {
            pu_strlcpy(cfg.api_key, "placeholder-for-the-check", sizeof cfg.api_key);
        }
    }
    validate_into(&cfg, &ps);
    char warning[BRIDGE_PATH_SIZE + 256];
    bridge_config_dashboard_warning(&cfg, warning, sizeof warning);
    if (warning[0] != '\0') {
        size_t used = strlen(note);
        snprintf(note + used, note_size - used, "%s%s", used ? "; " : "", warning);
    }
    bridge_config_dispose(&cfg);
    return ps.problems;
}

int bridge_config_validate(const bridge_config *cfg, char *err, size_t err_size)
{
    parse_state ps;
    memset(&ps, 0, sizeof ps);
    validate_into(cfg, &ps);
    if (ps.problems == 0) {
        return 0;
    }
    snprintf(err, err_size, "%s", ps.err);
    return -1;
}

void bridge_config_scope_tag(const bridge_config *cfg, char *out, size_t size)
{
    /* products are summed, not chained, so their order in the file does not matter */
    uint64_t products = 0;
    for (size_t i = 0; i < cfg->product_count; i++) {
        pu_tuple_hash k;
        pu_tuple_hash_init(&k);
        pu_tuple_hash_cstr(&k, cfg->products[i]);
        products += k.h;
    }
    pu_tuple_hash k;
    pu_tuple_hash_init(&k);
    pu_tuple_hash_int(&k, cfg->user_scope);
    pu_tuple_hash_int(&k, (int64_t)products);
    pu_tuple_hash_int(&k, cfg->partition.count > 1 ? cfg->partition.index : 1);
    pu_tuple_hash_int(&k, cfg->partition.count > 1 ? cfg->partition.count : 1);
    snprintf(out, size, "scope-%016" PRIx64, k.h);
}
