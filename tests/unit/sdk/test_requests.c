/* Request building, checked against what a loopback canned server receives (paths with
 * product variants and percent-encoding, query strings, form and JSON bodies, auth
 * headers), and decoding of the documented example answers. */
#include "sdk_fixture.h"

static void test_list_user_devices(void **state)
{
    (void)state;
    canned_step steps[] = {{.expect = "GET /v1/devices HTTP/1.1",
                            .status = 200,
                            .body = fixture_data("device_list.json")}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, NULL), 0);
    const particle_value *root = particle_doc_root(doc);
    assert_int_equal(particle_value_type_of(root), PARTICLE_VALUE_ARRAY);
    assert_int_equal(particle_value_count(root), 2);
    assert_string_equal(particle_device_name(particle_value_at(root, 0)), "plumber_laser");
    assert_int_equal(particle_device_online(particle_value_at(root, 1)), 0);
    fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
    fixture_assert_request_has(srv, 0, "User-Agent: libparticle/" PARTICLE_VERSION_STRING);
    fixture_assert_request_has(srv, 0, "Accept: application/json");
    fixture_assert_script_ok(srv);
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_list_product_devices_query(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/my-product/devices?deviceId=1d00&deviceName=my%20dev"
                   "&groups=asia%2Ceurope&sortAttr=deviceName&sortDir=asc&quarantined=false"
                   "&page=2&per_page=50 HTTP/1.1",
         .status = 200,
         .body = fixture_data("product_devices.json")}};
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_device_list_options o;
    assert_int_equal(particle_device_list_options_init(&o, PARTICLE_DEVICE_LIST_OPTIONS_VERSION),
                     0);
    o.product = "my-product";
    o.device_id = "1d00";
    o.device_name = "my dev";
    o.groups = "asia,europe";
    o.sort_attr = "deviceName";
    o.sort_dir = "asc";
    o.quarantined = PARTICLE_NO;
    o.page = 2;
    o.per_page = 50;
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_list(&doc, c, &o), 0);
    const particle_value *root = particle_doc_root(doc);
    const particle_value *devices = particle_value_get(root, "devices");
    assert_int_equal(particle_value_count(devices), 2);
    assert_string_equal(
        particle_value_string(particle_value_get(
            particle_value_at(particle_value_get(root, "customers"), 0), "username")),
        "customer@gmail.com");
    assert_int_equal(
        particle_value_int(particle_value_get(particle_value_get(root, "meta"), "total_pages"), -1),
        1);
    const particle_value *d0 = particle_value_at(devices, 0);
    assert_int_equal(particle_value_count(particle_device_groups(d0)), 2);
    assert_true(particle_value_is_null(particle_value_get(d0, "desired_firmware_version")));
    fixture_assert_script_ok(srv);
    particle_doc_free(doc);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_device_paths_are_encoded(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/my%20dev%2F1%3Fx HTTP/1.1",
         .status = 200,
         .body = fixture_data("device.json")},
        {.expect = "GET /v1/products/1234/devices/gongbot HTTP/1.1",
         .status = 200,
         .body = fixture_data("device.json")},
        {.expect = "GET /v1/products/my%20slug/devices/0123456789abcdef01234567 HTTP/1.1",
         .status = 200,
         .body = fixture_data("device.json")},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_get(&doc, c, "my dev/1?x", NULL), 0);
    assert_string_equal(particle_device_id(particle_doc_root(doc)), "0123456789abcdef01234567");
    particle_doc_free(doc);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "1234";
    assert_int_equal(particle_device_get(&doc, c, "gongbot", &ro), 0);
    particle_doc_free(doc);
    ro.product = "my slug";
    assert_int_equal(particle_device_get(&doc, c, "0123456789abcdef01234567", &ro), 0);
    particle_doc_free(doc);
    /* no request for an empty id */
    assert_int_equal(particle_device_get(&doc, c, "", NULL), PARTICLE_EINVAL);
    assert_null(doc);
    assert_int_equal(canned_server_request_count(srv), 3);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_device_update_bodies(void **state)
{
    (void)state;
    const char *renamed =
        "{\"id\":\"0123456789abcdef01234567\",\"name\":\"phancy_photon\",\"updated_at\":"
        "\"2017-03-10T20:21:49.059Z\"}";
    canned_step steps[] = {
        {.expect = "PUT /v1/devices/gongbot HTTP/1.1", .status = 200, .body = renamed},
        {.expect = "PUT /v1/devices/gongbot HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "PUT /v1/devices/gongbot HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "PUT /v1/products/42/devices/gongbot HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "PUT /v1/products/42/devices/gongbot HTTP/1.1", .status = 200, .body = "{}"},
        {.expect = "PUT /v1/devices/gongbot/ping HTTP/1.1",
         .status = 200,
         .body = fixture_data("ping.json")},
    };
    canned_server *srv = canned_server_start(steps, 6);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_rename(&doc, c, "gongbot", "phancy_photon", NULL), 0);
    assert_string_equal(particle_device_name(particle_doc_root(doc)), "phancy_photon");
    particle_doc_free(doc);
    assert_int_equal(particle_device_set_notes(NULL, c, "gongbot", "A \"fancy\" note", NULL), 0);
    assert_int_equal(particle_device_signal(NULL, c, "gongbot", 1, NULL), 0);

    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "42";
    particle_device_update_options u;
    assert_int_equal(
        particle_device_update_options_init(&u, PARTICLE_DEVICE_UPDATE_OPTIONS_VERSION), 0);
    u.development = PARTICLE_YES;
    u.firmware_lock = PARTICLE_FIRMWARE_UNLOCK;
    u.firmware_updates_forced = PARTICLE_NO;
    const char *groups[] = {"europe", "asia"};
    u.groups = groups;
    u.groups_count = 2;
    assert_int_equal(particle_device_update(NULL, c, "gongbot", &u, &ro), 0);

    particle_device_update_options lock = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    lock.firmware_lock = PARTICLE_FIRMWARE_LOCK;
    lock.desired_firmware_version = 3;
    lock.flash = PARTICLE_YES;
    lock.signal = PARTICLE_NO;
    assert_int_equal(particle_device_update(NULL, c, "gongbot", &lock, &ro), 0);

    assert_int_equal(particle_device_ping(&doc, c, "gongbot", NULL), 0);
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "online"), 0),
                     1);
    particle_doc_free(doc);

    /* an update that sets nothing is refused before any request */
    particle_device_update_options none = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    assert_int_equal(particle_device_update(NULL, c, "gongbot", &none, NULL), PARTICLE_EINVAL);

    fixture_assert_body(srv, 0, "{\"name\":\"phancy_photon\"}");
    fixture_assert_request_has(srv, 0, "Content-Type: application/json\r\n");
    fixture_assert_body(srv, 1, "{\"notes\":\"A \\\"fancy\\\" note\"}");
    fixture_assert_body(srv, 2, "{\"signal\":\"1\"}");
    fixture_assert_body(srv, 3,
                        "{\"development\":true,\"desired_firmware_version\":null,"
                        "\"firmware_updates_forced\":false,\"groups\":[\"europe\",\"asia\"]}");
    fixture_assert_body(srv, 4, "{\"signal\":\"0\",\"desired_firmware_version\":3,\"flash\":true}");
    fixture_assert_body(srv, 5, "");
    fixture_assert_request_has(srv, 5, "Content-Length: 0\r\n");
    assert_int_equal(canned_server_request_count(srv), 6);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_claim_and_remove(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/devices HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/devices/gongbot HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/products/p1/devices/gongbot HTTP/1.1", .status = 204},
        {.expect = "DELETE /v1/products/p1/devices/gongbot/owner HTTP/1.1", .status = 204},
    };
    canned_server *srv = canned_server_start(steps, 4);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_device_claim(&doc, c, "0123456789abcdef01234567", 1, NULL), 0);
    assert_int_equal(particle_value_bool(particle_value_get(particle_doc_root(doc), "ok"), 0), 1);
    particle_doc_free(doc);
    assert_int_equal(particle_device_remove(NULL, c, "gongbot", 0, NULL), 0);
    assert_int_equal(particle_device_remove(NULL, c, "gongbot", 1, NULL), PARTICLE_EINVAL);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_device_remove(&doc, c, "gongbot", 1, &ro), 0);
    /* 204: an empty object */
    assert_int_equal(particle_value_type_of(particle_doc_root(doc)), PARTICLE_VALUE_OBJECT);
    assert_int_equal(particle_value_count(particle_doc_root(doc)), 0);
    particle_doc_free(doc);
    assert_int_equal(particle_device_remove_owner(NULL, c, "gongbot", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_device_remove_owner(NULL, c, "gongbot", &ro), 0);

    fixture_assert_body(srv, 0, "{\"id\":\"0123456789abcdef01234567\",\"request_transfer\":true}");
    fixture_assert_body(srv, 1, "");
    fixture_assert_body(srv, 2, "{\"deny\":true}");
    assert_int_equal(canned_server_request_count(srv), 4);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_variables_keep_their_type(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/devices/weatherman/temperature HTTP/1.1",
         .status = 200,
         .body = fixture_data("variable_int.json")},
        {.expect = "GET /v1/devices/weatherman/temperature HTTP/1.1",
         .status = 200,
         .body = fixture_data("variable_double.json")},
        {.expect = "GET /v1/products/7/devices/weatherman/my%20label HTTP/1.1",
         .status = 200,
         .body = fixture_data("variable_string.json")},
        {.expect = "GET /v1/devices/weatherman/armed HTTP/1.1",
         .status = 200,
         .body = fixture_data("variable_bool.json")},
        {.expect = "GET /v1/devices/DEVICE_ID/power HTTP/1.1",
         .status = 200,
         .body = fixture_data("variable_2016.json")},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_variable *v = NULL;

    assert_int_equal(particle_variable_get(&v, c, "weatherman", "temperature", NULL), 0);
    assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_INT);
    assert_int_equal(particle_variable_int(v), 46);
    assert_string_equal(particle_variable_name(v), "temperature");
    assert_string_equal(particle_value_string(particle_value_get(
                            particle_value_get(particle_variable_root(v), "coreInfo"), "name")),
                        "weatherman");
    particle_variable_free(v);

    assert_int_equal(particle_variable_get(&v, c, "weatherman", "temperature", NULL), 0);
    assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_DOUBLE);
    assert_true(particle_variable_double(v) == 21.5);
    assert_int_equal(particle_variable_int(v), 21);
    particle_variable_free(v);

    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "7";
    assert_int_equal(particle_variable_get(&v, c, "weatherman", "my label", &ro), 0);
    assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_STRING);
    assert_string_equal(particle_variable_string(v), "hello \"world\"");
    particle_variable_free(v);

    assert_int_equal(particle_variable_get(&v, c, "weatherman", "armed", NULL), 0);
    assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_BOOL);
    assert_int_equal(particle_variable_bool(v), 1);
    assert_null(particle_variable_string(v));
    particle_variable_free(v);

    assert_int_equal(particle_variable_get(&v, c, "DEVICE_ID", "power", NULL), 0);
    assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_INT);
    assert_int_equal(particle_variable_int(v), 0);
    particle_variable_free(v);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_function_call_and_publish(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/devices/gongbot/gong HTTP/1.1",
         .status = 200,
         .body = fixture_data("function.json")},
        {.expect = "POST /v1/products/p1/devices/DEVICE_ID/power HTTP/1.1",
         .status = 200,
         .body = fixture_data("function_2016.json")},
        {.expect = "POST /v1/devices/events HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "POST /v1/products/p1/events HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 4);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    int rv = 99;
    assert_int_equal(particle_function_call(&rv, c, "gongbot", "gong", "ring twice", NULL), 0);
    assert_int_equal(rv, 1);
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "p1";
    assert_int_equal(particle_function_call(&rv, c, "DEVICE_ID", "power", NULL, &ro), 0);
    assert_int_equal(rv, -7);

    particle_publish_options p;
    assert_int_equal(particle_publish_options_init(&p, PARTICLE_PUBLISH_OPTIONS_VERSION), 0);
    p.name = "temp";
    p.data = "25.3";
    p.ttl = 60;
    assert_int_equal(particle_event_publish(c, &p), 0);
    particle_publish_options pp = PARTICLE_PUBLISH_OPTIONS_INIT;
    pp.name = "cmd";
    pp.is_public = 1;
    pp.product = "p1";
    pp.as_device_id = "0123456789abcdef01234567";
    assert_int_equal(particle_event_publish(c, &pp), 0);
    pp.product = NULL;
    assert_int_equal(particle_event_publish(c, &pp), PARTICLE_EINVAL);

    fixture_assert_body(srv, 0, "{\"args\":\"ring twice\"}");
    fixture_assert_body(srv, 1, "{\"args\":\"\"}");
    fixture_assert_body(srv, 2,
                        "{\"name\":\"temp\",\"private\":true,\"data\":\"25.3\",\"ttl\":60}");
    fixture_assert_body(srv, 3,
                        "{\"name\":\"cmd\",\"private\":false,"
                        "\"as_device_id\":\"0123456789abcdef01234567\"}");
    assert_int_equal(canned_server_request_count(srv), 4);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_logins_send_forms(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /oauth/token HTTP/1.1", .status = 200, .body = fixture_data("login.json")},
        {.expect = "GET /v1/user HTTP/1.1", .status = 200, .body = fixture_data("user.json")},
        {.expect = "POST /oauth/token HTTP/1.1", .status = 200, .body = fixture_data("login.json")},
        {.expect = "POST /oauth/token HTTP/1.1", .status = 200, .body = fixture_data("login.json")},
    };
    canned_server *srv = canned_server_start(steps, 4);
    particle_client *c = fixture_client(srv, NULL, NULL, NULL);
    particle_token *t = NULL;
    particle_login_options lo;
    assert_int_equal(particle_login_options_init(&lo, PARTICLE_LOGIN_OPTIONS_VERSION), 0);
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_int_equal(particle_client_has_token(c), 0);
    assert_int_equal(particle_login_password(&t, c, "joe@example.com", "p@ss word&=", &lo), 0);
    assert_string_equal(particle_token_access_token(t), "254406f79c1999af65a7df4388971354f85cfee9");
    assert_string_equal(particle_token_type(t), "bearer");
    assert_int_equal(particle_token_expires_in(t), 7776000);
    assert_string_equal(particle_token_refresh_token(t),
                        "b5b901e8760164e134199bc2c3dd1d228acf2d90");
    particle_token_free(t);
    assert_int_equal(particle_client_has_token(c), 1);

    particle_doc *user = NULL;
    assert_int_equal(particle_user_get(&user, c), 0);
    assert_string_equal(
        particle_value_string(particle_value_get(particle_doc_root(user), "username")),
        "testuser@particle.io");
    particle_doc_free(user);

    particle_login_options cc = PARTICLE_LOGIN_OPTIONS_INIT;
    cc.scope = "customer=jane@example.com";
    assert_int_equal(particle_login_client_credentials(&t, c, &cc), 0);
    particle_token_free(t);
    cc.expires_in = PARTICLE_TOKEN_NEVER_EXPIRES; /* not sent by refresh */
    assert_int_equal(particle_login_refresh(NULL, c, "b5b901e8", &cc), 0);

    fixture_assert_request_has(srv, 0, "Content-Type: application/x-www-form-urlencoded\r\n");
    fixture_assert_body(
        srv, 0,
        "username=joe%40example.com&password=p%40ss%20word%26%3D&grant_type=password"
        "&expires_in=7776000&client_id=particle-api&client_secret=particle-api");
    /* the login went out without a token; the next call carries the new one */
    char req[4096];
    assert_true(canned_server_request(srv, 0, req, sizeof(req)));
    assert_null(strstr(req, "Authorization:"));
    fixture_assert_request_has(srv, 1,
                               "Authorization: Bearer 254406f79c1999af65a7df4388971354f85cfee9");
    fixture_assert_body(srv, 2,
                        "grant_type=client_credentials&scope=customer%3Djane%40example.com"
                        "&client_id=particle-api&client_secret=particle-api");
    fixture_assert_body(srv, 3,
                        "grant_type=refresh_token&refresh_token=b5b901e8"
                        "&client_id=particle-api&client_secret=particle-api");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_mfa_flow(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 403,
         .body = fixture_data("mfa_required.json")},
        {.expect = "POST /oauth/token HTTP/1.1", .status = 200, .body = fixture_data("login.json")},
    };
    canned_server *srv = canned_server_start(steps, 2);
    particle_client *c = fixture_client(srv, NULL, NULL, NULL);
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.expires_in = PARTICLE_TOKEN_NEVER_EXPIRES; /* sent as 0 */
    particle_token *t = NULL;
    assert_int_equal(particle_login_password(&t, c, "joe@example.com", "secret", &lo),
                     PARTICLE_EMFA);
    assert_null(t);
    const particle_error *e = particle_error_last();
    assert_int_equal(e->code, PARTICLE_EMFA);
    assert_int_equal(e->http_status, 403);
    assert_string_equal(e->api_code, "mfa_required");
    assert_string_equal(e->mfa_token, "eyJ0eXAiOiJKV1QiLCJhbGci....D3QCiQ");
    assert_string_equal(e->message, "Multifactor authentication required");
    char mfa[512];
    snprintf(mfa, sizeof(mfa), "%s", e->mfa_token);
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    assert_int_equal(particle_login_mfa(&t, c, mfa, "123456", &lo), 0);
    /* the spent MFA token does not linger in the error record */
    assert_string_equal(particle_error_last()->mfa_token, "");
    assert_non_null(particle_token_access_token(t));
    particle_token_free(t);
    assert_int_equal(particle_client_has_token(c), 1);
    fixture_assert_request_has(srv, 0, "&expires_in=0&");
    fixture_assert_body(srv, 1,
                        "grant_type=urn%3Acustom%3Amfa-otp&mfa_token=eyJ0eXAiOiJKV1QiLCJhbGci...."
                        "D3QCiQ&otp=123456&client_id=particle-api&client_secret=particle-api");
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* A login answer whose token would inject a header into every later request is a
 * malformed answer: refused, and the client keeps no token. */
static void test_login_refuses_header_breaking_token(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /oauth/token HTTP/1.1",
         .status = 200,
         .body = "{\"token_type\":\"bearer\",\"access_token\":\"abc\\r\\nX-Injected: 1\","
                 "\"expires_in\":7776000}"},
    };
    canned_server *srv = canned_server_start(steps, 1);
    particle_client *c = fixture_client(srv, NULL, NULL, NULL);
    particle_login_options lo = PARTICLE_LOGIN_OPTIONS_INIT;
    lo.flags = PARTICLE_LOGIN_SET_TOKEN;
    particle_token *t = NULL;
    assert_int_equal(particle_login_password(&t, c, "joe@example.com", "secret", &lo),
                     PARTICLE_EPROTO);
    assert_null(t);
    assert_int_equal(particle_client_has_token(c), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

static void test_access_tokens(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/access_tokens?otp=654321 HTTP/1.1",
         .status = 200,
         .body = fixture_data("tokens.json")},
        {.expect = "DELETE /v1/access_tokens/b5b901e8760164e134199bc2c3dd1d228acf2d98 HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
        {.expect = "GET /v1/access_tokens/current HTTP/1.1",
         .status = 200,
         .body = fixture_data("token_current.json")},
        {.expect = "DELETE /v1/access_tokens HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "DELETE /v1/access_tokens/current HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(
        particle_access_token_list(&doc, c, "joe@example.com", "SuperSecret", "654321"), 0);
    const particle_value *root = particle_doc_root(doc);
    assert_int_equal(particle_value_count(root), 2);
    assert_string_equal(
        particle_value_string(particle_value_get(particle_value_at(root, 1), "token")),
        "ba54b6bb71a43b7612bdc7c972914604a078892b");
    particle_doc_free(doc);
    assert_int_equal(particle_access_token_delete(c, "b5b901e8760164e134199bc2c3dd1d228acf2d98"),
                     0);
    assert_int_equal(particle_access_token_current(&doc, c), 0);
    assert_string_equal(particle_value_string(particle_value_get(particle_doc_root(doc), "client")),
                        "particle");
    particle_doc_free(doc);
    assert_int_equal(particle_access_token_delete_all(c), 0);
    assert_int_equal(particle_access_token_delete_current(c), 0);
    assert_int_equal(particle_client_has_token(c), 0);

    /* listing uses Basic username:password, never the bearer token */
    fixture_assert_request_has(srv, 0, "Authorization: Basic am9lQGV4YW1wbGUuY29tOlN1cGVyU2VjcmV0");
    char req[4096];
    assert_true(canned_server_request(srv, 0, req, sizeof(req)));
    assert_null(strstr(req, TEST_TOKEN));
    fixture_assert_request_has(srv, 4, "Authorization: Bearer " TEST_TOKEN);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* Builds a product page with @p n devices named d<page>-<i> and total_pages 3. */
static char *product_page(unsigned int page, unsigned int n)
{
    char *buf = malloc(4096);
    assert_non_null(buf);
    int off = snprintf(buf, 4096, "{\"devices\":[");
    for (unsigned int i = 0; i < n; i++) {
        off += snprintf(buf + off, 4096 - (size_t)off, "%s{\"id\":\"d%u-%u\",\"online\":true}",
                        i ? "," : "", page, i);
    }
    snprintf(buf + off, 4096 - (size_t)off, "],\"customers\":[],\"meta\":{\"total_pages\":3}}");
    return buf;
}

static void test_device_iterator_walks_every_page(void **state)
{
    (void)state;
    char *p1 = product_page(1, 2), *p2 = product_page(2, 2), *p3 = product_page(3, 1);
    canned_step steps[] = {
        {.expect = "GET /v1/products/prod/devices?groups=g1&page=1&per_page=2 HTTP/1.1",
         .status = 200,
         .body = p1},
        {.expect = "GET /v1/products/prod/devices?groups=g1&page=2&per_page=2 HTTP/1.1",
         .status = 500,
         .body = "{\"error\":\"oops\"}"},
        {.expect = "GET /v1/products/prod/devices?groups=g1&page=2&per_page=2 HTTP/1.1",
         .status = 200,
         .body = p2},
        {.expect = "GET /v1/products/prod/devices?groups=g1&page=3&per_page=2 HTTP/1.1",
         .status = 200,
         .body = p3},
    };
    canned_server *srv = canned_server_start(steps, 4);
    free(p1);
    free(p2);
    free(p3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    char product[] = "prod";
    o.product = product;
    o.groups = "g1";
    o.per_page = 2;
    particle_device_iter *it = NULL;
    assert_int_equal(particle_device_iter_new(&it, c, &o), 0);
    product[0] = 'X'; /* the iterator keeps its own copy */
    const char *expected[] = {"d1-0", "d1-1", "d2-0", "d2-1", "d3-0"};
    size_t seen = 0;
    const particle_value *d = NULL;
    for (;;) {
        assert_int_equal(particle_device_iter_next(&d, it), 0);
        if (d == NULL) {
            break;
        }
        assert_true(seen < 5);
        assert_string_equal(particle_device_id(d), expected[seen]);
        seen++;
    }
    assert_int_equal(seen, 5);
    assert_int_equal(particle_device_iter_total_pages(it), 3);
    /* the end is sticky: no further requests */
    assert_int_equal(particle_device_iter_next(&d, it), 0);
    assert_null(d);
    assert_int_equal(canned_server_request_count(srv), 4);
    particle_device_iter_free(it);
    particle_device_list_options user = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    assert_int_equal(particle_device_iter_new(&it, c, &user), PARTICLE_EINVAL);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_list_user_devices, fixture_data_teardown),
        cmocka_unit_test_teardown(test_list_product_devices_query, fixture_data_teardown),
        cmocka_unit_test_teardown(test_device_paths_are_encoded, fixture_data_teardown),
        cmocka_unit_test_teardown(test_device_update_bodies, fixture_data_teardown),
        cmocka_unit_test_teardown(test_claim_and_remove, fixture_data_teardown),
        cmocka_unit_test_teardown(test_variables_keep_their_type, fixture_data_teardown),
        cmocka_unit_test_teardown(test_function_call_and_publish, fixture_data_teardown),
        cmocka_unit_test_teardown(test_logins_send_forms, fixture_data_teardown),
        cmocka_unit_test_teardown(test_mfa_flow, fixture_data_teardown),
        cmocka_unit_test_teardown(test_login_refuses_header_breaking_token, fixture_data_teardown),
        cmocka_unit_test_teardown(test_access_tokens, fixture_data_teardown),
        cmocka_unit_test_teardown(test_device_iterator_walks_every_page, fixture_data_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
