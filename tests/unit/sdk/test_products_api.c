/*
 * Products, organizations, team members, device groups and the rest of the product-device
 * calls (products.h, groups.h, devices.h) against a loopback canned server. A table of
 * cases checks, for each call, the exact request line (method, path, query) and body it
 * sends, and how it returns the documented answer (reference/cloud-api.md §5.4, §5.9,
 * §5.11, §9.1-§9.3, §9.5, §9.7) or an error. Argument checks must send nothing.
 */
#include "sdk_fixture.h"

#define DEVICE "0123456789abcdef01234567"
#define PRODUCT_JSON                                                                               \
    "{\"id\":12345,\"platform_id\":10,\"name\":\"My Product\",\"slug\":\"my-product\","            \
    "\"description\":\"My test product\",\"subscription_id\":1234,\"user\":\"me@example.com\","    \
    "\"groups\":[\"one\",\"two\"],\"settings\":{\"location\":{},\"known_application\":"            \
    "{\"opt_in\":true},\"quarantine\":false}}"
#define ORG_JSON "{\"id\":\"9980222caf8bad191600019b\",\"slug\":\"particle\",\"name\":\"Particle\"}"
#define TEAM_ANSWER                                                                                \
    "{\"ok\":true,\"team\":[{\"_id\":\"9980222caf8bad191600019b\",\"username\":"                   \
    "\"jeff@particle.io\",\"role\":{\"id\":\"000000000000000000000002\",\"name\":"                 \
    "\"Administrator\"}},{\"username\":\"test-product-api-user+abc1234@api.particle.io\","         \
    "\"friendly_name\":\"test-product-api-user\",\"scopes\":[\"products:list\"],"                  \
    "\"is_programmatic\":true,\"product_id\":123456}]}"
#define GROUP_JSON                                                                                 \
    "{\"name\":\"group_a\",\"description\":\"first group A\",\"color\":\"#e74c3c\","               \
    "\"fw_version\":1,\"device_count\":3}"
#define IMPORT_ANSWER                                                                              \
    "{\"updated\":1,\"updatedDeviceIds\":[\"" DEVICE "\"],\"existingDeviceIds\":[],"               \
    "\"nonmemberDeviceIds\":[],\"invalidDeviceIds\":[],\"protectedDeviceIds\":[]}"

/* ---- the calls, each with fixed arguments ---- */

typedef int call_fn(particle_doc **out, particle_client *c);

static int product_list_user(particle_doc **out, particle_client *c)
{
    return particle_product_list(out, c, NULL);
}

static int product_list_org(particle_doc **out, particle_client *c)
{
    particle_product_list_options o;
    assert_int_equal(particle_product_list_options_init(&o, PARTICLE_PRODUCT_LIST_OPTIONS_VERSION),
                     0);
    assert_null(o.org);
    o.org = "my org";
    return particle_product_list(out, c, &o);
}

static int product_get(particle_doc **out, particle_client *c)
{
    return particle_product_get(out, c, "my-product");
}

static int config_get(particle_doc **out, particle_client *c)
{
    return particle_product_config_get(out, c, "my-product", NULL);
}

static int config_get_device(particle_doc **out, particle_client *c)
{
    return particle_product_config_get(out, c, "1234", DEVICE);
}

static int config_set(particle_doc **out, particle_client *c)
{
    return particle_product_config_set(out, c, "my-product", NULL,
                                       " {\"imu_trig\": {\"motion\": \"disable\"}} ");
}

static int org_list(particle_doc **out, particle_client *c)
{
    return particle_org_list(out, c);
}

static int org_get(particle_doc **out, particle_client *c)
{
    return particle_org_get(out, c, "particle");
}

static int team_list(particle_doc **out, particle_client *c)
{
    return particle_team_list(out, c, "my-product");
}

static int team_invite(particle_doc **out, particle_client *c)
{
    return particle_team_invite(out, c, "my-product", "test@example.com", NULL);
}

static int team_invite_role(particle_doc **out, particle_client *c)
{
    return particle_team_invite(out, c, "my-product", "test@example.com", "View-only");
}

static int team_remove(particle_doc **out, particle_client *c)
{
    return particle_team_remove(out, c, "my-product", "t+x@example.com");
}

static int org_team_list(particle_doc **out, particle_client *c)
{
    return particle_org_team_list(out, c, "particle");
}

static int org_team_invite(particle_doc **out, particle_client *c)
{
    return particle_org_team_invite(out, c, "particle", "dev@example.com", "Developer");
}

static int org_team_remove(particle_doc **out, particle_client *c)
{
    return particle_org_team_remove(out, c, "particle", "dev@example.com");
}

static int team_update(particle_doc **out, particle_client *c)
{
    return particle_team_update(out, c, "my-product", "t+x@example.com", "Support");
}

static int org_team_update(particle_doc **out, particle_client *c)
{
    return particle_org_team_update(out, c, "particle", "dev@example.com", "Administrator");
}

static int group_list(particle_doc **out, particle_client *c)
{
    return particle_group_list(out, c, "my-product", NULL);
}

static int group_list_filter(particle_doc **out, particle_client *c)
{
    return particle_group_list(out, c, "my-product", "group a");
}

static int group_get(particle_doc **out, particle_client *c)
{
    return particle_group_get(out, c, "my-product", "group_a");
}

static int group_create(particle_doc **out, particle_client *c)
{
    particle_group_options g;
    assert_int_equal(particle_group_options_init(&g, PARTICLE_GROUP_OPTIONS_VERSION), 0);
    g.name = "group_a";
    g.description = "the A group";
    g.color = "#34495e";
    return particle_group_create(out, c, "my-product", &g);
}

static int group_create_name_only(particle_doc **out, particle_client *c)
{
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = "taken";
    return particle_group_create(out, c, "my-product", &g);
}

static int group_update(particle_doc **out, particle_client *c)
{
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    g.name = "double_agent";
    g.description = "";
    return particle_group_update(out, c, "my-product", "group_a", &g);
}

static int group_delete(particle_doc **out, particle_client *c)
{
    *out = NULL;
    return particle_group_delete(c, "my-product", "group_a");
}

static int device_set_groups(particle_doc **out, particle_client *c)
{
    static const char *const groups[] = {"europe", "asia"};
    return particle_device_set_groups(out, c, "my-product", DEVICE, groups, 2);
}

static int device_clear_groups(particle_doc **out, particle_client *c)
{
    return particle_device_set_groups(out, c, "my-product", DEVICE, NULL, 0);
}

static int group_batch(particle_doc **out, particle_client *c)
{
    static const char *const devices[] = {"123", "456"};
    static const char *const add[] = {"foo"};
    static const char *const remove[] = {"bar", "baz"};
    particle_group_batch_options b;
    assert_int_equal(particle_group_batch_options_init(&b, PARTICLE_GROUP_BATCH_OPTIONS_VERSION),
                     0);
    b.devices = devices;
    b.device_count = 2;
    b.add = add;
    b.add_count = 1;
    b.remove = remove;
    b.remove_count = 2;
    return particle_group_batch_update(out, c, "my-product", &b);
}

static int group_add_devices(particle_doc **out, particle_client *c)
{
    static const char *const devices[] = {DEVICE};
    return particle_group_add_devices(out, c, "my-product", "lab", devices, 1);
}

static int group_remove_devices(particle_doc **out, particle_client *c)
{
    static const char *const devices[] = {"123", "456"};
    return particle_group_remove_devices(out, c, "my-product", "lab", devices, 2);
}

static int approve(particle_doc **out, particle_client *c)
{
    return particle_product_device_approve(out, c, "my-product", DEVICE);
}

static int deny(particle_doc **out, particle_client *c)
{
    *out = NULL;
    return particle_product_device_deny(c, "my-product", DEVICE);
}

static int development_on(particle_doc **out, particle_client *c)
{
    return particle_product_device_set_development(out, c, "my-product", DEVICE, 1);
}

static int development_off(particle_doc **out, particle_client *c)
{
    return particle_product_device_set_development(out, c, "my-product", DEVICE, 0);
}

static int lock_firmware(particle_doc **out, particle_client *c)
{
    return particle_product_device_lock_firmware(out, c, "my-product", DEVICE, 3, 0);
}

static int lock_firmware_flash(particle_doc **out, particle_client *c)
{
    return particle_product_device_lock_firmware(out, c, "my-product", DEVICE, 1, 1);
}

static int unlock_firmware(particle_doc **out, particle_client *c)
{
    return particle_product_device_unlock_firmware(out, c, "my-product", DEVICE);
}

static int serial_lookup(particle_doc **out, particle_client *c)
{
    return particle_serial_number_lookup(out, c, "E40KAB111111111");
}

/* ---- the table ---- */

typedef struct wire_case {
    const char *name;
    call_fn *call;
    const char *expect; /* the whole request line */
    const char *body;   /* the exact request body; "" = none */
    int status;
    const char *answer;
    int rc;          /* what the call returns */
    const char *key; /* a member of the answer's root to find in the document; NULL = none */
} wire_case;

static const wire_case cases[] = {
    /* products (§9.1) */
    {"product list (user)", product_list_user, "GET /v1/user/products HTTP/1.1", "", 200,
     "{\"products\":[" PRODUCT_JSON "]}", 0, "products"},
    {"product list (org)", product_list_org, "GET /v1/orgs/my%20org/products HTTP/1.1", "", 200,
     "{\"products\":[]}", 0, "products"},
    {"product list without products", product_list_user, "GET /v1/user/products HTTP/1.1", "", 200,
     "[" PRODUCT_JSON "]", PARTICLE_EPROTO, NULL},
    {"product list, unknown org", product_list_org, "GET /v1/orgs/my%20org/products HTTP/1.1", "",
     404, "{\"ok\":false,\"error\":\"Organization not found\"}", PARTICLE_ENOTFOUND, NULL},
    {"product get", product_get, "GET /v1/products/my-product HTTP/1.1", "", 200,
     "{\"product\":" PRODUCT_JSON "}", 0, "product"},
    {"product get, not on the team", product_get, "GET /v1/products/my-product HTTP/1.1", "", 403,
     "{\"error\":\"Permission Denied\"}", PARTICLE_EFORBIDDEN, NULL},
    {"product get, bare object", product_get, "GET /v1/products/my-product HTTP/1.1", "", 200,
     PRODUCT_JSON, PARTICLE_EPROTO, NULL},
    {"config get", config_get, "GET /v1/products/my-product/config HTTP/1.1", "", 200,
     "{\"configuration\":{\"imu_trig\":{\"motion\":\"disable\"}}}", 0, "configuration"},
    {"config get, device, none set", config_get_device,
     "GET /v1/products/1234/config/" DEVICE " HTTP/1.1", "", 404, "{}", PARTICLE_ENOTFOUND, NULL},
    {"config set", config_set, "PUT /v1/products/my-product/config HTTP/1.1",
     "{\"imu_trig\":{\"motion\":\"disable\"}}", 200,
     "{\"configuration\":{\"imu_trig\":{\"motion\":\"disable\"}}}", 0, "configuration"},
    {"config set, refused schema", config_set, "PUT /v1/products/my-product/config HTTP/1.1",
     "{\"imu_trig\":{\"motion\":\"disable\"}}", 422,
     "{\"message\":\"Invalid Schema\",\"description\":\"data should NOT have additional "
     "properties\"}",
     PARTICLE_EHTTP, NULL},
    /* organizations (§9.2) */
    {"org list", org_list, "GET /v1/orgs HTTP/1.1", "", 200, "{\"organizations\":[" ORG_JSON "]}",
     0, "organizations"},
    {"org get", org_get, "GET /v1/orgs/particle HTTP/1.1", "", 200,
     "{\"organization\":" ORG_JSON "}", 0, "organization"},
    {"org get, unknown", org_get, "GET /v1/orgs/particle HTTP/1.1", "", 404,
     "{\"error\":\"Organization not found\"}", PARTICLE_ENOTFOUND, NULL},
    /* team (§9.3) */
    {"team list", team_list, "GET /v1/products/my-product/team HTTP/1.1", "", 200, TEAM_ANSWER, 0,
     "team"},
    {"team list, non-member", team_list, "GET /v1/products/my-product/team HTTP/1.1", "", 403,
     "{\"error\":\"Permission Denied\"}", PARTICLE_EFORBIDDEN, NULL},
    {"team invite", team_invite, "POST /v1/products/my-product/team HTTP/1.1",
     "{\"username\":\"test@example.com\"}", 200,
     "{\"ok\":true,\"invited\":{\"username\":\"test@example.com\"}}", 0, "invited"},
    {"team update", team_update, "POST /v1/products/my-product/team/t%2Bx%40example.com HTTP/1.1",
     "{\"role\":\"Support\"}", 200,
     "{\"ok\":true,\"updated\":{\"username\":\"t+x@example.com\",\"role\":{\"id\":"
     "\"000000000000000000000004\",\"name\":\"Support\"}}}",
     0, "updated"},
    {"team update, not a member", team_update,
     "POST /v1/products/my-product/team/t%2Bx%40example.com HTTP/1.1", "{\"role\":\"Support\"}",
     404, "{\"ok\":false,\"error\":\"Not a member of this team\"}", PARTICLE_ENOTFOUND, NULL},
    {"org team update", org_team_update, "POST /v1/orgs/particle/team/dev%40example.com HTTP/1.1",
     "{\"role\":\"Administrator\"}", 200, "{\"ok\":true}", 0, "ok"},
    {"team invite with role", team_invite_role, "POST /v1/products/my-product/team HTTP/1.1",
     "{\"username\":\"test@example.com\",\"role\":\"View-only\"}", 200,
     "{\"ok\":true,\"invited\":{\"username\":\"test@example.com\"}}", 0, "invited"},
    {"team invite, already a member", team_invite, "POST /v1/products/my-product/team HTTP/1.1",
     "{\"username\":\"test@example.com\"}", 400, "{\"error\":\"User is already a member\"}",
     PARTICLE_EHTTP, NULL},
    {"team remove", team_remove, "DELETE /v1/products/my-product/team/t%2Bx%40example.com HTTP/1.1",
     "", 200, "{\"ok\":true}", 0, "ok"},
    {"org team list", org_team_list, "GET /v1/orgs/particle/team HTTP/1.1", "", 200, TEAM_ANSWER, 0,
     "team"},
    {"org team invite", org_team_invite, "POST /v1/orgs/particle/team HTTP/1.1",
     "{\"username\":\"dev@example.com\",\"role\":\"Developer\"}", 200,
     "{\"ok\":true,\"invited\":{\"username\":\"dev@example.com\"}}", 0, "invited"},
    {"org team remove", org_team_remove, "DELETE /v1/orgs/particle/team/dev%40example.com HTTP/1.1",
     "", 200, "{\"ok\":true}", 0, "ok"},
    /* groups (§9.5) */
    {"group list", group_list, "GET /v1/products/my-product/groups HTTP/1.1", "", 200,
     "{\"groups\":[{\"name\":\"group_a\",\"description\":\"the A group\",\"fw_version\":3,"
     "\"color\":\"#34495e\"},{\"name\":\"group_b\",\"description\":\"the B group\","
     "\"color\":\"#34495e\"}]}",
     0, "groups"},
    {"group list, name filter", group_list_filter,
     "GET /v1/products/my-product/groups?name=group%20a HTTP/1.1", "", 200, "{\"groups\":[]}", 0,
     "groups"},
    {"group list, no groups array", group_list, "GET /v1/products/my-product/groups HTTP/1.1", "",
     200, "{\"groups\":{}}", PARTICLE_EPROTO, NULL},
    {"group get", group_get, "GET /v1/products/my-product/groups/group_a HTTP/1.1", "", 200,
     "{\"group\":" GROUP_JSON "}", 0, "group"},
    {"group get, unknown", group_get, "GET /v1/products/my-product/groups/group_a HTTP/1.1", "",
     404, "{\"ok\":false,\"error\":\"Group not found\"}", PARTICLE_ENOTFOUND, NULL},
    {"group create", group_create, "POST /v1/products/my-product/groups HTTP/1.1",
     "{\"name\":\"group_a\",\"description\":\"the A group\",\"color\":\"#34495e\"}", 201,
     "{\"group\":{\"name\":\"group_a\",\"description\":\"the A group\",\"color\":\"#34495e\"}}", 0,
     "group"},
    {"group create, duplicate", group_create_name_only,
     "POST /v1/products/my-product/groups HTTP/1.1", "{\"name\":\"taken\"}", 400,
     "{\"ok\":false,\"error\":\"Group name already exists\"}", PARTICLE_EHTTP, NULL},
    {"group update", group_update, "PUT /v1/products/my-product/groups/group_a HTTP/1.1",
     "{\"name\":\"double_agent\",\"description\":\"\"}", 200,
     "{\"group\":{\"name\":\"double_agent\",\"description\":\"group description\","
     "\"color\":\"#e74c3c\",\"fw_version\":1,\"device_count\":3}}",
     0, "group"},
    {"group delete", group_delete, "DELETE /v1/products/my-product/groups/group_a HTTP/1.1", "",
     204, NULL, 0, NULL},
    {"device groups", device_set_groups, "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"groups\":[\"europe\",\"asia\"]}", 200,
     "{\"id\":\"" DEVICE "\",\"groups\":[\"europe\",\"asia\"],\"updated_at\":"
     "\"2017-03-10T20:21:49.059Z\"}",
     0, "groups"},
    {"device groups cleared", device_clear_groups,
     "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1", "{\"groups\":[]}", 200,
     "{\"id\":\"" DEVICE "\",\"groups\":[]}", 0, "groups"},
    {"group batch", group_batch, "PUT /v1/products/my-product/devices HTTP/1.1",
     "{\"metadata\":{\"add\":[\"foo\"],\"remove\":[\"bar\",\"baz\"]},\"devices\":[\"123\","
     "\"456\"],\"action\":\"groups\"}",
     200, "{\"ok\":true}", 0, "ok"},
    {"group add devices", group_add_devices, "PUT /v1/products/my-product/devices HTTP/1.1",
     "{\"metadata\":{\"add\":[\"lab\"],\"remove\":[]},\"devices\":[\"" DEVICE
     "\"],\"action\":\"groups\"}",
     200, "{\"ok\":true}", 0, "ok"},
    {"group remove devices", group_remove_devices, "PUT /v1/products/my-product/devices HTTP/1.1",
     "{\"metadata\":{\"add\":[],\"remove\":[\"lab\"]},\"devices\":[\"123\",\"456\"],"
     "\"action\":\"groups\"}",
     200, "{\"ok\":true}", 0, "ok"},
    /* product devices, the rest (§5.4, §5.5, §5.9, §5.11, §9.7) */
    {"quarantine approve", approve, "POST /v1/products/my-product/devices HTTP/1.1",
     "{\"id\":\"" DEVICE "\"}", 200, IMPORT_ANSWER, 0, "updatedDeviceIds"},
    {"quarantine deny", deny, "DELETE /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"deny\":true}", 204, NULL, 0, NULL},
    {"development on", development_on, "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"development\":true}", 200,
     "{\"id\":\"" DEVICE "\",\"development\":true,\"updated_at\":\"2017-03-10T20:21:49.059Z\"}", 0,
     "development"},
    {"development off", development_off, "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"development\":false}", 200, "{\"id\":\"" DEVICE "\",\"development\":false}", 0,
     "development"},
    {"firmware lock", lock_firmware, "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"desired_firmware_version\":3}", 200,
     "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":3,\"updated_at\":"
     "\"2017-03-10T20:21:49.059Z\"}",
     0, "desired_firmware_version"},
    {"firmware lock and flash", lock_firmware_flash,
     "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"desired_firmware_version\":1,\"flash\":true}", 200,
     "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":1}", 0, "desired_firmware_version"},
    {"firmware unlock", unlock_firmware, "PUT /v1/products/my-product/devices/" DEVICE " HTTP/1.1",
     "{\"desired_firmware_version\":null}", 200,
     "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":null}", 0, "desired_firmware_version"},
    {"serial lookup", serial_lookup, "GET /v1/serial_numbers/E40KAB111111111 HTTP/1.1", "", 200,
     "{\"ok\":true,\"deviceID\":\"" DEVICE "\",\"iccid\":\"8934076500002589174\"}", 0, "deviceID"},
    {"serial lookup, unknown", serial_lookup, "GET /v1/serial_numbers/E40KAB111111111 HTTP/1.1", "",
     404, "{\"ok\":false,\"error\":\"Serial number not found\"}", PARTICLE_ENOTFOUND, NULL},
};

static void test_wire(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const wire_case *w = &cases[i];
        print_message("case: %s\n", w->name);
        canned_step step = {.expect = w->expect, .status = w->status, .body = w->answer};
        canned_server *srv = canned_server_start(&step, 1);
        assert_non_null(srv);
        particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
        particle_doc *doc = (particle_doc *)(void *)&doc; /* must be reset */
        int rc = w->call(&doc, c);
        if (rc != w->rc) {
            fail_msg("%s: %s (%s), expected %s", w->name, particle_code_name(rc),
                     particle_error_last()->message, particle_code_name(w->rc));
        }
        assert_int_equal(canned_server_request_count(srv), 1);
        fixture_assert_script_ok(srv);
        fixture_assert_body(srv, 0, w->body);
        fixture_assert_request_has(srv, 0, "Authorization: Bearer " TEST_TOKEN "\r\n");
        if (w->body[0] != '\0') {
            fixture_assert_request_has(srv, 0, "Content-Type: application/json\r\n");
        }
        if (rc == 0) {
            if (w->key != NULL) {
                assert_non_null(particle_value_get(particle_doc_root(doc), w->key));
            }
        } else {
            assert_null(doc);
            /* a malformed 2xx answer is the SDK's finding, not an HTTP error */
            assert_int_equal(particle_error_last()->http_status, w->status < 300 ? 0 : w->status);
        }
        if (doc != NULL && doc != (particle_doc *)(void *)&doc) {
            particle_doc_free(doc);
        }
        particle_client_free(c);
        canned_server_stop(srv);
    }
}

/* The documented answers are returned whole: a few fields read through the document. */
static void test_answers_read(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/user/products ",
         .status = 200,
         .body = "{\"products\":[" PRODUCT_JSON "]}"},
        {.expect = "GET /v1/products/my-product/groups/group_a ",
         .status = 200,
         .body = "{\"group\":" GROUP_JSON "}"},
        {.expect = "GET /v1/products/my-product/team ", .status = 200, .body = TEAM_ANSWER},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_list(&doc, c, NULL), 0);
    const particle_value *p =
        particle_value_at(particle_value_get(particle_doc_root(doc), "products"), 0);
    assert_int_equal(particle_value_int(particle_value_get(p, "id"), -1), 12345);
    assert_string_equal(particle_value_string(particle_value_get(p, "slug")), "my-product");
    assert_int_equal(particle_value_int(particle_value_get(p, "platform_id"), -1), 10);
    particle_doc_free(doc);
    assert_int_equal(particle_group_get(&doc, c, "my-product", "group_a"), 0);
    const particle_value *g = particle_value_get(particle_doc_root(doc), "group");
    assert_int_equal(particle_value_int(particle_value_get(g, "device_count"), -1), 3);
    assert_string_equal(particle_value_string(particle_value_get(g, "color")), "#e74c3c");
    particle_doc_free(doc);
    assert_int_equal(particle_team_list(&doc, c, "my-product"), 0);
    const particle_value *team = particle_value_get(particle_doc_root(doc), "team");
    assert_int_equal(particle_value_count(team), 2);
    assert_string_equal(particle_value_string(particle_value_get(
                            particle_value_get(particle_value_at(team, 0), "role"), "name")),
                        "Administrator");
    particle_doc_free(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* Bad arguments fail with PARTICLE_EINVAL before any request. */
static void test_bad_arguments_send_nothing(void **state)
{
    (void)state;
    canned_server *srv = canned_server_start(NULL, 0);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = (particle_doc *)(void *)&doc;
    static const char *const one[] = {DEVICE};
    static const char *const empty_one[] = {""};

    particle_product_list_options lo = PARTICLE_PRODUCT_LIST_OPTIONS_INIT;
    lo.version = 99;
    assert_int_equal(particle_product_list(&doc, c, &lo), PARTICLE_EINVAL);
    assert_null(doc);
    lo = (particle_product_list_options)PARTICLE_PRODUCT_LIST_OPTIONS_INIT;
    lo.org = "";
    assert_int_equal(particle_product_list(&doc, c, &lo), PARTICLE_EINVAL);
    assert_int_equal(particle_product_list(NULL, c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_list(&doc, NULL, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_list_options_init(NULL, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_product_get(&doc, c, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_product_get(&doc, c, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_product_config_get(&doc, c, "p", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_product_config_set(&doc, c, "p", NULL, "[1]"), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "not a JSON object"));
    assert_int_equal(particle_product_config_set(&doc, c, "p", NULL, "{nope"), PARTICLE_EINVAL);
    assert_int_equal(particle_product_config_set(&doc, c, "", NULL, "{}"), PARTICLE_EINVAL);
    assert_int_equal(particle_product_config_set(&doc, c, "p", NULL, NULL), PARTICLE_EINVAL);
    assert_null(doc);

    assert_int_equal(particle_org_list(NULL, c), PARTICLE_EINVAL);
    assert_int_equal(particle_org_get(&doc, c, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_team_list(&doc, c, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_team_invite(&doc, c, "p", "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_team_invite(&doc, c, "", "a@b.c", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_team_invite(&doc, c, "p", "bad\xff", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_team_remove(&doc, c, "p", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_org_team_remove(&doc, c, NULL, "a@b.c"), PARTICLE_EINVAL);
    assert_int_equal(particle_team_update(&doc, c, "p", "a@b.c", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_team_update(&doc, c, "p", "", "Developer"), PARTICLE_EINVAL);
    assert_int_equal(particle_org_team_update(&doc, c, NULL, "a@b.c", "Developer"),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_team_update(&doc, NULL, "p", "a@b.c", "Developer"), PARTICLE_EINVAL);
    assert_int_equal(particle_org_team_invite(&doc, NULL, "o", "a@b.c", NULL), PARTICLE_EINVAL);

    assert_int_equal(particle_group_list(&doc, c, "", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_group_get(&doc, c, "p", ""), PARTICLE_EINVAL);
    particle_group_options g = PARTICLE_GROUP_OPTIONS_INIT;
    assert_int_equal(particle_group_create(&doc, c, "p", &g), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "needs a name"));
    assert_int_equal(particle_group_create(&doc, c, "p", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_group_update(&doc, c, "p", "g", &g), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "sets no field"));
    g.name = "";
    assert_int_equal(particle_group_update(&doc, c, "p", "g", &g), PARTICLE_EINVAL);
    g.name = "ok";
    g.version = 42;
    assert_int_equal(particle_group_create(&doc, c, "p", &g), PARTICLE_EINVAL);
    assert_int_equal(particle_group_options_init(&g, 42), PARTICLE_EINVAL);
    assert_int_equal(particle_group_delete(c, "p", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_group_delete(NULL, "p", "g"), PARTICLE_EINVAL);
    assert_int_equal(particle_device_set_groups(&doc, c, "", DEVICE, one, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_device_set_groups(&doc, c, "p", "", one, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_device_set_groups(&doc, c, "p", DEVICE, empty_one, 1),
                     PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "group 1 is empty"));
    assert_int_equal(particle_device_set_groups(&doc, c, "p", DEVICE, NULL, 1), PARTICLE_EINVAL);
    particle_group_batch_options b = PARTICLE_GROUP_BATCH_OPTIONS_INIT;
    assert_int_equal(particle_group_batch_update(&doc, c, "p", &b), PARTICLE_EINVAL);
    b.devices = one;
    b.device_count = 1;
    assert_int_equal(particle_group_batch_update(&doc, c, "p", &b), PARTICLE_EINVAL);
    assert_non_null(strstr(particle_error_last()->message, "no group to add or remove"));
    b.add = empty_one;
    b.add_count = 1;
    assert_int_equal(particle_group_batch_update(&doc, c, "p", &b), PARTICLE_EINVAL);
    assert_int_equal(particle_group_batch_update(&doc, c, "p", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_group_add_devices(&doc, c, "p", "", one, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_group_add_devices(&doc, c, "p", "g", NULL, 1), PARTICLE_EINVAL);
    assert_int_equal(particle_group_remove_devices(&doc, c, "", "g", one, 1), PARTICLE_EINVAL);

    assert_int_equal(particle_product_device_approve(&doc, c, "p", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_product_device_approve(&doc, c, "", DEVICE), PARTICLE_EINVAL);
    assert_int_equal(particle_product_device_deny(c, "", DEVICE), PARTICLE_EINVAL);
    assert_int_equal(particle_product_device_deny(c, "p", ""), PARTICLE_EINVAL);
    assert_int_equal(particle_product_device_set_development(&doc, c, NULL, DEVICE, 1),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_device_lock_firmware(&doc, c, "p", DEVICE, 0, 0),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_device_unlock_firmware(&doc, c, "p", NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_serial_number_lookup(&doc, c, ""), PARTICLE_EINVAL);
    assert_int_equal(particle_serial_number_lookup(NULL, c, "E40"), PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_import_file(&doc, c, "p", "", 0, NULL, NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_import_file(&doc, c, "p", "x\n", 2, "a\"b", NULL),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_product_devices_import_file(&doc, c, "", "x\n", 2, NULL, NULL),
                     PARTICLE_EINVAL);
    assert_null(doc);

    assert_int_equal(canned_server_request_count(srv), 0);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* Import by list file: one multipart part `file` (particle-api-js addDeviceToProduct with a
 * file), `import_sims` as a field, claim_user in the query, a boundary not in the file. */
static void test_import_file_multipart(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/my-product/devices HTTP/1.1",
         .status = 200,
         .body = IMPORT_ANSWER},
        {.expect = "POST /v1/products/my-product/devices?claim_user=team%40example.com HTTP/1.1",
         .status = 200,
         .body = IMPORT_ANSWER},
        {.expect = "POST /v1/products/my-product/devices ", .status = 200, .body = "[]"},
    };
    canned_server *srv = canned_server_start(steps, 3);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    static const char file[] = DEVICE "\nE40KAB111111111\n";
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_devices_import_file(&doc, c, "my-product", file,
                                                          sizeof(file) - 1, NULL, NULL),
                     0);
    fixture_assert_request_has(
        srv, 0,
        "Content-Type: multipart/form-data; boundary=libparticle-form-boundary-00000000\r\n");
    fixture_assert_body(srv, 0,
                        "--libparticle-form-boundary-00000000\r\n"
                        "Content-Disposition: form-data; name=\"file\"; "
                        "filename=\"devices.txt\"\r\n"
                        "Content-Type: text/plain\r\n\r\n" DEVICE "\nE40KAB111111111\n\r\n"
                        "--libparticle-form-boundary-00000000--\r\n");
    assert_int_equal(particle_value_int(particle_value_get(particle_doc_root(doc), "updated"), -1),
                     1);
    particle_doc_free(doc);

    /* the file holds the first boundary: the next one is used; import_sims, claim_user */
    static const char tricky[] = "--libparticle-form-boundary-00000000\n";
    particle_product_import_options o = PARTICLE_PRODUCT_IMPORT_OPTIONS_INIT;
    o.import_sims = PARTICLE_YES;
    o.claim_user = "team@example.com";
    assert_int_equal(particle_product_devices_import_file(NULL, c, "my-product", tricky,
                                                          sizeof(tricky) - 1, "ids.txt", &o),
                     0);
    fixture_assert_body(srv, 1,
                        "--libparticle-form-boundary-00000001\r\n"
                        "Content-Disposition: form-data; name=\"file\"; filename=\"ids.txt\"\r\n"
                        "Content-Type: text/plain\r\n\r\n"
                        "--libparticle-form-boundary-00000000\n\r\n"
                        "--libparticle-form-boundary-00000001\r\n"
                        "Content-Disposition: form-data; name=\"import_sims\"\r\n\r\ntrue\r\n"
                        "--libparticle-form-boundary-00000001--\r\n");
    /* an answer that is not an object */
    assert_int_equal(particle_product_devices_import_file(&doc, c, "my-product", file,
                                                          sizeof(file) - 1, NULL, NULL),
                     PARTICLE_EPROTO);
    assert_null(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

/* The API's 404 {} says "no configuration"; a 404 with a message keeps the API's text. */
static void test_config_not_set_message(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/my-product/config HTTP/1.1", .status = 404, .body = "{}"},
        {.expect = "GET /v1/products/nope/config HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Product not found\"}"},
    };
    canned_server *srv = canned_server_start(steps, 2);
    assert_non_null(srv);
    particle_client *c = fixture_client(srv, TEST_TOKEN, NULL, NULL);
    particle_doc *doc = NULL;
    assert_int_equal(particle_product_config_get(&doc, c, "my-product", NULL), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "no configuration is set");
    assert_int_equal(particle_error_last()->http_status, 404);
    assert_int_equal(particle_product_config_get(&doc, c, "nope", NULL), PARTICLE_ENOTFOUND);
    assert_string_equal(particle_error_last()->message, "Product not found");
    assert_null(doc);
    fixture_assert_script_ok(srv);
    particle_client_free(c);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wire),
        cmocka_unit_test(test_config_not_set_message),
        cmocka_unit_test(test_answers_read),
        cmocka_unit_test(test_bad_arguments_send_nothing),
        cmocka_unit_test(test_import_file_multipart),
    };
    if (particle_global_init() != 0) {
        return 1;
    }
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
