/*
 * particle-sim's memory stays flat: revoked tokens leave the model at once (and their
 * --state rows), expired ones are swept, the token indexes stay right when the last token
 * moves into a freed slot, and reset reloads the fleet from the text read at start (not
 * from a kept parsed tree, and not from the file as it is now).
 */
#include <sqlite3.h>
#include <unistd.h>

#include "sim_test.h"

#include "clock.h"
#include "fleet.h"
#include "model/sim_model.h"
#include "model/sim_tokens.h"
#include "pu_file.h"
#include "pu_time.h"

static uint32_t token_count(const sim_test *t)
{
    sim_model *m = sim_server_model(t->srv);
    sim_model_lock(m);
    uint32_t n = m->token_count;
    sim_model_unlock(m);
    return n;
}

/* Password login as the demo user; the access (and refresh) token into the buffers. */
static void login(const sim_test *t, char token[64], char refresh[64])
{
    http_reply r = sim_req(t, "POST", "/oauth/token", NULL, FORM,
                           "username=demo%40example.com&password=demo-password&"
                           "grant_type=password");
    json_t *j = sim_json(&r, 200);
    snprintf(token, 64, "%s", jstr(j, "access_token"));
    if (refresh)
        snprintf(refresh, 64, "%s", jstr(j, "refresh_token"));
    json_decref(j);
    http_reply_dispose(&r);
}

static long status_of(const sim_test *t, const char *method, const char *path, const char *token)
{
    http_reply r = sim_req(t, method, path, token, NULL, NULL);
    long status = r.status;
    http_reply_dispose(&r);
    return status;
}

static void test_login_logout_is_flat(void **state)
{
    (void)state;
    sim_test *t = sim_test_start(NULL);
    uint32_t initial = token_count(t);
    char token[64], refresh[64];
    for (int i = 0; i < 300; i++) {
        login(t, token, NULL);
        assert_int_equal(token_count(t), initial + 1);
        assert_int_equal(status_of(t, "GET", "/v1/access_tokens/current", token), 200);
        assert_int_equal(status_of(t, "DELETE", "/v1/access_tokens/current", token), 200);
        assert_int_equal(status_of(t, "GET", "/v1/user", token), 401);
        /* logging out twice: the token is gone, not found */
        assert_int_equal(status_of(t, "DELETE", "/v1/access_tokens/current", token), 401);
    }
    assert_int_equal(token_count(t), initial);

    /* a refresh replaces its token */
    login(t, token, refresh);
    char body[160];
    snprintf(body, sizeof(body), "grant_type=refresh_token&refresh_token=%s", refresh);
    http_reply r = sim_req(t, "POST", "/oauth/token", NULL, FORM, body);
    json_t *j = sim_json(&r, 200);
    json_decref(j);
    http_reply_dispose(&r);
    assert_int_equal(token_count(t), initial + 1);
    assert_int_equal(status_of(t, "GET", "/v1/user", token), 401);

    /* DELETE /v1/access_tokens drops every token of the user, the fixture's too */
    for (int i = 0; i < 5; i++)
        login(t, token, NULL);
    assert_int_equal(status_of(t, "DELETE", "/v1/access_tokens", token), 200);
    assert_int_equal(status_of(t, "GET", "/v1/user", DEMO_TOKEN), 401);
    assert_int_equal(status_of(t, "GET", "/v1/user", OTHER_TOKEN), 200);
    assert_int_equal(token_count(t), initial - 1);
    sim_test_stop(t);
}

/* Every token in the model (expired ones too) is indexed by its value and refresh value at
 * its own position, and the indexes hold nothing else. */
static void expect_indexes_consistent(const sim_model *m)
{
    size_t refreshes = 0;
    for (uint32_t i = 0; i < m->token_count; i++) {
        const sim_token *t = &m->tokens[i];
        uint32_t at = SIM_NONE;
        assert_true(sim_index_get(&m->token_ix, t->token, &at));
        assert_int_equal(at, i);
        if (t->refresh[0]) {
            assert_int_equal(sim_token_find_refresh(m, t->refresh), i);
            refreshes++;
        }
    }
    assert_int_equal(m->token_ix.count, m->token_count);
    assert_int_equal(m->refresh_ix.count, refreshes);
}

static void hex_token(char out[SIM_TOKEN_LEN + 1], char tag, int n)
{
    snprintf(out, SIM_TOKEN_LEN + 1, "%c%039d", tag, n);
}

static void test_drop_and_sweep_keep_indexes(void **state)
{
    (void)state;
    sim_clock *clock = sim_clock_new(0);
    sim_model *m = sim_model_new(clock, 1);
    sim_model_lock(m);
    uint32_t user = sim_model_add_user(m, "u@example.com", "pw", NULL, SIM_NONE);
    int64_t now = pu_time_now_ms();
    char tok[SIM_TOKEN_LEN + 1], ref[SIM_TOKEN_LEN + 1];
    for (int i = 0; i < 60; i++) {
        hex_token(tok, 'a', i);
        hex_token(ref, 'b', i);
        /* every third token expired a second ago */
        sim_token_add(m, tok, ref, SIM_TOKEN_USER, user, SIM_NONE, "c", now,
                      i % 3 == 0 ? now - 1000 : 0);
    }
    assert_int_equal(m->token_count, 60);
    /* revoke from the middle, the end and the start */
    hex_token(tok, 'a', 31);
    sim_token_revoke(m, sim_token_find(m, tok, NULL));
    assert_int_equal(sim_token_find(m, tok, NULL), SIM_NONE);
    hex_token(ref, 'b', 31);
    assert_int_equal(sim_token_find_refresh(m, ref), SIM_NONE);
    sim_token_revoke(m, m->token_count - 1);
    sim_token_revoke(m, 0);
    assert_int_equal(m->token_count, 57);
    expect_indexes_consistent(m);

    bool expired = false;
    hex_token(tok, 'a', 3);
    assert_int_equal(sim_token_find(m, tok, &expired), SIM_NONE);
    assert_true(expired);
    /* expired: 0, 3, ..., 57 less the revoked 0 (31 and 58 were revoked too): 19 */
    assert_int_equal(sim_token_sweep(m, now), 19);
    assert_int_equal(m->token_count, 38);
    expect_indexes_consistent(m);
    hex_token(tok, 'a', 3);
    assert_int_equal(sim_token_find(m, tok, &expired), SIM_NONE);
    assert_false(expired); /* gone, not just expired */

    /* creating tokens sweeps expired ones on its own */
    for (int i = 0; i < 40; i++) {
        hex_token(tok, 'e', i);
        sim_token_add(m, tok, NULL, SIM_TOKEN_USER, user, SIM_NONE, "c", now, now - 1);
    }
    uint32_t created = sim_token_create(m, SIM_TOKEN_USER, user, SIM_NONE, "c", 3600);
    assert_int_equal(m->token_count, 39);
    assert_int_equal(sim_token_find(m, m->tokens[created].token, NULL), created);
    expect_indexes_consistent(m);
    sim_model_unlock(m);
    sim_model_free(m);
    sim_clock_free(clock);
}

static int count_rows(sqlite3 *db, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void test_state_file_forgets_dropped_tokens(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-mem-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/state.db", dir);
    sim_server_options o;
    sim_server_options_init(&o);
    o.state_path = path;
    sim_test *t = sim_test_start(&o);
    char kept[64], gone[64];
    login(t, kept, NULL);
    login(t, gone, NULL);
    assert_int_equal(status_of(t, "DELETE", "/v1/access_tokens/current", gone), 200);
    assert_int_equal(status_of(t, "DELETE", "/v1/access_tokens/current", OTHER_TOKEN), 200);
    sim_test_stop(t);

    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM tokens WHERE token = ?1", kept), 1);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM tokens WHERE token = ?1", gone), 0);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM revoked WHERE token = ?1", gone), 0);
    /* the fixture token has no row of its own: its revocation is what is stored */
    assert_int_equal(count_rows(db, "SELECT count(*) FROM revoked WHERE token = ?1", OTHER_TOKEN),
                     1);
    /* an expired token in the file is dropped at the next start */
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO tokens VALUES ('dddddddddddddddddddddddddddddddddd"
                                  "dddddd', NULL, 0, 'demo@example.com', NULL, 'particle', 1, 2)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);

    t = sim_test_start(&o);
    assert_int_equal(status_of(t, "GET", "/v1/user", kept), 200);
    assert_int_equal(status_of(t, "GET", "/v1/user", gone), 401);
    assert_int_equal(status_of(t, "GET", "/v1/user", OTHER_TOKEN), 401);
    assert_int_equal(status_of(t, "GET", "/v1/user", "dddddddddddddddddddddddddddddddddddddddd"),
                     401);
    sim_test_stop(t);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(count_rows(db, "SELECT count(*) FROM tokens WHERE expires_ms = 2", NULL), 0);
    sqlite3_close(db);
    unlink(path);
    rmdir(dir);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_reset_reloads_the_fleet_read_at_start(void **state)
{
    (void)state;
    char dir[] = "/tmp/sim-fleet-XXXXXX", path[128], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/fleet.json", dir);
    char src[512];
    snprintf(src, sizeof(src), "%s/fleets/small.json", PARTICLE_TEST_DATA_DIR);
    size_t len;
    char *text = NULL;
    assert_int_equal(pu_file_read(src, PU_FILE_NO_LIMIT, &text, &len, err, sizeof(err)), 0);
    assert_int_equal(strlen(text), len);
    write_file(path, text);
    free(text);

    sim_server_options o;
    sim_server_options_init(&o);
    o.fleet_path = path;
    sim_test *t = sim_test_start(&o);
    const char *token_a = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    http_reply r = sim_req(t, "PUT", "/v1/devices/a-one", token_a, JSON_CT, "{\"name\":\"moved\"}");
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    assert_int_equal(status_of(t, "GET", "/v1/devices/a-one", token_a), 403);
    /* the file changes (here: breaks) after the start; reset restores the fleet as loaded */
    write_file(path, "{ not a fleet");
    r = sim_req(t, "POST", "/sim/reset", token_a, NULL, NULL);
    assert_int_equal(r.status, 200);
    http_reply_dispose(&r);
    assert_int_equal(status_of(t, "GET", "/v1/devices/a-one", token_a), 200);
    assert_int_equal(status_of(t, "GET", "/v1/devices/moved", token_a), 403);
    sim_test_stop(t);

    /* a file that cannot be read or parsed is reported with its name */
    sim_server *srv = NULL;
    assert_int_equal(sim_server_new(&srv, &o, err, sizeof(err)), -1);
    assert_non_null(strstr(err, path));
    unlink(path);
    assert_int_equal(sim_server_new(&srv, &o, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot open"));
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_logout_is_flat),
        cmocka_unit_test(test_drop_and_sweep_keep_indexes),
        cmocka_unit_test(test_state_file_forgets_dropped_tokens),
        cmocka_unit_test(test_reset_reloads_the_fleet_read_at_start),
    };
    return cmocka_run_group_tests(tests, sim_test_global_setup, sim_test_global_teardown);
}
