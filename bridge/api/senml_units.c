/*
 * The SenML Units registry as RFC 8428 section 12.1 creates it, in the RFC's order. The
 * names the RFC marks "SHOULD NOT be used" in new packs (g, l, l/s, Bspl, %, 1/min,
 * beat/min, beats) are registered names all the same, so they are accepted. Units added by
 * later RFCs (8798: B, VA, var, ...) are not in this list.
 */
#include <string.h>

#include "api/senml_units.h"

const char *const bridge_senml_units[] = {
    "m",     "kg",  "g",   "s",   "A",     "K",        "cd",    "mol",   "Hz",    "rad",
    "sr",    "N",   "Pa",  "J",   "W",     "C",        "V",     "F",     "Ohm",   "S",
    "Wb",    "T",   "H",   "Cel", "lm",    "lx",       "Bq",    "Gy",    "Sv",    "kat",
    "m2",    "m3",  "l",   "m/s", "m/s2",  "m3/s",     "l/s",   "W/m2",  "cd/m2", "bit",
    "bit/s", "lat", "lon", "pH",  "dB",    "dBW",      "Bspl",  "count", "/",     "%",
    "%RH",   "%EL", "EL",  "1/s", "1/min", "beat/min", "beats", "S/m",
};

const size_t bridge_senml_unit_count = sizeof bridge_senml_units / sizeof bridge_senml_units[0];

bool bridge_senml_unit_known(const char *unit)
{
    for (size_t i = 0; i < bridge_senml_unit_count; i++) {
        if (strcmp(unit, bridge_senml_units[i]) == 0) {
            return true;
        }
    }
    return false;
}
