/* The simulator's version string, shared by --version and the control API. */
#include "sim_version.h"

const char *sim_version(void)
{
    return "0.1.0";
}
