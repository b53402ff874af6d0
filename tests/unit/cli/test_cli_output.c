/* The output model: table alignment, plain and single-record layouts, JSON, NDJSON, CSV
 * quoting, and how nested values show in cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output.h"

/* Renders @p out into a malloc'd string. */
static char *render(const cli_output *out, cli_format format, bool color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(cli_output_render(out, format, color, fp), 0);
    fclose(fp);
    return buf;
}

static cli_output *two_devices(void)
{
    static const char *const fields[] = {"id", "name", "online", "temp"};
    cli_output *out = cli_output_new(fields, 4);
    assert_non_null(out);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "e00fce68"), 0);
    assert_int_equal(cli_output_set_str(out, 1, "weather_station"), 0);
    assert_int_equal(cli_output_set_bool(out, 2, true), 0);
    assert_int_equal(cli_output_set_real(out, 3, 22.5), 0);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "abc"), 0);
    assert_int_equal(cli_output_set_str(out, 1, "lamp"), 0);
    assert_int_equal(cli_output_set_bool(out, 2, false), 0);
    /* temp stays null */
    return out;
}

static void test_table_aligned_without_tabs(void **state)
{
    (void)state;
    cli_output *out = two_devices();
    char *text = render(out, CLI_FORMAT_TABLE, false);
    assert_string_equal(text, "ID        NAME             ONLINE  TEMP\n"
                              "e00fce68  weather_station  true    22.5\n"
                              "abc       lamp             false   -\n");
    assert_null(strchr(text, '\t'));
    free(text);
    cli_output_free(out);
}

static void test_table_color_only_header(void **state)
{
    (void)state;
    cli_output *out = two_devices();
    char *text = render(out, CLI_FORMAT_TABLE, true);
    assert_memory_equal(text, "\033[1mID", 6);
    assert_non_null(strstr(text, "TEMP\033[0m\n"));
    free(text);
    cli_output_free(out);
}

static void test_json_array_typed_in_field_order(void **state)
{
    (void)state;
    cli_output *out = two_devices();
    char *text = render(out, CLI_FORMAT_JSON, false);
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    assert_non_null(v);
    assert_true(json_is_array(v));
    assert_int_equal(json_array_size(v), 2);
    json_t *first = json_array_get(v, 0);
    assert_true(json_is_true(json_object_get(first, "online")));
    assert_true(json_is_real(json_object_get(first, "temp")));
    assert_true(json_is_null(json_object_get(json_array_get(v, 1), "temp")));
    /* keys in the declared order */
    assert_true(strstr(text, "\"id\"") < strstr(text, "\"name\""));
    assert_true(strstr(text, "\"online\"") < strstr(text, "\"temp\""));
    json_decref(v);
    free(text);
    cli_output_free(out);
}

static void test_ndjson_one_object_per_line(void **state)
{
    (void)state;
    cli_output *out = two_devices();
    char *text = render(out, CLI_FORMAT_NDJSON, false);
    assert_string_equal(text,
                        "{\"id\":\"e00fce68\",\"name\":\"weather_station\",\"online\":true,"
                        "\"temp\":22.5}\n"
                        "{\"id\":\"abc\",\"name\":\"lamp\",\"online\":false,\"temp\":null}\n");
    free(text);
    cli_output_free(out);
}

static void test_csv_rfc4180_quoting(void **state)
{
    (void)state;
    static const char *const fields[] = {"name", "data"};
    cli_output *out = cli_output_new(fields, 2);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "plain"), 0);
    assert_int_equal(cli_output_set_str(out, 1, "a,b \"quoted\"\nnext"), 0);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "empty"), 0);
    char *text = render(out, CLI_FORMAT_CSV, false);
    assert_string_equal(text, "name,data\n"
                              "plain,\"a,b \"\"quoted\"\"\nnext\"\n"
                              "empty,\n");
    free(text);
    cli_output_free(out);
}

static void test_single_record_json_object_and_vertical_table(void **state)
{
    (void)state;
    static const char *const fields[] = {"id", "serial_number"};
    cli_output *out = cli_output_new(fields, 2);
    cli_output_set_single(out, true);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "e00fce68"), 0);
    assert_int_equal(cli_output_set_str(out, 1, "P0123"), 0);
    char *json = render(out, CLI_FORMAT_JSON, false);
    assert_string_equal(json, "{\n  \"id\": \"e00fce68\",\n  \"serial_number\": \"P0123\"\n}\n");
    char *table = render(out, CLI_FORMAT_TABLE, false);
    assert_string_equal(table, "id:            e00fce68\nserial_number: P0123\n");
    free(json);
    free(table);
    cli_output_free(out);
}

static void test_plain_field_prints_bare_value(void **state)
{
    (void)state;
    static const char *const fields[] = {"name", "result"};
    cli_output *out = cli_output_new(fields, 2);
    cli_output_set_single(out, true);
    cli_output_set_plain(out, 1);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "temp"), 0);
    assert_int_equal(cli_output_set_real(out, 1, 22.5), 0);
    char *table = render(out, CLI_FORMAT_TABLE, false);
    assert_string_equal(table, "22.5\n");
    char *json = render(out, CLI_FORMAT_NDJSON, false);
    assert_string_equal(json, "{\"name\":\"temp\",\"result\":22.5}\n");
    free(table);
    free(json);
    cli_output_free(out);
}

static void test_empty_list(void **state)
{
    (void)state;
    static const char *const fields[] = {"id"};
    cli_output *out = cli_output_new(fields, 1);
    char *table = render(out, CLI_FORMAT_TABLE, false);
    assert_string_equal(table, "ID\n");
    free(table);
    assert_int_equal(cli_output_set_empty_text(out, "No devices found."), 0);
    table = render(out, CLI_FORMAT_TABLE, false);
    assert_string_equal(table, "No devices found.\n");
    char *json = render(out, CLI_FORMAT_JSON, false);
    assert_string_equal(json, "[]\n");
    char *csv = render(out, CLI_FORMAT_CSV, false);
    assert_string_equal(csv, "id\n");
    free(table);
    free(json);
    free(csv);
    cli_output_free(out);
}

static void test_nested_cells(void **state)
{
    (void)state;
    json_t *arr = json_pack("[ss]", "led", "reset");
    json_t *obj = json_pack("{sssi}", "temp", "double", "count", 3);
    json_t *deep = json_pack("[{si}]", "a", 1);
    char *a = cli_output_cell_text(arr);
    char *o = cli_output_cell_text(obj);
    char *d = cli_output_cell_text(deep);
    assert_string_equal(a, "led,reset");
    assert_string_equal(o, "temp=double,count=3");
    assert_string_equal(d, "[{\"a\":1}]");
    free(a);
    free(o);
    free(d);
    json_decref(arr);
    json_decref(obj);
    json_decref(deep);
}

static void test_table_escapes_control_characters(void **state)
{
    (void)state;
    static const char *const fields[] = {"data", "x"};
    cli_output *out = cli_output_new(fields, 2);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_str(out, 0, "a\tb\nc\x01"), 0);
    assert_int_equal(cli_output_set_int(out, 1, 7), 0);
    char *table = render(out, CLI_FORMAT_TABLE, false);
    assert_string_equal(table, "DATA         X\n"
                               "a\\tb\\nc\\x01  7\n");
    free(table);
    cli_output_free(out);
}

static void test_setters_reject_bad_use(void **state)
{
    (void)state;
    static const char *const fields[] = {"a"};
    cli_output *out = cli_output_new(fields, 1);
    assert_int_equal(cli_output_set_str(out, 0, "no row yet"), -1);
    assert_int_equal(cli_output_add_row(out), 0);
    assert_int_equal(cli_output_set_int(out, 1, 1), -1);
    assert_int_equal(cli_output_rows(out), 1);
    cli_output_clear_rows(out);
    assert_int_equal(cli_output_rows(out), 0);
    cli_output_free(out);
    cli_output_free(NULL);
}

static void test_render_row_for_streams(void **state)
{
    (void)state;
    cli_output *out = two_devices();
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_int_equal(cli_output_render_header(out, CLI_FORMAT_CSV, fp), 0);
    assert_int_equal(cli_output_render_row(out, 1, CLI_FORMAT_CSV, fp), 0);
    assert_int_equal(cli_output_render_row(out, 0, CLI_FORMAT_TABLE, fp), 0);
    assert_int_equal(cli_output_render_row(out, 1, CLI_FORMAT_JSON, fp), 0);
    assert_int_equal(cli_output_render_row(out, 2, CLI_FORMAT_JSON, fp), -1);
    fclose(fp);
    assert_string_equal(buf, "id,name,online,temp\n"
                             "abc,lamp,false,\n"
                             "e00fce68  weather_station  true  22.5\n"
                             "{\"id\":\"abc\",\"name\":\"lamp\",\"online\":false,\"temp\":null}\n");
    free(buf);
    cli_output_free(out);
}

/* cli_output_set_all: json/ndjson carry every member after the declared fields, csv has the
 * union of members as columns, the table only the declared fields. */
static void test_whole_objects_in_machine_formats(void **state)
{
    (void)state;
    cli_output *out = two_devices();
    /* the second record first gets its object: columns follow the order of first sight */
    json_t *lamp = json_pack("{s:s, s:i, s:s}", "name", "ignored", "product_id", 7, "notes", "x,y");
    json_t *lamp_copy = json_deep_copy(lamp);
    json_t *station = json_pack("{s:b, s:i}", "cellular", 1, "product_id", 3);
    assert_int_equal(cli_output_set_all(out, lamp), 0);
    char *ndjson = render(out, CLI_FORMAT_NDJSON, false);
    assert_string_equal(ndjson, "{\"id\":\"e00fce68\",\"name\":\"weather_station\",\"online\":"
                                "true,\"temp\":22.5}\n{\"id\":\"abc\",\"name\":\"lamp\",\"online\":"
                                "false,\"temp\":null,\"product_id\":7,\"notes\":\"x,y\"}\n");
    free(ndjson);
    cli_output_free(out);

    out = two_devices();
    assert_int_equal(cli_output_set_all(out, lamp_copy), 0);
    char *csv = render(out, CLI_FORMAT_CSV, false);
    assert_string_equal(csv, "id,name,online,temp,product_id,notes\n"
                             "e00fce68,weather_station,true,22.5,,\n"
                             "abc,lamp,false,,7,\"x,y\"\n");
    free(csv);
    char *table = render(out, CLI_FORMAT_TABLE, false);
    assert_null(strstr(table, "PRODUCT_ID"));
    free(table);
    /* not an object: ignored; no record: refused */
    assert_int_equal(cli_output_set_all(out, json_integer(1)), 0);
    cli_output_free(out);
    out = cli_output_new((const char *const[]){"a"}, 1);
    assert_int_equal(cli_output_set_all(out, station), -1);
    cli_output_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_aligned_without_tabs),
        cmocka_unit_test(test_table_color_only_header),
        cmocka_unit_test(test_json_array_typed_in_field_order),
        cmocka_unit_test(test_ndjson_one_object_per_line),
        cmocka_unit_test(test_csv_rfc4180_quoting),
        cmocka_unit_test(test_single_record_json_object_and_vertical_table),
        cmocka_unit_test(test_plain_field_prints_bare_value),
        cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_nested_cells),
        cmocka_unit_test(test_table_escapes_control_characters),
        cmocka_unit_test(test_setters_reject_bad_use),
        cmocka_unit_test(test_render_row_for_streams),
        cmocka_unit_test(test_whole_objects_in_machine_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
