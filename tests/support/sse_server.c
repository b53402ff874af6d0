/* A scripted loopback event-stream server for tests: see sse_server.h. */
#include "sse_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "pu_time.h"

#define REQUEST_HEAD_MAX 16384
#define REQUEST_READ_TIMEOUT_MS 5000

struct sse_server {
    int listen_fd;
    int wake_pipe[2]; /* a byte on [1] makes every wait of the thread return */
    int port;
    const sse_script *scripts;
    size_t nscripts;
    pthread_t thread;
    pthread_mutex_t lock; /* guards requests, nrequests and stopping */
    pthread_cond_t changed;
    char *requests[SSE_MAX_REQUESTS];
    size_t nrequests;
    bool stopping;
};

static bool is_stopping(sse_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    bool stopping = srv->stopping;
    pthread_mutex_unlock(&srv->lock);
    return stopping;
}

enum wait_result { WAIT_ELAPSED, WAIT_PEER_GONE, WAIT_STOP };

/* Waits @p ms while watching the stop pipe and (if fd >= 0) the peer: bytes the peer sends
 * are discarded; its close ends the wait. A negative @p ms waits without a deadline. */
static enum wait_result wait_for(sse_server *srv, int fd, int ms)
{
    int64_t deadline = pu_time_mono_ms() + ms;
    for (;;) {
        if (is_stopping(srv))
            return WAIT_STOP;
        int timeout = -1;
        if (ms >= 0) {
            int64_t left = deadline - pu_time_mono_ms();
            if (left <= 0)
                return WAIT_ELAPSED;
            timeout = (int)left;
        }
        struct pollfd fds[2] = {{.fd = srv->wake_pipe[0], .events = POLLIN},
                                {.fd = fd, .events = POLLIN}};
        int n = poll(fds, fd >= 0 ? 2 : 1, timeout);
        if (n < 0 && errno != EINTR)
            return WAIT_STOP;
        if (n <= 0)
            continue;
        if (fds[0].revents != 0)
            return WAIT_STOP;
        if (fd >= 0 && fds[1].revents != 0) {
            char sink[4096];
            ssize_t got = recv(fd, sink, sizeof(sink), 0);
            if (got <= 0)
                return WAIT_PEER_GONE;
        }
    }
}

/* Reads up to the blank line that ends the request head. Returns a malloc'd copy, or NULL
 * when the peer closed, the head is too large, it took too long or the server stops. */
static char *read_request_head(sse_server *srv, int fd)
{
    char *buf = malloc(REQUEST_HEAD_MAX + 1);
    if (buf == NULL)
        return NULL;
    size_t len = 0;
    int64_t deadline = pu_time_mono_ms() + REQUEST_READ_TIMEOUT_MS;
    while (len < REQUEST_HEAD_MAX) {
        int64_t left = deadline - pu_time_mono_ms();
        if (left <= 0 || is_stopping(srv))
            break;
        struct pollfd fds[2] = {{.fd = srv->wake_pipe[0], .events = POLLIN},
                                {.fd = fd, .events = POLLIN}};
        int n = poll(fds, 2, (int)left);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0 || fds[0].revents != 0)
            continue;
        ssize_t got = recv(fd, buf + len, REQUEST_HEAD_MAX - len, 0);
        if (got <= 0)
            break;
        len += (size_t)got;
        buf[len] = '\0';
        if (strstr(buf, "\r\n\r\n") != NULL)
            return buf;
    }
    free(buf);
    return NULL;
}

static void record_request(sse_server *srv, char *head, size_t *index_out)
{
    pthread_mutex_lock(&srv->lock);
    *index_out = srv->nrequests;
    if (srv->nrequests < SSE_MAX_REQUESTS) {
        srv->requests[srv->nrequests++] = head;
        head = NULL;
    } else {
        srv->nrequests++; /* counted, not kept */
    }
    pthread_cond_broadcast(&srv->changed);
    pthread_mutex_unlock(&srv->lock);
    free(head);
}

/* Plays one script on @p fd. Returns false when the server is stopping. */
static bool play(sse_server *srv, int fd, const sse_script *script)
{
    for (size_t i = 0; i < script->nchunks; i++) {
        const sse_chunk *c = &script->chunks[i];
        size_t len = c->len != 0 ? c->len : strlen(c->bytes);
        int times = c->repeat > 0 ? c->repeat : 1;
        for (int t = 0; t < times; t++) {
            if (c->delay_ms > 0) {
                enum wait_result w = wait_for(srv, fd, c->delay_ms);
                if (w != WAIT_ELAPSED)
                    return w != WAIT_STOP;
            }
            if (!loopback_send_all(fd, c->bytes, len))
                return true;
        }
    }
    if (script->hold)
        return wait_for(srv, fd, -1) != WAIT_STOP;
    return true;
}

static void *server_main(void *arg)
{
    sse_server *srv = arg;
    while (!is_stopping(srv)) {
        struct pollfd fds[2] = {{.fd = srv->wake_pipe[0], .events = POLLIN},
                                {.fd = srv->listen_fd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0 && errno != EINTR)
            break;
        if (fds[0].revents != 0)
            break;
        if (fds[1].revents == 0)
            continue;
        int fd = accept(srv->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        char *head = read_request_head(srv, fd);
        bool go_on = true;
        if (head != NULL) {
            size_t index;
            record_request(srv, head, &index);
            size_t which = index < srv->nscripts ? index : srv->nscripts - 1;
            go_on = play(srv, fd, &srv->scripts[which]);
        }
        close(fd);
        if (!go_on)
            break;
    }
    return NULL;
}

sse_server *sse_server_start(const sse_script *scripts, size_t nscripts)
{
    if (scripts == NULL || nscripts == 0)
        return NULL;
    sse_server *srv = calloc(1, sizeof(*srv));
    if (srv == NULL)
        return NULL;
    srv->scripts = scripts;
    srv->nscripts = nscripts;
    srv->listen_fd = loopback_listen(&srv->port);
    if (srv->listen_fd < 0 || pipe(srv->wake_pipe) != 0) {
        if (srv->listen_fd >= 0)
            close(srv->listen_fd);
        free(srv);
        return NULL;
    }
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->changed, NULL);
    if (pthread_create(&srv->thread, NULL, server_main, srv) != 0) {
        pthread_mutex_destroy(&srv->lock);
        pthread_cond_destroy(&srv->changed);
        goto fail;
    }
    return srv;
fail:
    close(srv->listen_fd);
    close(srv->wake_pipe[0]);
    close(srv->wake_pipe[1]);
    free(srv);
    return NULL;
}

int sse_server_port(const sse_server *srv)
{
    return srv->port;
}

void sse_server_url(const sse_server *srv, char *out, size_t size)
{
    snprintf(out, size, "http://127.0.0.1:%d", srv->port);
}

size_t sse_server_request_count(sse_server *srv)
{
    pthread_mutex_lock(&srv->lock);
    size_t n = srv->nrequests;
    pthread_mutex_unlock(&srv->lock);
    return n;
}

bool sse_server_wait_requests(sse_server *srv, size_t n, int timeout_ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&srv->lock);
    while (srv->nrequests < n) {
        if (pthread_cond_timedwait(&srv->changed, &srv->lock, &deadline) != 0)
            break;
    }
    bool ok = srv->nrequests >= n;
    pthread_mutex_unlock(&srv->lock);
    return ok;
}

/* Copies the text from @p start up to the next CR or LF into @p out. */
static void copy_line(const char *start, char *out, size_t size)
{
    size_t len = strcspn(start, "\r\n");
    if (len >= size)
        len = size - 1;
    memcpy(out, start, len);
    out[len] = '\0';
}

bool sse_server_request_line(sse_server *srv, size_t i, char *out, size_t size)
{
    bool found = false;
    pthread_mutex_lock(&srv->lock);
    if (i < srv->nrequests && i < SSE_MAX_REQUESTS) {
        copy_line(srv->requests[i], out, size);
        found = true;
    }
    pthread_mutex_unlock(&srv->lock);
    return found;
}

bool sse_server_request_header(sse_server *srv, size_t i, const char *name, char *out, size_t size)
{
    bool found = false;
    size_t name_len = strlen(name);
    pthread_mutex_lock(&srv->lock);
    if (i < srv->nrequests && i < SSE_MAX_REQUESTS) {
        const char *line = strstr(srv->requests[i], "\r\n");
        while (line != NULL && line[2] != '\r' && line[2] != '\0') {
            line += 2;
            if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
                const char *value = line + name_len + 1;
                value += strspn(value, " \t");
                copy_line(value, out, size);
                found = true;
                break;
            }
            line = strstr(line, "\r\n");
        }
    }
    pthread_mutex_unlock(&srv->lock);
    return found;
}

void sse_server_stop(sse_server *srv)
{
    if (srv == NULL)
        return;
    pthread_mutex_lock(&srv->lock);
    srv->stopping = true;
    pthread_mutex_unlock(&srv->lock);
    char byte = 1;
    ssize_t ignored = write(srv->wake_pipe[1], &byte, 1);
    (void)ignored;
    pthread_join(srv->thread, NULL);
    close(srv->listen_fd);
    close(srv->wake_pipe[0]);
    close(srv->wake_pipe[1]);
    size_t kept = srv->nrequests < SSE_MAX_REQUESTS ? srv->nrequests : SSE_MAX_REQUESTS;
    for (size_t i = 0; i < kept; i++)
        free(srv->requests[i]);
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->changed);
    free(srv);
}
