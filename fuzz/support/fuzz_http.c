/* fuzz_http: request building and answer checking for the request fuzz targets. */
#include "fuzz_http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <jansson.h>

#define ANSWER_TIMEOUT_S 10
#define MAX_ANSWER_BYTES (64u * 1024u * 1024u)

static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

/* Bytes a request target may hold as they are (RFC 3986 unreserved, sub-delims, ":@/?%"). */
static bool target_byte_ok(unsigned char c)
{
    return c > 0x20 && c < 0x7f && c != '#' && c != '"' && c != '<' && c != '>' && c != '\\' &&
           c != '^' && c != '`' && c != '{' && c != '|' && c != '}';
}

static bool token_byte_ok(unsigned char c)
{
    return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The harness sets these itself. */
static bool header_reserved(const char *name, size_t len)
{
    static const char *const reserved[] = {"Host", "Content-Length", "Transfer-Encoding",
                                           "Connection"};
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
        if (strlen(reserved[i]) == len && strncasecmp(name, reserved[i], len) == 0) {
            return true;
        }
    }
    return false;
}

/* Appends one input header line when it is well-formed; returns true for Authorization. */
static bool append_header(pu_buf *out, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (colon == NULL || colon == line) {
        return false;
    }
    size_t name_len = (size_t)(colon - line);
    for (size_t i = 0; i < name_len; i++) {
        if (!token_byte_ok((unsigned char)line[i])) {
            return false;
        }
    }
    if (header_reserved(line, name_len)) {
        return false;
    }
    pu_buf_append(out, line, name_len + 1);
    for (const char *p = colon + 1; p < line + len; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\t' || (c >= 0x20 && c != 0x7f)) {
            pu_buf_append_char(out, (char)c);
        }
    }
    pu_buf_append(out, "\r\n", 2);
    return name_len == 13 && strncasecmp(line, "Authorization", 13) == 0;
}

const char *fuzz_http_method(const uint8_t *data, size_t size)
{
    return methods[size > 0 ? data[0] % (sizeof methods / sizeof methods[0]) : 0];
}

bool fuzz_http_may_change_state(const uint8_t *data, size_t size, int status)
{
    const char *method = fuzz_http_method(data, size);
    bool safe =
        strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0 || strcmp(method, "OPTIONS") == 0;
    return !safe && status < 400;
}

void fuzz_http_build(const uint8_t *data, size_t size, const char *default_headers, pu_buf *out)
{
    pu_buf_reset(out);
    const char *in = (const char *)data;
    const char *end = in + size;
    const char *method = fuzz_http_method(data, size);
    if (size > 0) {
        in++;
    }
    pu_buf_append_str(out, method);
    pu_buf_append_char(out, ' ');
    const char *nl = memchr(in, '\n', (size_t)(end - in));
    const char *target_end = nl ? nl : end;
    if (in == target_end || *in != '/') {
        pu_buf_append_char(out, '/');
    }
    for (const char *p = in; p < target_end; p++) {
        unsigned char c = (unsigned char)*p;
        if (target_byte_ok(c)) {
            pu_buf_append_char(out, (char)c);
        } else {
            char esc[4];
            snprintf(esc, sizeof esc, "%%%02X", c);
            pu_buf_append(out, esc, 3);
        }
    }
    pu_buf_append_str(out, " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    in = nl ? nl + 1 : end;

    bool has_auth = false;
    while (in < end) {
        nl = memchr(in, '\n', (size_t)(end - in));
        const char *line_end = nl ? nl : end;
        size_t len = (size_t)(line_end - in);
        if (len > 0 && in[len - 1] == '\r') {
            len--;
        }
        const char *line = in;
        in = nl ? nl + 1 : end;
        if (len == 0) {
            break;
        }
        has_auth |= append_header(out, line, len);
    }
    if (!has_auth) {
        pu_buf_append_str(out, default_headers);
    }
    char length[64];
    snprintf(length, sizeof length, "Content-Length: %zu\r\n\r\n", (size_t)(end - in));
    pu_buf_append_str(out, length);
    pu_buf_append(out, in, (size_t)(end - in));
    FUZZ_CHECK(pu_buf_error(out) == 0);
}

static int connect_loopback(unsigned short port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    FUZZ_CHECK(fd >= 0);
    struct timeval tv = {.tv_sec = ANSWER_TIMEOUT_S};
    FUZZ_CHECK(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    FUZZ_CHECK(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) == 0);
    int one = 1; /* as HTTP clients do: no wait for the ACK of a kept connection's last write */
    FUZZ_CHECK(setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    FUZZ_CHECK(connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0);
    return fd;
}

/* The value of header @p name in the header block [@p head, @p head_end), or NULL. */
static const char *header_value(const char *head, const char *head_end, const char *name,
                                size_t *len)
{
    size_t name_len = strlen(name);
    const char *line = strstr(head, "\r\n");
    while (line != NULL && line + 2 < head_end) {
        line += 2;
        const char *eol = strstr(line, "\r\n");
        FUZZ_CHECK(eol != NULL && eol <= head_end);
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        FUZZ_CHECK(colon != NULL && colon > line); /* every header line is "name: value" */
        if ((size_t)(colon - line) == name_len && strncasecmp(line, name, name_len) == 0) {
            const char *v = colon + 1;
            while (v < eol && (*v == ' ' || *v == '\t')) {
                v++;
            }
            *len = (size_t)(eol - v);
            return v;
        }
        line = eol;
    }
    return NULL;
}

typedef struct answer {
    pu_buf raw;           /* the final answer's head and body */
    const char *head_end; /* the empty line ending the headers, in raw */
    size_t body_start;    /* offset of the body in raw */
    int status;
    bool stream;
    bool closes; /* the server ends the connection after this answer */
} answer;

/* One connection kept open across inputs, as a client would: a new one per input cost
 * about as much as the request itself (connection set-up, the server's per-connection
 * memory). The server may close it at any time (after an answer that says so, or when
 * idle); the next exchange then opens another. */
static int conn_fd = -1;
static unsigned short conn_port;

static void conn_close(void)
{
    if (conn_fd >= 0) {
        close(conn_fd);
        conn_fd = -1;
    }
}

/* Appends what arrives to @p a's buffer. Returns the bytes read, 0 at the end of the
 * connection (a reset too: the server may drop a kept connection). */
static size_t receive(int fd, answer *a)
{
    char chunk[16384];
    for (;;) {
        ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == ECONNRESET) {
            return 0;
        }
        FUZZ_CHECK(n >= 0 || !"no answer within the timeout");
        FUZZ_CHECK(pu_buf_append(&a->raw, chunk, (size_t)n) == 0);
        return (size_t)n;
    }
}

/* Reads until a head is complete. 1xx heads (100 Continue) are dropped: the answer is the
 * head after them. Returns false if the connection ended first. */
static bool read_head(int fd, answer *a)
{
    for (;;) {
        const char *blank = a->raw.len ? strstr(a->raw.data, "\r\n\r\n") : NULL;
        if (blank != NULL) {
            size_t head_len = (size_t)(blank + 4 - a->raw.data);
            bool interim = a->raw.len >= 13 && strncmp(a->raw.data, "HTTP/1.1 1", 10) == 0 &&
                           strncmp(a->raw.data + 9, "101", 3) != 0;
            if (!interim) {
                a->head_end = blank + 2;
                a->body_start = head_len;
                return true;
            }
            memmove(a->raw.data, a->raw.data + head_len, a->raw.len - head_len);
            a->raw.len -= head_len;
            a->raw.data[a->raw.len] = '\0';
            continue;
        }
        if (receive(fd, a) == 0) {
            return false;
        }
    }
}

/* The declared Content-Length (must be digits), or -1 when the answer has none. */
static long long content_length(const answer *a)
{
    size_t len;
    const char *cl = header_value(a->raw.data, a->head_end, "Content-Length", &len);
    if (cl == NULL) {
        return -1;
    }
    FUZZ_CHECK(len > 0 && len < 19);
    long long declared = 0;
    for (size_t i = 0; i < len; i++) {
        FUZZ_CHECK(isdigit((unsigned char)cl[i]));
        declared = declared * 10 + (cl[i] - '0');
    }
    return declared;
}

static bool says_close(const answer *a)
{
    size_t len;
    const char *v = header_value(a->raw.data, a->head_end, "Connection", &len);
    return strncmp(a->raw.data, "HTTP/1.0", 8) == 0 ||
           (v != NULL && len >= 5 && strncasecmp(v, "close", 5) == 0);
}

/* Reads the body as the head frames it: Content-Length bytes, nothing for HEAD, 204 and
 * 304, or up to the end of the connection when the answer has no length (then the server
 * must close). httpd gives every buffered answer a length, so a chunked one that is not an
 * event stream is a failure. An answer that ends its connection is read to the end, so
 * anything sent after the declared body shows; on a kept connection, bytes already there
 * past the body do. */
static void read_body(int fd, answer *a, bool head_request)
{
    size_t len;
    const char *te = header_value(a->raw.data, a->head_end, "Transfer-Encoding", &len);
    FUZZ_CHECK(te == NULL || !"a chunked answer that is not an event stream");
    long long declared = content_length(a);
    a->closes = says_close(a);
    bool no_body = head_request || a->status == 204 || a->status == 304;
    if (declared < 0 && !no_body) {
        FUZZ_CHECK(a->closes || !"an answer without a length on a kept connection");
    }
    if (a->closes) {
        while (receive(fd, a) > 0) {
        }
    } else if (!no_body) {
        while (a->raw.len < a->body_start + (size_t)declared) {
            FUZZ_CHECK(receive(fd, a) > 0 || !"the connection ended inside the body");
        }
    }
    size_t body_len = a->raw.len - a->body_start;
    if (no_body) {
        FUZZ_CHECK(body_len == 0);
    } else if (declared >= 0) {
        FUZZ_CHECK((size_t)declared == body_len);
    }
}

static void check_answer(const answer *a, bool head_request)
{
    const char *raw = a->raw.data;
    FUZZ_CHECK(strncmp(raw, "HTTP/1.", 7) == 0 && (raw[7] == '0' || raw[7] == '1') &&
               raw[8] == ' ');
    FUZZ_CHECK(isdigit((unsigned char)raw[9]) && isdigit((unsigned char)raw[10]) &&
               isdigit((unsigned char)raw[11]) && raw[12] == ' ');
    FUZZ_CHECK(a->status >= 100 && a->status <= 599);
    FUZZ_CHECK(a->status != 500);

    size_t len;
    const char *origin = header_value(raw, a->head_end, "Access-Control-Allow-Origin", &len);
    FUZZ_CHECK(origin == NULL || !(len == 1 && origin[0] == '*'));
    if (a->stream) {
        return;
    }
    const char *body = raw + a->body_start;
    size_t body_len = a->raw.len - a->body_start;
    if (head_request || body_len == 0) {
        return;
    }
    const char *ct = header_value(raw, a->head_end, "Content-Type", &len);
    if (ct != NULL && len >= 16 && strncasecmp(ct, "application/json", 16) == 0) {
        json_error_t jerr;
        json_t *doc = json_loadb(body, body_len, JSON_DECODE_ANY, &jerr);
        if (doc == NULL) {
            fprintf(stderr, "JSON answer does not parse: %s\n", jerr.text);
        }
        FUZZ_CHECK(doc != NULL);
        json_decref(doc);
    }
}

/* True when the kept connection was closed by the server while idle (it may close one at
 * any time: an answer that said so, its idle timeout, the request deadline). */
static bool conn_closed_by_server(void)
{
    char byte;
    ssize_t n = recv(conn_fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    /* Bytes while idle would be an answer nobody asked for: the next answer check shows
     * them, attributed to this input; they are left to be read. */
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

static void send_all(int fd, const pu_buf *request)
{
    size_t sent = 0;
    while (sent < request->len) {
        ssize_t n = send(fd, request->data + sent, request->len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; /* the server may answer (413, 400) and close before reading it all */
        }
        sent += (size_t)n;
    }
}

int fuzz_http_exchange(unsigned short port, const pu_buf *request)
{
    if (conn_fd >= 0 && (conn_port != port || conn_closed_by_server())) {
        conn_close();
    }
    if (conn_fd < 0) {
        conn_fd = connect_loopback(port);
        conn_port = port;
    }
    send_all(conn_fd, request);
    answer a = {0};
    pu_buf_init(&a.raw, MAX_ANSWER_BYTES, NULL);
    if (!read_head(conn_fd, &a)) {
        /* MHD closes without an answer only on a request it cannot parse; the harness
         * builds well-formed ones, so say what was sent. */
        fprintf(stderr, "connection closed without an answer to:\n%.*s\n",
                (int)(request->len < 4096 ? request->len : 4096), request->data);
        FUZZ_CHECK(!"an answer");
    }
    FUZZ_CHECK(a.raw.len >= 13);
    const char *code = a.raw.data + 9; /* "HTTP/1.1 NNN": check_answer() checks the digits */
    a.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
    size_t len;
    const char *ct = header_value(a.raw.data, a.head_end, "Content-Type", &len);
    a.stream = ct != NULL && len >= 17 && strncasecmp(ct, "text/event-stream", 17) == 0;
    bool head_request = strncmp(request->data, "HEAD ", 5) == 0;
    if (a.stream) {
        conn_close(); /* an event stream does not end by itself */
    } else {
        read_body(conn_fd, &a, head_request);
        if (a.closes) {
            conn_close();
        }
    }
    if (a.status == 500) {
        fprintf(stderr, "500 for:\n%.*s\n--- answer:\n%.*s\n",
                (int)(request->len < 4096 ? request->len : 4096), request->data,
                (int)(a.raw.len < 4096 ? a.raw.len : 4096), a.raw.data);
    }
    check_answer(&a, head_request);
    int status = a.status;
    pu_buf_dispose(&a.raw);
    return status;
}
