/* What the bridge API's unit tests share: the API served on loopback port 0. Header-only
 * (static inline), like bridge_test.h; needs cmocka.h included first. */
#ifndef BRIDGE_API_TEST_H
#define BRIDGE_API_TEST_H

#include "api/api.h"

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

#endif
