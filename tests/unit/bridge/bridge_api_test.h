/* What the bridge API's unit tests share: a scratch SQLite store with its writer, the API
 * served on loopback port 0, and one HTTP exchange with it. Header-only (static inline), like
 * bridge_test.h; needs cmocka.h included first. */
#ifndef BRIDGE_API_TEST_H
#define BRIDGE_API_TEST_H

#include <string.h>

#include "api/api.h"
#include "bridge_test.h"
#include "http_client.h"
#include "ingest/writer.h"

/* A SQLite file in a scratch folder, the store and the single writer on it, and the metrics
 * the writer counts into: what the API serves. */
typedef struct bt_api_db {
    char dir[512];
    char path[600];
    bridge_store *st;
    bridge_writer *writer;
    bridge_metrics metrics;
} bt_api_db;

/* Opens <a new scratch folder>/@p file_name as @p d (zeroed); fails the test if it cannot. */
static inline void bt_api_db_open(bt_api_db *d, const char *file_name)
{
    char err[256];
    assert_int_equal(bt_tempdir(d->dir, sizeof d->dir), 0);
    bt_path(d->path, sizeof d->path, d->dir, file_name);
    d->st = bridge_store_open_sqlite(d->path, err, sizeof err);
    if (d->st == NULL) {
        fail_msg("open %s: %s", d->path, err);
    }
    bridge_writer_options wo = {.db_path = d->path, .metrics = &d->metrics};
    d->writer = bridge_writer_new(&wo, err, sizeof err);
    if (d->writer == NULL) {
        fail_msg("writer on %s: %s", d->path, err);
    }
}

/* Closes the writer and the store and removes the scratch folder. */
static inline void bt_api_db_close(bt_api_db *d)
{
    bridge_writer_free(d->writer);
    bridge_store_close(d->st);
    bt_rmdir(d->dir);
}

/* Serves @p api (which must outlive the server) on 127.0.0.1, port 0, two threads; its port
 * into @p port. Fails the test if the server does not start. Free with httpd_server_free. */
static inline httpd_server *bt_api_serve(bridge_api *api, unsigned short *port)
{
    char err[256];
    httpd_options opts = {
        .port = 0, .threads = 2, .before = bridge_api_before, .before_payload = api};
    httpd_server *srv = httpd_server_new(&opts);
    assert_non_null(srv);
    assert_int_equal(bridge_api_register(srv, api), 0);
    assert_int_equal(httpd_server_start(srv, err, sizeof err), 0);
    *port = httpd_server_port(srv);
    return srv;
}

/* @p method @p path on the API at 127.0.0.1:@p port with @p headers (NULL-terminated, may be
 * NULL) and @p body (may be NULL); fails the test unless the exchange completed. Dispose the
 * reply. */
static inline http_reply bt_api_http(unsigned short port, const char *method, const char *path,
                                     const char *const *headers, const char *body)
{
    char url[1024];
    http_call call = {.method = method,
                      .url = http_url(url, sizeof url, port, path),
                      .headers = headers,
                      .body = body,
                      .body_len = body ? strlen(body) : 0};
    http_reply r;
    assert_int_equal(http_perform(&call, &r), 0);
    return r;
}

#endif
