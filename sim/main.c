/*
 * particle-sim: a local Particle Cloud with simulated devices. See docs/SIM.md.
 * Signals: SIGINT and SIGTERM are blocked in every thread and taken with sigwait() by the
 * main thread, so shutdown runs in normal context (no async-signal-safety concerns).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "fleet_check.h"
#include "model/sim_model.h"
#include "pu_log.h"
#include "pu_man.h"
#include "pu_notify.h"
#include "pu_parse.h"
#include "pu_str.h"
#include "server.h"
#include "sim_version.h"

/* --help, and the man page (--help-man) made from it. */
static const char usage_text[] =
    "Usage: particle-sim [options]\n"
    "A local Particle Cloud with simulated devices.\n\n"
    "  --listen ADDR:PORT     address to bind (default 127.0.0.1:8080; port 0 = any\n"
    "                         free port; IPv6 as [::1]:8080)\n"
    "  --fleet FILE           fleet fixture (docs/FLEET.md); default: built-in fleet\n"
    "  --check-fleet FILE     check a fleet fixture without starting: every problem\n"
    "                         with its line on stderr, exit status 0 or 2\n"
    "  --seed N               seed for device ids and behaviour (default 1)\n"
    "  --offline-delay-ms N   delay before an offline device's \"Timed out.\" (default\n"
    "                         1000)\n"
    "  --device-latency-ms N  round trip to an online device: variable reads, function\n"
    "                         calls and pings answer after N ms (default 0)\n"
    "  --keepalive-ms N       SSE keep-alive after N ms without a write (default 9000)\n"
    "  --rate-limit           enforce the real cloud's per-IP rate limits\n"
    "  --state FILE           keep run-time changes (tokens, renames, notes, claims,\n"
    "                         accounts, teams, groups, product firmware, ledgers,\n"
    "                         ...: docs/SIM.md, \"State\") in this SQLite file\n"
    "  --threads N            HTTP worker threads (default: number of CPUs)\n"
    "  --max-connections N    open connections from all clients (default 16384,\n"
    "                         lowered to fit the open-file limit); more are closed\n"
    "                         at once, with a log line\n"
    "  --max-connections-per-ip N\n"
    "                         open connections from one address (default 1024)\n"
    "  --request-deadline-s N seconds a client has to send a whole request, headers\n"
    "                         and body (default 30); then the connection is closed\n"
    "  --cors-origins LIST    origins allowed to read answers in a browser\n"
    "                         (comma-separated, or *; default: none)\n"
    "  --allow-external-webhooks\n"
    "                         deliver webhooks to any address; without it only\n"
    "                         loopback addresses are reached (docs/SIM.md)\n"
    "  --replay-events N      events kept for Last-Event-ID replay (default 16384)\n"
    "  --replay-age DURATION  oldest event replayed, e.g. 10m, 90s (default 10m)\n"
    "  --quiet                no fleet summary on stderr\n"
    "  --log-format FORMAT    text (default) or json: one JSON object per log line\n"
    "  --help                 this text\n"
    "  --help-man             this text as a man page (roff)\n"
    "  --version              print the version\n\n"
    "When ready it prints \"particle-sim listening on http://ADDR:PORT\" on stdout.\n"
    "Demo login: demo@example.com / demo-password, token\n"
    "0123456789abcdef0123456789abcdef01234567.\n";

static void usage(FILE *out)
{
    fputs(usage_text, out);
}

static void man_page(void)
{
    pu_man_page page = {
        "particle-sim",
        "1",
        sim_version(),
        "User Commands",
        "a local Particle Cloud with simulated devices",
        usage_text,
        "/var/lib/particle-sim/state.db   --state of the systemd unit (Debian package)\n"
        "/usr/share/doc/particle-sim/examples/particle-sim-fleet.json\n"
        "                                 a sample fleet (particle-sim --fleet FILE)\n",
        "\\fBparticlectl\\fR(1), \\fBparticle\\-bridge\\fR(8), \\fBlibparticle\\fR(3); "
        "docs/SIM.md and docs/FLEET.md in the source"};
    pu_man_write(stdout, &page);
}

static void print_problem(void *path, int line, const char *message)
{
    if (line > 0)
        fprintf(stderr, "%s:%d: %s\n", (const char *)path, line, message);
    else
        fprintf(stderr, "%s: %s\n", (const char *)path, message);
}

/* --check-fleet FILE: 0 when particle-sim would load it, 2 with every problem. */
static int check_fleet(const char *path)
{
    int problems = sim_fleet_check(path, print_problem, (void *)path);
    if (problems > 0) {
        fprintf(stderr, "%s: %d problem%s\n", path, problems, problems == 1 ? "" : "s");
        return 2;
    }
    printf("%s: OK\n", path);
    return 0;
}

/* "127.0.0.1:8080", "[::1]:8080" -> addr (in @p buf) and port. */
static bool parse_listen(const char *arg, char *buf, size_t size, unsigned short *port)
{
    const char *colon = strrchr(arg, ':');
    if (!colon)
        return false;
    const char *host = arg;
    size_t len = (size_t)(colon - arg);
    if (*host == '[') {
        if (len < 2 || host[len - 1] != ']')
            return false;
        host++;
        len -= 2;
    }
    if (len == 0 || len >= size)
        return false;
    memcpy(buf, host, len);
    buf[len] = '\0';
    int64_t p;
    if (pu_parse_int64(colon + 1, 0, 65535, &p) != 0)
        return false;
    *port = (unsigned short)p;
    return true;
}

int main(int argc, char **argv)
{
    enum {
        OPT_LISTEN = 1,
        OPT_FLEET,
        OPT_SEED,
        OPT_DELAY,
        OPT_LATENCY,
        OPT_KEEPALIVE,
        OPT_RATE,
        OPT_STATE,
        OPT_THREADS,
        OPT_QUIET,
        OPT_LOG_FORMAT,
        OPT_HELP,
        OPT_VERSION,
        OPT_MAX_CONNECTIONS,
        OPT_MAX_CONNECTIONS_PER_IP,
        OPT_REQUEST_DEADLINE,
        OPT_CORS_ORIGINS,
        OPT_EXTERNAL_HOOKS,
        OPT_REPLAY_EVENTS,
        OPT_REPLAY_AGE,
        OPT_CHECK_FLEET,
        OPT_HELP_MAN
    };
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"fleet", required_argument, NULL, OPT_FLEET},
        {"seed", required_argument, NULL, OPT_SEED},
        {"offline-delay-ms", required_argument, NULL, OPT_DELAY},
        {"device-latency-ms", required_argument, NULL, OPT_LATENCY},
        {"keepalive-ms", required_argument, NULL, OPT_KEEPALIVE},
        {"replay-events", required_argument, NULL, OPT_REPLAY_EVENTS},
        {"replay-age", required_argument, NULL, OPT_REPLAY_AGE},
        {"rate-limit", no_argument, NULL, OPT_RATE},
        {"state", required_argument, NULL, OPT_STATE},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
        {"help", no_argument, NULL, OPT_HELP},
        {"version", no_argument, NULL, OPT_VERSION},
        {"max-connections", required_argument, NULL, OPT_MAX_CONNECTIONS},
        {"max-connections-per-ip", required_argument, NULL, OPT_MAX_CONNECTIONS_PER_IP},
        {"request-deadline-s", required_argument, NULL, OPT_REQUEST_DEADLINE},
        {"cors-origins", required_argument, NULL, OPT_CORS_ORIGINS},
        {"allow-external-webhooks", no_argument, NULL, OPT_EXTERNAL_HOOKS},
        {"check-fleet", required_argument, NULL, OPT_CHECK_FLEET},
        {"help-man", no_argument, NULL, OPT_HELP_MAN},
        {NULL, 0, NULL, 0}};
    sim_server_options opts;
    sim_server_options_init(&opts);
    char addr[64] = "127.0.0.1";
    opts.port = 8080;
    bool quiet = false;
    pu_log_options log = {"particle-sim", PU_LOG_INFO, PU_LOG_FORMAT_TEXT, PU_LOG_OUTPUT_STDERR};
    int c;
    int64_t v;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN:
            if (!parse_listen(optarg, addr, sizeof(addr), &opts.port)) {
                fprintf(stderr, "particle-sim: --listen wants ADDR:PORT, got \"%s\"\n", optarg);
                return 2;
            }
            break;
        case OPT_FLEET:
            opts.fleet_path = optarg;
            break;
        case OPT_SEED:
            if (pu_parse_int64(optarg, 0, INT64_MAX, &v) != 0) {
                fprintf(stderr, "particle-sim: --seed wants a number\n");
                return 2;
            }
            opts.seed = (uint64_t)v;
            break;
        case OPT_DELAY:
        case OPT_LATENCY:
        case OPT_KEEPALIVE:
        case OPT_THREADS:
            if (pu_parse_int64(optarg, 0, c == OPT_THREADS ? 1024 : 3600000, &v) != 0 ||
                (c == OPT_KEEPALIVE && v == 0)) {
                fprintf(stderr, "particle-sim: bad number \"%s\"\n", optarg);
                return 2;
            }
            if (c == OPT_DELAY)
                opts.offline_delay_ms = (unsigned)v;
            else if (c == OPT_LATENCY)
                opts.device_latency_ms = (unsigned)v;
            else if (c == OPT_KEEPALIVE)
                opts.keepalive_ms = (unsigned)v;
            else
                opts.threads = (unsigned)v;
            break;
        case OPT_RATE:
            opts.rate_limit = true;
            break;
        case OPT_STATE:
            opts.state_path = optarg;
            break;
        case OPT_EXTERNAL_HOOKS:
            opts.allow_external_webhooks = true;
            break;
        case OPT_REPLAY_EVENTS:
            if (pu_parse_int64(optarg, 1, 10000000, &v) != 0) {
                fprintf(stderr, "particle-sim: --replay-events wants 1 to 10000000\n");
                return 2;
            }
            opts.replay_events = (size_t)v;
            break;
        case OPT_REPLAY_AGE:
            if (pu_parse_duration_ms(optarg, &v) != 0 || v < 1 || v > 86400000) {
                fprintf(stderr, "particle-sim: --replay-age wants a duration up to 1d\n");
                return 2;
            }
            opts.replay_age_ms = (unsigned)v;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        case OPT_LOG_FORMAT:
            if (pu_log_format_parse(optarg, &log.format) != 0) {
                fprintf(stderr, "particle-sim: --log-format wants text or json\n");
                return 2;
            }
            break;
        case OPT_MAX_CONNECTIONS:
        case OPT_MAX_CONNECTIONS_PER_IP:
        case OPT_REQUEST_DEADLINE:
            if (pu_parse_int64(optarg, 1, 1000000, &v) != 0) {
                fprintf(stderr, "particle-sim: bad number \"%s\"\n", optarg);
                return 2;
            }
            if (c == OPT_MAX_CONNECTIONS)
                opts.max_connections = (unsigned)v;
            else if (c == OPT_MAX_CONNECTIONS_PER_IP)
                opts.max_connections_per_ip = (unsigned)v;
            else
                opts.request_deadline_s = (unsigned)v;
            break;
        case OPT_CORS_ORIGINS:
            opts.cors_origins = optarg;
            break;
        case OPT_CHECK_FLEET:
            return check_fleet(optarg);
        case OPT_HELP:
            usage(stdout);
            return 0;
        case OPT_HELP_MAN:
            man_page();
            return 0;
        case OPT_VERSION:
            printf("particle-sim %s\n", sim_version());
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "particle-sim: unexpected argument \"%s\"\n", argv[optind]);
        return 2;
    }
    opts.listen_addr = addr;
    pu_log_configure(&log);

    /* Block the shutdown signals before any thread starts, so all threads inherit it. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    signal(SIGPIPE, SIG_IGN);

    char err[512];
    sim_server *srv;
    if (sim_server_new(&srv, &opts, err, sizeof(err)) < 0) {
        pu_log(PU_LOG_ERROR, "main", "%s", err);
        return 1;
    }
    if (sim_server_start(srv, err, sizeof(err)) < 0) {
        pu_log(PU_LOG_ERROR, "main", "%s", err);
        sim_server_free(srv);
        return 1;
    }
    if (!quiet) {
        sim_model *m = sim_server_model(srv);
        sim_model_lock(m);
        pu_log(PU_LOG_INFO, "main",
               "particle-sim %s: %u devices, %u users, %u products (seed %llu)", sim_version(),
               m->device_count, m->user_count, m->product_count, (unsigned long long)opts.seed);
        sim_model_unlock(m);
    }
    bool v6 = strchr(addr, ':') != NULL;
    printf("particle-sim listening on http://%s%s%s:%u\n", v6 ? "[" : "", addr, v6 ? "]" : "",
           (unsigned)sim_server_port(srv));
    fflush(stdout);
    pu_notify("READY=1"); /* systemd (Type=notify) */
    pu_notify_status("listening on http://%s%s%s:%u", v6 ? "[" : "", addr, v6 ? "]" : "",
                     (unsigned)sim_server_port(srv));

    int sig = pu_notify_sigwait(&stop_signals); /* pings systemd's watchdog meanwhile */
    pu_notify("STOPPING=1");
    if (!quiet)
        pu_log(PU_LOG_INFO, "main", "%s, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
    sim_server_free(srv);
    return 0;
}
