/* A scripted loopback HTTP/1.1 server for the SDK's REST tests; see canned_server.h. */
#include "canned_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loopback.h"
#include "pu_str.h"
#include "pu_time.h"

#define MAX_CONNS 16
#define MAX_REQUESTS 128
#define MAX_REQUEST_BYTES (1024 * 1024)

struct step {
    char *expect;
    char *reply; /* full bytes to send; NULL = never answer */
    size_t reply_len;
    bool close_after;
};

struct conn {
    int fd;    /* -1 = free slot */
    bool held; /* no_reply: stop reading, keep it open */
    char *buf;
    size_t len;
};

struct record {
    char *text;
    size_t head_len; /* offset of the body */
    int64_t at_ms;
};

struct canned_server {
    int listen_fd;
    int wake[2];
    int port;
    pthread_t thread;
    bool started;
    pthread_mutex_t lock;
    struct step *steps;
    size_t nsteps;
    size_t next_step;
    struct conn conns[MAX_CONNS];
    struct record records[MAX_REQUESTS];
    size_t nrecords;
    size_t nconnections;
    char failure[512];
};

static char *dup_or_null(const char *s)
{
    return s == NULL ? NULL : strdup(s);
}

/* Builds the bytes of a status reply. */
static char *build_reply(const canned_step *s, size_t *len)
{
    const char *headers = s->headers != NULL ? s->headers : "";
    const char *body = s->body != NULL ? s->body : "";
    bool has_ct = pu_str_contains_nocase(headers, "content-type:");
    size_t blen = strlen(body);
    size_t cap = strlen(headers) + blen + 256;
    char *out = malloc(cap);
    if (out == NULL) {
        return NULL;
    }
    int n = snprintf(out, cap, "HTTP/1.1 %d Canned\r\n%sContent-Length: %zu\r\n%s\r\n", s->status,
                     has_ct ? "" : "Content-Type: application/json\r\n", blen, headers);
    if (n < 0 || (size_t)n + blen >= cap) {
        free(out);
        return NULL;
    }
    memcpy(out + n, body, blen);
    *len = (size_t)n + blen;
    return out;
}

/* Keeps the first failure only: later ones are usually its consequences. */
static void fail(canned_server *srv, const char *msg)
{
    pthread_mutex_lock(&srv->lock);
    if (srv->failure[0] == '\0') {
        snprintf(srv->failure, sizeof(srv->failure), "%s", msg);
    }
    pthread_mutex_unlock(&srv->lock);
}

static void close_conn(struct conn *c)
{
    close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof(*c));
    c->fd = -1;
}

/* Length of the complete request at the start of c->buf, or 0 if incomplete. */
static size_t complete_request(const struct conn *c, size_t *head_len)
{
    const char *end = NULL;
    for (size_t i = 0; i + 4 <= c->len; i++) {
        if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) {
            end = c->buf + i;
            break;
        }
    }
    if (end == NULL) {
        return 0;
    }
    *head_len = (size_t)(end - c->buf) + 4;
    size_t body_len = 0;
    for (const char *p = c->buf; p < end; p++) {
        if ((p == c->buf || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) {
            char *stop = NULL;
            long v = strtol(p + 15, &stop, 10);
            body_len = v > 0 ? (size_t)v : 0;
            break;
        }
    }
    return c->len >= *head_len + body_len ? *head_len + body_len : 0;
}

/* Records and answers every complete request in the connection's buffer. Returns false
 * when the connection was closed. */
static bool serve_requests(canned_server *srv, struct conn *c)
{
    size_t head_len, total;
    while (!c->held && (total = complete_request(c, &head_len)) > 0) {
        char *text = malloc(total + 1);
        if (text == NULL) {
            return true;
        }
        memcpy(text, c->buf, total);
        text[total] = '\0';
        memmove(c->buf, c->buf + total, c->len - total);
        c->len -= total;

        pthread_mutex_lock(&srv->lock);
        struct step *st = srv->next_step < srv->nsteps ? &srv->steps[srv->next_step++] : NULL;
        if (srv->nrecords < MAX_REQUESTS) {
            srv->records[srv->nrecords].text = text;
            srv->records[srv->nrecords].head_len = head_len;
            srv->records[srv->nrecords].at_ms = pu_time_mono_ms();
            srv->nrecords++;
            text = NULL;
        }
        pthread_mutex_unlock(&srv->lock);

        char line[256];
        const char *rec = text;
        if (rec == NULL) {
            pthread_mutex_lock(&srv->lock);
            rec = srv->records[srv->nrecords - 1].text;
            pthread_mutex_unlock(&srv->lock);
        }
        size_t ll = strcspn(rec, "\r\n");
        snprintf(line, sizeof(line), "%.*s", (int)(ll < 200 ? ll : 200), rec);
        free(text);

        if (st == NULL) {
            char msg[400];
            snprintf(msg, sizeof(msg), "unexpected request past the script: %s", line);
            fail(srv, msg);
            static const char extra[] = "HTTP/1.1 500 Canned\r\nContent-Type: application/json\r\n"
                                        "Content-Length: 2\r\n\r\n{}";
            loopback_send_all(c->fd, extra, sizeof(extra) - 1);
            continue;
        }
        if (st->expect != NULL && strncmp(line, st->expect, strlen(st->expect)) != 0) {
            char msg[512];
            snprintf(msg, sizeof(msg), "expected \"%.200s\", got \"%s\"", st->expect, line);
            fail(srv, msg);
        }
        if (st->reply == NULL) {
            c->held = true;
            return true;
        }
        loopback_send_all(c->fd, st->reply, st->reply_len);
        if (st->close_after) {
            close_conn(c);
            return false;
        }
    }
    return true;
}

static void on_readable(canned_server *srv, struct conn *c)
{
    if (c->held) {
        /* never answered: just drain so the peer's close is noticed */
        char sink[4096];
        ssize_t n = recv(c->fd, sink, sizeof(sink), 0);
        if (n <= 0) {
            close_conn(c);
        }
        return;
    }
    char *grown = realloc(c->buf, c->len + 65536 + 1);
    if (grown == NULL) {
        close_conn(c);
        return;
    }
    c->buf = grown;
    ssize_t n = recv(c->fd, c->buf + c->len, 65536, 0);
    if (n <= 0 || c->len + (size_t)n > MAX_REQUEST_BYTES) {
        close_conn(c);
        return;
    }
    c->len += (size_t)n;
    serve_requests(srv, c);
}

static void *server_main(void *arg)
{
    canned_server *srv = arg;
    for (;;) {
        struct pollfd fds[2 + MAX_CONNS];
        size_t idx[MAX_CONNS];
        nfds_t n = 0;
        fds[n++] = (struct pollfd){.fd = srv->wake[0], .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = srv->listen_fd, .events = POLLIN};
        size_t nc = 0;
        for (size_t i = 0; i < MAX_CONNS; i++) {
            if (srv->conns[i].fd >= 0) {
                idx[nc++] = i;
                fds[n++] = (struct pollfd){.fd = srv->conns[i].fd, .events = POLLIN};
            }
        }
        if (poll(fds, n, 1000) < 0 && errno != EINTR) {
            break;
        }
        if (fds[0].revents) {
            break;
        }
        if (fds[1].revents & POLLIN) {
            int fd = accept(srv->listen_fd, NULL, NULL);
            if (fd >= 0) {
                size_t slot = 0;
                while (slot < MAX_CONNS && srv->conns[slot].fd >= 0) {
                    slot++;
                }
                if (slot == MAX_CONNS) {
                    close(fd);
                } else {
                    srv->conns[slot].fd = fd;
                    pthread_mutex_lock(&srv->lock);
                    srv->nconnections++;
                    pthread_mutex_unlock(&srv->lock);
                }
            }
        }
        for (size_t k = 0; k < nc; k++) {
            if (fds[2 + k].revents & (POLLIN | POLLHUP | POLLERR)) {
                on_readable(srv, &srv->conns[idx[k]]);
            }
        }
    }
    return NULL;
}

canned_server *canned_server_start(const canned_step *steps, size_t nsteps)
{
    canned_server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        return NULL;
    }
    srv->listen_fd = -1;
    srv->wake[0] = srv->wake[1] = -1;
    for (size_t i = 0; i < MAX_CONNS; i++) {
        srv->conns[i].fd = -1;
    }
    pthread_mutex_init(&srv->lock, NULL);
    srv->steps = calloc(nsteps ? nsteps : 1, sizeof(*srv->steps));
    if (srv->steps == NULL) {
        goto fail;
    }
    srv->nsteps = nsteps;
    for (size_t i = 0; i < nsteps; i++) {
        struct step *d = &srv->steps[i];
        d->expect = dup_or_null(steps[i].expect);
        d->close_after = steps[i].close_after;
        if (steps[i].no_reply) {
            continue;
        }
        if (steps[i].status != 0) {
            d->reply = build_reply(&steps[i], &d->reply_len);
        } else {
            d->reply = dup_or_null(steps[i].raw != NULL ? steps[i].raw : "");
            d->reply_len = strlen(d->reply != NULL ? d->reply : "");
        }
        if (d->reply == NULL) {
            goto fail;
        }
    }
    srv->listen_fd = loopback_listen(&srv->port);
    if (srv->listen_fd < 0 || pipe(srv->wake) < 0) {
        goto fail;
    }
    if (pthread_create(&srv->thread, NULL, server_main, srv) != 0) {
        goto fail;
    }
    srv->started = true;
    return srv;
fail:
    canned_server_stop(srv);
    return NULL;
}

void canned_server_url(const canned_server *srv, char *out, size_t size)
{
    snprintf(out, size, "http://127.0.0.1:%d", srv->port);
}

size_t canned_server_request_count(canned_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    size_t n = srv->nrecords;
    pthread_mutex_unlock(&srv->lock);
    return n;
}

size_t canned_server_connection_count(canned_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    size_t n = srv->nconnections;
    pthread_mutex_unlock(&srv->lock);
    return n;
}

bool canned_server_request(canned_server *srv, size_t i, char *out, size_t size)
{
    pthread_mutex_lock(&srv->lock);
    bool ok = i < srv->nrecords;
    if (ok) {
        snprintf(out, size, "%s", srv->records[i].text);
    }
    pthread_mutex_unlock(&srv->lock);
    return ok;
}

bool canned_server_request_body(canned_server *srv, size_t i, char *out, size_t size)
{
    pthread_mutex_lock(&srv->lock);
    bool ok = i < srv->nrecords;
    if (ok) {
        snprintf(out, size, "%s", srv->records[i].text + srv->records[i].head_len);
    }
    pthread_mutex_unlock(&srv->lock);
    return ok;
}

int64_t canned_server_request_time_ms(canned_server *srv, size_t i)
{
    pthread_mutex_lock(&srv->lock);
    int64_t t = i < srv->nrecords ? srv->records[i].at_ms : -1;
    pthread_mutex_unlock(&srv->lock);
    return t;
}

bool canned_server_ok(canned_server *srv, char *why, size_t size)
{
    pthread_mutex_lock(&srv->lock);
    bool ok = srv->failure[0] == '\0';
    snprintf(why, size, "%s", srv->failure);
    pthread_mutex_unlock(&srv->lock);
    return ok;
}

void canned_server_stop(canned_server *srv)
{
    if (srv == NULL) {
        return;
    }
    if (srv->started) {
        ssize_t w = write(srv->wake[1], "x", 1);
        (void)w;
        pthread_join(srv->thread, NULL);
    }
    for (size_t i = 0; i < MAX_CONNS; i++) {
        if (srv->conns[i].fd >= 0) {
            close_conn(&srv->conns[i]);
        }
    }
    for (size_t i = 0; i < srv->nrecords; i++) {
        free(srv->records[i].text);
    }
    for (size_t i = 0; srv->steps != NULL && i < srv->nsteps; i++) {
        free(srv->steps[i].expect);
        free(srv->steps[i].reply);
    }
    free(srv->steps);
    if (srv->listen_fd >= 0) {
        close(srv->listen_fd);
    }
    if (srv->wake[0] >= 0) {
        close(srv->wake[0]);
        close(srv->wake[1]);
    }
    pthread_mutex_destroy(&srv->lock);
    free(srv);
}

int canned_unused_port(void)
{
    int port = 0;
    int fd = loopback_listen(&port);
    if (fd < 0) {
        return 0;
    }
    close(fd);
    return port;
}
