/*
 * Out-of-memory loops (oom_loop.h) over every public call that talks to the server: auth,
 * devices (list, iterator, get, update), variables, functions, publish, products (devices,
 * organizations, team, groups), SIMs, diagnostics, the generic request, a multi's calls and
 * a stream's run, customers, claim codes and OAuth clients. Each call gets
 * its own canned loopback server that gives the same answer to every run, and checks that
 * every request that reached it had the right request line, so no failure sent a wrong one.
 *
 * Besides PARTICLE_ENOMEM a failing run may return two codes where a library reports its
 * own allocation failure as something else: PARTICLE_EPROTO, since jansson 2.14's lexer
 * reports some of them as syntax errors (a 2xx body it could not parse for lack of memory
 * reads as "response is not JSON"), and PARTICLE_ENET, since libcurl reports a resolver
 * thread it could not start ("getaddrinfo() thread failed to start") as a resolve error.
 * Nothing else is allowed, and most failures must be ENOMEM.
 */
#include "oom_loop.h"

#include "sse_server.h"

#define DEVICE "0123456789abcdef01234567"
#define ICCID "8934076500002589174"
/* More than any loop below needs: each run sends at most one request. */
#define STEPS 3000

static const int library_oom[] = {PARTICLE_EPROTO, PARTICLE_ENET, 0};
/* particle_request() and particle_product_config_set() check their JSON body with jansson
 * before sending: the same lexer failures read as a bad body, PARTICLE_EINVAL */
static const int checked_body_oom[] = {PARTICLE_EPROTO, PARTICLE_ENET, PARTICLE_EINVAL, 0};
/* A stream skips an event whose data jansson's lexer failed on as malformed (the same
 * lexer failures), then notices the silence: PARTICLE_ETIMEDOUT after idle_timeout_ms */
static const int stream_oom[] = {PARTICLE_EPROTO, PARTICLE_ENET, PARTICLE_ETIMEDOUT, 0};

typedef struct rest_case {
    const char *name;
    const char *expect; /* request line prefix of every request */
    int status;
    const char *body; /* the answer */
    oom_call_fn *call;
    const int *allowed; /* codes allowed besides ENOMEM; NULL = library_oom */
} rest_case;

/* A client without retries: each run is one attempt, so each failed allocation shows. */
static particle_client *client_for(const char *url)
{
    particle_client_options o = PARTICLE_CLIENT_OPTIONS_INIT;
    o.base_url = url;
    o.access_token = TEST_TOKEN;
    o.flags = PARTICLE_CLIENT_NO_ENV | PARTICLE_CLIENT_NO_PROFILE;
    o.max_retries = PARTICLE_NO_RETRIES;
    o.request_timeout_ms = 5000;
    particle_client *c = NULL;
    assert_int_equal(particle_client_new(&c, &o), 0);
    return c;
}

/* Runs @p rc's loop against a server that answers every request with its answer. */
static void run_rest_case(const rest_case *rc)
{
    canned_step *steps = calloc(STEPS, sizeof(*steps));
    assert_non_null(steps);
    for (size_t i = 0; i < STEPS; i++) {
        steps[i] = (canned_step){.expect = rc->expect, .status = rc->status, .body = rc->body};
    }
    canned_server *srv = canned_server_start(steps, STEPS);
    free(steps);
    assert_non_null(srv);
    char url[64];
    canned_server_url(srv, url, sizeof(url));
    particle_client *c = client_for(url);
    oom_result r = oom_loop(rc->name, rc->call, c, rc->allowed != NULL ? rc->allowed : library_oom);
    assert_true(r.runs >= 3);
    assert_true(r.enomem_runs * 2 >= r.runs);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* The calls returning a document: *gave_out when the document came back. */
#define DOC_CALL(fn_name, expr, check)                                                             \
    static int fn_name(bool *gave_out, void *ctx)                                                  \
    {                                                                                              \
        particle_client *c = ctx;                                                                  \
        particle_doc *doc = (particle_doc *)&doc; /* must be reset */                              \
        int rc = (expr);                                                                           \
        *gave_out = doc != NULL;                                                                   \
        if (rc == 0) {                                                                             \
            const particle_value *root = particle_doc_root(doc);                                   \
            (void)root;                                                                            \
            check;                                                                                 \
        }                                                                                          \
        particle_doc_free(doc);                                                                    \
        return rc;                                                                                 \
    }

/* ---- auth ---- */

static int login_password(bool *gave_out, void *ctx)
{
    particle_token *t = (particle_token *)&t;
    int rc = particle_login_password(&t, ctx, "joe@example.com", "p@ss word", NULL);
    *gave_out = t != NULL;
    if (rc == 0) {
        assert_non_null(particle_token_access_token(t));
    }
    particle_token_free(t);
    return rc;
}

DOC_CALL(access_token_list,
         particle_access_token_list(&doc, c, "joe@example.com", "secret", "123456"),
         assert_int_equal(particle_value_count(root), 2))
DOC_CALL(user_get, particle_user_get(&doc, c),
         assert_non_null(particle_value_string(particle_value_get(root, "username"))))

/* ---- devices ---- */

DOC_CALL(device_list, particle_device_list(&doc, c, NULL),
         assert_true(particle_value_count(root) > 0))
DOC_CALL(device_get, particle_device_get(&doc, c, DEVICE, NULL),
         assert_non_null(particle_device_id(root)))

static int device_update(bool *gave_out, void *ctx)
{
    static const char *const groups[] = {"europe", "asia"};
    particle_device_update_options u = PARTICLE_DEVICE_UPDATE_OPTIONS_INIT;
    u.name = "renamed";
    u.notes = "n";
    u.groups = groups;
    u.groups_count = 2;
    u.firmware_lock = PARTICLE_FIRMWARE_LOCK;
    u.desired_firmware_version = 3;
    particle_request_options ro = PARTICLE_REQUEST_OPTIONS_INIT;
    ro.product = "my-product";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_device_update(&doc, ctx, DEVICE, &u, &ro);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

/* The iterator made and walked to its end inside the run: every allocation of both. */
static int device_iter_walk(bool *gave_out, void *ctx)
{
    particle_device_list_options o = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
    o.product = "my-product";
    particle_device_iter *it = NULL;
    int rc = particle_device_iter_new(&it, ctx, &o);
    size_t n = 0;
    const particle_value *dev = NULL;
    while (rc == 0 && (rc = particle_device_iter_next(&dev, it)) == 0 && dev != NULL) {
        n++;
    }
    *gave_out = rc == 0 && n > 0;
    particle_device_iter_free(it);
    return rc;
}

/* ---- variables, functions, publish, products ---- */

static int variable_get(bool *gave_out, void *ctx)
{
    particle_variable *v = (particle_variable *)&v;
    int rc = particle_variable_get(&v, ctx, DEVICE, "temperature", NULL);
    *gave_out = v != NULL;
    if (rc == 0) {
        assert_int_equal(particle_variable_type(v), PARTICLE_VALUE_DOUBLE);
    }
    particle_variable_free(v);
    return rc;
}

static int function_call(bool *gave_out, void *ctx)
{
    int value = -12345;
    int rc = particle_function_call(&value, ctx, DEVICE, "led", "on", NULL);
    *gave_out = rc == 0 && value != -12345;
    return rc;
}

static int event_publish(bool *gave_out, void *ctx)
{
    particle_publish_options p = PARTICLE_PUBLISH_OPTIONS_INIT;
    p.name = "oom/test";
    p.data = "{\"t\":21.5}";
    p.ttl = 60;
    int rc = particle_event_publish(ctx, &p);
    *gave_out = rc == 0;
    return rc;
}

static int product_devices_add(bool *gave_out, void *ctx)
{
    static const char *const ids[] = {DEVICE, "aaaaaaaaaaaaaaaaaaaaaaaa"};
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_product_devices_add(&doc, ctx, "my-product", ids, 2, NULL);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

/* ---- products, organizations, team, groups, product devices (products.h, groups.h) ---- */

DOC_CALL(product_list, particle_product_list(&doc, c, NULL),
         assert_int_equal(particle_value_count(particle_value_get(root, "products")), 1))
DOC_CALL(product_get, particle_product_get(&doc, c, "my-product"),
         assert_non_null(particle_value_get(root, "product")))
DOC_CALL(product_config_set,
         particle_product_config_set(&doc, c, "my-product", DEVICE, "{\"imu_trig\":{}}"),
         assert_non_null(particle_value_get(root, "configuration")))
DOC_CALL(org_get, particle_org_get(&doc, c, "my org"),
         assert_non_null(particle_value_get(root, "organization")))
DOC_CALL(team_list, particle_team_list(&doc, c, "my-product"),
         assert_int_equal(particle_value_count(particle_value_get(root, "team")), 1))
DOC_CALL(team_invite, particle_team_invite(&doc, c, "my-product", "a@example.com", "Developer"),
         assert_non_null(particle_value_get(root, "invited")))
DOC_CALL(org_team_remove, particle_org_team_remove(&doc, c, "my org", "a@example.com"),
         assert_non_null(particle_value_get(root, "ok")))
DOC_CALL(group_list, particle_group_list(&doc, c, "my-product", "lab"),
         assert_int_equal(particle_value_count(particle_value_get(root, "groups")), 1))

static int group_update(bool *gave_out, void *ctx)
{
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = "lab2";
    g.description = "the lab";
    g.color = "#e74c3c";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_group_update(&doc, ctx, "my-product", "lab", &g);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static int group_delete(bool *gave_out, void *ctx)
{
    int rc = particle_group_delete(ctx, "my-product", "lab");
    *gave_out = rc == 0;
    return rc;
}

static int group_batch_update(bool *gave_out, void *ctx)
{
    static const char *const devices[] = {DEVICE, "aaaaaaaaaaaaaaaaaaaaaaaa"};
    static const char *const add[] = {"lab"};
    static const char *const remove[] = {"field", "old"};
    particle_group_batch_options b = PARTICLE_GROUP_BATCH_OPTIONS_INIT;
    b.devices = devices;
    b.device_count = 2;
    b.add = add;
    b.add_count = 1;
    b.remove = remove;
    b.remove_count = 2;
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_group_batch_update(&doc, ctx, "my-product", &b);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static int device_set_groups(bool *gave_out, void *ctx)
{
    static const char *const groups[] = {"europe", "asia"};
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_device_set_groups(&doc, ctx, "my-product", DEVICE, groups, 2);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

DOC_CALL(device_lock_firmware,
         particle_product_device_lock_firmware(&doc, c, "my-product", DEVICE, 3, 1),
         assert_non_null(particle_value_get(root, "desired_firmware_version")))
DOC_CALL(serial_number_lookup, particle_serial_number_lookup(&doc, c, "E40KAB111111111"),
         assert_non_null(particle_value_get(root, "deviceID")))

DOC_CALL(product_config_get, particle_product_config_get(&doc, c, "my-product", NULL),
         assert_non_null(particle_value_get(root, "configuration")))
DOC_CALL(org_list, particle_org_list(&doc, c),
         assert_int_equal(particle_value_count(particle_value_get(root, "organizations")), 1))
DOC_CALL(org_team_list, particle_org_team_list(&doc, c, "my org"),
         assert_int_equal(particle_value_count(particle_value_get(root, "team")), 1))
DOC_CALL(org_team_invite, particle_org_team_invite(&doc, c, "my org", "a@example.com", NULL),
         assert_non_null(particle_value_get(root, "invited")))
DOC_CALL(team_remove, particle_team_remove(&doc, c, "my-product", "a@example.com"),
         assert_non_null(particle_value_get(root, "ok")))
DOC_CALL(group_get, particle_group_get(&doc, c, "my-product", "lab"),
         assert_non_null(particle_value_get(root, "group")))
DOC_CALL(device_approve, particle_product_device_approve(&doc, c, "my-product", DEVICE),
         assert_non_null(particle_value_get(root, "updatedDeviceIds")))
DOC_CALL(device_set_development,
         particle_product_device_set_development(&doc, c, "my-product", DEVICE, 1),
         assert_non_null(particle_value_get(root, "development")))
DOC_CALL(device_unlock_firmware,
         particle_product_device_unlock_firmware(&doc, c, "my-product", DEVICE),
         assert_non_null(particle_value_get(root, "desired_firmware_version")))

static int group_create(bool *gave_out, void *ctx)
{
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = "lab";
    g.description = "the lab";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_group_create(&doc, ctx, "my-product", &g);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

/* The two one-group batches, both inside one run. */
static int group_add_remove_devices(bool *gave_out, void *ctx)
{
    static const char *const devices[] = {DEVICE};
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_group_add_devices(&doc, ctx, "my-product", "lab", devices, 1);
    particle_doc_free(doc);
    doc = (particle_doc *)&doc;
    if (rc == 0) {
        rc = particle_group_remove_devices(&doc, ctx, "my-product", "lab", devices, 1);
    }
    *gave_out = rc == 0 && doc != NULL;
    particle_doc_free(rc == 0 ? doc : NULL);
    return rc;
}

static int product_device_deny(bool *gave_out, void *ctx)
{
    int rc = particle_product_device_deny(ctx, "my-product", DEVICE);
    *gave_out = rc == 0;
    return rc;
}

static int product_devices_import_file(bool *gave_out, void *ctx)
{
    static const char file[] = DEVICE "\n";
    particle_product_import_options o = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    o.import_sims = PARTICLE_NO;
    o.claim_user = "a@example.com";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_product_devices_import_file(&doc, ctx, "my-product", file, sizeof(file) - 1,
                                                  NULL, &o);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

/* ---- SIMs ---- */

DOC_CALL(sim_list, particle_sim_list(&doc, c, NULL),
         assert_int_equal(particle_value_count(root), 1))
DOC_CALL(sim_get, particle_sim_get(&doc, c, ICCID, NULL),
         assert_string_equal(particle_sim_iccid(root), ICCID))

static int sim_update(bool *gave_out, void *ctx)
{
    particle_sim_update_options u = PARTICLE_SIM_UPDATE_OPTIONS_INIT;
    u.action = PARTICLE_SIM_ACTION_REACTIVATE;
    u.set_mb_limit = 1;
    u.mb_limit = 50;
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_sim_update(&doc, ctx, ICCID, &u, NULL);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static int sim_iter_walk(bool *gave_out, void *ctx)
{
    particle_sim_list_options o = PARTICLE_SIM_LIST_OPTIONS_INIT;
    o.product = "my-product";
    particle_sim_iter *it = NULL;
    int rc = particle_sim_iter_new(&it, ctx, &o);
    size_t n = 0;
    const particle_value *sim = NULL;
    while (rc == 0 && (rc = particle_sim_iter_next(&sim, it)) == 0 && sim != NULL) {
        n++;
    }
    *gave_out = rc == 0 && n == 1;
    particle_sim_iter_free(it);
    return rc;
}

/* ---- diagnostics and the generic request ---- */

DOC_CALL(diagnostics_last, particle_diagnostics_last(&doc, c, DEVICE, NULL),
         assert_non_null(particle_diagnostics_record(doc)))

static int diagnostics_history(bool *gave_out, void *ctx)
{
    particle_diagnostics_history_options h = PARTICLE_DIAGNOSTICS_HISTORY_OPTIONS_INIT;
    h.start_ms = 1513641600000LL;
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_diagnostics_history(&doc, ctx, DEVICE, &h);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

DOC_CALL(generic_request,
         particle_request(&doc, c, "post", "/v1/devices/" DEVICE "/led?x=1", NULL,
                          "{\"arg\":\"on\"}", NULL),
         assert_int_equal(particle_value_int(particle_value_get(root, "return_value"), 0), 1))

#define SIM_OBJECT "{\"_id\":\"" ICCID "\",\"status\":\"active\",\"mb_limit\":20}"
#define DEVICE_OBJECT "{\"id\":\"" DEVICE "\",\"name\":\"oom\",\"online\":true}"

static void test_rest_calls_out_of_memory(void **state)
{
    (void)state;
    const rest_case cases[] = {
        {"particle_login_password", "POST /oauth/token HTTP/1.1", 200, fixture_data("login.json"),
         login_password, NULL},
        {"particle_access_token_list", "GET /v1/access_tokens?otp=123456 HTTP/1.1", 200,
         fixture_data("tokens.json"), access_token_list, NULL},
        {"particle_user_get", "GET /v1/user HTTP/1.1", 200, fixture_data("user.json"), user_get,
         NULL},
        {"particle_device_list", "GET /v1/devices HTTP/1.1", 200, fixture_data("device_list.json"),
         device_list, NULL},
        {"particle_device_iter", "GET /v1/products/my-product/devices", 200,
         "{\"devices\":[" DEVICE_OBJECT "," DEVICE_OBJECT "],\"meta\":{\"total_pages\":1}}",
         device_iter_walk, NULL},
        {"particle_device_get", "GET /v1/devices/" DEVICE " HTTP/1.1", 200,
         fixture_data("device.json"), device_get, NULL},
        {"particle_device_update", "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1", 200,
         "{\"id\":\"" DEVICE "\",\"name\":\"renamed\",\"updated_at\":\"2017-03-10T20:17:01Z\"}",
         device_update, NULL},
        {"particle_variable_get", "GET /v1/devices/" DEVICE "/temperature HTTP/1.1", 200,
         fixture_data("variable_double.json"), variable_get, NULL},
        {"particle_function_call", "POST /v1/devices/" DEVICE "/led HTTP/1.1", 200,
         fixture_data("function.json"), function_call, NULL},
        {"particle_event_publish", "POST /v1/devices/events HTTP/1.1", 200, "{\"ok\":true}",
         event_publish, NULL},
        {"particle_product_devices_add", "POST /v1/products/my-product/devices HTTP/1.1", 200,
         "{\"updated\":2,\"updatedDeviceIds\":[\"" DEVICE "\"],\"existingDeviceIds\":[],"
         "\"nonmemberDeviceIds\":[],\"invalidDeviceIds\":[]}",
         product_devices_add, NULL},
        {"particle_product_list", "GET /v1/user/products HTTP/1.1", 200,
         "{\"products\":[{\"id\":1,\"slug\":\"p\"}]}", product_list, NULL},
        {"particle_product_get", "GET /v1/products/my-product HTTP/1.1", 200,
         "{\"product\":{\"id\":1,\"slug\":\"my-product\"}}", product_get, NULL},
        {"particle_product_config_set", "PUT /v1/products/my-product/config/" DEVICE " HTTP/1.1",
         200, "{\"configuration\":{\"imu_trig\":{}}}", product_config_set, checked_body_oom},
        {"particle_org_get", "GET /v1/orgs/my%20org HTTP/1.1", 200,
         "{\"organization\":{\"id\":\"9980222caf8bad191600019b\",\"slug\":\"my-org\"}}", org_get,
         NULL},
        {"particle_team_list", "GET /v1/products/my-product/team HTTP/1.1", 200,
         "{\"ok\":true,\"team\":[{\"username\":\"a@example.com\"}]}", team_list, NULL},
        {"particle_team_invite", "POST /v1/products/my-product/team HTTP/1.1", 200,
         "{\"ok\":true,\"invited\":{\"username\":\"a@example.com\"}}", team_invite, NULL},
        {"particle_org_team_remove", "DELETE /v1/orgs/my%20org/team/a%40example.com HTTP/1.1", 200,
         "{\"ok\":true}", org_team_remove, NULL},
        {"particle_group_list", "GET /v1/products/my-product/groups?name=lab HTTP/1.1", 200,
         "{\"groups\":[{\"name\":\"lab\"}]}", group_list, NULL},
        {"particle_group_update", "PUT /v1/products/my-product/groups/lab HTTP/1.1", 200,
         "{\"group\":{\"name\":\"lab2\"}}", group_update, NULL},
        {"particle_group_delete", "DELETE /v1/products/my-product/groups/lab HTTP/1.1", 204, NULL,
         group_delete, NULL},
        {"particle_group_batch_update", "PUT /v1/products/my-product/devices HTTP/1.1", 200,
         "{\"ok\":true}", group_batch_update, NULL},
        {"particle_device_set_groups", "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
         200, "{\"id\":\"" DEVICE "\",\"groups\":[\"europe\",\"asia\"]}", device_set_groups, NULL},
        {"particle_product_device_lock_firmware",
         "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1", 200,
         "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":3}", device_lock_firmware, NULL},
        {"particle_product_device_deny",
         "DELETE /v1/products/my-product/devices/" DEVICE " HTTP/1.1", 204, NULL,
         product_device_deny, NULL},
        {"particle_serial_number_lookup", "GET /v1/serial_numbers/E40KAB111111111 HTTP/1.1", 200,
         "{\"ok\":true,\"deviceID\":\"" DEVICE "\"}", serial_number_lookup, NULL},
        {"particle_product_devices_import_file",
         "POST /v1/products/my-product/devices?claim_user=a%40example.com HTTP/1.1", 200,
         "{\"updated\":1,\"updatedDeviceIds\":[\"" DEVICE "\"]}", product_devices_import_file,
         NULL},
        {"particle_product_config_get", "GET /v1/products/my-product/config HTTP/1.1", 200,
         "{\"configuration\":{}}", product_config_get, NULL},
        {"particle_org_list", "GET /v1/orgs HTTP/1.1", 200,
         "{\"organizations\":[{\"id\":\"9980222caf8bad191600019b\"}]}", org_list, NULL},
        {"particle_org_team_list", "GET /v1/orgs/my%20org/team HTTP/1.1", 200,
         "{\"ok\":true,\"team\":[{\"username\":\"a@example.com\"}]}", org_team_list, NULL},
        {"particle_org_team_invite", "POST /v1/orgs/my%20org/team HTTP/1.1", 200,
         "{\"ok\":true,\"invited\":{\"username\":\"a@example.com\"}}", org_team_invite, NULL},
        {"particle_team_remove", "DELETE /v1/products/my-product/team/a%40example.com HTTP/1.1",
         200, "{\"ok\":true}", team_remove, NULL},
        {"particle_group_get", "GET /v1/products/my-product/groups/lab HTTP/1.1", 200,
         "{\"group\":{\"name\":\"lab\",\"device_count\":2}}", group_get, NULL},
        {"particle_group_create", "POST /v1/products/my-product/groups HTTP/1.1", 201,
         "{\"group\":{\"name\":\"lab\"}}", group_create, NULL},
        {"particle_group_add_devices + _remove_devices",
         "PUT /v1/products/my-product/devices HTTP/1.1", 200, "{\"ok\":true}",
         group_add_remove_devices, NULL},
        {"particle_product_device_approve", "POST /v1/products/my-product/devices HTTP/1.1", 200,
         "{\"updated\":1,\"updatedDeviceIds\":[\"" DEVICE "\"]}", device_approve, NULL},
        {"particle_product_device_set_development",
         "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1", 200,
         "{\"id\":\"" DEVICE "\",\"development\":true}", device_set_development, NULL},
        {"particle_product_device_unlock_firmware",
         "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1", 200,
         "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":null}", device_unlock_firmware, NULL},
        {"particle_sim_list", "GET /v1/sims HTTP/1.1", 200, "[" SIM_OBJECT "]", sim_list, NULL},
        {"particle_sim_iter", "GET /v1/products/my-product/sims", 200,
         "{\"sims\":[" SIM_OBJECT "],\"meta\":{\"total_pages\":1}}", sim_iter_walk, NULL},
        {"particle_sim_get", "GET /v1/sims/" ICCID " HTTP/1.1", 200, "{\"sim\":" SIM_OBJECT "}",
         sim_get, NULL},
        {"particle_sim_update", "PUT /v1/sims/" ICCID " HTTP/1.1", 200, "{\"ok\":true}", sim_update,
         NULL},
        {"particle_diagnostics_last", "GET /v1/diagnostics/" DEVICE "/last HTTP/1.1", 200,
         "{\"diagnostics\":{\"updated_at\":\"2017-12-19T12:37:07.318Z\",\"deviceID\":\"" DEVICE
         "\",\"payload\":{\"device\":{\"system\":{\"uptime\":2567461}}}}}",
         diagnostics_last, NULL},
        {"particle_diagnostics_history", "GET /v1/diagnostics/" DEVICE "?start_date=", 200,
         "{\"diagnostics\":[]}", diagnostics_history, NULL},
        {"particle_request", "POST /v1/devices/" DEVICE "/led?x=1 HTTP/1.1", 200,
         fixture_data("function.json"), generic_request, checked_body_oom},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_rest_case(&cases[i]);
    }
}

/* ---- customers, claim codes, OAuth clients ---- */

#define CUSTOMER_TOKEN                                                                             \
    "{\"token_type\":\"bearer\",\"access_token\":\"" TEST_TOKEN "\",\"expires_in\":7776000}"

static int customer_iter_walk(bool *gave_out, void *ctx)
{
    particle_customer_iter *it = NULL;
    int rc = particle_customer_iter_new(&it, ctx, "my-product", NULL);
    size_t n = 0;
    const particle_value *cust = NULL;
    while (rc == 0 && (rc = particle_customer_iter_next(&cust, it)) == 0 && cust != NULL) {
        n++;
    }
    *gave_out = rc == 0 && n == 1;
    particle_customer_iter_free(it);
    return rc;
}

static int customer_create(bool *gave_out, void *ctx)
{
    particle_customer_create_options o = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    o.client_id = "myapp-2146";
    o.client_secret = "615c620d647b6e1dab13bef1695c120b0293c342";
    o.password = "p@ss word";
    particle_token *t = (particle_token *)&t;
    int rc = particle_customer_create(&t, ctx, "my-product", "jane@example.com", &o);
    *gave_out = t != NULL;
    particle_token_free(t);
    return rc;
}

static int customer_set_password(bool *gave_out, void *ctx)
{
    int rc = particle_customer_set_password(ctx, "my-product", "jane@example.com", "n3w");
    *gave_out = rc == 0;
    return rc;
}

static int customer_token(bool *gave_out, void *ctx)
{
    particle_token *t = (particle_token *)&t;
    int rc = particle_customer_token(&t, ctx, "myapp-2146", "s3cret", "jane@example.com", NULL);
    *gave_out = t != NULL;
    particle_token_free(t);
    return rc;
}

static int oauth_client_create(bool *gave_out, void *ctx)
{
    particle_oauth_client_options o = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    o.name = "MyApp";
    o.type = "installed";
    o.scope = "customers:create";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_oauth_client_create(&doc, ctx, "my-product", &o);
    *gave_out = doc != NULL;
    if (rc == 0) {
        assert_string_equal(particle_oauth_client_id(particle_doc_root(doc)), "myapp-2146");
    }
    particle_doc_free(doc);
    return rc;
}

static int oauth_client_update(bool *gave_out, void *ctx)
{
    particle_oauth_client_options o = PARTICLE_OAUTH_CLIENT_OPTIONS_INIT;
    o.name = "Renamed";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_oauth_client_update(&doc, ctx, NULL, "myapp-2146", &o);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static int oauth_client_delete(bool *gave_out, void *ctx)
{
    int rc = particle_oauth_client_delete(ctx, NULL, "myapp-2146");
    *gave_out = rc == 0;
    return rc;
}

DOC_CALL(customer_list, particle_customer_list(&doc, c, "my-product", NULL),
         assert_int_equal(particle_value_count(particle_value_get(root, "customers")), 1))
DOC_CALL(claim_code_create, particle_claim_code_create(&doc, c, NULL),
         assert_non_null(particle_claim_code_text(root)))
DOC_CALL(oauth_client_list, particle_oauth_client_list(&doc, c, NULL),
         assert_int_equal(particle_value_count(particle_value_get(root, "clients")), 1))

static void test_customer_calls_out_of_memory(void **state)
{
    (void)state;
    const char *client =
        "{\"ok\":true,\"client\":{\"name\":\"MyApp\",\"type\":\"installed\","
        "\"id\":\"myapp-2146\",\"secret\":\"615c620d647b6e1dab13bef1695c120b0293c342\"}}";
    const rest_case cases[] = {
        {"particle_customer_list", "GET /v1/products/my-product/customers HTTP/1.1", 200,
         "{\"customers\":[{\"username\":\"a@x.io\"}],\"meta\":{\"total_pages\":1}}", customer_list,
         NULL},
        {"particle_customer_iter", "GET /v1/products/my-product/customers", 200,
         "{\"customers\":[{\"username\":\"a@x.io\"}],\"meta\":{\"total_pages\":1}}",
         customer_iter_walk, NULL},
        {"particle_customer_create", "POST /v1/products/my-product/customers HTTP/1.1", 201,
         CUSTOMER_TOKEN, customer_create, NULL},
        {"particle_customer_set_password",
         "PUT /v1/products/my-product/customers/jane%40example.com HTTP/1.1", 200, "{\"ok\":true}",
         customer_set_password, NULL},
        {"particle_customer_token", "POST /oauth/token HTTP/1.1", 200, CUSTOMER_TOKEN,
         customer_token, NULL},
        {"particle_claim_code_create", "POST /v1/device_claims HTTP/1.1", 200,
         "{\"claim_code\":\"abc\",\"device_ids\":[]}", claim_code_create, NULL},
        {"particle_oauth_client_list", "GET /v1/clients HTTP/1.1", 200,
         "{\"ok\":true,\"clients\":[{\"id\":\"server-999\"}]}", oauth_client_list, NULL},
        {"particle_oauth_client_create", "POST /v1/products/my-product/clients HTTP/1.1", 200,
         client, oauth_client_create, NULL},
        {"particle_oauth_client_update", "PUT /v1/clients/myapp-2146 HTTP/1.1", 200, client,
         oauth_client_update, NULL},
        {"particle_oauth_client_delete", "DELETE /v1/clients/myapp-2146 HTTP/1.1", 204, NULL,
         oauth_client_delete, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_rest_case(&cases[i]);
    }
}

/* ---- multi ---- */

typedef struct multi_outcome {
    int code;
    int record_code; /* particle_error_last()->code inside the callback */
    bool got_value;
    bool called;
} multi_outcome;

static void on_variable(int code, const particle_variable *var, void *payload)
{
    multi_outcome *o = payload;
    o->called = true;
    o->code = code;
    o->record_code = code != 0 ? particle_error_last()->code : 0;
    o->got_value = var != NULL && particle_variable_type(var) == PARTICLE_VALUE_DOUBLE;
}

/* The multi made, a read queued and driven to completion inside the run. The call's code is
 * perform's failure or the callback's. */
static int multi_variable_read(bool *gave_out, void *ctx)
{
    particle_multi *m = NULL;
    multi_outcome out = {0, 0, false, false};
    int rc = particle_multi_new(&m, ctx, NULL);
    if (rc == 0) {
        rc = particle_multi_variable_get(m, DEVICE, "temperature", NULL, on_variable, &out);
    }
    while (rc == 0 && particle_multi_pending(m) > 0) {
        int left = particle_multi_perform(m, 1000);
        rc = left < 0 ? left : 0;
    }
    particle_multi_free(m);
    if (rc == 0) {
        assert_true(out.called);
        rc = out.code;
        if (rc != 0) {
            /* the record described the failure while the callback ran (and still does:
             * oom_loop checks it after the call) */
            assert_int_equal(out.record_code, rc);
        }
    }
    *gave_out = rc == 0 && out.got_value;
    return rc;
}

static void test_multi_out_of_memory(void **state)
{
    (void)state;
    rest_case multi = {"particle_multi variable read",
                       "GET /v1/devices/" DEVICE "/temperature HTTP/1.1",
                       200,
                       fixture_data("variable_double.json"),
                       multi_variable_read,
                       NULL};
    run_rest_case(&multi);
}

/* ---- stream ---- */

static int stop_at_first_event(const particle_event *ev, void *payload)
{
    int *seen = payload;
    if (strcmp(ev->name, "temp") == 0 && ev->data != NULL && strcmp(ev->data, "21.5") == 0) {
        (*seen)++;
    }
    return 1;
}

/* Open and run to the first event, all inside the run. Reconnects are off: a failed attempt
 * is the call's failure. */
static int stream_open_run(bool *gave_out, void *ctx)
{
    int seen = 0;
    particle_stream_options o = PARTICLE_STREAM_OPTIONS_INIT;
    o.scope = PARTICLE_STREAM_DEVICE;
    o.device = DEVICE;
    o.prefix = "temp";
    o.max_reconnects = 1;
    o.idle_timeout_ms = 300; /* bounds a run whose only event was skipped */
    o.reconnect_base_ms = 1;
    o.reconnect_max_ms = 1;
    o.on_event = stop_at_first_event;
    o.payload = &seen;
    particle_stream *s = NULL;
    int rc = particle_stream_open(&s, ctx, &o);
    if (rc == 0) {
        rc = particle_stream_run(s);
    }
    particle_stream_free(s);
    *gave_out = rc == 0 && seen == 1;
    return rc;
}

static void test_stream_out_of_memory(void **state)
{
    (void)state;
    sse_script script = {
        .chunks = {{0,
                    SSE_OK_HEADERS ":ok\n\nevent: temp\nid: 1\n"
                                   "data: {\"data\":\"21.5\",\"ttl\":60,\"published_at\":"
                                   "\"2017-12-19T12:37:07.318Z\",\"coreid\":\"" DEVICE "\"}\n\n",
                    0, 0}},
        .nchunks = 1,
        .hold = true};
    sse_server *srv = sse_server_start(&script, 1);
    assert_non_null(srv);
    char url[64];
    sse_server_url(srv, url, sizeof(url));
    particle_client *c = client_for(url);
    oom_result r = oom_loop("particle_stream_open + _run", stream_open_run, c, stream_oom);
    assert_true(r.runs >= 10);
    assert_true(r.enomem_runs * 2 >= r.runs);
    char line[256];
    assert_true(sse_server_request_line(srv, 0, line, sizeof(line)));
    assert_string_equal(line, "GET /v1/devices/" DEVICE "/events/temp HTTP/1.1");
    particle_client_free(c);
    sse_server_stop(srv);
}

/* ---- account, MFA, provisioning ---- */

static int user_create(bool *gave_out, void *ctx)
{
    particle_account_info info = PARTICLE_ACCOUNT_INFO_INIT;
    info.first_name = "Ada";
    info.business_account = PARTICLE_BUSINESS_YES;
    int rc = particle_user_create(ctx, "ada@example.com", "pw", &info);
    *gave_out = rc == 0;
    return rc;
}

static int user_change_password(bool *gave_out, void *ctx)
{
    int rc = particle_user_change_password(ctx, "old", "new", PARTICLE_INVALIDATE_TOKENS);
    *gave_out = rc == 0;
    return rc;
}

static int send_public_key(bool *gave_out, void *ctx)
{
    int rc = particle_device_send_public_key(ctx, DEVICE, "-----BEGIN PUBLIC KEY-----", "ecc");
    *gave_out = rc == 0;
    return rc;
}

static int unprotect(bool *gave_out, void *ctx)
{
    particle_unprotect_options u = PARTICLE_UNPROTECT_OPTIONS_INIT;
    u.org = "acme";
    u.action = "confirm";
    u.server_nonce = "bm9uY2U=";
    u.device_nonce = "ZA==";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_device_unprotect(&doc, ctx, DEVICE, &u);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

static int user_set_info(bool *gave_out, void *ctx)
{
    particle_account_info info = PARTICLE_ACCOUNT_INFO_INIT;
    info.last_name = "Lovelace";
    particle_doc *doc = (particle_doc *)&doc;
    int rc = particle_user_set_info(&doc, ctx, &info);
    *gave_out = doc != NULL;
    particle_doc_free(doc);
    return rc;
}

DOC_CALL(mfa_enable, particle_mfa_enable(&doc, c),
         assert_non_null(particle_value_string(particle_value_get(root, "secret"))))
DOC_CALL(mfa_confirm, particle_mfa_confirm(&doc, c, "m1", "123456", 0),
         assert_int_equal(particle_value_bool(particle_value_get(root, "enrolled"), 0), 1))
DOC_CALL(device_provision, particle_device_provision(&doc, c, "10001"),
         assert_non_null(particle_value_string(particle_value_get(root, "id"))))
DOC_CALL(mesh_list_devices, particle_mesh_network_list_devices(&doc, c, "home", "node", 1, 2),
         assert_int_equal(particle_value_count(root), 0))

static void test_account_calls_out_of_memory(void **state)
{
    (void)state;
    const rest_case cases[] = {
        {"particle_user_create", "POST /v1/users HTTP/1.1", 200, "{\"ok\":true}", user_create,
         NULL},
        {"particle_user_set_info", "PUT /v1/user HTTP/1.1", 200, "{\"username\":\"a@x.io\"}",
         user_set_info, NULL},
        {"particle_user_change_password", "PUT /v1/user HTTP/1.1", 200, "{\"ok\":true}",
         user_change_password, NULL},
        {"particle_mfa_enable", "GET /v1/user/mfa-enable HTTP/1.1", 200,
         "{\"mfa_token\":\"m1\",\"qr_url\":\"otpauth://x\",\"secret\":\"ABC\"}", mfa_enable, NULL},
        {"particle_mfa_confirm", "POST /v1/user/mfa-enable HTTP/1.1", 200, "{\"enrolled\":true}",
         mfa_confirm, NULL},
        {"particle_device_provision", "POST /v1/devices HTTP/1.1", 200,
         "{\"ok\":true,\"id\":\"" DEVICE "\"}", device_provision, NULL},
        {"particle_device_send_public_key", "POST /v1/provisioning/" DEVICE " HTTP/1.1", 200,
         "{\"ok\":true}", send_public_key, NULL},
        {"particle_device_unprotect", "PUT /v1/orgs/acme/devices/" DEVICE "/unprotect HTTP/1.1",
         200, "{\"server_signature\":\"c2ln\"}", unprotect, NULL},
        {"particle_mesh_network_list_devices",
         "GET /v1/networks/home/devices?role=node&page=1&per_page=2 HTTP/1.1", 200, "[]",
         mesh_list_devices, NULL},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_rest_case(&cases[i]);
    }
}

int main(void)
{
    particle_global_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_rest_calls_out_of_memory, fixture_data_teardown),
        cmocka_unit_test_teardown(test_multi_out_of_memory, fixture_data_teardown),
        cmocka_unit_test(test_stream_out_of_memory),
        cmocka_unit_test(test_customer_calls_out_of_memory),
        cmocka_unit_test(test_account_calls_out_of_memory),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
