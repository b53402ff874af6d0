/* publish and subscribe. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "particle/events.h"
#include "particle/stream.h"

#include "cli.h"
#include "commands.h"
#include "pu_parse.h"

enum {
    OPT_PRIVATE = 5000,
    OPT_PUBLIC,
    OPT_TTL,
    OPT_PRODUCT,
    OPT_DEVICE,
    OPT_ALL_MINE,
    OPT_MAX,
    OPT_UNTIL
};

/* ---- publish ---- */

typedef struct publish_opts {
    int visibility; /* 0 = default (private), OPT_PRIVATE or OPT_PUBLIC */
    int64_t ttl;    /* 0 = not given */
    const char *product;
} publish_opts;

static const struct option publish_options[] = {
    {"private", no_argument, NULL, OPT_PRIVATE},
    {"public", no_argument, NULL, OPT_PUBLIC},
    {"ttl", required_argument, NULL, OPT_TTL},
    {"product", required_argument, NULL, OPT_PRODUCT},
    {NULL, 0, NULL, 0},
};

static int publish_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    publish_opts *o = payload;
    switch (opt) {
    case OPT_PRIVATE:
    case OPT_PUBLIC:
        if (o->visibility != 0 && o->visibility != opt) {
            return cli_usage(ctx->command, "give either --private or --public");
        }
        o->visibility = opt;
        return 0;
    case OPT_TTL:
        if (pu_parse_int64(arg, 1, 16777215, &o->ttl) != 0) {
            return cli_usage(ctx->command, "bad --ttl '%s' (seconds, at least 1)", arg);
        }
        return 0;
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

int cli_cmd_publish(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const fields[] = {"name", "data", "private", "ttl", "product", "published"};
    publish_opts o = {0};
    particle_client *client;
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("publish"), argc, argv, publish_options,
                                   publish_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (pos == argc || argv[pos][0] == '\0') {
        return cli_usage(ctx->command, "missing argument: publish NAME [DATA]");
    }
    if (argc - pos > 2) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[pos + 2]);
    }
    const char *data = argc - pos == 2 ? argv[pos + 1] : NULL;
    if ((status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    particle_publish_options popts = PARTICLE_PUBLISH_OPTIONS_INIT;
    popts.name = argv[pos];
    popts.data = data;
    popts.ttl = (long)o.ttl;
    popts.is_public = o.visibility == OPT_PUBLIC;
    popts.product = o.product;
    int rc = particle_event_publish(client, &popts);
    if (rc != 0) {
        return cli_report(rc, NULL);
    }
    cli_output *out = cli_output_or_fail(fields, CLI_COUNT(fields));
    if (out == NULL) {
        return CLI_EXIT_API;
    }
    cli_output_set_single(out, true);
    if (cli_output_add_row(out) || cli_output_set_str(out, 0, argv[pos]) ||
        cli_output_set_str(out, 1, data) || cli_output_set_bool(out, 2, !popts.is_public) ||
        (o.ttl > 0 && cli_output_set_int(out, 3, o.ttl)) || cli_output_set_str(out, 4, o.product) ||
        cli_output_set_bool(out, 5, true)) {
        cli_output_free(out);
        return cli_fail(CLI_EXIT_API, "out of memory");
    }
    return cli_emit_message(ctx, out, "Published event: %s", argv[pos]);
}

/* ---- subscribe ---- */

typedef struct subscribe_opts {
    const char *device;
    const char *product;
    bool all_mine;
    int64_t max;      /* 0 = no limit */
    int64_t until_ms; /* 0 = no limit */
} subscribe_opts;

static const struct option subscribe_options[] = {
    {"device", required_argument, NULL, OPT_DEVICE},
    {"all-mine", no_argument, NULL, OPT_ALL_MINE},
    {"product", required_argument, NULL, OPT_PRODUCT},
    {"max", required_argument, NULL, OPT_MAX},
    {"until", required_argument, NULL, OPT_UNTIL},
    {NULL, 0, NULL, 0},
};

static int subscribe_option(cli_ctx *ctx, int opt, const char *arg, void *payload)
{
    subscribe_opts *o = payload;
    switch (opt) {
    case OPT_DEVICE:
        o->device = arg;
        return 0;
    case OPT_ALL_MINE:
        o->all_mine = true;
        return 0;
    case OPT_PRODUCT:
        o->product = arg;
        return 0;
    case OPT_MAX:
        if (pu_parse_int64(arg, 1, 1000000000LL, &o->max) != 0) {
            return cli_usage(ctx->command, "bad --max '%s' (a count, at least 1)", arg);
        }
        return 0;
    case OPT_UNTIL:
        if (pu_parse_duration_ms(arg, &o->until_ms) != 0 || o->until_ms <= 0) {
            return cli_usage(ctx->command, "bad --until '%s' (e.g. 30s, 5m, 1h)", arg);
        }
        return 0;
    default:
        return CLI_EXIT_USAGE;
    }
}

/* What the stream callbacks share. Touched only by the thread running the stream. */
typedef struct subscription {
    cli_ctx *ctx;
    cli_output *out;
    particle_stream *stream;
    int64_t max;
    long long received;
    bool write_failed;
    bool connected_once; /* a stream was up at least once: later failures are retried */
    int first_error;     /* why the very first connection failed; 0 if it did not */
    particle_error first_error_record;
} subscription;

enum { E_NAME, E_DATA, E_TTL, E_PUBLISHED_AT, E_COREID, E_FIELDS };
static const char *const event_fields[E_FIELDS] = {"name", "data", "ttl", "published_at", "coreid"};

static int on_event(const particle_event *ev, void *payload)
{
    subscription *sub = payload;
    cli_output *out = sub->out;
    sub->connected_once = true;
    cli_output_clear_rows(out);
    json_t *data = ev->data != NULL ? json_stringn(ev->data, ev->data_len) : json_null();
    if (cli_output_add_row(out) || cli_output_set_str(out, E_NAME, ev->name) ||
        cli_output_set_json(out, E_DATA, data) ||
        (ev->ttl >= 0 && cli_output_set_int(out, E_TTL, ev->ttl)) ||
        cli_output_set_str(out, E_PUBLISHED_AT, ev->published_at) ||
        cli_output_set_str(out, E_COREID, ev->coreid) ||
        cli_output_render_row(out, 0, sub->ctx->format, stdout) != 0) {
        sub->write_failed = true;
        return 1;
    }
    sub->received++;
    return sub->max > 0 && sub->received >= sub->max;
}

static void on_disconnect(int reason, void *payload)
{
    subscription *sub = payload;
    sub->connected_once = true;
    cli_note(sub->ctx, "%s: stream lost (%s); reconnecting", CLI_PROG, particle_strerror(reason));
}

static void on_reconnect_success(unsigned int attempt, void *payload)
{
    subscription *sub = payload;
    cli_note(sub->ctx, "%s: reconnected after %u attempt%s", CLI_PROG, attempt,
             attempt == 1 ? "" : "s");
}

static void on_error(int code, const particle_error *err, void *payload)
{
    subscription *sub = payload;
    char line[700];
    if (code == PARTICLE_EPROTO && err->http_status == 0) {
        cli_note(sub->ctx, "%s: skipped a malformed event", CLI_PROG);
        return;
    }
    if (!sub->connected_once) {
        /* A stream that never came up points at a wrong URL, token or name: report it
         * and stop rather than retry forever. Once it was up, reconnects go on. */
        sub->first_error = code;
        sub->first_error_record = *err;
        particle_stream_cancel(sub->stream);
        return;
    }
    cli_error_format(err, line, sizeof(line));
    cli_note(sub->ctx, "%s: connecting failed: %s; retrying", CLI_PROG, line);
}

/*
 * The signal watcher: SIGINT/SIGTERM are blocked in every thread and taken here with
 * sigtimedwait(), which also times --until. Either way it cancels the stream, the one call
 * allowed from another thread. SIGUSR1 from the main thread means "the stream ended, exit".
 */
typedef struct watcher {
    particle_stream *stream;
    sigset_t set;
    int64_t until_ms;
    bool cancelled;
} watcher;

static void *watch_signals(void *arg)
{
    watcher *w = arg;
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(w->until_ms / 1000);
    deadline.tv_nsec += (long)(w->until_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    for (;;) {
        struct timespec now, wait = {3600, 0};
        if (w->until_ms > 0) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            long long left_ns = (long long)(deadline.tv_sec - now.tv_sec) * 1000000000LL +
                                (deadline.tv_nsec - now.tv_nsec);
            if (left_ns <= 0) {
                w->cancelled = true;
                particle_stream_cancel(w->stream);
                return NULL;
            }
            if (left_ns < 3600LL * 1000000000LL) {
                wait.tv_sec = (time_t)(left_ns / 1000000000LL);
                wait.tv_nsec = (long)(left_ns % 1000000000LL);
            }
        }
        int sig = sigtimedwait(&w->set, NULL, &wait);
        if (sig == SIGUSR1) {
            return NULL;
        }
        if (sig == SIGINT || sig == SIGTERM) {
            w->cancelled = true;
            particle_stream_cancel(w->stream);
            return NULL;
        }
        /* EAGAIN (timeout: loop re-checks the deadline) or EINTR */
    }
}

static int stream_options(cli_ctx *ctx, const subscribe_opts *o, const char *prefix,
                          subscription *sub, particle_stream_options *sopts)
{
    if (o->all_mine && (o->device != NULL || o->product != NULL)) {
        return cli_usage(ctx->command, "--all-mine does not go with --device or --product");
    }
    *sopts = (particle_stream_options)PARTICLE_STREAM_OPTIONS_INIT;
    if (o->product != NULL) {
        sopts->scope = o->device != NULL ? PARTICLE_STREAM_PRODUCT_DEVICE : PARTICLE_STREAM_PRODUCT;
    } else if (o->device != NULL) {
        sopts->scope = PARTICLE_STREAM_DEVICE;
    } else {
        sopts->scope = PARTICLE_STREAM_MINE;
    }
    sopts->prefix = prefix;
    sopts->device = o->device;
    sopts->product = o->product;
    sopts->on_event = on_event;
    sopts->on_disconnect = on_disconnect;
    sopts->on_reconnect_success = on_reconnect_success;
    sopts->on_error = on_error;
    sopts->payload = sub;
    return 0;
}

/* Runs the stream with the signal watcher beside it; returns the stream's code. */
static int run_with_watcher(particle_stream *stream, int64_t until_ms, bool *cancelled)
{
    watcher w = {.stream = stream, .until_ms = until_ms};
    pthread_t thread;
    sigset_t old;
    sigemptyset(&w.set);
    sigaddset(&w.set, SIGINT);
    sigaddset(&w.set, SIGTERM);
    sigaddset(&w.set, SIGUSR1);
    /* blocked before the thread starts, so it inherits the mask and no signal is lost */
    pthread_sigmask(SIG_BLOCK, &w.set, &old);
    if (pthread_create(&thread, NULL, watch_signals, &w) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return particle_stream_run(stream);
    }
    int rc = particle_stream_run(stream);
    pthread_kill(thread, SIGUSR1);
    pthread_join(thread, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    *cancelled = w.cancelled;
    return rc;
}

int cli_cmd_subscribe(cli_ctx *ctx, int argc, char **argv)
{
    subscribe_opts o = {0};
    particle_client *client;
    particle_stream *stream = NULL;
    particle_stream_options sopts;
    subscription sub = {.ctx = ctx};
    int pos;
    int status = cli_parse_options(ctx, cli_find_command("subscribe"), argc, argv,
                                   subscribe_options, subscribe_option, &o, &pos);
    if (status != 0) {
        return status == CLI_HELP_SHOWN ? CLI_EXIT_OK : status;
    }
    if (argc - pos > 1) {
        return cli_usage(ctx->command, "unexpected argument '%s'", argv[pos + 1]);
    }
    const char *prefix = pos < argc ? argv[pos] : NULL;
    sub.max = o.max;
    if ((status = stream_options(ctx, &o, prefix, &sub, &sopts)) != 0 ||
        (status = cli_client(ctx, &client, true)) != 0) {
        return status;
    }
    sub.out = cli_output_or_fail(event_fields, E_FIELDS);
    if (sub.out == NULL) {
        return CLI_EXIT_API;
    }
    int rc = particle_stream_open(&stream, client, &sopts);
    if (rc != 0) {
        cli_output_free(sub.out);
        return cli_report(rc, NULL);
    }
    sub.stream = stream;
    if (cli_output_render_header(sub.out, ctx->format, stdout) != 0) {
        status = cli_fail(CLI_EXIT_API, "cannot write the output");
        goto done;
    }
    cli_note(ctx, "Subscribing to %s%s%s events%s%s%s%s; Ctrl-C to stop.", prefix ? "\"" : "",
             prefix ? prefix : "all", prefix ? "\"" : "", o.device ? " of device " : "",
             o.device ? o.device : "",
             o.product ? " in product " : (o.device ? "" : " of your devices"),
             o.product ? o.product : "");
    bool cancelled = false;
    rc = run_with_watcher(stream, o.until_ms, &cancelled);
    if (sub.first_error != 0) {
        char line[700];
        cli_error_format(&sub.first_error_record, line, sizeof(line));
        status = cli_fail(cli_exit_status(sub.first_error), "%s", line);
    } else if (sub.write_failed) {
        status = cli_fail(CLI_EXIT_API, "cannot write the output");
    } else if (rc == 0 || (rc == PARTICLE_ECANCELED && cancelled)) {
        /* --max reached, Ctrl-C, or --until: a clean stop */
        cli_note(ctx, "%lld event%s received.", sub.received, sub.received == 1 ? "" : "s");
        status = CLI_EXIT_OK;
    } else {
        status = cli_report(rc, NULL);
    }
done:
    particle_stream_free(stream);
    cli_output_free(sub.out);
    return status;
}
