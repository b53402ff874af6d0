/*
 * Ledgers (reference/cloud-api.md §13 "Ledger", particle-api-js.md §2.9): definitions and
 * their instances, per namespace: "user:<username>" for a user's sandbox, "org:<org id>"
 * for an organization. A definition has a scope (Owner, Product, Device) and a direction
 * (Downstream: cloud to device, Upstream: device to cloud); each scope value has one
 * instance whose data is a JSON object of at most SIM_LEDGER_DATA_MAX bytes (compact JSON),
 * and every set keeps the data it replaced as a version (the newest SIM_LEDGER_VERSIONS_KEPT).
 *
 * The store is one JSON tree (times in ms), rendered into the documented objects by the
 * calls below; with --state it is written to the state file after each change
 * (persist_ledgers.h). Changes check everything first and change nothing when they refuse.
 * Each returns an HTTP status: 200/201, or 400/404/409/413 with *why set.
 *
 * Threads: model lock held (the routes hold it).
 */
#ifndef SIM_LEDGERS_H
#define SIM_LEDGERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* UNVERIFIED limits (docs/COMPATIBILITY.md): the size of an instance's data, the versions
 * kept per instance, the name and description lengths, the version page. */
#define SIM_LEDGER_DATA_MAX 16384
#define SIM_LEDGER_VERSIONS_KEPT 20
#define SIM_LEDGER_NAME_MAX 32
#define SIM_LEDGER_DESCRIPTION_MAX 256
#define SIM_LEDGER_VERSION_PAGE 10

typedef struct sim_ledgers sim_ledgers;

/* Called after every change with the whole store (the persistence). */
typedef void sim_ledgers_saver(const json_t *store, void *payload);

sim_ledgers *sim_ledgers_new(void);
void sim_ledgers_free(sim_ledgers *l); /* NULL-safe */
/* Forgets every ledger (the control API's reset); saves the empty store. */
void sim_ledgers_clear(sim_ledgers *l);
/* Replaces the store with @p store (a restore: not saved back; takes a reference) and
 * from now on calls @p saver after each change. */
void sim_ledgers_restore(sim_ledgers *l, json_t *store, sim_ledgers_saver *saver, void *payload);

/* Called after an instance is set ("set") or deleted ("delete"): logic functions'
 * LedgerChange triggers (sim_logic.h). */
typedef void sim_ledgers_observer(const char *ns, const char *name, const char *change_type,
                                  void *payload);
void sim_ledgers_observe(sim_ledgers *l, sim_ledgers_observer *observer, void *payload);

/* 1 to SIM_LEDGER_NAME_MAX of lowercase letters, digits, '-' and '_'. */
bool sim_ledger_name_valid(const char *name);

/* ---- definitions ---- */
/* The definition's scope and direction (borrowed), false for an unknown ledger. */
bool sim_ledger_kind(const sim_ledgers *l, const char *ns, const char *name, const char **scope,
                     const char **direction, bool *archived);
/* POST: @p in = {name, scope, direction, description?}; *out = the definition. */
unsigned int sim_ledger_create(sim_ledgers *l, const char *ns, const json_t *in, int64_t now,
                               json_t **out, const char **why);
unsigned int sim_ledger_get(const sim_ledgers *l, const char *ns, const char *name, json_t **out,
                            const char **why);
/* PUT: description (string or null) may change; name, scope and direction may be sent
 * unchanged only. */
unsigned int sim_ledger_update(sim_ledgers *l, const char *ns, const char *name, const json_t *in,
                               int64_t now, json_t **out, const char **why);
/* DELETE: sets archived_at; archiving twice is fine. */
unsigned int sim_ledger_archive(sim_ledgers *l, const char *ns, const char *name, int64_t now,
                                const char **why);
/* {"ledger_definitions": [...], "meta": {page, per_page, total_pages, total}}; @p scope NULL =
 * all; archived ones only with @p archived, the others only without. */
json_t *sim_ledger_list(const sim_ledgers *l, const char *ns, const char *scope, bool archived,
                        long page, long per_page);

/* ---- instances (the caller has checked the scope value against the ledger's scope) ---- */
unsigned int sim_ledger_instance_get(const sim_ledgers *l, const char *ns, const char *name,
                                     const char *value, json_t **out, const char **why);
/* Sets the data (@p merge: top-level keys over the old data); 413 over the size limit, 400
 * for an archived ledger or data that is not an object. */
unsigned int sim_ledger_instance_set(sim_ledgers *l, const char *ns, const char *name,
                                     const char *value, const json_t *data, bool merge, int64_t now,
                                     json_t **out, const char **why);
unsigned int sim_ledger_instance_delete(sim_ledgers *l, const char *ns, const char *name,
                                        const char *value, const char **why);
/* {"instances": [...], "meta": {page, per_page, total_pages, total}} or 404. */
unsigned int sim_ledger_instance_list(const sim_ledgers *l, const char *ns, const char *name,
                                      long page, long per_page, json_t **out, const char **why);
/* {"versions": [...], "meta": {"has_more"}}: newest first, SIM_LEDGER_VERSION_PAGE at most,
 * replaced before @p before_ms / after @p after_ms (0 = no bound). */
unsigned int sim_ledger_versions(const sim_ledgers *l, const char *ns, const char *name,
                                 const char *value, int64_t before_ms, int64_t after_ms,
                                 json_t **out, const char **why);
unsigned int sim_ledger_version_get(const sim_ledgers *l, const char *ns, const char *name,
                                    const char *value, const char *version, json_t **out,
                                    const char **why);

#endif
