/* Logic functions (logic.h; particle-api-js.md §2.8): functions, their runs and logs, and
 * execute, in the sandbox or an organization. */
#include "particle/logic.h"

#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "resource.h"

/* The parts of a logic path below "{ns}/logic"; NULL members end it. */
typedef struct logic_at {
    const char *org;         /* NULL or "" = the sandbox (/v1), else /v1/orgs/<org> */
    const char *leaf;        /* "functions" or "execute" */
    const char *function_id; /* "/<function_id>" */
    bool runs;               /* "/runs" after the function */
    const char *run_id;      /* "/runs/<run_id>" */
    bool logs;               /* "/logs" after the run */
} logic_at;

/* Appends "/<part>" percent-encoded; an empty or NULL part fails naming @p what. */
static int append_part(pu_buf *b, const char *part, const char *what)
{
    if (particle__require(part, what) < 0) {
        return -1;
    }
    pu_buf_append_char(b, '/');
    pu_buf_append_percent_encoded(b, part);
    return 0;
}

/* The percent-encoded path of @p at, or NULL with the error set. */
static char *logic_path(const logic_at *at)
{
    pu_buf b;
    particle__buf_init(&b, PARTICLE__PATH_MAX_BYTES);
    pu_buf_append_str(&b, "/v1");
    int error = 0;
    if (at->org != NULL && at->org[0] != '\0') {
        pu_buf_append_str(&b, "/orgs");
        error = append_part(&b, at->org, "organization");
    }
    pu_buf_append_str(&b, "/logic/");
    pu_buf_append_str(&b, at->leaf);
    bool runs = at->runs || at->run_id != NULL || at->logs;
    if (error == 0 && (at->function_id != NULL || runs)) {
        error = append_part(&b, at->function_id, "logic function id");
    }
    if (error == 0 && runs) {
        pu_buf_append_str(&b, "/runs");
        if (at->run_id != NULL || at->logs) {
            error = append_part(&b, at->run_id, "logic run id");
        }
    }
    if (error == 0 && at->logs) {
        pu_buf_append_str(&b, "/logs");
    }
    if (error == 0 && pu_buf_error(&b) != 0) {
        error = particle__error_set(particle__buf_code(&b), "cannot build the path");
    }
    if (error != 0) {
        pu_buf_dispose(&b);
        return NULL;
    }
    return pu_buf_take(&b, NULL);
}

/* Sends @p method to @p at with @p body (borrowed; NULL = none); a GET checks the answer
 * carries array @p key (NULL = any JSON). The answer into *out (NULL = discarded). */
static int logic_call(particle_doc **out, particle_client *c, const char *method,
                      const logic_at *at, const char *query, json_t *body, const char *key,
                      const char *what)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = logic_path(at);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = method,
                           .path = path,
                           .query = query,
                           .body = body,
                           .key = key,
                           .key_is_array = key != NULL,
                           .what = what};
    int error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

/* @p text parsed as a JSON object into *out, or PARTICLE_EINVAL naming @p what. */
static int parse_object(json_t **out, const char *text, const char *what)
{
    *out = NULL;
    if (text == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "%s is NULL", what);
    }
    json_error_t jerr;
    json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    if (v == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "%s is not JSON: %s", what, jerr.text);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return particle__error_set(PARTICLE_EINVAL, "%s is not a JSON object", what);
    }
    *out = v;
    return 0;
}

/* {"logic_function": <logic_function_json parsed>} into *out. */
static int function_body(json_t **out, const char *logic_function_json)
{
    json_t *fn;
    int error = parse_object(&fn, logic_function_json, "logic function");
    if (error < 0) {
        return error;
    }
    *out = json_object();
    error = particle__json_set(*out, "logic_function", fn); /* takes fn, also on failure */
    if (error < 0) {
        json_decref(*out);
        *out = NULL;
    }
    return error;
}

int particle_logic_function_list(particle_doc **out, particle_client *c, const char *org,
                                 bool today_stats)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    logic_at at = {.org = org, .leaf = "functions"};
    return logic_call(out, c, "GET", &at, today_stats ? "today_stats=true" : NULL, NULL,
                      "logic_functions", "logic function list");
}

int particle_logic_function_get(particle_doc **out, particle_client *c, const char *org,
                                const char *id)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    logic_at at = {.org = org, .leaf = "functions", .function_id = id};
    if (particle__require(id, "logic function id") < 0) {
        return particle_error_last()->code;
    }
    return logic_call(out, c, "GET", &at, NULL, NULL, NULL, "logic function");
}

int particle_logic_function_create(particle_doc **out, particle_client *c, const char *org,
                                   const char *logic_function_json)
{
    if (out != NULL) {
        *out = NULL;
    }
    json_t *body;
    int error = function_body(&body, logic_function_json);
    if (error < 0) {
        return error;
    }
    logic_at at = {.org = org, .leaf = "functions"};
    error = logic_call(out, c, "POST", &at, NULL, body, NULL, "logic function");
    json_decref(body);
    return error;
}

int particle_logic_function_update(particle_doc **out, particle_client *c, const char *org,
                                   const char *id, const char *logic_function_json)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(id, "logic function id");
    json_t *body = NULL;
    if (error == 0) {
        error = function_body(&body, logic_function_json);
    }
    if (error == 0) {
        logic_at at = {.org = org, .leaf = "functions", .function_id = id};
        error = logic_call(out, c, "PUT", &at, NULL, body, NULL, "logic function");
    }
    json_decref(body);
    return error;
}

int particle_logic_function_delete(particle_client *c, const char *org, const char *id)
{
    if (particle__require(id, "logic function id") < 0) {
        return particle_error_last()->code;
    }
    logic_at at = {.org = org, .leaf = "functions", .function_id = id};
    return logic_call(NULL, c, "DELETE", &at, NULL, NULL, NULL, "logic function");
}

int particle_logic_run_list(particle_doc **out, particle_client *c, const char *org,
                            const char *function_id)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    logic_at at = {.org = org, .leaf = "functions", .function_id = function_id, .runs = true};
    return logic_call(out, c, "GET", &at, NULL, NULL, "logic_runs", "logic run list");
}

int particle_logic_run_get(particle_doc **out, particle_client *c, const char *org,
                           const char *function_id, const char *run_id)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    if (particle__require(run_id, "logic run id") < 0) {
        return particle_error_last()->code;
    }
    logic_at at = {.org = org, .leaf = "functions", .function_id = function_id, .run_id = run_id};
    return logic_call(out, c, "GET", &at, NULL, NULL, NULL, "logic run");
}

int particle_logic_run_logs(particle_doc **out, particle_client *c, const char *org,
                            const char *function_id, const char *run_id)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    logic_at at = {.org = org,
                   .leaf = "functions",
                   .function_id = function_id,
                   .run_id = run_id,
                   .logs = true};
    return logic_call(out, c, "GET", &at, NULL, NULL, "logs", "logic run logs");
}

int particle_logic_execute(particle_doc **out, particle_client *c, const char *org,
                           const char *logic_json)
{
    if (out != NULL) {
        *out = NULL;
    }
    json_t *body;
    int error = parse_object(&body, logic_json, "logic execution");
    if (error < 0) {
        return error;
    }
    logic_at at = {.org = org, .leaf = "execute"};
    error = logic_call(out, c, "POST", &at, NULL, body, NULL, "logic execution");
    json_decref(body);
    return error;
}
