/* The sample libraries particle-sim serves (docs/SIM.md "Libraries"): five public libraries
 * modelled on well-known ones of the Particle library registry, two or three versions each.
 * Each version's archive is a real .tar.gz built here at start (library.properties, a
 * header, a source file and a README), so a download unpacks like a registry one. The
 * attributes (installs, flags) are made up for the simulator, not copied from the registry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/sim_libraries.h"

typedef struct fixture_library {
    const char *name, *author, *sentence, *paragraph, *url, *repository, *license, *category;
    const char *architectures; /* library.properties form */
    const char *dependency;    /* "name=version" or NULL */
    bool official, verified, featured;
    long installs;
    const char *versions[4]; /* oldest first, NULL-ended */
} fixture_library;

static const fixture_library FIXTURE[] = {
    {"InternetButton",
     "Particle <support@particle.io>",
     "Functions to make the Internet Button easy to use!",
     "Drives the LED ring, the buttons and the accelerometer of the Internet Button.",
     "https://github.com/particle-iot/internetbutton",
     "particle-iot/internetbutton",
     "LGPL",
     "Other",
     "particle-photon,particle-argon",
     "neopixel=1.0.3",
     true,
     true,
     true,
     41250,
     {"0.1.10", "0.1.11", "0.1.12", NULL}},
    {"neopixel",
     "Adafruit, Technobly",
     "An Implementation of Adafruit's NeoPixel Library",
     "Drives WS2812, WS2812B and SK6812 addressable LEDs.",
     "https://github.com/technobly/Particle-NeoPixel",
     "technobly/Particle-NeoPixel",
     "GPL-3.0",
     "Display",
     "*",
     NULL,
     false,
     true,
     true,
     98123,
     {"1.0.0", "1.0.3", "1.0.4", NULL}},
    {"Adafruit_DHT",
     "Adafruit",
     "Sensor library for DHT11, DHT22 and AM2302",
     "Reads temperature and humidity from the DHT family of sensors.",
     "https://github.com/adafruit/DHT-sensor-library",
     "adafruit/DHT-sensor-library",
     "MIT",
     "Sensors",
     "*",
     NULL,
     false,
     true,
     false,
     75002,
     {"0.0.2", "0.0.4", NULL}},
    {"OneWire",
     "Hotaman",
     "OneWire library for Particle devices",
     "Talks to 1-Wire devices such as the DS18B20 temperature sensor.",
     "https://github.com/Hotaman/OneWireSpark",
     "Hotaman/OneWireSpark",
     "MIT",
     "Communication",
     "particle-photon,particle-electron,particle-argon,particle-boron",
     NULL,
     false,
     false,
     false,
     51877,
     {"2.0.1", "2.0.3", NULL}},
    {"JsonParserGeneratorRK",
     "rickkas7 <rickkas7@rickkas7.com>",
     "JSON parser and generator for Particle devices",
     "A small JSON parser and generator that needs no dynamic allocation.",
     "https://github.com/rickkas7/JsonParserGeneratorRK",
     "rickkas7/JsonParserGeneratorRK",
     "MIT",
     "Data Processing",
     "*",
     NULL,
     false,
     true,
     false,
     22340,
     {"0.1.0", "0.1.4", NULL}},
};

/* The archive of one version: library.properties, src/<name>.h, src/<name>.cpp, README.md. */
static int build_archive(const fixture_library *f, const char *version, const char *properties,
                         json_t *v)
{
    char header[512], source[512], readme[768], header_path[128], source_path[128];
    snprintf(header_path, sizeof(header_path), "src/%s.h", f->name);
    snprintf(source_path, sizeof(source_path), "src/%s.cpp", f->name);
    snprintf(
        header, sizeof(header),
        "#pragma once\n/* %s %s (particle-sim sample library) */\n#define LIBRARY_VERSION \"%s\"\n",
        f->name, version, version);
    snprintf(source, sizeof(source), "#include \"%s.h\"\n/* %s */\n", f->name, f->sentence);
    snprintf(readme, sizeof(readme), "# %s\n\n%s\n\n%s\n", f->name, f->sentence, f->paragraph);
    sim_library_file files[] = {{"library.properties", properties},
                                {header_path, header},
                                {source_path, source},
                                {"README.md", readme}};
    unsigned char *data = NULL;
    size_t size = 0;
    if (sim_library_archive_build(files, sizeof(files) / sizeof(files[0]), &data, &size) < 0)
        return -1;
    char *hex = malloc(size * 2 + 1);
    if (!hex)
        abort();
    for (size_t i = 0; i < size; i++)
        snprintf(hex + 2 * i, 3, "%02x", data[i]);
    json_object_set_new(v, "archive", json_stringn(hex, size * 2));
    free(hex);
    free(data);
    return 0;
}

static int load_version(const fixture_library *f, size_t index, json_t *versions)
{
    const char *version = f->versions[index];
    char properties[2048];
    snprintf(properties, sizeof(properties),
             "name=%s\nversion=%s\nauthor=%s\nsentence=%s\nparagraph=%s\nurl=%s\n"
             "repository=%s\nlicense=%s\ncategory=%s\narchitectures=%s\n%s%s\n",
             f->name, version, f->author, f->sentence, f->paragraph, f->url, f->repository,
             f->license, f->category, f->architectures, f->dependency ? "dependencies." : "",
             f->dependency ? f->dependency : "");
    json_t *v =
        json_pack("{s:s, s:s, s:I, s:o}", "version", version, "visibility", "public", "created_ms",
                  (json_int_t)(1600000000000LL + (long long)index * 86400000LL), "attributes",
                  sim_library_properties_parse(properties));
    int rc = build_archive(f, version, properties, v);
    json_array_append_new(versions, v);
    return rc;
}

int sim_library_fixture_load(json_t *libraries)
{
    for (size_t i = 0; i < sizeof(FIXTURE) / sizeof(FIXTURE[0]); i++) {
        const fixture_library *f = &FIXTURE[i];
        json_t *versions = json_array();
        json_t *lib = json_pack("{s:n, s:b, s:b, s:b, s:I, s:o}", "owner", "official", f->official,
                                "verified", f->verified, "featured", f->featured, "installs",
                                (json_int_t)f->installs, "versions", versions);
        json_object_set_new(libraries, f->name, lib);
        for (size_t k = 0; f->versions[k]; k++)
            if (load_version(f, k, versions) < 0)
                return -1;
    }
    return 0;
}
