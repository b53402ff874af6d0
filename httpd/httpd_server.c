/*
 * The server: MHD daemon setup, the access handler state machine, dispatch to routes.
 *
 * Threading model. MHD runs a pool of opts.threads worker threads (epoll where
 * available); each connection belongs to one worker, which runs the URI log callback,
 * the access handler (so the before hook and the route handler), the SSE content reader
 * and the completion callback for it. A per-server timer thread resumes connections whose
 * response was delayed; a per-hub thread writes SSE keep-alives. Suspend/resume calls are
 * made under the lock of the timer or the hub that owns the waiting connection.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd_alloc.h"
#include "httpd_body.h"
#include "httpd_headers.h"
#include "httpd_internal.h"
#include "httpd_multipart.h"
#include "pu_log.h"
#include "pu_str.h"
#include "pu_time.h"

#define MEMORY_LIMIT_BYTES (64 * 1024) /* per connection: request line + headers + buffers */
/* A body without Content-Length that crosses the cap is read and dropped (MHD cannot
 * answer in the middle of an upload) up to this many bytes, then the connection closes. */
#define DISCARD_LIMIT_BYTES (16 * 1024 * 1024)
#define PREFLIGHT_METHODS "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
#define PREFLIGHT_HEADERS "Authorization, Content-Type, Last-Event-ID, X-Requested-With"
#define DEFAULT_CONNECTION_LIMIT 16384
#define DEFAULT_PER_IP_CONNECTION_LIMIT 1024
#define DEFAULT_REQUEST_DEADLINE_S 30
/* Descriptors kept free beside the connections: listening socket, epoll, MHD's inter-thread
 * pipes, the store's files, logs, outgoing clients. */
#define RESERVED_FDS 256
#define REFUSAL_LOG_INTERVAL_MS 1000
#define MHD_LIMIT_HEADROOM 64 /* within RESERVED_FDS */

httpd_server *httpd_server_new(const httpd_options *opts)
{
    httpd_server *srv = httpd_xcalloc(1, sizeof(*srv));
    if (opts)
        srv->opts = *opts;
    const char *addr = srv->opts.listen_addr ? srv->opts.listen_addr : "127.0.0.1";
    if (!pu_strlcpy(srv->listen_addr, addr, sizeof(srv->listen_addr)))
        srv->listen_addr[0] = '\0'; /* too long to be numeric: start() reports it */
    srv->opts.listen_addr = NULL;   /* use srv->listen_addr; the caller's may not live on */
    if (!srv->opts.max_body_bytes)
        srv->opts.max_body_bytes = 1024 * 1024;
    if (!srv->opts.connection_limit)
        srv->opts.connection_limit = DEFAULT_CONNECTION_LIMIT;
    if (!srv->opts.per_ip_connection_limit)
        srv->opts.per_ip_connection_limit = DEFAULT_PER_IP_CONNECTION_LIMIT;
    if (!srv->opts.request_deadline_s)
        srv->opts.request_deadline_s = DEFAULT_REQUEST_DEADLINE_S;
    if (srv->opts.allowed_origins && *srv->opts.allowed_origins)
        srv->allowed_origins = httpd_xstrdup(srv->opts.allowed_origins);
    srv->opts.allowed_origins = NULL; /* use srv->allowed_origins */
    if (!srv->opts.connection_timeout_s)
        srv->opts.connection_timeout_s = 60;
    if (!srv->opts.threads) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        srv->opts.threads = cpus > 0 ? (unsigned int)cpus : 2;
    }
    httpd_router_init(&srv->router);
    pthread_mutex_init(&srv->stop_hooks.lock, NULL);
    pthread_mutex_init(&srv->refusal_lock, NULL);
    atomic_init(&srv->stopping, false);
    atomic_init(&srv->handlers_running, 0);
    atomic_init(&srv->open_connections, 0);
    return srv;
}

int httpd_route_add(httpd_server *srv, const char *method, const char *pattern,
                    unsigned int route_flags, httpd_handler_fn *handler, void *payload)
{
    if (srv->daemon)
        return -1; /* the table is read without locks once serving */
    return httpd_router_add(&srv->router, method, pattern, route_flags, handler, payload);
}

void httpd_server_route_each(const httpd_server *srv, httpd_route_fn *fn, void *payload)
{
    httpd_router_each(&srv->router, fn, payload);
}

void httpd__server_add_stop_hook(httpd_server *srv, httpd_stop_hook_fn *fn, void *object)
{
    httpd_stop_hooks *list = &srv->stop_hooks;
    pthread_mutex_lock(&list->lock);
    bool known = false;
    for (size_t i = 0; i < list->count && !known; i++)
        known = list->hooks[i].fn == fn && list->hooks[i].object == object;
    if (!known) {
        if (list->count == list->cap) {
            list->cap = list->cap ? list->cap * 2 : 4;
            list->hooks = httpd_xrealloc(list->hooks, httpd_xmul(list->cap, sizeof(*list->hooks)));
        }
        list->hooks[list->count++] = (httpd_stop_hook){.fn = fn, .object = object};
    }
    pthread_mutex_unlock(&list->lock);
}

/* ---- per-request state ---- */

static void request_free(httpd_request *req)
{
    httpd__response_dispose(&req->res);
    httpd_match_dispose(&req->match);
    if (req->user && req->user_free)
        req->user_free(req->user);
    for (httpd_str_list *s = req->strings, *next; s; s = next) {
        next = s->next;
        free(s);
    }
    json_decref(req->json);
    pu_buf_dispose(&req->body);
    free(req->path);
    free(req);
}

/* MHD's URI log callback: the first sight of a request, with its raw (encoded) URI. */
static void *on_request_line(void *cls, const char *uri, struct MHD_Connection *conn)
{
    httpd_request *req = httpd_xcalloc(1, sizeof(*req));
    req->srv = cls;
    req->conn = conn;
    req->path = httpd_xstrndup(uri, strcspn(uri, "?#"));
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    req->watch = info ? info->socket_context : NULL;
    pu_buf_xinit(&req->body);
    httpd__response_init(&req->res);
    return req;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode toe)
{
    httpd_server *srv = cls;
    (void)conn;
    httpd_request *req = *req_cls;
    if (req && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        httpd_deadline_rearm(&srv->deadline, req->watch); /* the next request's clock */
    if (req)
        request_free(req);
    *req_cls = NULL;
}

/* MHD's connection notifications: the request deadline watches each connection. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    httpd_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = info ? httpd_deadline_watch(&srv->deadline, info->connect_fd) : NULL;
        atomic_fetch_add(&srv->open_connections, 1);
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        httpd_deadline_forget(&srv->deadline, *socket_context);
        atomic_fetch_sub(&srv->open_connections, 1);
        *socket_context = NULL;
    }
}

/* Logs a refused connection: they come in floods under attack, so at most one line per
 * REFUSAL_LOG_INTERVAL_MS, counting the ones left out. */
static void log_refusal(httpd_server *srv, const char *why)
{
    int64_t now = pu_time_mono_ms();
    pthread_mutex_lock(&srv->refusal_lock);
    bool due = now - srv->refusal_logged_ms >= REFUSAL_LOG_INTERVAL_MS;
    unsigned int left_out = srv->refusals_unlogged;
    if (due) {
        srv->refusal_logged_ms = now;
        srv->refusals_unlogged = 0;
    } else {
        srv->refusals_unlogged++;
    }
    pthread_mutex_unlock(&srv->refusal_lock);
    if (due)
        pu_log(PU_LOG_WARN, "httpd",
               "refused a connection on %s port %u: %s (%u more refused since the last such line)",
               srv->listen_addr, (unsigned int)srv->port, why, left_out);
}

/* MHD's accept policy: the total connection limit, counted by on_connection. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    (void)addr;
    (void)addrlen;
    httpd_server *srv = cls;
    if (atomic_load(&srv->open_connections) < srv->connection_limit)
        return MHD_YES;
    char why[96];
    snprintf(why, sizeof(why), "connection limit (%u) reached", srv->connection_limit);
    log_refusal(srv, why);
    return MHD_NO;
}

/* MHD's error log: it reports refusals at the per-address limit (as "Server reached
 * connection limit"); the rest (clients hanging up, ...) is debug detail. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    httpd_server *srv = cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    if (strstr(line, "connection limit")) {
        char why[96];
        snprintf(why, sizeof(why), "per-address connection limit (%u) reached",
                 srv->opts.per_ip_connection_limit);
        log_refusal(srv, why);
    } else {
        pu_log(PU_LOG_DEBUG, "httpd", "%s", line);
    }
}

static void fill_client_ip(httpd_request *req)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    socklen_t len = 0;
    if (sa && sa->sa_family == AF_INET)
        len = sizeof(struct sockaddr_in);
    else if (sa && sa->sa_family == AF_INET6)
        len = sizeof(struct sockaddr_in6);
    if (!len ||
        getnameinfo(sa, len, req->client_ip, sizeof(req->client_ip), NULL, 0, NI_NUMERICHOST) != 0)
        pu_strlcpy(req->client_ip, "unknown", sizeof(req->client_ip));
}

static bool content_length_too_big(const httpd_request *req)
{
    const char *cl =
        MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (!cl)
        return false;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(cl, &end, 10);
    if (end == cl || *end != '\0')
        return false; /* MHD rejects malformed lengths itself */
    return errno == ERANGE || n > req->srv->opts.max_body_bytes;
}

/* Takes one chunk of upload data. Returns false when the connection should close. */
static bool accept_upload(httpd_request *req, const char *data, size_t size)
{
    size_t max = req->srv->opts.max_body_bytes;
    if (req->too_large) {
        req->discarded += size;
        return req->discarded <= DISCARD_LIMIT_BYTES;
    }
    if (size > max - req->body.len) {
        req->too_large = true;
        req->discarded = req->body.len + size;
        pu_buf_dispose(&req->body);
        return true;
    }
    pu_buf_append(&req->body, data, size); /* aborts on out of memory (server policy) */
    return true;
}

/* ---- answering ---- */

/* The Access-Control-Allow-Origin value for @p req: "*", its own Origin when listed, or
 * NULL. */
static const char *allowed_origin(const httpd_request *req)
{
    const char *list = req->srv->allowed_origins;
    if (!list)
        return NULL;
    if (strcmp(list, "*") == 0)
        return "*";
    const char *origin = httpd_request_header(req, "Origin");
    if (!origin || !*origin)
        return NULL;
    size_t origin_len = strlen(origin);
    for (const char *p = list; *p;) {
        p += strspn(p, " ,");
        size_t len = strcspn(p, ",");
        while (len > 0 && p[len - 1] == ' ')
            len--;
        if (len > 0 && len == origin_len && memcmp(p, origin, len) == 0)
            return origin;
        p += strcspn(p, ",");
    }
    return NULL;
}

static enum MHD_Result queue_response(httpd_request *req)
{
    unsigned int status = req->res.status;
    struct MHD_Response *r = httpd__response_build(&req->res, allowed_origin(req));
    enum MHD_Result ret = MHD_queue_response(req->conn, status, r);
    MHD_destroy_response(r); /* MHD holds its own reference while sending */
    req->state = HTTPD_REQ_ANSWERED;
    return ret;
}

static enum MHD_Result answer_error(httpd_request *req, unsigned int status, const char *message)
{
    httpd__response_error(&req->res, status, message);
    return queue_response(req);
}

/* Timer callbacks for delayed responses; both run under the timer lock. */
static void delay_arm(void *ctx)
{
    httpd_request *req = ctx;
    req->state = HTTPD_REQ_DELAYED;
    MHD_suspend_connection(req->conn);
}

static void delay_fire(void *ctx)
{
    httpd_request *req = ctx;
    req->state = HTTPD_REQ_DUE;
    MHD_resume_connection(req->conn);
}

static void answer_preflight(httpd_request *req, const char *allow)
{
    httpd_response *res = &req->res;
    httpd_response_empty(res, 204);
    char methods[HTTPD_ALLOW_SIZE + 16];
    if (*allow)
        snprintf(methods, sizeof(methods), "%s, OPTIONS", allow);
    else
        pu_strlcpy(methods, PREFLIGHT_METHODS, sizeof(methods));
    httpd_response_header(res, "Access-Control-Allow-Methods", methods);
    const char *asked = httpd_request_header(req, "Access-Control-Request-Headers");
    httpd_response_header(res, "Access-Control-Allow-Headers",
                          asked && *asked ? asked : PREFLIGHT_HEADERS);
    httpd_response_header(res, "Access-Control-Max-Age", "86400");
}

/* Routes the complete request and runs the hook and the handler; fills req->res. */
static void dispatch(httpd_request *req)
{
    httpd_server *srv = req->srv;
    httpd_response *res = &req->res;
    req->json = httpd_xjson_object();
    httpd_match_result m = httpd_router_match(&srv->router, req->method, req->path, &req->match);
    if (m == HTTPD_MATCH_BAD_PATH) {
        httpd__response_error(res, 400, "Invalid percent-encoding in the request path");
        return;
    }
    if (m != HTTPD_MATCH_FOUND && strcmp(req->method, "OPTIONS") == 0) {
        answer_preflight(req, req->match.allow);
        return;
    }
    if (m == HTTPD_MATCH_NONE) {
        httpd__response_error(res, 404, NULL);
        return;
    }
    if (m == HTTPD_MATCH_WRONG_METHOD) {
        httpd__response_error(res, 405, NULL);
        httpd_response_header(res, "Allow", req->match.allow);
        return;
    }
    char err[256];
    const char *content_type = httpd_request_content_type(req);
    json_t *body =
        httpd_is_multipart(content_type) && req->body.len
            ? httpd_multipart_parse(req->conn, req->body.data, req->body.len, err, sizeof(err))
            : httpd_body_parse(content_type, req->body.data, req->body.len, err, sizeof(err));
    if (!body) {
        httpd__response_error(res, 400, err);
        return;
    }
    json_decref(req->json);
    req->json = body;
    if (srv->opts.before && !srv->opts.before(req, res, req->match.flags, srv->opts.before_payload))
        return;
    /* Counted before checking stopping, and httpd_server_stop sets stopping before waiting
     * for the count (both sequentially consistent): a handler either is refused or has
     * finished before the streams close, so nothing it published misses them. */
    atomic_fetch_add(&srv->handlers_running, 1);
    if (atomic_load(&srv->stopping))
        httpd__response_error(res, 503, "Server is shutting down");
    else
        req->match.handler(req, res, req->match.payload);
    atomic_fetch_sub(&srv->handlers_running, 1);
}

static enum MHD_Result finish(httpd_request *req)
{
    if (req->res.kind == HTTPD_RES_NONE)
        httpd__response_error(&req->res, 500, NULL);
    if (req->res.kind == HTTPD_RES_STREAM)
        /* streams outlive the idle timeout: keep-alives and events keep them busy */
        MHD_set_connection_option(req->conn, MHD_CONNECTION_OPTION_TIMEOUT, 0);
    else if (req->res.delay_ms > 0 &&
             httpd_timer_schedule(&req->srv->timer, req->res.delay_ms, req, delay_arm))
        return MHD_YES; /* suspended; delay_fire resumes it and we come back in DUE */
    return queue_response(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **req_cls)
{
    (void)version;
    httpd_request *req = *req_cls;
    if (!req) /* MHD always calls the URI log callback first; be safe anyway */
        req = *req_cls = on_request_line(cls, url, conn);
    switch (req->state) {
    case HTTPD_REQ_NEW:
        req->state = HTTPD_REQ_READING;
        req->method = method;
        fill_client_ip(req);
        char bad[64];
        if (httpd_find_bad_header(conn, bad, sizeof(bad))) {
            char message[128];
            snprintf(message, sizeof(message), "Invalid character in the %s header", bad);
            httpd_deadline_disarm(req->watch);
            return answer_error(req, 400, message);
        }
        if (content_length_too_big(req)) {
            httpd_deadline_disarm(req->watch);
            return answer_error(req, 413, NULL); /* MHD drops the body and closes */
        }
        return MHD_YES;
    case HTTPD_REQ_READING:
        if (*upload_size > 0) {
            bool keep = accept_upload(req, upload_data, *upload_size);
            *upload_size = 0;
            return keep ? MHD_YES : MHD_NO;
        }
        httpd_deadline_disarm(req->watch); /* the whole request is in */
        if (req->too_large)
            return answer_error(req, 413, NULL);
        dispatch(req);
        return finish(req);
    case HTTPD_REQ_DUE:
        return queue_response(req);
    case HTTPD_REQ_DELAYED:
    case HTTPD_REQ_ANSWERED:
        break;
    }
    *upload_size = 0;
    return MHD_YES;
}

/* ---- start / stop ---- */

/* Every daemon option we set, typed; the varargs call is made in one place only. */
typedef struct daemon_config {
    unsigned int flags;
    const struct sockaddr *addr;
    unsigned int threads;
    size_t memory_limit;
    unsigned int connection_limit;
    unsigned int per_ip_limit;
    unsigned int timeout_s;
    httpd_server *srv;
} daemon_config;

static struct MHD_Daemon *start_daemon(const daemon_config *c)
{
    return MHD_start_daemon(
        c->flags, 0, on_accept, c->srv, on_request, c->srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log,
        c->srv, MHD_OPTION_SOCK_ADDR, c->addr, MHD_OPTION_THREAD_POOL_SIZE, c->threads,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->memory_limit, MHD_OPTION_CONNECTION_LIMIT,
        c->connection_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->per_ip_limit,
        MHD_OPTION_CONNECTION_TIMEOUT, c->timeout_s, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        c->srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection, c->srv, MHD_OPTION_URI_LOG_CALLBACK,
        on_request_line, c->srv, MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
}

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t err_size,
                                                          const char *fmt, ...)
{
    if (!err || !err_size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
}

/*
 * The connection limit the process's open-file limit allows: raises the soft limit towards
 * the hard one when it is short, and lowers the limit (with a log line) when that is not
 * enough.
 */
static unsigned int fit_connection_limit(unsigned int wanted)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return wanted;
    rlim_t need = (rlim_t)wanted + RESERVED_FDS;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rlim_t raised = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        struct rlimit want = {.rlim_cur = raised, .rlim_max = rl.rlim_max};
        if (raised > rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &want) == 0)
            rl.rlim_cur = raised;
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return wanted;
    unsigned int fitted = rl.rlim_cur > 2 * RESERVED_FDS
                              ? (unsigned int)(rl.rlim_cur - RESERVED_FDS)
                              : (unsigned int)(rl.rlim_cur / 2);
    pu_log(PU_LOG_WARN, "httpd",
           "connection limit lowered from %u to %u: the open-file limit is %llu (raise it with "
           "ulimit -n)",
           wanted, fitted, (unsigned long long)rl.rlim_cur);
    return fitted;
}

int httpd_server_start(httpd_server *srv, char *err, size_t err_size)
{
    if (srv->daemon || atomic_load(&srv->stopping)) {
        set_err(err, err_size, "server %s already started", srv->listen_addr);
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
    unsigned int flags =
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (inet_pton(AF_INET, srv->listen_addr, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
        sin->sin_port = htons(srv->opts.port);
    } else if (inet_pton(AF_INET6, srv->listen_addr, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(srv->opts.port);
        flags |= MHD_USE_IPv6;
    } else {
        set_err(err, err_size, "listen address \"%s\" is not a numeric IP address",
                srv->listen_addr);
        return -1;
    }
    if (httpd_timer_start(&srv->timer, delay_fire) != 0) {
        set_err(err, err_size, "cannot start the timer thread for %s", srv->listen_addr);
        return -1;
    }
    if (httpd_deadline_start(&srv->deadline, (int64_t)srv->opts.request_deadline_s * 1000) != 0) {
        httpd_timer_stop(&srv->timer);
        set_err(err, err_size, "cannot start the deadline thread for %s", srv->listen_addr);
        return -1;
    }
    srv->connection_limit = fit_connection_limit(srv->opts.connection_limit);
    daemon_config cfg = {
        .flags = flags,
        .addr = (const struct sockaddr *)&ss,
        .threads = srv->opts.threads,
        .memory_limit = MEMORY_LIMIT_BYTES,
        /* on_accept enforces the limit with a log line; MHD's own, a little higher, only
         * catches the few accepted at once on several threads (MHD would stop accepting) */
        .connection_limit = srv->connection_limit + MHD_LIMIT_HEADROOM,
        .per_ip_limit = srv->opts.per_ip_connection_limit,
        .timeout_s = srv->opts.connection_timeout_s,
        .srv = srv,
    };
    errno = 0;
    srv->daemon = start_daemon(&cfg);
    if (!srv->daemon) {
        int e = errno ? errno : EADDRNOTAVAIL;
        httpd_timer_stop(&srv->timer);
        httpd_deadline_stop(&srv->deadline);
        set_err(err, err_size, "cannot listen on %s port %u: %s", srv->listen_addr,
                (unsigned int)srv->opts.port, strerror(e));
        return -1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : srv->opts.port;
    return 0;
}

unsigned short httpd_server_port(const httpd_server *srv)
{
    return srv->port;
}

void httpd_server_stop(httpd_server *srv)
{
    if (!srv->daemon)
        return;
    /* From here on no new stream registers and no new delay waits (see httpd_sse.c). */
    atomic_store(&srv->stopping, true);
    /* Handlers already running finish first: an event a handler publishes (and answers 200
     * for) reaches the streams before they close. Handlers do not block (delays are timers). */
    while (atomic_load(&srv->handlers_running) != 0)
        pu_time_sleep_ms(1);
    pthread_mutex_lock(&srv->stop_hooks.lock);
    for (size_t i = 0; i < srv->stop_hooks.count; i++)
        srv->stop_hooks.hooks[i].fn(srv->stop_hooks.hooks[i].object, srv);
    pthread_mutex_unlock(&srv->stop_hooks.lock);
    httpd_timer_stop(&srv->timer); /* resumes every delayed connection */
    MHD_stop_daemon(srv->daemon);  /* closes connections, joins the workers */
    httpd_deadline_stop(&srv->deadline);
    srv->daemon = NULL;
    srv->port = 0;
}

void httpd_server_free(httpd_server *srv)
{
    if (!srv)
        return;
    httpd_server_stop(srv);
    httpd_router_dispose(&srv->router);
    free(srv->stop_hooks.hooks);
    free(srv->allowed_origins);
    pthread_mutex_destroy(&srv->stop_hooks.lock);
    pthread_mutex_destroy(&srv->refusal_lock);
    free(srv);
}
