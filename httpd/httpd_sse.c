/*
 * The SSE hub: fan-out of framed events to subscribers with bounded queues.
 *
 * Locking and lifetimes. One mutex per hub guards everything below: the ring, the
 * subscriber lists, every subscriber's queue and flags, and the reference counts of
 * frames. MHD_suspend_connection/MHD_resume_connection for stream connections are only
 * called with this lock held, which makes "suspended" exact: it is true iff the reader
 * suspended the connection and nobody resumed it yet, so a publisher never resumes a
 * connection twice or one that is not suspended. A suspended connection cannot be closed
 * by MHD, so resuming it under the lock never touches a freed connection.
 *
 * A subscriber has one owner at a time: the handler's httpd_response until the MHD
 * response is created, then that MHD response, whose free callback (sse_stream_free)
 * unlinks the subscriber under the lock and frees it. Publishers, the keep-alive thread and
 * httpd_server_stop reach subscribers only through the hub's list, under the lock, so none
 * of them can see a freed subscriber.
 *
 * Frames are built once per event and shared: each queue holds pointers to refcounted
 * frames, so publishing to n subscribers costs n pointer pushes and no allocation (the
 * queues grow by doubling and keep their capacity).
 *
 * Flow control. A subscriber's queue takes live events only while they fit in
 * max_queue_bytes. An event that does not fit makes the subscriber "lagging": its cursor
 * points at that event in the ring and publishers pass it by. The reader drains the queue,
 * then moves ring events at the cursor into the queue one MHD block at a time as the socket
 * drains, and becomes live again (under the lock, so nothing is lost or doubled) once the
 * cursor reaches the newest event. A Last-Event-ID replay is the same cursor, set at
 * subscription. A publisher that overwrites the ring slot a lagging cursor points at ends
 * that stream: ":gap" is queued after what it had, the stream ends once that is read, and a
 * reader that stops reading meanwhile is cut keepalive_ms later.
 *
 * Memory bound: the ring (ring_size frames and their contexts) plus, per subscriber, at most
 * max_queue_bytes of live frames, one MHD block (SSE_BLOCK_BYTES) plus one frame taken from
 * the ring, and comments (":ok", ":gap", keep-alives). Queued frames are references to the
 * ring's frames, so a frame outlives the ring only while some queue holds it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "httpd_alloc.h"
#include "httpd_internal.h"
#include "pu_log.h"
#include "pu_time.h"

#define SSE_BLOCK_BYTES (16 * 1024) /* what MHD asks the reader for at most */

typedef struct sse_frame {
    size_t refs; /* under the hub lock */
    size_t len;
    char data[];
} sse_frame;

typedef struct ring_slot {
    uint64_t id;          /* 0 = empty */
    int64_t published_ms; /* monotonic clock, for the replay's age limit */
    sse_frame *frame;
    void *ctx;
    void (*ctx_free)(void *);
} ring_slot;

typedef struct httpd_sse_sub httpd_sse_sub;
struct httpd_sse_sub {
    uint64_t id; /* names the subscriber in the hub's epoll set (never 0) */
    httpd_sse_hub *hub;
    const httpd_server *srv;
    struct MHD_Connection *conn;
    int fd; /* the connection's socket, for cutting off a reader that hung up or stalled */
    httpd_sse_filter_fn *filter;
    void *payload;
    void (*payload_free)(void *);
    sse_frame **queue; /* circular array of frame references */
    size_t q_cap;
    size_t q_head;
    size_t q_count;
    size_t q_offset; /* bytes of the head frame already sent */
    size_t q_bytes;  /* unsent bytes */
    bool suspended;
    bool closed;         /* no more frames; the reader ends the stream once drained */
    bool aborted;        /* hung up or stalled: the reader aborts the connection */
    bool lagging;        /* events come from the ring at cursor, not from publishers */
    bool cut_if_stalled; /* fell out of the window: cut unless it reads within keepalive_ms */
    uint64_t cursor;     /* while lagging: id of the next ring event to consider */
    uint64_t end_id;     /* once closed while lagging: the ring is read up to here */
    int64_t last_write_ms;
    httpd_sse_sub *prev, *next;       /* hub->subs */
    httpd_sse_sub *ka_prev, *ka_next; /* hub keep-alive order, oldest write first */
};

struct httpd_sse_hub {
    pthread_mutex_t lock;
    int epfd;   /* the hub thread's epoll: stream sockets (hang-ups) and the wake fd */
    int wakefd; /* eventfd that wakes the hub thread */
    pthread_t thread;
    uint64_t next_sub_id;
    bool stopping;
    ring_slot *ring;
    size_t ring_size;
    uint64_t first_id;
    uint64_t next_id;
    unsigned int replay_max_age_ms; /* 0 = no age limit */
    unsigned int keepalive_ms;
    size_t max_queue_bytes;
    size_t max_subscribers;
    httpd_sse_sub *subs;
    size_t sub_count;
    httpd_sse_sub *ka_head, *ka_tail;
    sse_frame *ok_frame;
    sse_frame *keepalive_frame;
    sse_frame *gap_frame; /* ":gap": a lagging stream fell out of the window */
    httpd__sse_stats stats;
};

/* ---- frames ---- */

static sse_frame *frame_new(size_t len)
{
    if (len > SIZE_MAX - sizeof(sse_frame))
        len = SIZE_MAX; /* makes the allocation abort */
    sse_frame *f = httpd_xmalloc(sizeof(sse_frame) + len);
    f->refs = 1;
    f->len = len;
    return f;
}

static sse_frame *frame_from_text(const char *text)
{
    size_t len = strlen(text);
    sse_frame *f = frame_new(len);
    memcpy(f->data, text, len);
    return f;
}

static void frame_unref(sse_frame *f)
{
    if (f && --f->refs == 0)
        free(f);
}

/* Copies @p s replacing CR and LF by spaces: a field must stay on one line. */
static size_t copy_one_line(char *dst, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        dst[i] = (s[i] == '\r' || s[i] == '\n') ? ' ' : s[i];
    return len;
}

static sse_frame *frame_event(uint64_t id, const char *name, const char *data)
{
    char idline[32];
    int idlen = snprintf(idline, sizeof(idline), "id: %llu\n", (unsigned long long)id);
    size_t name_len = strlen(name), data_len = strlen(data);
    size_t total = (size_t)idlen + 6 /* "data: " */ + 2 /* "\n\n" */;
    if (name_len > 0)
        total += 7 /* "event: " */ + 1 /* "\n" */;
    if (__builtin_add_overflow(total, name_len, &total) ||
        __builtin_add_overflow(total, data_len, &total))
        total = SIZE_MAX;
    sse_frame *f = frame_new(total);
    char *p = f->data;
    memcpy(p, idline, (size_t)idlen);
    p += idlen;
    if (name_len > 0) {
        memcpy(p, "event: ", 7);
        p += 7;
        p += copy_one_line(p, name, name_len);
        *p++ = '\n';
    }
    memcpy(p, "data: ", 6);
    p += 6;
    p += copy_one_line(p, data, data_len);
    memcpy(p, "\n\n", 2);
    return f;
}

/* ---- subscriber queues (hub lock held) ---- */

static void ka_unlink(httpd_sse_hub *hub, httpd_sse_sub *sub)
{
    if (sub->ka_prev)
        sub->ka_prev->ka_next = sub->ka_next;
    else if (hub->ka_head == sub)
        hub->ka_head = sub->ka_next;
    else
        return; /* not in the list */
    if (sub->ka_next)
        sub->ka_next->ka_prev = sub->ka_prev;
    else
        hub->ka_tail = sub->ka_prev;
    sub->ka_prev = sub->ka_next = NULL;
}

static void ka_append(httpd_sse_hub *hub, httpd_sse_sub *sub)
{
    sub->ka_next = NULL;
    sub->ka_prev = hub->ka_tail;
    if (hub->ka_tail)
        hub->ka_tail->ka_next = sub;
    else
        hub->ka_head = sub;
    hub->ka_tail = sub;
}

static void wake_reader(httpd_sse_sub *sub)
{
    if (sub->suspended) {
        sub->suspended = false;
        MHD_resume_connection(sub->conn);
    }
}

/* Moves @p sub to the keep-alive list's tail: it was written to (or read from) at @p now. */
static void ka_touch(httpd_sse_hub *hub, httpd_sse_sub *sub, int64_t now)
{
    sub->last_write_ms = now;
    ka_unlink(hub, sub);
    ka_append(hub, sub);
}

static ring_slot *ring_at(httpd_sse_hub *hub, uint64_t id)
{
    return &hub->ring[(id - hub->first_id) % hub->ring_size];
}

static void queue_clear(httpd_sse_sub *sub)
{
    for (size_t i = 0; i < sub->q_count; i++)
        frame_unref(sub->queue[(sub->q_head + i) % sub->q_cap]);
    sub->q_head = sub->q_count = sub->q_offset = sub->q_bytes = 0;
}

/* Ends the stream: @p cut aborts the connection, otherwise the queue drains first, and a
 * lagging subscriber still reads the ring up to the events published before now. */
static void sub_close(httpd_sse_hub *hub, httpd_sse_sub *sub, bool cut)
{
    if (!sub->closed)
        sub->end_id = hub->next_id;
    if (cut) {
        sub->lagging = false;
        queue_clear(sub);
        sub->aborted = true;
        /* A reader that does not read leaves the connection waiting for POLLOUT, so MHD
         * would never call sse_stream_read to learn that the stream is over. Shutting the
         * socket down wakes MHD's poll with an error and it closes the connection. The fd is
         * still open: MHD closes it only after freeing the response, which unlinks us. */
        if (sub->fd >= 0)
            shutdown(sub->fd, SHUT_RDWR);
    }
    sub->closed = true;
    ka_unlink(hub, sub);
    wake_reader(sub);
}

/* Appends a reference to @p frame to the queue, whatever its size (lock held). */
static void queue_append(httpd_sse_hub *hub, httpd_sse_sub *sub, sse_frame *frame)
{
    if (sub->q_count == sub->q_cap) {
        size_t cap = sub->q_cap ? sub->q_cap * 2 : 8;
        sse_frame **queue = httpd_xmalloc(httpd_xmul(cap, sizeof(*queue)));
        for (size_t i = 0; i < sub->q_count; i++)
            queue[i] = sub->queue[(sub->q_head + i) % sub->q_cap];
        free(sub->queue);
        sub->queue = queue;
        sub->q_cap = cap;
        sub->q_head = 0;
    }
    sub->queue[(sub->q_head + sub->q_count) % sub->q_cap] = frame;
    sub->q_count++;
    sub->q_bytes += frame->len;
    frame->refs++;
    if (sub->q_bytes > hub->stats.peak_queued_bytes)
        hub->stats.peak_queued_bytes = sub->q_bytes;
}

static bool queue_has_room(const httpd_sse_hub *hub, const httpd_sse_sub *sub, size_t len)
{
    return sub->q_bytes <= hub->max_queue_bytes && len <= hub->max_queue_bytes - sub->q_bytes;
}

/* Queues a comment (":ok", ":gap") that must arrive whatever the queue holds. */
static void sub_send(httpd_sse_hub *hub, httpd_sse_sub *sub, sse_frame *frame, int64_t now)
{
    queue_append(hub, sub, frame);
    ka_touch(hub, sub, now);
    wake_reader(sub);
}

/* A keep-alive: skipped when the queue is full (the stream is not idle then). */
static void sub_keepalive(httpd_sse_hub *hub, httpd_sse_sub *sub, int64_t now)
{
    if (queue_has_room(hub, sub, hub->keepalive_frame->len))
        queue_append(hub, sub, hub->keepalive_frame);
    ka_touch(hub, sub, now);
    wake_reader(sub);
}

/* A live event (ring id @p id): queued if it fits, otherwise the subscriber starts reading
 * the ring at @p id. A lagging subscriber reaches it through the ring anyway. */
static void sub_push_event(httpd_sse_hub *hub, httpd_sse_sub *sub, sse_frame *frame, uint64_t id,
                           int64_t now)
{
    if (sub->closed || sub->lagging)
        return;
    if (!queue_has_room(hub, sub, frame->len)) {
        sub->lagging = true;
        sub->cursor = id;
        hub->stats.lagged++;
        wake_reader(sub); /* when the event alone is larger than the cap */
        return;
    }
    queue_append(hub, sub, frame);
    ka_touch(hub, sub, now);
    wake_reader(sub);
}

/*
 * Ends a lagging stream whose cursor's event just left the ring (lock held): what is queued
 * is sent, then ":gap" (its size is not known yet: the client learns it from the ":gap N" of
 * its Last-Event-ID resume), then the stream ends. It stays in the keep-alive list so the
 * hub thread cuts it if it stops reading.
 */
static void sub_fall_out(httpd_sse_hub *hub, httpd_sse_sub *sub, int64_t now)
{
    sub->lagging = false;
    queue_append(hub, sub, hub->gap_frame);
    sub->closed = true;
    sub->cut_if_stalled = true;
    hub->stats.fell_out++;
    ka_touch(hub, sub, now);
    wake_reader(sub);
}

/*
 * Moves ring events at a lagging subscriber's cursor into its queue until it holds @p want
 * bytes or the cursor reaches the newest event (for a closed stream: the newest when it was
 * closed), which makes the subscriber live again (lock held). Events the filter rejects are
 * skipped. The cursor's slot always holds the cursor's event: a publisher overwriting it
 * ends the stream first (sub_fall_out).
 */
static void refill_from_ring(httpd_sse_hub *hub, httpd_sse_sub *sub, size_t want)
{
    uint64_t end = sub->closed ? sub->end_id : hub->next_id;
    while (sub->lagging && sub->q_bytes < want) {
        if (sub->cursor == end) {
            sub->lagging = false;
            break;
        }
        ring_slot *slot = ring_at(hub, sub->cursor);
        if (!sub->filter || sub->filter(slot->ctx, sub->payload)) {
            queue_append(hub, sub, slot->frame);
            hub->stats.ring_frames_sent++;
        }
        sub->cursor++;
    }
}

/* Copies up to @p max queued bytes into @p buf. */
static size_t queue_drain(httpd_sse_sub *sub, char *buf, size_t max)
{
    size_t n = 0;
    while (n < max && sub->q_count > 0) {
        sse_frame *f = sub->queue[sub->q_head];
        size_t take = f->len - sub->q_offset;
        if (take > max - n)
            take = max - n;
        memcpy(buf + n, f->data + sub->q_offset, take);
        n += take;
        sub->q_offset += take;
        if (sub->q_offset == f->len) {
            frame_unref(f);
            sub->q_head = (sub->q_head + 1) % sub->q_cap;
            sub->q_count--;
            sub->q_offset = 0;
        }
    }
    sub->q_bytes -= n;
    return n;
}

/* Removes @p sub from the hub (lock held); the caller frees it after unlocking. */
static void sub_unlink(httpd_sse_hub *hub, httpd_sse_sub *sub)
{
    /* before MHD closes the socket, so the descriptor is still this connection's */
    if (sub->fd >= 0)
        epoll_ctl(hub->epfd, EPOLL_CTL_DEL, sub->fd, NULL);
    ka_unlink(hub, sub);
    if (sub->prev)
        sub->prev->next = sub->next;
    else
        hub->subs = sub->next;
    if (sub->next)
        sub->next->prev = sub->prev;
    hub->sub_count--;
    queue_clear(sub);
}

static void sub_free(httpd_sse_sub *sub)
{
    if (sub->payload_free)
        sub->payload_free(sub->payload);
    free(sub->queue);
    free(sub);
}

static void sub_remove(httpd_sse_sub *sub)
{
    httpd_sse_hub *hub = sub->hub;
    pthread_mutex_lock(&hub->lock);
    sub_unlink(hub, sub);
    pthread_mutex_unlock(&hub->lock);
    sub_free(sub);
}

/* ---- the MHD side of a stream ---- */

/*
 * MHD content reader. Runs on the connection's worker thread; MHD allows suspending the
 * connection from here. Returning 0 after suspending makes MHD call again once resumed.
 */
static ssize_t sse_stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    httpd_sse_sub *sub = cls;
    httpd_sse_hub *hub = sub->hub;
    ssize_t result;
    pthread_mutex_lock(&hub->lock);
    bool from_ring = sub->lagging;
    if (from_ring)
        refill_from_ring(hub, sub, max);
    if (sub->aborted) {
        result = MHD_CONTENT_READER_END_WITH_ERROR;
    } else if (sub->q_count > 0) {
        result = (ssize_t)queue_drain(sub, buf, max);
        /* a reader catching up, or ending after a fall-out, is busy, not stalled */
        if ((from_ring && !sub->closed) || sub->cut_if_stalled)
            ka_touch(hub, sub, pu_time_mono_ms());
    } else if (sub->closed) {
        result = MHD_CONTENT_READER_END_OF_STREAM;
    } else {
        sub->suspended = true;
        MHD_suspend_connection(sub->conn);
        result = 0;
    }
    pthread_mutex_unlock(&hub->lock);
    return result;
}

/* MHD's free callback for the stream response: the connection is gone or finished. */
static void sse_stream_free(void *cls)
{
    sub_remove(cls);
}

/* The response layer's create(): the MHD response that sends the subscriber's stream. */
static struct MHD_Response *sse_response_create(void *sub)
{
    return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, SSE_BLOCK_BYTES, sse_stream_read,
                                             sub, sse_stream_free);
}

/* The response layer's discard(): a subscriber whose response was never built. */
static void sse_sub_discard(void *sub)
{
    sub_remove(sub);
}

/* The server's stop hook: ends every stream of @p srv on the hub. */
static void close_server_streams(void *object, const httpd_server *srv)
{
    httpd_sse_hub *hub = object;
    pthread_mutex_lock(&hub->lock);
    for (httpd_sse_sub *sub = hub->subs; sub; sub = sub->next) {
        if (sub->srv == srv)
            sub_close(hub, sub, false);
    }
    pthread_mutex_unlock(&hub->lock);
}

size_t httpd_sse_close_where(httpd_sse_hub *hub, httpd_sse_filter_fn *match, const void *ctx)
{
    size_t closed = 0;
    pthread_mutex_lock(&hub->lock);
    for (httpd_sse_sub *sub = hub->subs; sub; sub = sub->next) {
        if (!sub->closed && match(ctx, sub->payload)) {
            sub_close(hub, sub, false);
            closed++;
        }
    }
    pthread_mutex_unlock(&hub->lock);
    return closed;
}

/* ---- the hub ---- */

static void wake_hub_thread(httpd_sse_hub *hub)
{
    uint64_t one = 1;
    ssize_t n = write(hub->wakefd, &one, sizeof(one));
    (void)n; /* EAGAIN means a wake-up is already pending */
}

static httpd_sse_sub *find_sub(httpd_sse_hub *hub, uint64_t id)
{
    for (httpd_sse_sub *sub = hub->subs; sub; sub = sub->next) {
        if (sub->id == id)
            return sub;
    }
    return NULL;
}

/*
 * The hub thread. It sends keep-alives: the keep-alive list is ordered by last write, so
 * only its head can be due, and writing to it moves it to the tail (O(1) per keep-alive).
 * It also watches every stream socket for a hang-up: MHD does not poll suspended
 * connections, so without this a client that goes away would only be noticed at the next
 * write. Sockets are registered one-shot with the subscriber's id (not its address), and
 * the id is looked up under the lock, so a subscriber freed meanwhile is simply not found.
 */
static void *hub_thread_main(void *arg)
{
    httpd_sse_hub *hub = arg;
    struct epoll_event events[64];
    pthread_mutex_lock(&hub->lock);
    while (!hub->stopping) {
        int64_t now = pu_time_mono_ms();
        while (hub->ka_head && hub->ka_head->last_write_ms + hub->keepalive_ms <= now) {
            httpd_sse_sub *due = hub->ka_head;
            if (due->cut_if_stalled)
                sub_close(hub, due, true); /* fell out and stopped reading (unlinks it) */
            else
                sub_keepalive(hub, due, now);
        }
        int timeout = -1;
        if (hub->ka_head) {
            int64_t wait_ms = hub->ka_head->last_write_ms + hub->keepalive_ms - now;
            timeout = wait_ms > 60000 ? 60000 : (int)wait_ms;
        }
        pthread_mutex_unlock(&hub->lock);
        int n = epoll_wait(hub->epfd, events, 64, timeout);
        pthread_mutex_lock(&hub->lock);
        for (int i = 0; i < n; i++) {
            if (events[i].data.u64 == 0) {
                uint64_t count;
                ssize_t r = read(hub->wakefd, &count, sizeof(count));
                (void)r;
                continue;
            }
            httpd_sse_sub *sub = find_sub(hub, events[i].data.u64);
            if (sub && !sub->aborted)
                sub_close(hub, sub, true); /* the client hung up: abort the stream */
        }
    }
    pthread_mutex_unlock(&hub->lock);
    return NULL;
}

httpd_sse_hub *httpd_sse_hub_new(const httpd_sse_hub_options *opts)
{
    httpd_sse_hub_options o = {0};
    if (opts)
        o = *opts;
    httpd_sse_hub *hub = httpd_xcalloc(1, sizeof(*hub));
    hub->ring_size = o.ring_size ? o.ring_size : 1024;
    hub->keepalive_ms = o.keepalive_ms ? o.keepalive_ms : 9000;
    hub->max_queue_bytes = o.max_queue_bytes ? o.max_queue_bytes : 1024 * 1024;
    hub->max_subscribers = o.max_subscribers ? o.max_subscribers : 10000;
    hub->ring = httpd_xcalloc(hub->ring_size, sizeof(ring_slot));
    hub->first_id = o.first_id ? o.first_id : 1;
    hub->next_id = hub->first_id;
    hub->replay_max_age_ms = o.replay_max_age_ms;
    hub->ok_frame = frame_from_text(":ok\n\n");
    hub->keepalive_frame = frame_from_text(":\n\n");
    hub->gap_frame = frame_from_text(":gap\n\n");
    pthread_mutex_init(&hub->lock, NULL);
    hub->next_sub_id = 1;
    hub->epfd = epoll_create1(EPOLL_CLOEXEC);
    hub->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
    if (hub->epfd < 0 || hub->wakefd < 0 ||
        epoll_ctl(hub->epfd, EPOLL_CTL_ADD, hub->wakefd, &ev) != 0 ||
        pthread_create(&hub->thread, NULL, hub_thread_main, hub) != 0) {
        pu_log(PU_LOG_ERROR, "httpd", "cannot start the SSE hub thread: %s", strerror(errno));
        abort(); /* like OOM: the process is out of resources */
    }
    return hub;
}

void httpd_sse_hub_free(httpd_sse_hub *hub)
{
    if (!hub)
        return;
    pthread_mutex_lock(&hub->lock);
    hub->stopping = true;
    wake_hub_thread(hub);
    if (hub->sub_count != 0) {
        /* streams reference the hub: the server must be freed first (see httpd.h) */
        pu_log(PU_LOG_ERROR, "httpd", "SSE hub freed with %zu open streams", hub->sub_count);
        abort();
    }
    pthread_mutex_unlock(&hub->lock);
    pthread_join(hub->thread, NULL);
    for (size_t i = 0; i < hub->ring_size; i++) {
        ring_slot *slot = &hub->ring[i];
        frame_unref(slot->frame);
        if (slot->ctx_free)
            slot->ctx_free(slot->ctx);
    }
    free(hub->ring);
    frame_unref(hub->ok_frame);
    frame_unref(hub->keepalive_frame);
    frame_unref(hub->gap_frame);
    close(hub->epfd);
    close(hub->wakefd);
    pthread_mutex_destroy(&hub->lock);
    free(hub);
}

void httpd_sse_hub_set_keepalive(httpd_sse_hub *hub, unsigned int keepalive_ms)
{
    pthread_mutex_lock(&hub->lock);
    hub->keepalive_ms = keepalive_ms ? keepalive_ms : 9000;
    wake_hub_thread(hub);
    pthread_mutex_unlock(&hub->lock);
}

uint64_t httpd_sse_publish(httpd_sse_hub *hub, const char *name, const char *data, void *event_ctx,
                           void (*ctx_free)(void *))
{
    ring_slot evicted = {0};
    pthread_mutex_lock(&hub->lock);
    uint64_t id = hub->next_id++;
    sse_frame *frame = frame_event(id, name ? name : "", data ? data : "");
    ring_slot *slot = ring_at(hub, id);
    evicted = *slot;
    int64_t now = pu_time_mono_ms();
    *slot = (ring_slot){id, now, frame, event_ctx, ctx_free}; /* the ring owns the first ref */
    for (httpd_sse_sub *sub = hub->subs; sub; sub = sub->next) {
        if (sub->lagging) { /* closed or not: it still reads the ring */
            if (evicted.id != 0 && sub->cursor <= evicted.id)
                sub_fall_out(hub, sub, now);
            continue;
        }
        if (sub->closed)
            continue;
        if (!sub->filter || sub->filter(event_ctx, sub->payload))
            sub_push_event(hub, sub, frame, id, now);
    }
    frame_unref(evicted.frame);
    pthread_mutex_unlock(&hub->lock);
    if (evicted.ctx_free)
        evicted.ctx_free(evicted.ctx); /* application code: outside the lock */
    return id;
}

size_t httpd_sse_subscriber_count(httpd_sse_hub *hub)
{
    pthread_mutex_lock(&hub->lock);
    size_t n = hub->sub_count;
    pthread_mutex_unlock(&hub->lock);
    return n;
}

/* Tells a resuming client that events it asked for are gone (lock held): ":gap N" with the
 * number of ids skipped (events of other streams included, so an upper bound for a
 * filtered stream), or ":gap" when the id is from an earlier process and the count unknown. */
static void push_gap(httpd_sse_hub *hub, httpd_sse_sub *sub, uint64_t last_event_id, uint64_t start,
                     int64_t now)
{
    char text[48];
    if (last_event_id < hub->first_id - 1)
        snprintf(text, sizeof(text), ":gap\n\n");
    else
        snprintf(text, sizeof(text), ":gap %llu\n\n",
                 (unsigned long long)(start - last_event_id - 1));
    sse_frame *frame = frame_from_text(text);
    sub_send(hub, sub, frame, now);
    frame_unref(frame);
}

/*
 * Points the subscriber's cursor at the first ring event with an id above @p last_event_id
 * within the age limit (lock held), after a ":gap" comment when the window no longer reaches
 * back to it; the reader sends the events from the ring as the socket drains. An id from an
 * earlier process (below first_id) replays the whole window: none of this process's events
 * can have reached that client.
 */
static void replay(httpd_sse_hub *hub, httpd_sse_sub *sub, uint64_t last_event_id, int64_t now)
{
    if (last_event_id >= hub->next_id - 1 && last_event_id >= hub->first_id - 1)
        return; /* nothing newer; also keeps last_event_id + 1 from wrapping to 0 */
    uint64_t newest = hub->next_id - 1;
    uint64_t oldest = hub->next_id - hub->first_id > hub->ring_size ? hub->next_id - hub->ring_size
                                                                    : hub->first_id;
    uint64_t start = last_event_id + 1 > oldest ? last_event_id + 1 : oldest;
    int64_t min_published = hub->replay_max_age_ms ? now - hub->replay_max_age_ms : INT64_MIN;
    /* ids grow with publication time: skip the start of the window that is too old */
    while (start <= newest && ring_at(hub, start)->published_ms < min_published)
        start++;
    if (start > last_event_id + 1)
        push_gap(hub, sub, last_event_id, start, now);
    if (start <= newest) {
        sub->lagging = true;
        sub->cursor = start;
    }
}

/* 2020-01-01T00:00:00Z: counting milliseconds from here keeps ids below 2^63 (for readers
 * that hold them in signed 64-bit integers) until 2089. */
#define SSE_ID_EPOCH_MS 1577836800000LL

uint64_t httpd_sse_id_base_now(void)
{
    int64_t ms = pu_time_now_ms() - SSE_ID_EPOCH_MS;
    return ((uint64_t)(ms > 0 ? ms : 0) << 22) + 1u;
}

void httpd_response_sse(httpd_response *res, httpd_sse_hub *hub, httpd_sse_filter_fn *filter,
                        void *filter_payload, void (*payload_free)(void *), uint64_t last_event_id)
{
    httpd_request *req = (httpd_request *)((char *)res - offsetof(httpd_request, res));
    httpd_server *srv = req->srv;
    httpd_response_empty(res, 200); /* drops any earlier body or stream */
    httpd__server_add_stop_hook(srv, close_server_streams, hub);
    pthread_mutex_lock(&hub->lock);
    if (atomic_load(&srv->stopping) || hub->sub_count >= hub->max_subscribers) {
        pthread_mutex_unlock(&hub->lock);
        if (payload_free)
            payload_free(filter_payload);
        httpd__response_error(res, 503,
                              atomic_load(&srv->stopping) ? "Server is shutting down"
                                                          : "Too many event streams");
        return;
    }
    httpd_sse_sub *sub = httpd_xcalloc(1, sizeof(*sub));
    sub->hub = hub;
    sub->srv = srv;
    sub->conn = req->conn;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    sub->fd = info ? info->connect_fd : -1;
    sub->id = hub->next_sub_id++;
    if (sub->fd >= 0) {
        struct epoll_event ev = {.events = EPOLLRDHUP | EPOLLONESHOT, .data.u64 = sub->id};
        epoll_ctl(hub->epfd, EPOLL_CTL_ADD, sub->fd, &ev); /* best effort: keep-alives too */
    }
    sub->filter = filter;
    sub->payload = filter_payload;
    sub->payload_free = payload_free;
    sub->next = hub->subs;
    if (hub->subs)
        hub->subs->prev = sub;
    hub->subs = sub;
    hub->sub_count++;
    int64_t now = pu_time_mono_ms();
    bool was_idle = hub->ka_head == NULL;
    sub_send(hub, sub, hub->ok_frame, now);
    if (last_event_id > 0)
        replay(hub, sub, last_event_id, now);
    if (was_idle)
        wake_hub_thread(hub); /* the hub thread had no keep-alive deadline */
    pthread_mutex_unlock(&hub->lock);
    res->kind = HTTPD_RES_STREAM;
    res->stream = (httpd_stream_body){
        .state = sub, .create = sse_response_create, .discard = sse_sub_discard};
    res->content_type = httpd_xstrdup("text/event-stream");
    httpd_response_header(res, "Cache-Control", "no-cache");
    httpd_response_header(res, "X-Accel-Buffering", "no");
}

httpd__sse_stats httpd__sse_hub_stats(httpd_sse_hub *hub)
{
    pthread_mutex_lock(&hub->lock);
    httpd__sse_stats stats = hub->stats;
    pthread_mutex_unlock(&hub->lock);
    return stats;
}
