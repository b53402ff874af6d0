/* libcurl test client (see http_client.h). */
#include "http_client.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct grow_buf {
    char *data;
    size_t len;
} grow_buf;

static void buf_append(grow_buf *b, const char *data, size_t len)
{
    char *p = realloc(b->data, b->len + len + 1);
    if (!p)
        abort();
    memcpy(p + b->len, data, len);
    b->len += len;
    p[b->len] = '\0';
    b->data = p;
}

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    buf_append(userdata, ptr, size * nmemb);
    return size * nmemb;
}

typedef struct upload {
    const char *data;
    size_t len;
    size_t pos;
} upload;

static size_t on_read(char *buffer, size_t size, size_t nitems, void *userdata)
{
    upload *u = userdata;
    size_t n = size * nitems;
    if (n > u->len - u->pos)
        n = u->len - u->pos;
    memcpy(buffer, u->data + u->pos, n);
    u->pos += n;
    return n;
}

static struct curl_slist *make_headers(const char *const *headers, bool chunked)
{
    struct curl_slist *list = NULL;
    for (size_t i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    if (chunked)
        list = curl_slist_append(list, "Transfer-Encoding: chunked");
    return list;
}

int http_perform(const http_call *call, http_reply *out)
{
    memset(out, 0, sizeof(*out));
    grow_buf body = {0}, hdrs = {0};
    buf_append(&body, "", 0);
    buf_append(&hdrs, "", 0);
    CURL *curl = curl_easy_init();
    upload up = {call->body, call->body_len, 0};
    struct curl_slist *list = make_headers(call->headers, call->chunked);
    const char *method = call->method ? call->method : (call->body ? "POST" : "GET");
    curl_easy_setopt(curl, CURLOPT_URL, call->url);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_write);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &hdrs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, call->timeout_ms ? call->timeout_ms : 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (call->body) {
        curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(curl, CURLOPT_READDATA, &up);
        if (!call->chunked)
            curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)call->body_len);
    }
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    out->curl_code = (int)curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(list);
    out->body = body.data;
    out->body_len = body.len;
    out->headers = hdrs.data;
    return out->curl_code;
}

void http_reply_dispose(http_reply *reply)
{
    free(reply->body);
    free(reply->headers);
    memset(reply, 0, sizeof(*reply));
}

char *http_reply_header(const http_reply *reply, const char *name)
{
    char *found = NULL;
    size_t nlen = strlen(name);
    for (const char *line = reply->headers; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            free(found);
            found = strndup(v, (size_t)(line + len - v));
        }
        line += len + (end ? 2 : 0);
    }
    return found;
}

json_t *http_reply_json(const http_reply *reply)
{
    return json_loadb(reply->body, reply->body_len, 0, NULL);
}

json_t *http_reply_items(const http_reply *reply)
{
    json_t *page = http_reply_json(reply);
    json_t *items = json_incref(json_object_get(page, "items"));
    json_decref(page);
    if (!json_is_array(items)) {
        json_decref(items);
        return NULL;
    }
    return items;
}

char *http_url(char *buf, size_t size, unsigned short port, const char *path)
{
    snprintf(buf, size, "http://127.0.0.1:%u%s", (unsigned int)port, path);
    return buf;
}

/* Appends "<name>: <prefix><value>" (written into @p line) to @p h's list when @p value is not
 * NULL. */
static void add_header(http_headers *h, size_t *count, char *line, size_t size, const char *name,
                       const char *prefix, const char *value)
{
    if (value == NULL)
        return;
    int n = snprintf(line, size, "%s: %s%s", name, prefix, value);
    if (n < 0 || (size_t)n >= size)
        abort();
    h->list[(*count)++] = line;
}

const char *const *http_headers_bearer(http_headers *h, const char *token, const char *accept,
                                       const char *content_type)
{
    size_t count = 0;
    add_header(h, &count, h->auth, sizeof h->auth, "Authorization", "Bearer ", token);
    add_header(h, &count, h->accept, sizeof h->accept, "Accept", "", accept);
    add_header(h, &count, h->content_type, sizeof h->content_type, "Content-Type", "",
               content_type);
    h->list[count] = NULL;
    return h->list;
}

/* ---- streams ---- */

struct http_stream {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    grow_buf data;
    grow_buf resp_headers;
    bool done;
    long status;
    atomic_int fd;
    atomic_bool cancel;
    char *url;
    struct curl_slist *headers;
};

static size_t stream_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    http_stream *s = userdata;
    if (atomic_load(&s->cancel))
        return 0;
    pthread_mutex_lock(&s->lock);
    buf_append(&s->data, ptr, size * nmemb);
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return size * nmemb;
}

static size_t stream_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    http_stream *s = userdata;
    long status;
    if (nmemb * size > 12 && strncmp(ptr, "HTTP/", 5) == 0) {
        const char *sp = strchr(ptr, ' ');
        status = sp ? strtol(sp + 1, NULL, 10) : 0;
        pthread_mutex_lock(&s->lock);
        s->status = status;
        pthread_cond_broadcast(&s->cond);
        pthread_mutex_unlock(&s->lock);
    }
    pthread_mutex_lock(&s->lock);
    buf_append(&s->resp_headers, ptr, size * nmemb);
    pthread_mutex_unlock(&s->lock);
    return size * nmemb;
}

static curl_socket_t stream_open_socket(void *clientp, curlsocktype purpose,
                                        struct curl_sockaddr *address)
{
    (void)purpose;
    http_stream *s = clientp;
    curl_socket_t fd = socket(address->family, address->socktype, address->protocol);
    atomic_store(&s->fd, fd);
    return fd;
}

/* Closing under the lock means http_stream_close never shuts down a reused descriptor. */
static int stream_close_socket(void *clientp, curl_socket_t fd)
{
    http_stream *s = clientp;
    pthread_mutex_lock(&s->lock);
    atomic_store(&s->fd, -1);
    int rc = close(fd);
    pthread_mutex_unlock(&s->lock);
    return rc;
}

static int stream_progress(void *clientp, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    http_stream *s = clientp;
    return atomic_load(&s->cancel) ? 1 : 0;
}

static void *stream_main(void *arg)
{
    http_stream *s = arg;
    CURL *curl = curl_easy_init();
    curl_easy_setopt(curl, CURLOPT_URL, s->url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, s->headers);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, stream_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, stream_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, s);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, stream_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, s);
    curl_easy_setopt(curl, CURLOPT_CLOSESOCKETFUNCTION, stream_close_socket);
    curl_easy_setopt(curl, CURLOPT_CLOSESOCKETDATA, s);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, stream_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 60000L); /* a hard bound for any test */
    curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    pthread_mutex_lock(&s->lock);
    s->done = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

http_stream *http_stream_open(const char *url, const char *const *headers)
{
    http_stream *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &attr);
    pthread_condattr_destroy(&attr);
    atomic_init(&s->fd, -1);
    atomic_init(&s->cancel, false);
    buf_append(&s->data, "", 0);
    buf_append(&s->resp_headers, "", 0);
    s->url = strdup(url);
    s->headers = make_headers(headers, false);
    if (!s->url || pthread_create(&s->thread, NULL, stream_main, s) != 0)
        abort();
    return s;
}

static bool deadline_wait(http_stream *s, const struct timespec *deadline)
{
    return pthread_cond_timedwait(&s->cond, &s->lock, deadline) == 0;
}

static struct timespec deadline_in(long ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

bool http_stream_wait_for(http_stream *s, const char *needle, long timeout_ms)
{
    struct timespec deadline = deadline_in(timeout_ms);
    pthread_mutex_lock(&s->lock);
    bool found;
    while (!(found = strstr(s->data.data, needle) != NULL) && !s->done) {
        if (!deadline_wait(s, &deadline) && !strstr(s->data.data, needle))
            break;
    }
    found = strstr(s->data.data, needle) != NULL;
    pthread_mutex_unlock(&s->lock);
    return found;
}

bool http_stream_wait_done(http_stream *s, long timeout_ms)
{
    struct timespec deadline = deadline_in(timeout_ms);
    pthread_mutex_lock(&s->lock);
    while (!s->done) {
        if (!deadline_wait(s, &deadline))
            break;
    }
    bool done = s->done;
    pthread_mutex_unlock(&s->lock);
    return done;
}

char *http_stream_text(http_stream *s)
{
    pthread_mutex_lock(&s->lock);
    char *copy = strdup(s->data.data);
    pthread_mutex_unlock(&s->lock);
    if (!copy)
        abort();
    return copy;
}

long http_stream_status(http_stream *s)
{
    pthread_mutex_lock(&s->lock);
    long status = s->status;
    pthread_mutex_unlock(&s->lock);
    return status;
}

void http_stream_close(http_stream *s)
{
    if (!s)
        return;
    atomic_store(&s->cancel, true);
    pthread_mutex_lock(&s->lock);
    int fd = atomic_load(&s->fd);
    if (fd >= 0)
        shutdown(fd, SHUT_RDWR); /* curl sees EOF at once instead of its next progress tick */
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    curl_slist_free_all(s->headers);
    free(s->url);
    free(s->data.data);
    free(s->resp_headers.data);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

bool http_stream_wait_bytes(http_stream *s, size_t count, long timeout_ms)
{
    struct timespec deadline = deadline_in(timeout_ms);
    pthread_mutex_lock(&s->lock);
    while (s->data.len < count && !s->done) {
        if (!deadline_wait(s, &deadline))
            break;
    }
    bool enough = s->data.len >= count;
    pthread_mutex_unlock(&s->lock);
    return enough;
}

char *http_stream_header(http_stream *s, const char *name)
{
    pthread_mutex_lock(&s->lock);
    http_reply fake = {.headers = s->resp_headers.data};
    char *value = http_reply_header(&fake, name);
    pthread_mutex_unlock(&s->lock);
    return value;
}
