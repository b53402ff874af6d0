/**
 * @file version.h
 * @brief Compile-time and run-time version of libparticle.
 */
#ifndef PARTICLE_VERSION_H
#define PARTICLE_VERSION_H

#include "particle/common.h"

#define PARTICLE_VERSION_MAJOR 0
#define PARTICLE_VERSION_MINOR 1
#define PARTICLE_VERSION_PATCH 0
#define PARTICLE_VERSION_STRING "0.1.0"
/** (major << 16) | (minor << 8) | patch */
#define PARTICLE_VERSION_NUM                                                                       \
    ((PARTICLE_VERSION_MAJOR << 16) | (PARTICLE_VERSION_MINOR << 8) | PARTICLE_VERSION_PATCH)

PARTICLE_BEGIN_DECL

/** @return the version of the library linked at run time, e.g. "0.1.0" (static string). */
PARTICLE_API const char *particle_version(void);

PARTICLE_END_DECL

#endif
