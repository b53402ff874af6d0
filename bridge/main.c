/* particle-bridge: keeps a Particle fleet's data in a database and serves it. */
#include <errno.h>
#include <particle/particle.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "pu_log.h"
#include "pu_man.h"
#include "pu_notify.h"
#include "webhook_sync.h"

/* --help, and the man page (--help-man) made from it. */
static const char usage_text[] =
    "Usage: particle-bridge --config FILE [--remove-webhook]\n"
    "       particle-bridge --check-config FILE\n"
    "       particle-bridge --help | --help-man | --version\n"
    "\n"
    "Keeps a Particle fleet's devices, variable readings, events and online/offline\n"
    "history in a database (an SQLite file, or PostgreSQL for several bridges sharing\n"
    "one) and serves them over a REST API.\n"
    "\n"
    "  --config FILE  the INI configuration (see docs/BRIDGE.md and the commented\n"
    "                 sample particle-bridge.ini)\n"
    "  --check-config FILE\n"
    "                 check FILE without starting: every problem with its line on\n"
    "                 stderr, exit status 0 when the bridge would start, 2 if not\n"
    "  --remove-webhook\n"
    "                 delete the webhook integration the bridge keeps in the cloud\n"
    "                 ([webhook] manage) and exit\n"
    "  --help         this text\n"
    "  --help-man     this text as a man page (roff), particle-bridge(8)\n"
    "  --version      the version\n"
    "\n"
    "Secrets come from the environment or from files of mode 0600:\n"
    "  PARTICLE_ACCESS_TOKEN           or [cloud] token_file\n"
    "  PARTICLE_BRIDGE_API_KEY         or [api] api_key_file\n"
    "  PARTICLE_BRIDGE_WEBHOOK_SECRET  or [api] webhook_secret_file (optional)\n"
    "  PARTICLE_BRIDGE_READ_ONLY_KEY   or [api] read_only_key_file (optional: may only read)\n"
    "  PGPASSWORD or PGPASSFILE        PostgreSQL password, or inside [database] url\n"
    "                                  (then the config file must be mode 0600)\n"
    "\n"
    "Exposure (docs/BRIDGE.md, \"Hardening\"), all in [api]: max_connections (16384),\n"
    "max_connections_per_ip (1024), request_deadline (30s), cors_origins (none),\n"
    "open_health (false: /metrics and the health routes need the API key),\n"
    "csv_formula_escape (true); [database] group (SQLite files 0640 for it, else 0600).\n"
    "\n"
    "Dashboard (docs/BRIDGE.md, \"Dashboard\"), all in [api]: dashboard (true: the web\n"
    "pages at /), dashboard_dir (the installed pages), chartjs_path (Debian's\n"
    "libjs-chart.js), read_only_key, session_idle (12h).\n"
    "\n"
    "Signals: SIGHUP reloads the config file; SIGINT and SIGTERM stop after storing\n"
    "everything received (waiting for the database if it is down); a second SIGINT or\n"
    "SIGTERM stops at once (exit status 1), keeping only what was already stored.\n";

/* After the first stop signal the bridge stores everything it received before it exits, and
 * the writer waits for a database that is down for as long as it takes. A second SIGINT or
 * SIGTERM stops at once: nothing stored is lost, and the event streams resume from the last
 * stored event after a restart; what was only queued (polled values of that moment, webhook
 * deliveries not yet answered, which the cloud sends again) is not kept. */
static sigset_t stop_signals; /* the signals main() blocks; outlives main()'s frame */

static void *second_signal_main(void *arg)
{
    (void)arg;
    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0 || sig == SIGHUP) {
    }
    pu_log(PU_LOG_WARN, "main",
           "second %s: stopping now; what was received but not yet stored is not kept",
           sig == SIGINT ? "SIGINT" : "SIGTERM");
    _exit(1);
}

static void usage(FILE *out)
{
    fputs(usage_text, out);
}

static void man_page(void)
{
    pu_man_page page = {
        "particle-bridge",
        "8",
        PARTICLE_VERSION_STRING,
        "System Administration",
        "keep a Particle fleet's data in a database and serve it over a REST API",
        usage_text,
        "/etc/particle-bridge/particle-bridge.ini   the configuration (Debian package;\n"
        "                                           mode 0640 root:particle-bridge)\n"
        "/etc/particle-bridge/environment           secrets for the systemd unit (0600)\n"
        "/var/lib/particle-bridge/                  the SQLite database (unit's state)\n"
        "/usr/share/doc/particle-bridge/examples/particle-bridge.ini\n"
        "                                           every key, its default, what it does\n",
        "\\fBparticlectl\\fR(1), \\fBparticle\\-sim\\fR(1), \\fBsystemctl\\fR(1); "
        "docs/BRIDGE.md and docs/OPERATIONS.md in the source"};
    pu_man_write(stdout, &page);
}

static void print_problem(void *path, int line, const char *message)
{
    if (line > 0) {
        fprintf(stderr, "%s:%d: %s\n", (const char *)path, line, message);
    } else {
        fprintf(stderr, "%s: %s\n", (const char *)path, message);
    }
}

/* --check-config FILE: 0 when the bridge would start with it, 2 with every problem. */
static int check_config(const char *path)
{
    char note[1536]; /* the missing secrets and the dashboard's warning, with paths */
    int problems = bridge_config_check(path, print_problem, (void *)path, note, sizeof note);
    if (note[0] != '\0') {
        fprintf(stderr, "%s: note: %s\n", path, note);
    }
    if (problems > 0) {
        fprintf(stderr, "%s: %d problem%s\n", path, problems, problems == 1 ? "" : "s");
        return 2;
    }
    printf("%s: OK\n", path);
    return 0;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL;
    bool remove_webhook = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--check-config") == 0 && i + 1 < argc) {
            return check_config(argv[i + 1]);
        }
        if (strcmp(argv[i], "--help-man") == 0) {
            man_page();
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(argv[i], "--version") == 0) {
            printf("particle-bridge %s (libparticle %s)\n", PARTICLE_VERSION_STRING,
                   particle_version());
            return 0;
        }
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            config_path = argv[++i];
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            config_path = argv[i] + 9;
        } else if (strcmp(argv[i], "--remove-webhook") == 0) {
            remove_webhook = true;
        } else {
            fprintf(stderr, "particle-bridge: unknown argument '%s'\n\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    if (config_path == NULL) {
        fprintf(stderr, "particle-bridge: --config FILE is required\n\n");
        usage(stderr);
        return 2;
    }
    pu_log_options log = {"particle-bridge", PU_LOG_INFO, PU_LOG_FORMAT_TEXT, PU_LOG_OUTPUT_STDERR};
    pu_log_configure(&log); /* until the config says otherwise */
    bridge_config cfg;
    char err[1024];
    if (bridge_config_load(&cfg, config_path, err, sizeof err) != 0) {
        pu_log(PU_LOG_ERROR, "config", "%s", err);
        return 2;
    }
    pu_log_configure(&cfg.log);
    if (remove_webhook) {
        int status = particle_global_init() == 0 ? bridge_webhook_remove_command(&cfg) : 1;
        particle_global_cleanup();
        bridge_config_dispose(&cfg);
        return status;
    }
    /* Every thread inherits this mask; only the main thread takes the signals (sigwait). */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (particle_global_init() != 0) {
        pu_log(PU_LOG_ERROR, "main", "cannot initialise libparticle");
        bridge_config_dispose(&cfg);
        return 1;
    }
    bridge_app *app = bridge_app_new(&cfg, err, sizeof err);
    if (app == NULL) {
        pu_log(PU_LOG_ERROR, "main", "%s", err);
        bridge_config_dispose(&cfg);
        particle_global_cleanup();
        return 1;
    }
    char database[BRIDGE_PATH_SIZE]; /* without the password a URI may carry */
    pu_log(PU_LOG_INFO, "main", "serving http://%s:%u/ (database %s)", cfg.listen_addr,
           bridge_app_port(app),
           bridge_store_uri_redact(cfg.database_path, database, sizeof database));
    /* systemd (Type=notify): the store is open and the first sync done. */
    pu_notify("READY=1");
    pu_notify_status("serving http://%s:%u/", cfg.listen_addr, bridge_app_port(app));
    bridge_config_dispose(&cfg);

    for (;;) {
        int sig = pu_notify_sigwait(&set); /* pings systemd's watchdog meanwhile */
        if (sig < 0) {
            continue;
        }
        if (sig == SIGHUP) {
            pu_notify("RELOADING=1");
            bridge_config fresh;
            if (bridge_config_load(&fresh, config_path, err, sizeof err) != 0) {
                pu_log(PU_LOG_WARN, "config", "reload refused, keeping the old config: %s", err);
                pu_notify("READY=1\nSTATUS=reload refused, running with the old config");
                continue;
            }
            char note[512];
            bridge_app_reload(app, &fresh, note, sizeof note);
            pu_log_configure(&fresh.log);
            bridge_config_dispose(&fresh);
            pu_log(PU_LOG_INFO, "config", "reloaded%s%s%s", note[0] ? " (restart to apply: " : "",
                   note, note[0] ? ")" : "");
            pu_notify("READY=1");
            pu_notify_status("reloaded%s%s%s", note[0] ? " (restart to apply: " : "", note,
                             note[0] ? ")" : "");
            continue;
        }
        pu_notify("STOPPING=1\nSTATUS=storing what was received and stopping");
        pu_log(PU_LOG_INFO, "main",
               "%s, storing what was received and stopping (a second one stops at once)",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
        break;
    }
    pthread_t second_signal;
    stop_signals = set;
    if (pthread_create(&second_signal, NULL, second_signal_main, NULL) == 0) {
        pthread_detach(second_signal);
    }
    bridge_app_free(app);
    particle_global_cleanup();
    pu_log(PU_LOG_INFO, "main", "stopped");
    return 0;
}
