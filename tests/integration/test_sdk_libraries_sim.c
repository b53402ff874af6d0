/*
 * libparticle's library calls (libraries.h) against particle-sim in-process on 127.0.0.1
 * port 0 (docs/SIM.md "Libraries"): the listing with filters, sort, scope and pages, the
 * iterator across pages, get with a version, versions, contributing a real .tar.gz archive
 * (built here), publishing, downloading archives (to memory and to a file, compared byte
 * for byte, and over the cap), deleting, and the documented errors as the SDK's codes.
 * Every test gets a fresh simulator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/sim_libraries.h"
#include "particle/particle.h"
#include "sdk_sim_fixture.h"

#define DEMO_TOKEN "0123456789abcdef0123456789abcdef01234567"
#define OTHER_TOKEN "fedcba9876543210fedcba9876543210fedcba98"

/* A .tar.gz of a library named @p name, version @p version, in a new temporary file whose
 * path goes to @p path (unlink it); its bytes into *bytes and *size (free()). */
static void write_archive(const char *name, const char *version, char path[64],
                          unsigned char **bytes, size_t *size)
{
    char props[256];
    snprintf(props, sizeof(props),
             "name=%s\nversion=%s\nauthor=Demo <demo@example.com>\nsentence=Test library\n"
             "architectures=particle-argon, particle-boron\ndependencies.neopixel=1.0.3\n",
             name, version);
    sim_library_file files[] = {{"library.properties", props}, {"src/Thing.h", "#pragma once\n"}};
    assert_int_equal(sim_library_archive_build(files, 2, bytes, size), 0);
    snprintf(path, 64, "/tmp/sdk-library-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, *bytes, *size), (ssize_t)*size);
    close(fd);
}

/* The ids of a listing, comma-joined. */
static void expect_ids(const particle_doc *doc, const char *expected)
{
    char got[512] = "";
    size_t len = 0;
    const particle_value *data = particle_value_get(particle_doc_root(doc), "data");
    for (size_t i = 0; i < particle_value_count(data); i++)
        len += (size_t)snprintf(
            got + len, sizeof(got) - len, "%s%s", i ? "," : "",
            particle_value_string(particle_value_get(particle_value_at(data, i), "id")));
    if (strcmp(got, expected) != 0)
        fail_msg("expected [%s], got [%s]", expected, got);
}

static void test_list_and_iterate(void **state)
{
    sim_fixture *f = *state;
    particle_doc *doc = NULL;
    assert_ok(particle_library_list(&doc, f->c, NULL));
    expect_ids(doc, "Adafruit_DHT,InternetButton,JsonParserGeneratorRK,neopixel,OneWire");
    particle_doc_free(doc);

    particle_library_list_options o;
    assert_ok(particle_library_list_options_init(&o, PARTICLE_LIBRARY_LIST_OPTIONS_VERSION));
    const char *archs[] = {"particle-electron"};
    const char *excluded[] = {"official", "featured"};
    o.architectures = archs;
    o.architecture_count = 1;
    o.exclude_scopes = excluded;
    o.exclude_scope_count = 2;
    o.sort = "-installs";
    assert_ok(particle_library_list(&doc, f->c, &o));
    expect_ids(doc, "Adafruit_DHT,OneWire,JsonParserGeneratorRK");
    particle_doc_free(doc);

    particle_library_list_options q = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    q.filter = "json";
    q.category = "Data Processing";
    q.scope = "verified";
    assert_ok(particle_library_list(&doc, f->c, &q));
    expect_ids(doc, "JsonParserGeneratorRK");
    particle_doc_free(doc);

    /* the iterator walks pages of two: 2 + 2 + 1 */
    particle_library_list_options p = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    p.limit = 2;
    p.sort = "popularity";
    particle_library_iter *it = NULL;
    assert_ok(particle_library_iter_new(&it, f->c, &p));
    const char *expected[] = {"neopixel", "Adafruit_DHT", "OneWire", "InternetButton",
                              "JsonParserGeneratorRK"};
    const particle_library *lib = NULL;
    for (size_t i = 0; i < 5; i++) {
        assert_ok(particle_library_iter_next(&lib, it));
        assert_non_null(lib);
        assert_string_equal(lib->name, expected[i]);
        assert_string_equal(lib->visibility, "public");
    }
    assert_ok(particle_library_iter_next(&lib, it));
    assert_null(lib);
    particle_library_iter_free(it);
    /* without a limit the walk ends at the first empty page */
    assert_ok(particle_library_iter_new(&it, f->c, NULL));
    size_t count = 0;
    while (particle_library_iter_next(&lib, it) == 0 && lib != NULL)
        count++;
    assert_int_equal(count, 5);
    particle_library_iter_free(it);

    /* errors */
    particle_library_list_options bad = PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    bad.scope = "everything";
    assert_int_equal(particle_library_list(&doc, f->c, &bad), PARTICLE_EHTTP);
    assert_int_equal(particle_error_last()->http_status, 400);
    const char *empty[] = {""};
    bad = (particle_library_list_options)PARTICLE_LIBRARY_LIST_OPTIONS_INIT;
    bad.architectures = empty;
    bad.architecture_count = 1;
    assert_int_equal(particle_library_list(&doc, f->c, &bad), PARTICLE_EINVAL);
    bad.version = 99;
    assert_int_equal(particle_library_iter_new(&it, f->c, &bad), PARTICLE_EINVAL);
    assert_null(it);
}

static void test_get_and_versions(void **state)
{
    sim_fixture *f = *state;
    particle_library *lib = NULL;
    assert_ok(particle_library_get(&lib, f->c, "InternetButton", NULL));
    assert_string_equal(lib->version, "0.1.12");
    assert_true(lib->official);
    assert_true(lib->verified);
    assert_false(lib->mine);
    assert_int_equal(lib->architecture_count, 2);
    assert_string_equal(lib->architectures[0], "particle-photon");
    assert_int_equal(lib->dependency_count, 1);
    assert_string_equal(lib->dependencies[0].name, "neopixel");
    assert_string_equal(lib->dependencies[0].version, "1.0.3");
    assert_string_equal(lib->license, "LGPL");
    assert_true(lib->installs > 0);
    particle_library_free(lib);
    assert_ok(particle_library_get(&lib, f->c, "InternetButton", "0.1.10"));
    assert_string_equal(lib->version, "0.1.10");
    particle_library_free(lib);
    assert_int_equal(particle_library_get(&lib, f->c, "InternetButton", "3.0.0"),
                     PARTICLE_ENOTFOUND);
    assert_null(lib);
    assert_int_equal(particle_library_get(&lib, f->c, "no-such-library", NULL), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_library_get(&lib, f->c, "", NULL), PARTICLE_EINVAL);

    particle_doc *doc = NULL;
    assert_ok(particle_library_versions(&doc, f->c, "neopixel", 0, 0));
    const particle_value *data = particle_value_get(particle_doc_root(doc), "data");
    assert_int_equal(particle_value_count(data), 3);
    assert_ok(particle_library_parse(&lib, particle_value_at(data, 2)));
    assert_string_equal(lib->version, "1.0.0");
    particle_library_free(lib);
    particle_doc_free(doc);
    assert_ok(particle_library_versions(&doc, f->c, "neopixel", 2, 2));
    assert_int_equal(particle_value_count(particle_value_get(particle_doc_root(doc), "data")), 1);
    particle_doc_free(doc);
    assert_int_equal(particle_library_versions(&doc, f->c, "nope", 0, 0), PARTICLE_ENOTFOUND);
}

static void test_contribute_publish_download_delete(void **state)
{
    sim_fixture *f = *state;
    char path[64];
    unsigned char *bytes = NULL;
    size_t size = 0;
    write_archive("SdkTestLib", "1.2.3", path, &bytes, &size);

    particle_library *lib = NULL;
    assert_ok(particle_library_contribute(&lib, f->c, path));
    assert_string_equal(lib->name, "SdkTestLib");
    assert_string_equal(lib->version, "1.2.3");
    assert_string_equal(lib->visibility, "private");
    assert_true(lib->mine);
    assert_int_equal(lib->architecture_count, 2);
    assert_string_equal(lib->architectures[1], "particle-boron");

    /* download the contributed archive into memory: the same bytes */
    particle_response *resp = NULL;
    assert_ok(particle_library_download(&resp, f->c, lib, NULL));
    assert_int_equal(particle_response_size(resp), size);
    assert_memory_equal(particle_response_data(resp), bytes, size);
    particle_response_free(resp);
    /* to a file, and over a cap */
    char saved[] = "/tmp/sdk-library-dl-XXXXXX";
    int fd = mkstemp(saved);
    assert_true(fd >= 0);
    close(fd);
    particle_download_options dl = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    dl.save_to = saved;
    assert_ok(particle_library_download(NULL, f->c, lib, &dl));
    FILE *in = fopen(saved, "rb");
    assert_non_null(in);
    unsigned char *back = malloc(size + 1);
    assert_int_equal(fread(back, 1, size + 1, in), size);
    fclose(in);
    assert_memory_equal(back, bytes, size);
    free(back);
    unlink(saved);
    particle_download_options small = PARTICLE_DOWNLOAD_OPTIONS_INIT;
    small.max_bytes = 16;
    assert_int_equal(particle_library_download(&resp, f->c, lib, &small), PARTICLE_EPROTO);
    particle_library_free(lib);

    /* another user sees nothing until it is published; then cannot delete it */
    particle_client *other = client_with(f, OTHER_TOKEN);
    assert_int_equal(particle_library_get(&lib, other, "SdkTestLib", NULL), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_library_contribute(&lib, f->c, path), PARTICLE_EHTTP); /* again */
    assert_int_equal(particle_error_last()->http_status, 400);
    assert_int_equal(particle_library_contribute(&lib, other, path), PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_library_publish(&lib, other, "SdkTestLib"), PARTICLE_ENOTFOUND);
    assert_ok(particle_library_publish(&lib, f->c, "SdkTestLib"));
    assert_string_equal(lib->visibility, "public");
    particle_library_free(lib);
    assert_ok(particle_library_get(&lib, other, "SdkTestLib", NULL));
    assert_false(lib->mine);
    particle_library_free(lib);
    assert_int_equal(particle_library_delete(other, "SdkTestLib", NULL), PARTICLE_EFORBIDDEN);
    assert_int_equal(particle_library_delete(f->c, "SdkTestLib", NULL), PARTICLE_EFORBIDDEN);
    particle_client_free(other);
    unlink(path);
    free(bytes);

    /* a private one is deleted by its owner */
    write_archive("SdkScratch", "0.0.1", path, &bytes, &size);
    assert_ok(particle_library_contribute(NULL, f->c, path));
    assert_ok(particle_library_delete(f->c, "SdkScratch", "unused-key"));
    assert_int_equal(particle_library_get(&lib, f->c, "SdkScratch", NULL), PARTICLE_ENOTFOUND);
    assert_int_equal(particle_library_delete(f->c, "SdkScratch", NULL), PARTICLE_ENOTFOUND);
    unlink(path);
    free(bytes);

    /* bad input */
    assert_int_equal(particle_library_contribute(&lib, f->c, "/nonexistent/archive.tar.gz"),
                     PARTICLE_EINVAL);
    assert_int_equal(particle_library_contribute(&lib, f->c, "/etc/hostname"), PARTICLE_EHTTP);
    particle_library foreign = {.download_url = "https://elsewhere.example/lib.tar.gz"};
    assert_int_equal(particle_library_download(&resp, f->c, &foreign, NULL), PARTICLE_EINVAL);
    assert_int_equal(particle_library_publish(&lib, f->c, NULL), PARTICLE_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_and_iterate, sdk_sim_setup, sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_get_and_versions, sdk_sim_setup, sdk_sim_teardown),
        cmocka_unit_test_setup_teardown(test_contribute_publish_download_delete, sdk_sim_setup,
                                        sdk_sim_teardown),
    };
    if (particle_global_init() != 0)
        return 1;
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    particle_global_cleanup();
    return failed;
}
