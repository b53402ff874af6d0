/*
 * fuzz_fleet: libFuzzer target for particle-sim's fleet loader (sim/fleet.c,
 * sim/fleet_firmware.c and the model calls they make; docs/FLEET.md).
 *
 * The input is a fixture's text. It is parsed with sim_fleet_parse() and, when it parses,
 * loaded into an empty model with sim_fleet_load() (the model lock held, as particle-sim
 * does). Checks: a refusal comes with a message naming the source; the model is cleared
 * after each input either way (a partly filled model must clear cleanly, and ASan sees any
 * leak or stale pointer the loader leaves).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "fleet.h"
#include "model/sim_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define SOURCE "fuzz.json"

static sim_clock *clock_;
static sim_model *model;

static void model_free(void)
{
    sim_model_free(model);
    sim_clock_free(clock_);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (model == NULL) {
        clock_ = sim_clock_new(0);
        model = sim_model_new(clock_, 1);
        CHECK(clock_ != NULL && model != NULL);
        atexit(model_free);
    }
    char err[1024] = "";
    json_t *fixture = sim_fleet_parse((const char *)data, size, SOURCE, err, sizeof err);
    if (fixture == NULL) {
        CHECK(strncmp(err, SOURCE, strlen(SOURCE)) == 0);
        return 0;
    }
    sim_model_lock(model);
    err[0] = '\0';
    int rc = sim_fleet_load(model, fixture, SOURCE, err, sizeof err);
    CHECK(rc == 0 || rc == -1);
    if (rc < 0) {
        CHECK(strncmp(err, SOURCE, strlen(SOURCE)) == 0);
    }
    sim_model_clear(model);
    sim_model_unlock(model);
    json_decref(fixture);
    return 0;
}
