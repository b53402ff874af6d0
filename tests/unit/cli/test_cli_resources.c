/*
 * particlectl's product, group, team and product-device commands, run as a process against
 * a canned loopback server: the request each command sends (method, path, query, body),
 * what it prints in the table and machine formats, its exit status, and that a destructive
 * command off a terminal (stdin is /dev/null here) sends nothing without --yes.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "canned_server.h"

#define TOKEN "0123456789abcdef0123456789abcdef01234567"
#define DEVICE "0123456789abcdef01234567"
#define MAX_ARGS 16
#define OUT_BYTES 16384

typedef struct run_result {
    int status;
    char out[OUT_BYTES];
    char err[OUT_BYTES];
} run_result;

static char scratch[64];

static int setup(void **state)
{
    (void)state;
    snprintf(scratch, sizeof(scratch), "/tmp/particlectl-unit-XXXXXX");
    return mkdtemp(scratch) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/out", scratch);
    unlink(path);
    snprintf(path, sizeof(path), "%s/err", scratch);
    unlink(path);
    return rmdir(scratch);
}

static void slurp(const char *name, char *buf, size_t size)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", scratch, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Runs particlectl with the arguments (NULL-terminated) against @p srv, with the token in
 * the environment, stdin /dev/null and a scratch HOME. */
static void run(run_result *r, canned_server *srv, ...)
{
    char url[64], out_path[128], err_path[128];
    const char *argv[MAX_ARGS + 2] = {PARTICLECTL_BIN};
    size_t argc = 1;
    va_list ap;
    va_start(ap, srv);
    for (const char *a; (a = va_arg(ap, const char *)) != NULL;) {
        assert_true(argc <= MAX_ARGS);
        argv[argc++] = a;
    }
    va_end(ap);
    canned_server_url(srv, url, sizeof(url));
    snprintf(out_path, sizeof(out_path), "%s/out", scratch);
    snprintf(err_path, sizeof(err_path), "%s/err", scratch);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int in = open("/dev/null", O_RDONLY);
        int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
            dup2(err, 2) < 0) {
            _exit(127);
        }
        setenv("HOME", scratch, 1);
        setenv("PARTICLE_ACCESS_TOKEN", TOKEN, 1);
        setenv("PARTICLE_API_BASE_URL", url, 1);
        unsetenv("NO_COLOR");
        execv(PARTICLECTL_BIN, (char *const *)argv);
        _exit(127);
    }
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus));
    r->status = WEXITSTATUS(wstatus);
    slurp("out", r->out, sizeof(r->out));
    slurp("err", r->err, sizeof(r->err));
}

static void assert_script_ok(canned_server *srv)
{
    char why[512];
    if (!canned_server_ok(srv, why, sizeof(why))) {
        fail_msg("canned server: %s", why);
    }
}

static void assert_body(canned_server *srv, size_t i, const char *expected)
{
    char body[8192];
    assert_true(canned_server_request_body(srv, i, body, sizeof(body)));
    assert_string_equal(body, expected);
}

static void assert_has(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL) {
        fail_msg("\"%s\" not in:\n%s", needle, text);
    }
}

#define PRODUCTS                                                                                   \
    "{\"products\":[{\"id\":12345,\"platform_id\":10,\"name\":\"My Product\",\"slug\":"            \
    "\"my-product\",\"description\":\"My test product\",\"user\":\"me@example.com\"},"             \
    "{\"id\":7,\"platform_id\":13,\"name\":\"Boron, "                                              \
    "fleet\",\"slug\":\"b\",\"description\":null}]}"

static void test_product_list_and_get(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/user/products HTTP/1.1", .status = 200, .body = PRODUCTS},
        {.expect = "GET /v1/orgs/acme%20co/products HTTP/1.1", .status = 200, .body = PRODUCTS},
        {.expect = "GET /v1/products/my-product HTTP/1.1",
         .status = 200,
         .body = "{\"product\":{\"id\":12345,\"platform_id\":10,\"name\":\"My Product\",\"slug\":"
                 "\"my-product\",\"description\":\"d\",\"organization\":"
                 "\"9980222caf8bad191600019b\",\"groups\":[\"one\",\"two\"]}}"},
        {.expect = "GET /v1/products/nope HTTP/1.1",
         .status = 404,
         .body = "{\"ok\":false,\"error\":\"Product not found\"}"},
    };
    canned_server *srv = canned_server_start(steps, 4);
    run_result r;
    run(&r, srv, "product", "list", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "ID     SLUG        NAME          PLATFORM_ID  DESCRIPTION\n"
                               "12345  my-product  My Product    10           My test product\n"
                               "7      b           Boron, fleet  13           -\n");
    run(&r, srv, "product", "list", "--org", "acme co", "--csv", NULL);
    assert_int_equal(r.status, 0);
    /* csv carries every field of the answer: `user` of the first product too */
    assert_string_equal(r.out, "id,slug,name,platform_id,description,user\n"
                               "12345,my-product,My Product,10,My test product,me@example.com\n"
                               "7,b,\"Boron, fleet\",13,,\n");
    run(&r, srv, "product", "get", "my-product", "--json", NULL);
    assert_int_equal(r.status, 0);
    assert_has(r.out, "\"id\": 12345");
    assert_has(r.out, "\"organization\": \"9980222caf8bad191600019b\"");
    assert_has(r.out, "\"groups\": [\n    \"one\",\n    \"two\"\n  ]");
    run(&r, srv, "product", "get", "nope", NULL);
    assert_int_equal(r.status, 1);
    assert_has(r.err, "Product not found");
    assert_has(r.err, "HTTP 404");
    assert_script_ok(srv);
    canned_server_stop(srv);
}

static void test_groups(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/p/groups?name=la HTTP/1.1",
         .status = 200,
         .body = "{\"groups\":[{\"name\":\"lab\",\"description\":\"the lab\",\"color\":\"#34495e\","
                 "\"fw_version\":3},{\"name\":\"lab_b\",\"color\":\"#e74c3c\"}]}"},
        {.expect = "GET /v1/products/p/groups/lab HTTP/1.1",
         .status = 200,
         .body = "{\"group\":{\"name\":\"lab\",\"description\":\"the lab\",\"color\":\"#34495e\","
                 "\"fw_version\":3,\"device_count\":2}}"},
        {.expect = "POST /v1/products/p/groups HTTP/1.1",
         .status = 201,
         .body = "{\"group\":{\"name\":\"europe\",\"description\":\"EU\",\"color\":\"#e74c3c\"}}"},
        {.expect = "PUT /v1/products/p/groups/europe HTTP/1.1",
         .status = 200,
         .body = "{\"group\":{\"name\":\"eu\",\"description\":\"EU\",\"color\":\"#e74c3c\"}}"},
        {.expect = "DELETE /v1/products/p/groups/eu HTTP/1.1", .status = 204},
        {.expect = "PUT /v1/products/p/devices HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "PUT /v1/products/p/devices HTTP/1.1", .status = 200, .body = "{\"ok\":true}"},
        {.expect = "POST /v1/products/p/groups HTTP/1.1",
         .status = 400,
         .body = "{\"ok\":false,\"error\":\"Group name already exists\"}"},
    };
    canned_server *srv = canned_server_start(steps, 8);
    run_result r;
    run(&r, srv, "group", "list", "p", "--name", "la", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "NAME   DESCRIPTION  COLOR    FW_VERSION  DEVICE_COUNT\n"
                               "lab    the lab      #34495e  3           -\n"
                               "lab_b  -            #e74c3c  -           -\n");
    run(&r, srv, "group", "get", "p", "lab", NULL);
    assert_int_equal(r.status, 0);
    assert_has(r.out, "device_count: 2");
    run(&r, srv, "group", "create", "p", "europe", "--description", "EU", "--color", "#e74c3c",
        "--ndjson", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 2, "{\"name\":\"europe\",\"description\":\"EU\",\"color\":\"#e74c3c\"}");
    assert_string_equal(r.out, "{\"name\":\"europe\",\"description\":\"EU\",\"color\":\"#e74c3c\","
                               "\"fw_version\":null,\"device_count\":null}\n");
    run(&r, srv, "group", "update", "p", "europe", NULL); /* nothing to change: no request */
    assert_int_equal(r.status, 2);
    assert_has(r.err, "nothing to change");
    run(&r, srv, "group", "update", "p", "europe", "--name", "eu", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 3, "{\"name\":\"eu\"}");
    run(&r, srv, "group", "delete", "p", "eu", NULL); /* not a terminal: needs --yes */
    assert_int_equal(r.status, 2);
    assert_has(r.err, "deleting a group needs --yes");
    assert_int_equal(canned_server_request_count(srv), 4);
    run(&r, srv, "group", "delete", "p", "eu", "--yes", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "Deleted group eu of product p.\n");
    run(&r, srv, "group", "add", "p", "lab", DEVICE, "aaaaaaaaaaaaaaaaaaaaaaaa", "--json", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 5,
                "{\"metadata\":{\"add\":[\"lab\"],\"remove\":[]},\"devices\":[\"" DEVICE
                "\",\"aaaaaaaaaaaaaaaaaaaaaaaa\"],\"action\":\"groups\"}");
    assert_has(r.out, "\"added\": true");
    run(&r, srv, "group", "remove", "p", "lab", DEVICE, NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 6,
                "{\"metadata\":{\"add\":[],\"remove\":[\"lab\"]},\"devices\":[\"" DEVICE
                "\"],\"action\":\"groups\"}");
    assert_string_equal(r.out, "Removed 1 device from group lab of product p.\n");
    run(&r, srv, "group", "add", "p", "lab", NULL); /* no device: usage, no request */
    assert_int_equal(r.status, 2);
    run(&r, srv, "group", "create", "p", "taken", NULL);
    assert_int_equal(r.status, 1);
    assert_has(r.err, "Group name already exists");
    assert_int_equal(canned_server_request_count(srv), 8);
    assert_script_ok(srv);
    canned_server_stop(srv);
}

#define TEAM                                                                                       \
    "{\"ok\":true,\"team\":[{\"username\":\"jeff@particle.io\",\"role\":{\"id\":\"2\","            \
    "\"name\":\"Administrator\"}},{\"username\":\"api+1@api.particle.io\",\"scopes\":"             \
    "[\"products:list\"],\"is_programmatic\":true}]}"

static void test_team(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "GET /v1/products/p/team HTTP/1.1", .status = 200, .body = TEAM},
        {.expect = "GET /v1/orgs/acme/team HTTP/1.1", .status = 200, .body = TEAM},
        {.expect = "POST /v1/products/p/team HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"invited\":{\"username\":\"dev@example.com\"}}"},
        {.expect = "DELETE /v1/orgs/acme/team/dev%40example.com HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
        {.expect = "GET /v1/products/theirs/team HTTP/1.1",
         .status = 403,
         .body = "{\"error\":\"Permission Denied\"}"},
    };
    canned_server *srv = canned_server_start(steps, 5);
    run_result r;
    run(&r, srv, "team", "list", "p", "--ndjson", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"username\":\"jeff@particle.io\",\"role\":\"Administrator\","
                               "\"is_programmatic\":false,\"scopes\":null}\n"
                               "{\"username\":\"api+1@api.particle.io\",\"role\":null,"
                               "\"is_programmatic\":true,\"scopes\":[\"products:list\"]}\n");
    run(&r, srv, "team", "list", "--org", "acme", "--csv", NULL);
    assert_int_equal(r.status, 0);
    assert_has(r.out, "username,role,is_programmatic,scopes\n"
                      "jeff@particle.io,Administrator,false,\n");
    run(&r, srv, "team", "list", "p", "--org", "acme", NULL); /* both: usage */
    assert_int_equal(r.status, 2);
    run(&r, srv, "team", "invite", "p", "dev@example.com", "--role", "Developer", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 2, "{\"username\":\"dev@example.com\",\"role\":\"Developer\"}");
    assert_string_equal(r.out, "Invited dev@example.com to the team of product p.\n");
    run(&r, srv, "team", "remove", "--org", "acme", "dev@example.com", NULL); /* needs --yes */
    assert_int_equal(r.status, 2);
    run(&r, srv, "team", "remove", "--org", "acme", "dev@example.com", "--yes", "--json", NULL);
    assert_int_equal(r.status, 0);
    assert_has(r.out, "\"team\": \"acme\"");
    assert_has(r.out, "\"removed\": true");
    run(&r, srv, "team", "list", "theirs", NULL);
    assert_int_equal(r.status, 1); /* 403: not on the team, an API error (not a bad token) */
    assert_has(r.err, "Permission Denied");
    assert_script_ok(srv);
    canned_server_stop(srv);
}

#define IMPORT(list)                                                                               \
    "{\"updated\":1,\"updatedDeviceIds\":[],\"existingDeviceIds\":[],\"nonmemberDeviceIds\":[],"   \
    "\"invalidDeviceIds\":" list ",\"protectedDeviceIds\":[]}"

static void test_product_devices(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/products/p/devices HTTP/1.1", .status = 200, .body = IMPORT("[]")},
        {.expect = "POST /v1/products/p/devices HTTP/1.1",
         .status = 200,
         .body = IMPORT("[\"" DEVICE "\"]")},
        {.expect = "DELETE /v1/products/p/devices/" DEVICE " HTTP/1.1", .status = 204},
        {.expect = "PUT /v1/products/p/devices/" DEVICE " HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"" DEVICE "\",\"development\":true}"},
        {.expect = "PUT /v1/products/p/devices/" DEVICE " HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":3}"},
        {.expect = "PUT /v1/products/p/devices/" DEVICE " HTTP/1.1",
         .status = 200,
         .body = "{\"id\":\"" DEVICE "\",\"desired_firmware_version\":null}"},
        {.expect = "GET /v1/serial_numbers/E40KAB111111111 HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true,\"deviceID\":\"" DEVICE "\",\"iccid\":\"8934076500002589174\"}"},
    };
    canned_server *srv = canned_server_start(steps, 7);
    run_result r;
    run(&r, srv, "product", "device", "approve", "p", DEVICE, NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 0, "{\"id\":\"" DEVICE "\"}");
    assert_string_equal(r.out, "Approved " DEVICE " into product p.\n");
    run(&r, srv, "product", "device", "approve", "p", DEVICE, NULL);
    assert_int_equal(r.status, 1);
    assert_has(r.err, DEVICE " was not approved into p: invalid");
    run(&r, srv, "product", "device", "deny", "p", DEVICE, NULL); /* needs --yes */
    assert_int_equal(r.status, 2);
    run(&r, srv, "product", "device", "deny", "p", DEVICE, "--yes", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 2, "{\"deny\":true}");
    run(&r, srv, "product", "device", "development", "p", DEVICE, "maybe", NULL);
    assert_int_equal(r.status, 2);
    run(&r, srv, "product", "device", "development", "p", DEVICE, "on", "--json", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 3, "{\"development\":true}");
    assert_has(r.out, "\"development\": true");
    run(&r, srv, "product", "device", "lock", "p", DEVICE, "0", NULL);
    assert_int_equal(r.status, 2);
    run(&r, srv, "product", "device", "lock", "p", DEVICE, "3", "--flash", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 4, "{\"desired_firmware_version\":3,\"flash\":true}");
    assert_string_equal(r.out, "Locked " DEVICE " to firmware version 3 of product p (flashing "
                               "now).\n");
    run(&r, srv, "product", "device", "unlock", "p", DEVICE, "--csv", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 5, "{\"desired_firmware_version\":null}");
    assert_string_equal(r.out, "product,device,desired_firmware_version\np," DEVICE ",\n");
    run(&r, srv, "device", "lookup", "E40KAB111111111", "--ndjson", NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "{\"serial_number\":\"E40KAB111111111\",\"device_id\":\"" DEVICE
                               "\",\"iccid\":\"8934076500002589174\"}\n");
    assert_int_equal(canned_server_request_count(srv), 7);
    assert_script_ok(srv);
    canned_server_stop(srv);
}

/* team update, product config get|set and product device add --file: what they send. */
static void test_issue11_rest(void **state)
{
    (void)state;
    canned_step steps[] = {
        {.expect = "POST /v1/orgs/acme/team/dev%40example.com HTTP/1.1",
         .status = 200,
         .body = "{\"ok\":true}"},
        {.expect = "PUT /v1/products/p/config/" DEVICE " HTTP/1.1",
         .status = 202,
         .body = "{\"configuration\":{\"location\":{\"radius\":5}}}"},
        {.expect = "GET /v1/products/p/config HTTP/1.1", .status = 404, .body = "{}"},
        {.expect = "POST /v1/products/p/devices HTTP/1.1", .status = 200, .body = IMPORT("[]")},
    };
    canned_server *srv = canned_server_start(steps, 4);
    run_result r;
    run(&r, srv, "team", "update", "--org", "acme", "dev@example.com", NULL); /* no --role */
    assert_int_equal(r.status, 2);
    run(&r, srv, "team", "update", "--org", "acme", "dev@example.com", "--role", "Support", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 0, "{\"role\":\"Support\"}");
    assert_string_equal(r.out,
                        "dev@example.com is now Support in the team of organization acme.\n");
    run(&r, srv, "product", "config", "set", "p", DEVICE, NULL); /* no --data */
    assert_int_equal(r.status, 2);
    run(&r, srv, "product", "config", "set", "p", DEVICE, "--data", "[1]", NULL);
    assert_int_equal(r.status, 2); /* not an object: nothing sent */
    run(&r, srv, "product", "config", "set", "p", DEVICE, "--data", "{\"location\":{\"radius\":5}}",
        "--ndjson", NULL);
    assert_int_equal(r.status, 0);
    assert_body(srv, 1, "{\"location\":{\"radius\":5}}");
    assert_string_equal(r.out, "{\"location\":{\"radius\":5}}\n");
    run(&r, srv, "product", "config", "get", "p", NULL);
    assert_int_equal(r.status, 1);
    assert_string_equal(r.err, "particlectl: no configuration is set (HTTP 404)\n");
    char list[160];
    snprintf(list, sizeof(list), "%s/ids.txt", scratch);
    FILE *f = fopen(list, "w");
    assert_non_null(f);
    fputs(DEVICE "\n\n", f);
    fclose(f);
    run(&r, srv, "product", "device", "add", "p", DEVICE, "--file", list, NULL); /* both */
    assert_int_equal(r.status, 2);
    run(&r, srv, "product", "device", "add", "p", "--file", list, NULL);
    assert_int_equal(r.status, 0);
    static char request[8192];
    assert_true(canned_server_request(srv, 3, request, sizeof(request)));
    assert_has(request, "Content-Type: multipart/form-data; boundary=");
    assert_has(request, "name=\"file\"; filename=\"ids.txt\"");
    assert_has(request, DEVICE "\n\n");
    unlink(list);
    assert_int_equal(canned_server_request_count(srv), 4);
    assert_script_ok(srv);
    canned_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_product_list_and_get),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_team),
        cmocka_unit_test(test_product_devices),
        cmocka_unit_test(test_issue11_rest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
