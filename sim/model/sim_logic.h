/*
 * Logic functions (reference/particle-api-js.md §2.8, cloud-api.md §13 "Logic"): functions
 * with their triggers, per namespace ("user:<username>" for a sandbox, "org:<org id>"), and
 * the runs their triggers caused. particle-sim has no JavaScript engine: the code is stored
 * and never run. A trigger that fires records a run of status "Failure" whose one log line
 * says so; POST .../logic/execute is refused by the routes (docs/SIM.md).
 *
 * Triggers (the objects of `logic_triggers`, kept as the client sent them plus id,
 * logic_function_id, enabled and version):
 *   Event         {event_name (or event), product_id}: an event of that product whose name
 *                 starts with event_name (an empty name: every event of the product)
 *   Scheduled     {cron, start_at?, end_at?}: each time the simulated clock passes a minute
 *                 the cron matches (sim_logic_cron.h), between start_at and end_at; the
 *                 trigger carries last_scheduled_at and next_unscheduled_at
 *   LedgerChange  {ledger_name, change_type? ("set"|"delete"; absent: both)}: an instance
 *                 of that ledger of the same namespace is set or deleted
 * Disabled functions and disabled triggers do not fire.
 *
 * The store is one JSON tree, written to the --state file after each change
 * (persist_logic.h). Each call returns an HTTP status: 200/201, or 400/404 with *why set;
 * refused changes change nothing.
 *
 * Threads: model lock held (routes, the event sink, the ledger observer and the ticker).
 */
#ifndef SIM_LOGIC_H
#define SIM_LOGIC_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

/* UNVERIFIED limits (docs/COMPATIBILITY.md). */
#define SIM_LOGIC_NAME_MAX 100
#define SIM_LOGIC_CODE_MAX 65536
#define SIM_LOGIC_TRIGGERS_MAX 20
#define SIM_LOGIC_RUNS_KEPT 100 /* per function, the oldest dropped first */

/* The one log line of every run. */
#define SIM_LOGIC_NO_ENGINE                                                                        \
    "particle-sim has no JavaScript engine: the logic function's code did not run"

typedef struct sim_logic sim_logic;

typedef void sim_logic_saver(const json_t *store, void *payload);

sim_logic *sim_logic_new(void);    /* aborts on OOM */
void sim_logic_free(sim_logic *l); /* NULL-safe */
/* Forgets every function and run (the control API's reset); saves the empty store. */
void sim_logic_clear(sim_logic *l);
/* Replaces the store with @p store (a restore: not saved back; takes no reference) and
 * calls @p saver after each change from now on. */
void sim_logic_restore(sim_logic *l, json_t *store, sim_logic_saver *saver, void *payload);

/* The product ids (numbers) the Event triggers of @p in name, for the caller to check
 * against the namespace: a new array (caller decrefs). */
json_t *sim_logic_trigger_products(const json_t *in);

/* POST: @p in = the `logic_function` object {name, description?, enabled?, source{type,
 * code}, logic_triggers?[]}; @p owner "user:<id>"/"org:<id>" (owner_id), @p by the caller
 * ("user:<id>"); *out = the function. */
unsigned int sim_logic_create(sim_logic *l, const char *ns, const char *owner, const char *by,
                              const json_t *in, int64_t now, json_t **out, const char **why);
unsigned int sim_logic_get(const sim_logic *l, const char *ns, const char *id, json_t **out,
                           const char **why);
/* PUT: the fields sent replace the stored ones (logic_triggers as a whole); version + 1. */
unsigned int sim_logic_update(sim_logic *l, const char *ns, const char *id, const char *by,
                              const json_t *in, int64_t now, json_t **out, const char **why);
/* DELETE: the function and its runs. */
unsigned int sim_logic_delete(sim_logic *l, const char *ns, const char *id, const char **why);
/* {"logic_functions": [...]} oldest first; with @p today_stats each carries today_stats
 * {success, failure, timeout} of the runs since midnight UTC of @p now. */
json_t *sim_logic_list(const sim_logic *l, const char *ns, bool today_stats, int64_t now);
/* {"logic_runs": [...]} newest first. */
unsigned int sim_logic_runs(const sim_logic *l, const char *ns, const char *id, json_t **out,
                            const char **why);
/* {"logic_run": {...}} */
unsigned int sim_logic_run_get(const sim_logic *l, const char *ns, const char *id,
                               const char *run_id, json_t **out, const char **why);
/* {"logs": [{level, timestamp, args}]} */
unsigned int sim_logic_run_logs(const sim_logic *l, const char *ns, const char *id,
                                const char *run_id, json_t **out, const char **why);

/* ---- triggers ---- */
/* An event named @p name of product @p product_id (0 = not a product's event). */
void sim_logic_on_event(sim_logic *l, unsigned int product_id, const char *name, int64_t now);
/* An instance of ledger @p ledger in namespace @p ns was set ("set") or deleted ("delete"). */
void sim_logic_on_ledger_change(sim_logic *l, const char *ns, const char *ledger,
                                const char *change_type, int64_t now);
/* Fires every Scheduled trigger whose next time is at or before @p now: one run per trigger
 * and call however many minutes were passed (a clock advanced by a day records one run,
 * not 1440), then schedules the next time after @p now. */
void sim_logic_run_schedules(sim_logic *l, int64_t now);

#endif
