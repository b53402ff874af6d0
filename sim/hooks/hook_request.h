/*
 * The request an integration sends for one event, rendered from its settings
 * (reference/cloud-api.md §10.1; docs/SIM.md "Webhooks"):
 *
 *  - url, query values, header values, form values, the body and the string leaves of json
 *    are templates (hook_template.h).
 *  - json: sent as application/json; form: as application/x-www-form-urlencoded; body: as
 *    written (Content-Type only from headers).
 *  - Unless noDefaults, the event's default fields (event, data, published_at, coreid) are
 *    added to the json object or the form, and a request with no json, form or body sends
 *    them as a form (POST, PUT) or as query arguments (GET, DELETE).
 *  - Header values lose CR and LF, so a template cannot add headers.
 */
#ifndef SIM_HOOK_REQUEST_H
#define SIM_HOOK_REQUEST_H

#include <jansson.h>

#include "hooks/hook_delivery.h"
#include "hooks/hook_template.h"

/* A new job (the caller submits or frees it) for the integration @p hook_id with the
 * validated @p settings and the event in @p vars. */
sim_hook_job *sim_hook_request_build(const json_t *settings, const char *hook_id,
                                     const sim_hook_vars *vars);

#endif
