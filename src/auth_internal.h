/* What the login calls share with other resource files that are answered with a token
 * (customer creation). Not installed. */
#ifndef PARTICLE_AUTH_INTERNAL_H
#define PARTICLE_AUTH_INTERNAL_H

#include <jansson.h>

#include "particle/auth.h"

/* Turns an /oauth/token-shaped answer {access_token, token_type, expires_in, refresh_token}
 * into *out, then wipes the tokens in @p root and releases it (the reference is stolen, also
 * on failure). 0, PARTICLE_EPROTO (no usable access_token) or PARTICLE_ENOMEM. */
int particle__token_take(particle_token **out, json_t *root);

#endif
