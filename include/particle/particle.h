/**
 * @file particle.h
 * @brief libparticle: the Particle Cloud API in C. Include this one header.
 *
 * Thread safety: call particle_global_init() once before any other thread uses the
 * library. A particle_client or particle_stream may be used by only one thread at a time;
 * different handles may be used concurrently from different threads. Objects returned to
 * you (results, values, events, lists) are immutable and may be read from several threads
 * at once. The error record is thread-local. The only function that may be called on a
 * handle owned by another thread is particle_stream_cancel().
 *
 * Ownership: an object returned through `**out` is yours and is freed with its `_free`
 * function (every `_free` accepts NULL). A call that fails sets `*out` to NULL. A `const` pointer
 * returned by a getter is borrowed from its parent and lives as long as the parent. Strings the
 * library allocates for you are freed with particle_free(). The library never keeps a pointer you
 * passed in.
 */
#ifndef PARTICLE_PARTICLE_H
#define PARTICLE_PARTICLE_H

#include "particle/account.h"
#include "particle/api_users.h"
#include "particle/auth.h"
#include "particle/client.h"
#include "particle/common.h"
#include "particle/customers.h"
#include "particle/devices.h"
#include "particle/diagnostics.h"
#include "particle/env.h"
#include "particle/error.h"
#include "particle/events.h"
#include "particle/firmware.h"
#include "particle/groups.h"
#include "particle/integrations.h"
#include "particle/ledgers.h"
#include "particle/libraries.h"
#include "particle/locations.h"
#include "particle/logic.h"
#include "particle/mesh.h"
#include "particle/multi.h"
#include "particle/oauth_clients.h"
#include "particle/products.h"
#include "particle/profile.h"
#include "particle/provisioning.h"
#include "particle/request.h"
#include "particle/sims.h"
#include "particle/stream.h"
#include "particle/value.h"
#include "particle/version.h"

#endif
