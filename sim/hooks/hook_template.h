/*
 * Webhook templates: the Mustache subset Particle's integrations use (reference/cloud-api.md
 * §10.1; docs/COMPATIBILITY.md "Webhook templates").
 *
 *   {{NAME}}     the variable, HTML-escaped as mustache.js escapes (& < > " ' / ` =)
 *   {{{NAME}}}   the variable as it is (what a JSON template wants for event data)
 *   {{& NAME}}   the same, Mustache's other spelling
 *   {{! text}}   a comment: renders nothing
 *
 * NAME is one of PARTICLE_EVENT_NAME, PARTICLE_EVENT_VALUE, PARTICLE_DEVICE_ID,
 * PARTICLE_PUBLISHED_AT, PRODUCT_ID, or a field of the event data when that data is a JSON
 * object (a dotted path reaches nested objects: {{a.b}}). Strings render as they are, other
 * JSON values as compact JSON, null as nothing. An unknown name renders as nothing, as
 * Mustache does: whether a custom field exists depends on each event's data, so it cannot be
 * refused when the integration is created. What can be refused is syntax: an unterminated
 * tag, an empty or malformed name, and sections/partials ({{#..}}, {{^..}}, {{/..}}, {{>..}},
 * {{=..=}}), which particle-sim does not render.
 *
 * Threads: pure functions.
 */
#ifndef SIM_HOOK_TEMPLATE_H
#define SIM_HOOK_TEMPLATE_H

#include <jansson.h>

#include "pu_buf.h"

typedef struct sim_hook_vars {
    const char *event_name;
    const char *event_value; /* NULL = null data: renders as nothing */
    const char *device_id;
    const char *published_at; /* ISO 8601 */
    const char *product_id;   /* "" when the event has none */
    json_t *custom;           /* the event data parsed as a JSON object, or NULL */
} sim_hook_vars;

/* NULL when @p tmpl parses, else why not (a 400 message). */
const char *sim_hook_template_check(const char *tmpl);

/* Appends @p tmpl rendered with @p vars to @p out. A template that does not parse (it was
 * checked when stored, so only a bug) renders as it is written. */
void sim_hook_template_render(pu_buf *out, const char *tmpl, const sim_hook_vars *vars);

/* The event data parsed as a JSON object for sim_hook_vars.custom (new reference), or NULL
 * when it is not one. */
json_t *sim_hook_custom_fields(const char *data);

#endif
