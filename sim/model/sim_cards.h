/*
 * SIM cards in the simulator's model (reference/cloud-api.md §8, §7.6). Every cellular
 * device gets a card for its `iccid` when it becomes ready (sim_model_device_ready): owned
 * by the device's developer (a user SIM) or, for a product device, by the product. The card
 * keeps its own state from then on: claiming or moving the device later does not move it;
 * importing the SIM into a product (POST /v1/products/:p/sims) does.
 *
 * Data usage is not stored: a card's usage on a day is a deterministic function of its
 * ICCID and the day (between 0.1 and 6 MB), counted from its first activation up to the
 * simulation clock's now (today pro rata), and not for days after it was deactivated.
 *
 * Threads: like the rest of the model, everything here expects the model lock held.
 */
#ifndef SIM_CARDS_H
#define SIM_CARDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_model.h"

#define SIM_ICCID_LEN 20
#define SIM_STATUS_TASK_PENDING_MS 2000 /* the status task completes after this long */
#define SIM_STATUS_TASK_TTL_MS 180000   /* and expires after this long (3 min, as §7.6) */
#define SIM_USAGE_MAX_DAYS 31

typedef enum sim_card_status {
    SIM_CARD_INACTIVE = 0, /* never activated */
    SIM_CARD_ACTIVE,
    SIM_CARD_DEACTIVATED
} sim_card_status;

typedef enum sim_card_action {
    SIM_ACTION_NONE = 0,
    SIM_ACTION_ACTIVATE,
    SIM_ACTION_DEACTIVATE,
    SIM_ACTION_REACTIVATE
} sim_card_action;

typedef struct sim_card {
    char iccid[SIM_ICCID_LEN + 1];
    char imsi[16];
    char msisdn[16];
    uint8_t status;      /* sim_card_status */
    uint8_t last_action; /* sim_card_action */
    bool released;       /* DELETE: gone from every account (unknown: 404) */
    uint32_t device;     /* the device it was created for (last_device_*) */
    uint32_t owner;      /* user index of a user SIM, else SIM_NONE */
    uint32_t product;    /* product index of a product SIM, else SIM_NONE */
    int32_t mb_limit;    /* monthly data limit in MB; -1 = none */
    uint32_t activations, deactivations;
    int64_t first_activated_ms, last_activated_ms, updated_ms;
    int64_t deactivated_ms; /* when it last stopped being active; 0 = never */
    int64_t task_ms;        /* cellular status task started; 0 = none */
    uint32_t task_id;
} sim_card;

typedef struct sim_usage_day {
    int64_t date_ms; /* 00:00 UTC of the day */
    double mb;       /* rounded to 0.01 MB */
    double cumulative_mb;
} sim_usage_day;

/* Container lifecycle, called by the model (model.c). */
void sim_cards_init(sim_model *m);
void sim_cards_clear(sim_model *m);
void sim_cards_dispose(sim_model *m);

/* Creates the card of cellular device @p dev unless its ICCID has one already. */
void sim_cards_add_for_device(sim_model *m, uint32_t dev);

/* The card with @p iccid (released ones included), or SIM_NONE. */
uint32_t sim_cards_find(const sim_model *m, const char *iccid);

/* Resolves @p iccid for the caller through the user routes (@p via_product SIM_NONE) or
 * /v1/products/<via_product>/sims. Returns the card, or SIM_NONE with *status_out 404
 * (unknown or released) or 403 (someone else's). */
uint32_t sim_cards_resolve(const sim_model *m, const sim_principal *p, const char *iccid,
                           uint32_t via_product, unsigned int *status_out);

/* Is card @p c in @p p's own list (GET /v1/sims)? */
bool sim_cards_lists(const sim_model *m, const sim_principal *p, uint32_t c);

/* Applies an action and/or a data limit (@p mb_limit < 0 = unchanged). Returns NULL, or the
 * reason it is refused (a 400). */
const char *sim_cards_update(sim_model *m, uint32_t c, sim_card_action action, long mb_limit);

/* Releases the card (deactivating it). Returns true when it was active (the release of an
 * active SIM is reported as pending: 202). */
bool sim_cards_release(sim_model *m, uint32_t c);

/* Moves a released card, or a user SIM whose owner is on @p product's team, into
 * @p product and activates it. Returns false (and changes nothing) for any other card. */
bool sim_cards_import(sim_model *m, uint32_t c, uint32_t product);

/* Puts back the state a --state file kept of card @p c: status, last action, release, owner,
 * product, data limit, the activation counts and times (the rest of @p saved is not read).
 * Returns false, changing nothing, when a value is out of range. */
bool sim_cards_restore(sim_model *m, uint32_t c, const sim_card *saved);

/* Starts the status task if none is running (or the last one expired); returns true when it
 * is complete at the current time. */
bool sim_cards_status_task(sim_model *m, uint32_t c);

/* The days of the current month (UTC) up to today, with nothing used. Returns how many. */
size_t sim_cards_month_days(const sim_model *m, sim_usage_day out[SIM_USAGE_MAX_DAYS]);

/* Fills the card's usage in the current month (UTC) up to now, oldest first. Returns the
 * number of days written (at most SIM_USAGE_MAX_DAYS). */
size_t sim_cards_usage(const sim_model *m, uint32_t c, sim_usage_day out[SIM_USAGE_MAX_DAYS]);

/* Month-to-date MB of card @p c. */
double sim_cards_month_mb(const sim_model *m, uint32_t c);

/* Does the card's month-to-date usage exceed its data limit? */
bool sim_cards_over_limit(const sim_model *m, uint32_t c);

/* "active", "inactive", "deactivated"; action names "activate", ... or NULL for NONE. */
const char *sim_card_status_name(uint8_t status);
const char *sim_card_action_name(uint8_t action);
/* Parses an action name; SIM_ACTION_NONE for anything else. */
sim_card_action sim_card_action_parse(const char *name);

#endif
