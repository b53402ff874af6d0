/* The OpenAPI 3.1 document of the bridge API (openapi.h). */
#include "api/openapi.h"

#include <stdio.h>
#include <string.h>

#include "api/catalog.h"
#include "api/formats.h"
#include "store/store.h"

/* The largest epoch milliseconds a time parameter takes (9999-12-31T23:59:59.999Z). */
#define MAX_EPOCH_MS 253402300799999

void bridge_openapi_path(const char *pattern, char *out, size_t size)
{
    size_t o = 0;
    for (const char *p = pattern; *p != '\0' && o + 2 < size;) {
        if (*p == ':' && (p == pattern || p[-1] == '/')) {
            size_t n = strcspn(p + 1, "/");
            if (o + n + 3 > size) {
                break;
            }
            out[o++] = '{';
            memcpy(out + o, p + 1, n);
            o += n;
            out[o++] = '}';
            p += n + 1;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

static json_t *param_schema(const bridge_param_spec *spec)
{
    json_t *choices;
    switch (spec->type) {
    case BRIDGE_PARAM_INT:
        return json_pack("{s:s, s:I, s:I}", "type", "integer", "minimum", (json_int_t)spec->min,
                         "maximum", (json_int_t)spec->max);
    case BRIDGE_PARAM_BOOL:
        return json_pack("{s:s}", "type", "boolean");
    case BRIDGE_PARAM_TIME:
        return json_pack("{s:[{s:s, s:s}, {s:s, s:i, s:I}]}", "oneOf", "type", "string", "format",
                         "date-time", "type", "integer", "minimum", 0, "maximum",
                         (json_int_t)MAX_EPOCH_MS);
    case BRIDGE_PARAM_ENUM:
        choices = json_array();
        for (size_t i = 0; spec->choices[i] != NULL; i++) {
            json_array_append_new(choices, json_string(spec->choices[i]));
        }
        return json_pack("{s:s, s:o}", "type", "string", "enum", choices);
    case BRIDGE_PARAM_STRING:
        return json_pack("{s:s, s:i, s:I}", "type", "string", "minLength", 1, "maxLength",
                         (json_int_t)spec->max);
    case BRIDGE_PARAM_ID:
    case BRIDGE_PARAM_CURSOR:
        return json_pack("{s:s, s:s, s:i, s:I}", "type", "string", "pattern", "^[A-Za-z0-9_-]+$",
                         "minLength", 1, "maxLength", (json_int_t)spec->max);
    }
    return json_object();
}

static json_t *parameters(const bridge_route_doc *doc, const char *path)
{
    json_t *list = json_array();
    for (const char *p = strchr(path, '{'); p != NULL; p = strchr(p + 1, '{')) {
        size_t n = strcspn(p + 1, "}");
        json_array_append_new(list, json_pack("{s:s%, s:s, s:b, s:{s:s, s:i}}", "name", p + 1, n,
                                              "in", "path", "required", 1, "schema", "type",
                                              "string", "minLength", 1));
    }
    for (size_t i = 0; i < doc->param_count; i++) {
        const bridge_param_spec *spec = &doc->params[i];
        json_array_append_new(list, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", spec->name, "in",
                                              "query", "required", 0, "description", spec->doc,
                                              "schema", param_schema(spec)));
    }
    return list;
}

static json_t *ref(const char *what)
{
    char target[96];
    snprintf(target, sizeof target, "#/components/%s", what);
    return json_pack("{s:s}", "$ref", target);
}

static json_t *error_response(const char *description, const char *schema)
{
    return json_pack("{s:s, s:{s:{s:o}}}", "description", description, "content",
                     "application/json", "schema", ref(schema));
}

/* The session routes' 200: the CSRF token for X-CSRF-Token, and the pb_session cookie. */
static json_t *session_answer(const char *description)
{
    return json_pack(
        "{s:s, s:{s:{s:s, s:{s:s}}}, s:{s:{s:{s:s, s:[s, s, s], s:{s:{s:s, s:s}, s:{s:s},"
        " s:{s:s, s:s}}}}}}",
        "description", description, "headers", "Set-Cookie", "description",
        "pb_session=<64 hex>; Path=/; HttpOnly; SameSite=Strict; Max-Age=<idle seconds>", "schema",
        "type", "string", "content", "application/json", "schema", "type", "object", "required",
        "csrf_token", "read_only", "expires_at", "properties", "csrf_token", "type", "string",
        "pattern", "^[0-9a-f]{64}$", "read_only", "type", "boolean", "expires_at", "type", "string",
        "format", "date-time");
}

/* The 200 answer's content: one entry per format. */
static json_t *content(const bridge_route_doc *doc, bridge_route_id id)
{
    json_t *c = json_object();
    if (id == BRIDGE_ROUTE_METRICS) {
        json_object_set_new(c, "text/plain", json_pack("{s:{s:s}}", "schema", "type", "string"));
        return c;
    }
    if (id == BRIDGE_ROUTE_STREAM) { /* server-sent events: id, event and data lines */
        json_object_set_new(c, "text/event-stream",
                            json_pack("{s:{s:s}}", "schema", "type", "string"));
        return c;
    }
    unsigned int formats = doc->formats != 0 ? doc->formats : BRIDGE_FORMAT_JSON;
    if (formats & BRIDGE_FORMAT_JSON) {
        json_t *schema;
        if (doc->paged) {
            schema = json_pack("{s:s, s:s, s:[s, s], s:{s:{s:s, s:{s:s}}, s:{s:[s, s], s:s}}}",
                               "title", doc->item_title, "type", "object", "required", "items",
                               "next", "properties", "items", "type", "array", "items", "type",
                               "object", "next", "type", "string", "null", "description",
                               "the next page's URL; null on the last page");
        } else {
            schema = json_object();
        }
        json_object_set_new(c, "application/json", json_pack("{s:o}", "schema", schema));
    }
    if (formats & BRIDGE_FORMAT_XML) {
        json_object_set_new(c, "application/xml",
                            json_pack("{s:{s:s}}", "schema", "type", "string"));
    }
    if (formats & BRIDGE_FORMAT_SENML) {
        json_object_set_new(c, "application/senml+json",
                            json_pack("{s:{s:s}}", "schema", "type", "array"));
    }
    if (formats & BRIDGE_FORMAT_SENML_CBOR) {
        json_object_set_new(
            c, "application/senml+cbor",
            json_pack("{s:{s:s, s:s}}", "schema", "type", "string", "format", "binary"));
    }
    if (formats & BRIDGE_FORMAT_CSV) {
        json_object_set_new(c, "text/csv", json_pack("{s:{s:s}}", "schema", "type", "string"));
    }
    return c;
}

/* The dashboard's sign-in and files (api/routes/session.c, dashboard.c): who may call them
 * and what they answer, where it differs from the API's routes. */
static void dashboard_operation(json_t *op, json_t *responses, bridge_route_id id)
{
    switch (id) {
    case BRIDGE_ROUTE_SESSION_OPEN:
        json_object_set_new(op, "security", json_array());
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s, s:[s], s:{s:{s:s}}}}}}", "required", 1,
                                      "content", "application/json", "schema", "type", "object",
                                      "required", "key", "properties", "key", "type", "string"));
        json_object_set_new(responses, "200", session_answer("a new session"));
        json_object_set_new(responses, "413", ref("responses/TooLarge"));
        json_object_del(responses, "403"); /* no session yet: no CSRF token to miss */
        return;
    case BRIDGE_ROUTE_SESSION_GET:
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "cookieAuth"));
        json_object_set_new(responses, "200", session_answer("the live session"));
        return;
    case BRIDGE_ROUTE_SESSION_CLOSE:
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "cookieAuth"));
        json_object_del(responses, "200");
        json_object_del(responses, "401"); /* without a live session it is already signed out */
        json_object_set_new(responses, "204", json_pack("{s:s}", "description", "signed out"));
        return;
    case BRIDGE_ROUTE_DASHBOARD_INDEX:
    case BRIDGE_ROUTE_DASHBOARD_CHARTJS:
    case BRIDGE_ROUTE_DASHBOARD_FILE:
    case BRIDGE_ROUTE_DASHBOARD_SUBFILE:
        json_object_set_new(op, "security", json_array());
        json_object_del(responses, "401");
        json_object_set_new(responses, "200",
                            json_pack("{s:s, s:{s:{s:{s:s}}}}", "description",
                                      "the file (HTML, CSS, JavaScript, SVG, PNG, ICO or JSON)",
                                      "content", "*/*", "schema", "type", "string"));
        json_object_set_new(responses, "404",
                            json_pack("{s:s}", "description",
                                      "no such file, a name not served, or [api] dashboard off"));
        return;
    default:
        return;
    }
}

static json_t *operation(const bridge_route_doc *doc, bridge_route_id id, const char *path)
{
    char op_id[160];
    size_t o = 0;
    for (const char *p = doc->method; *p != '\0' && o + 1 < sizeof op_id; p++) {
        op_id[o++] = (char)(*p - 'A' + 'a');
    }
    for (const char *p = path; *p != '\0' && o + 1 < sizeof op_id; p++) {
        char ch = *p;
        bool word =
            (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        op_id[o++] = word ? ch : '_';
    }
    op_id[o] = '\0';
    json_t *ok = json_pack("{s:s, s:o}", "description", "success", "content", content(doc, id));
    if (doc->paged) {
        json_object_set_new(ok, "headers",
                            json_pack("{s:{s:s, s:{s:s}}}", "Link", "description",
                                      "<next page URL>; rel=\"next\" when there is a next page",
                                      "schema", "type", "string"));
    }
    json_t *responses =
        json_pack("{s:o, s:o, s:o}", "200", ok, "401", ref("responses/Unauthorized"), "500",
                  ref("responses/ServerError"));
    if (doc->strict_query) {
        json_object_set_new(responses, "400", ref("responses/BadParameter"));
    }
    if (strchr(path, '{') != NULL) {
        json_object_set_new(responses, "404", ref("responses/NotFound"));
    }
    if (doc->formats != 0) {
        json_object_set_new(responses, "406", ref("responses/NotAcceptable"));
    }
    if (id == BRIDGE_ROUTE_READYZ || id == BRIDGE_ROUTE_HEALTHZ) {
        json_object_set_new(responses, "503",
                            json_pack("{s:s}", "description", "not ready; the body says why"));
    }
    if (id == BRIDGE_ROUTE_STREAM || id == BRIDGE_ROUTE_BREAKER_RESET) {
        json_object_set_new(responses, "503",
                            json_pack("{s:s}", "description",
                                      id == BRIDGE_ROUTE_STREAM
                                          ? "too many streams, or the bridge is stopping"
                                          : "the store refuses writes now (Retry-After)"));
    }
    json_t *op = json_pack("{s:s, s:s, s:o, s:o}", "operationId", op_id, "summary", doc->summary,
                           "parameters", parameters(doc, path), "responses", responses);
    if (id == BRIDGE_ROUTE_WEBHOOK) {
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "webhookSecret"));
    }
    if (id == BRIDGE_ROUTE_DEVICE_PUT) {
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                                      "application/json", "schema", "type", "object"));
    }
    if (strcmp(doc->method, "GET") != 0 && id != BRIDGE_ROUTE_WEBHOOK) {
        json_object_set_new(responses, "403", ref("responses/Forbidden"));
    }
    dashboard_operation(op, responses, id);
    return op;
}

json_t *bridge_openapi_document(void)
{
    json_t *paths = json_object();
    for (int i = 0; i < BRIDGE_ROUTE_COUNT; i++) {
        const bridge_route_doc *doc = bridge_route_doc_get((bridge_route_id)i);
        char path[256], method[16];
        bridge_openapi_path(doc->path, path, sizeof path);
        snprintf(method, sizeof method, "%s", doc->method);
        for (char *m = method; *m != '\0'; m++) {
            *m = (char)(*m - 'A' + 'a');
        }
        json_t *item = json_object_get(paths, path);
        if (item == NULL) {
            item = json_object();
            json_object_set_new(paths, path, item);
        }
        json_object_set_new(item, method, operation(doc, (bridge_route_id)i, path));
    }
    json_t *schemas = json_pack(
        "{s:{s:s, s:[s, s], s:{s:{s:s, s:[b]}, s:{s:s}}},"
        " s:{s:s, s:[s, s, s], s:{s:{s:s, s:[s]}, s:{s:s}, s:{s:s}}}}",
        "Error", "type", "object", "required", "ok", "error", "properties", "ok", "type", "boolean",
        "enum", 0, "error", "type", "string", "BadParameter", "type", "object", "required", "error",
        "parameter", "message", "properties", "error", "type", "string", "enum", "bad_parameter",
        "parameter", "type", "string", "message", "type", "string");
    json_t *responses = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "BadParameter",
        error_response("a query parameter is unknown, repeated or malformed",
                       "schemas/BadParameter"),
        "Unauthorized", error_response("missing or wrong API key", "schemas/Error"), "NotFound",
        error_response("no such device or report", "schemas/Error"), "NotAcceptable",
        error_response("the route has none of the requested formats", "schemas/Error"),
        "ServerError", error_response("the store failed", "schemas/Error"), "Forbidden",
        error_response("a read-only key or session (error read_only), or a session's change "
                       "without its X-CSRF-Token (error csrf)",
                       "schemas/Error"),
        "TooLarge", error_response("the body is too large", "schemas/Error"));
    return json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:[{s:[]}, {s:[]}], s:o,"
        " s:{s:o, s:o, s:{s:{s:s, s:s}, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}}}}",
        "openapi", "3.1.0", "info", "title", "particle-bridge API", "version", "1", "description",
        "The bridge's REST API (docs/BRIDGE.md). Lists page with limit and an opaque cursor.",
        "security", "apiKey", "cookieAuth", "paths", paths, "components", "schemas", schemas,
        "responses", responses, "securitySchemes", "apiKey", "type", "http", "scheme", "bearer",
        "webhookSecret", "type", "apiKey", "in", "header", "name", "X-Webhook-Secret", "cookieAuth",
        "type", "apiKey", "in", "cookie", "name", "pb_session", "description",
        "the dashboard's session (POST /api/v1/session); changes also need X-CSRF-Token");
}
