/* The simulator's version string, shared by --version and the control API: the project's. */
#include "sim_version.h"

#include "particle/version.h"

const char *sim_version(void)
{
    return PARTICLE_VERSION_STRING;
}
