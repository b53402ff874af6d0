/**
 * @file logic.h
 * @brief Logic functions: create, get, update, delete and list functions, list their runs,
 *        get a run and its logs, and execute code once (reference: particle-api-js.md §2.8,
 *        cloud-api.md §13 "Logic").
 *
 * Every call takes @p org: NULL or "" = the sandbox (`/v1/logic…`), else the organization's
 * functions (`/v1/orgs/:org/logic…`), as particle-api-js's `org` option. Function and run
 * ids are percent-encoded into the path. A function is sent as the JSON text of the
 * `logic_function` object ({name, description, enabled, source: {type: "JavaScript", code},
 * logic_triggers: [...]}); answers come back as particle_doc documents (value.h) exactly as
 * the API sends them.
 *
 * particle-sim stores functions and records a run (status "Failure", one log line) when a
 * trigger fires, but has no JavaScript engine: particle_logic_execute() fails there with
 * PARTICLE_ESERVER (HTTP 501; docs/SIM.md).
 *
 * Thread safety: as for the client the call is made on. Results are immutable.
 */
#ifndef PARTICLE_LOGIC_H
#define PARTICLE_LOGIC_H

#include <stdbool.h>

#include "particle/client.h"
#include "particle/value.h"

PARTICLE_BEGIN_DECL

/**
 * Lists the functions: `GET {ns}/logic/functions[?today_stats=true]` →
 * {"logic_functions": [{id, owner_id, version, enabled, name, description, source,
 * logic_triggers, created_at, ..., today_stats?}]}.
 * @param today_stats true sends `today_stats=true`: each function carries today_stats
 *                    {success, failure, timeout}
 * @return 0; PARTICLE_EINVAL, PARTICLE_EFORBIDDEN, PARTICLE_ENOTFOUND (unknown org),
 *         PARTICLE_EPROTO (no `logic_functions` array), transport codes.
 */
PARTICLE_API int particle_logic_function_list(particle_doc **out, particle_client *client,
                                              const char *org, bool today_stats);

/**
 * Gets one function: `GET {ns}/logic/functions/:id` → {"logic_function": {...}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_logic_function_get(particle_doc **out, particle_client *client,
                                             const char *org, const char *id);

/**
 * Creates a function: `POST {ns}/logic/functions` with JSON {"logic_function": FUNCTION}
 * → {"logic_function": {...}} (its id, owner_id, version 1, trigger ids). Not retried.
 * @param logic_function_json a JSON object, as text
 * @param[out] out the answer; NULL = not needed
 * @return 0; PARTICLE_EINVAL (NULL, bad JSON, not an object), PARTICLE_EHTTP (400: a
 *         missing name or source, a bad trigger), PARTICLE_EFORBIDDEN (a trigger's product
 *         is not the owner's), transport codes.
 */
PARTICLE_API int particle_logic_function_create(particle_doc **out, particle_client *client,
                                                const char *org, const char *logic_function_json);

/**
 * Changes a function: `PUT {ns}/logic/functions/:id` with JSON {"logic_function": FIELDS}
 * → {"logic_function": {...}}; the fields sent replace the stored ones (logic_triggers as
 * a whole) and the version goes up by one.
 * @return 0; PARTICLE_EINVAL, PARTICLE_EHTTP (400), PARTICLE_ENOTFOUND,
 *         PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_logic_function_update(particle_doc **out, particle_client *client,
                                                const char *org, const char *id,
                                                const char *logic_function_json);

/**
 * Deletes a function and its runs: `DELETE {ns}/logic/functions/:id` (204).
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_logic_function_delete(particle_client *client, const char *org,
                                                const char *id);

/**
 * Lists a function's runs: `GET {ns}/logic/functions/:id/runs` → {"logic_runs": [{id,
 * owner_id, logic_function_id, logic_trigger_type, logic_trigger_id, status, started_at,
 * finished_at, log_filename}]}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `logic_runs` array), transport codes.
 */
PARTICLE_API int particle_logic_run_list(particle_doc **out, particle_client *client,
                                         const char *org, const char *function_id);

/**
 * Gets one run: `GET {ns}/logic/functions/:id/runs/:run_id` → {"logic_run": {...}}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, transport codes.
 */
PARTICLE_API int particle_logic_run_get(particle_doc **out, particle_client *client,
                                        const char *org, const char *function_id,
                                        const char *run_id);

/**
 * Gets a run's logs: `GET {ns}/logic/functions/:id/runs/:run_id/logs` → {"logs": [{level,
 * timestamp, args}]}.
 * @return 0; PARTICLE_EINVAL, PARTICLE_ENOTFOUND, PARTICLE_EFORBIDDEN, PARTICLE_EPROTO (no
 *         `logs` array), transport codes.
 */
PARTICLE_API int particle_logic_run_logs(particle_doc **out, particle_client *client,
                                         const char *org, const char *function_id,
                                         const char *run_id);

/**
 * Runs code once without storing it: `POST {ns}/logic/execute` with @p logic_json as the
 * body as is (e.g. {"event": {...}, "source": {"type": "JavaScript", "code": "..."}}) →
 * {"result": {status, logs}}. Not retried.
 * @param logic_json a JSON object, as text
 * @return 0; PARTICLE_EINVAL (NULL, bad JSON, not an object), PARTICLE_EHTTP (400),
 *         PARTICLE_ESERVER (particle-sim: 501, no JavaScript engine), PARTICLE_EFORBIDDEN,
 *         transport codes.
 */
PARTICLE_API int particle_logic_execute(particle_doc **out, particle_client *client,
                                        const char *org, const char *logic_json);

PARTICLE_END_DECL

#endif
