/*
 * sim_model: the simulated Particle Cloud's state: users (developers and product customers),
 * access tokens, OAuth clients, products with groups and teams, device templates (shared
 * variable/function/publisher definitions) and devices. It knows nothing of HTTP; the routes
 * translate requests into these calls, and tests drive it directly.
 *
 * Changes: the model owns them. Outside the model's own files, code reads the structs below
 * and changes them only through the model's change functions (under "device changes" here,
 * and in sim_tokens.h and sim_cards.h): each validates what it is
 * given, applies all of it or nothing, gives a changed device a new render revision (`rev`,
 * which keys the routes' rendering cache, routes/device_render.h) and tells the observers
 * (sim_model_observe: --state persistence is one). Building (the fleet loader's add_*
 * functions) tells no one: a loaded fleet is not a change.
 *
 * Memory: devices are compact structs in one array; every device of a template shares the
 * template's definitions and keeps only its own values (sim_var_state, sim_pub_state).
 * Strings a fixture repeats (system firmware versions) are interned.
 *
 * Threads: one mutex (sim_model_lock/unlock) guards everything. Every function here except
 * sim_model_new/free expects the caller to hold it. The event sink is called with the lock
 * held and must not call back into the model (it only hands events to the SSE hub); so are
 * observers, which may read the model but not change it.
 */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/sim_index.h"

struct sim_clock;

#define SIM_NONE UINT32_MAX
#define SIM_DEVICE_ID_LEN 24
#define SIM_TOKEN_LEN 40
#define SIM_MAX_GROUPS 32 /* per product: device membership is a 32-bit mask */

typedef enum sim_var_type {
    SIM_VAR_INT32,
    SIM_VAR_DOUBLE,
    SIM_VAR_STRING,
    SIM_VAR_BOOL
} sim_var_type;

typedef enum sim_var_behaviour {
    SIM_VB_CONSTANT,       /* always `value` / `text` */
    SIM_VB_RANDOM_WALK,    /* +-step (uniform) every period_ms, clamped to [min, max] */
    SIM_VB_COUNTER,        /* value + step for every period_ms elapsed since the device started */
    SIM_VB_SINE,           /* between min and max over period_ms, with a per-device phase */
    SIM_VB_SET_BY_FUNCTION /* `value`/`text` until a function (or the control API) sets it */
} sim_var_behaviour;

typedef struct sim_var_def {
    char *name;
    sim_var_type type;
    sim_var_behaviour behaviour;
    double value;      /* initial numeric value (bool: 0 or 1) */
    char *text;        /* initial string value (SIM_VAR_STRING) */
    double step;       /* random walk: largest change per period; counter: increment */
    double min, max;   /* random walk bounds; sine range */
    int64_t period_ms; /* random walk / counter step period; sine period */
} sim_var_def;

typedef enum sim_fn_behaviour {
    SIM_FB_RETURN,      /* returns `result` */
    SIM_FB_VALIDATE,    /* arg must be arg_count comma-separated integers in [arg_min, arg_max]:
                           returns `result`, else -1; stores arg in `variable` if set */
    SIM_FB_SET_VARIABLE /* parses arg as the type of `variable` and stores it: `result`, or -1 */
} sim_fn_behaviour;

typedef struct sim_fn_def {
    char *name;
    sim_fn_behaviour behaviour;
    int32_t result;
    unsigned int arg_count;
    long arg_min, arg_max;
    uint32_t variable; /* index into the template's variables, or SIM_NONE */
} sim_fn_def;

typedef struct sim_pub_def {
    char *name;
    char *data;        /* template: {{counter}} {{value:VAR}} {{random}} {{device_id}} {{name}} */
    int64_t period_ms; /* > 0 */
    bool is_private;
} sim_pub_def;

typedef struct sim_template {
    char *name;
    sim_var_def *vars;
    uint32_t var_count;
    sim_fn_def *fns;
    uint32_t fn_count;
    sim_pub_def *pubs;
    uint32_t pub_count;
} sim_template;

typedef struct sim_var_state {
    double num;    /* current value (sine: the device's phase in ms) */
    char *text;    /* string value set at run time; NULL = the definition's text */
    int64_t at_ms; /* random walk: time of the last step; counter: start time */
} sim_var_state;

typedef struct sim_pub_state {
    int64_t next_ms;   /* next publish time on the simulation clock */
    int64_t period_ms; /* current period; 0 = stopped */
    uint32_t counter;  /* events published so far ({{counter}}) */
} sim_pub_state;

typedef struct sim_device {
    char id[SIM_DEVICE_ID_LEN + 1];
    char serial[16];
    char iccid[21]; /* "" for Wi-Fi devices */
    char imei[16];
    uint16_t platform_id;
    uint8_t online : 1, cellular : 1, quarantined : 1, denied : 1, development : 1,
        updates_forced : 1, updates_enabled : 1, signaling : 1;
    uint32_t owner;   /* user index or SIM_NONE */
    uint32_t product; /* product index or SIM_NONE (developer device) */
    uint32_t tmpl;    /* template index */
    uint32_t groups;  /* bit i = product group i */
    uint32_t ip;      /* last IPv4 address, host order */
    int32_t firmware_version;
    int32_t desired_firmware_version; /* -1 = null */
    char *name;                       /* NULL allowed for product devices */
    char *notes;                      /* NULL = null */
    const char *system_firmware;      /* interned */
    int64_t last_heard_ms, last_handshake_ms;
    uint64_t rng;
    uint64_t rev;        /* render revision: new value on every shown change, unique per model */
    sim_var_state *vars; /* tmpl->var_count */
    sim_pub_state *pubs; /* tmpl->pub_count */
    /* The firmware lock asked to flash at once (§5.9 `flash`); false without a lock. Not
     * kept in --state files. */
    bool lock_flash;
} sim_device;

typedef struct sim_user {
    char *username;
    char *password;
    char *mfa_otp;        /* NULL = no MFA; else the fixed one-time code it accepts */
    uint32_t customer_of; /* product index for a customer, SIM_NONE for a developer */
    bool no_password;     /* a shadow customer (created with no_password): no password login */
    bool deleted;         /* a deleted customer: kept (indexes stay valid), found by no lookup */
    /* Account management (model/sim_users.h); all NULL / 0 for fleet users until changed. */
    char *mfa_secret;       /* TOTP secret (base32) once an MFA enrolment is confirmed */
    char *mfa_enrol_secret; /* the secret of an enrolment in progress */
    char *mfa_enrol_token;  /* its mfa_token */
    int64_t mfa_used_step;  /* the last TOTP step accepted: each code is good once */
    char *first_name, *last_name, *company_name;
    bool business_account;
    bool signed_up; /* created by POST /v1/users rather than the fleet */
    char *origin;   /* the name it was created with: its key in --state */
} sim_user;

typedef enum sim_token_kind {
    SIM_TOKEN_USER,    /* a developer: own devices, products whose team they are on */
    SIM_TOKEN_PRODUCT, /* product API user / client credentials: that product's devices */
    SIM_TOKEN_CUSTOMER /* a product customer: devices the customer owns */
} sim_token_kind;

typedef struct sim_token {
    char token[SIM_TOKEN_LEN + 1];
    char refresh[SIM_TOKEN_LEN + 1];
    uint8_t kind;
    uint32_t user;    /* user index (USER, CUSTOMER), SIM_NONE for PRODUCT */
    uint32_t product; /* product index (PRODUCT, CUSTOMER), else SIM_NONE */
    char *client;     /* OAuth client id it was created with */
    int64_t created_ms;
    int64_t expires_ms; /* wall-clock epoch ms; 0 = never */
} sim_token;

typedef struct sim_client {
    char *id;
    char *secret;
    uint32_t product;   /* product index, or SIM_NONE for a user's own client */
    uint32_t owner;     /* user index owning a non-product client, else SIM_NONE */
    char *name;         /* display name (fixtures: the id) */
    char *type;         /* "installed" or "web" */
    char *redirect_uri; /* web clients; NULL = none */
    char *scope;        /* "customers:create", "*:*" or NULL (none) */
} sim_client;

/* Team roles (reference/cloud-api.md §9.3); what each may do: model/sim_accounts.h. */
typedef enum sim_role {
    SIM_ROLE_ADMINISTRATOR,
    SIM_ROLE_DEVELOPER,
    SIM_ROLE_VIEW_ONLY,
    SIM_ROLE_SUPPORT,
    SIM_ROLE_COUNT
} sim_role;

/* Members of a product's or an organization's team, with their roles. */
typedef struct sim_team {
    uint32_t *users; /* user indexes */
    uint8_t *roles;  /* sim_role of users[i] */
    uint32_t count;
} sim_team;

/* An organization: owns products; its team reaches all of them. */
typedef struct sim_org {
    char id[25]; /* 24 lowercase hex */
    char *slug;
    char *name;
    sim_team team;
} sim_org;

typedef struct sim_product {
    uint32_t id;
    char *slug;
    char *name;
    uint16_t platform_id;
    bool cellular;
    char *groups[SIM_MAX_GROUPS];
    uint32_t group_count;
    sim_team team;     /* its own team; an organization's team also reaches its products */
    char *description; /* NULL = "" */
    uint32_t org;      /* organization index, or SIM_NONE for a user's product */
    /* Group i's description (NULL = none) and color ("#rrggbb"), beside groups[i]
     * (model/sim_groups.h). */
    char *group_descriptions[SIM_MAX_GROUPS];
    char group_colors[SIM_MAX_GROUPS][8];
} sim_product;

/* An event as the model produces it; the sink copies what it needs. */
typedef struct sim_event {
    const char *name;
    const char *data; /* NULL = null */
    int ttl;
    int64_t published_ms;
    const char *coreid;
    uint32_t device;  /* device index, or SIM_NONE (API-published) */
    uint32_t owner;   /* user index whose "mine" streams see it, or SIM_NONE */
    uint32_t product; /* product index, or SIM_NONE */
    bool is_private;
} sim_event;

typedef void sim_event_sink_fn(const sim_event *ev, void *payload);

/* Who is calling: resolved from a token by the routes' auth hook. */
typedef struct sim_principal {
    sim_token_kind kind;
    /* The access token itself, not its index: tokens move in the array as revoked and
     * expired ones are dropped, and the hook's lock is released before the handler runs. */
    char token[SIM_TOKEN_LEN + 1];
    uint32_t user;
    uint32_t product;
} sim_principal;

/* Device fields a change names (sim_change.fields, sim_device_update.fields). */
enum {
    SIM_DEVICE_NAME = 1u << 0,
    SIM_DEVICE_NOTES = 1u << 1,
    SIM_DEVICE_OWNER = 1u << 2,
    SIM_DEVICE_ONLINE = 1u << 3, /* with last_handshake_ms */
    SIM_DEVICE_SIGNALING = 1u << 4,
    SIM_DEVICE_UPDATES_FORCED = 1u << 5,
    SIM_DEVICE_DEVELOPMENT = 1u << 6,      /* product devices only */
    SIM_DEVICE_DESIRED_FIRMWARE = 1u << 7, /* product devices only */
    SIM_DEVICE_GROUPS = 1u << 8,           /* product devices only */
    SIM_DEVICE_MEMBERSHIP = 1u << 9,       /* product, quarantined, denied */
    SIM_DEVICE_FIRMWARE = 1u << 10 /* firmware_version, updates enabled, target (sim_firmware.h) */
};

/* What observers are told of: changes to what a device object shows, to SIM cards and to
 * tokens. Running values (variables, publishers, last heard, vitals) move all the time and
 * are not announced. */
typedef enum sim_change_kind {
    SIM_CHANGED_DEVICE,         /* device `index`; `fields` says which (SIM_DEVICE_*) */
    SIM_CHANGED_CARD,           /* SIM card `index` (model/sim_cards.h) */
    SIM_CHANGED_TOKEN_CREATED,  /* token `index` */
    SIM_CHANGED_TOKEN_REVOKED,  /* token `index`, told before it is dropped */
    SIM_CHANGED_TOKEN_EXPIRED,  /* token `index`, told before it is dropped */
    SIM_CHANGED_USER,           /* user `index` created, changed or deleted (customers) */
    SIM_CHANGED_CLIENT,         /* OAuth client `index` created or changed */
    SIM_CHANGED_CLIENT_DELETED, /* OAuth client `index`, told before it is dropped */
    SIM_CHANGED_PRODUCT_TEAM,   /* the team of product `index` */
    SIM_CHANGED_ORG_TEAM,       /* the team of organization `index` */
    SIM_CHANGED_GROUPS,         /* product `index`: its groups (names, descriptions, colors) */
    SIM_CHANGED_CLAIM_CREATED,  /* claim code `index` (model/sim_claims.h) */
    SIM_CHANGED_CLAIM_DROPPED,  /* claim code `index` used or expired, told before it is dropped */
    SIM_CHANGED_FIRMWARE, /* product firmware `index` (model/sim_firmware.h) added or changed */
    SIM_CHANGED_FIRMWARE_DELETED /* product firmware `index`, told before it is dropped */
} sim_change_kind;

typedef struct sim_change {
    sim_change_kind kind;
    uint32_t index;
    uint32_t fields;
} sim_change;

struct sim_model;
struct json_t; /* jansson's: the configurations' saver gets one (model/sim_configs.h) */
/* Told every change after it is applied, with the model lock held. */
typedef void sim_observer_fn(const struct sim_model *m, const sim_change *change, void *payload);

#define SIM_MAX_OBSERVERS 4

/* A scheduled publisher run: min-heap entry ordered by next_ms. */
typedef struct sim_sched_entry {
    int64_t next_ms;
    uint32_t device;
    uint32_t pub;
} sim_sched_entry;

typedef struct sim_model {
    pthread_mutex_t lock;
    struct sim_clock *clock; /* borrowed */
    uint64_t seed;
    uint64_t rng;

    sim_user *users;
    uint32_t user_count, user_cap;
    sim_token *tokens; /* live tokens only (sim_tokens.h): revoked ones are dropped */
    uint32_t token_count, token_cap;
    uint32_t token_sweep_at; /* token_count at which creation next drops expired tokens */
    sim_client *clients;
    uint32_t client_count, client_cap;
    sim_product *products;
    uint32_t product_count, product_cap;
    sim_template *templates;
    uint32_t template_count, template_cap;
    sim_device *devices;
    uint32_t device_count, device_cap;
    char **interned;
    uint32_t interned_count, interned_cap;

    struct sim_card *cards; /* SIM cards (model/sim_cards.h) */
    uint32_t card_count, card_cap;

    sim_index device_ix;  /* id -> device */
    sim_index card_ix;    /* ICCID -> SIM card */
    sim_index token_ix;   /* access token -> token (live tokens only) */
    sim_index refresh_ix; /* refresh token -> token */

    sim_sched_entry *sched;
    uint32_t sched_count, sched_cap;

    /* pending MFA logins: mfa_token -> user, valid for 5 minutes */
    struct sim_mfa_pending {
        char mfa_token[SIM_TOKEN_LEN + 1];
        uint32_t user;
        int64_t expires_ms;
    } mfa[16];
    uint32_t mfa_next;

    uint64_t events_published;
    uint64_t rev_clock; /* last device rev handed out; never reset, not even by clear */
    sim_event_sink_fn *sink;
    void *sink_payload;
    struct sim_observer {
        sim_observer_fn *fn;
        void *payload;
    } observers[SIM_MAX_OBSERVERS];
    uint32_t observer_count;
    struct sim_vitals *vitals; /* device vitals (model/sim_vitals.h); NULL until the first */
    sim_org *orgs;             /* organizations (model/sim_accounts.h) */
    uint32_t org_count, org_cap;
    struct sim_claim *claims; /* live claim codes (model/sim_claims.h) */
    uint32_t claim_count, claim_cap;
    struct sim_config *configs; /* product and device configuration (model/sim_configs.h) */
    uint32_t config_count, config_cap;
    /* told every change of the configurations (--state); kept by sim_model_clear */
    void (*config_saver)(const struct json_t *doc, void *payload);
    void *config_saver_payload;
    /* stored configurations of products or devices the fleet does not have (any more), kept
     * as they were and saved again with the others; NULL when none */
    struct json_t *config_orphans;
    struct sim_keys *keys; /* device public keys and protection (model/sim_keys.h); lazy */
    struct sim_firmware_store *firmware; /* model/sim_firmware.h; NULL until the first use */
} sim_model;

/* ---- lifecycle (no lock needed) ---- */
/* New empty model on @p clock (borrowed) seeded with @p seed. Aborts on OOM. */
sim_model *sim_model_new(struct sim_clock *clock, uint64_t seed);
void sim_model_free(sim_model *m); /* NULL-safe */
/* Drops every user, token, product, template and device (for reset); keeps the sink, the
 * observers and the configurations' saver (model/sim_configs.h). */
void sim_model_clear(sim_model *m);
void sim_model_set_sink(sim_model *m, sim_event_sink_fn *sink, void *payload);
/* Adds an observer of every change from now on (at most SIM_MAX_OBSERVERS; aborts beyond). */
void sim_model_observe(sim_model *m, sim_observer_fn *fn, void *payload);
void sim_model_lock(sim_model *m);
void sim_model_unlock(sim_model *m);

/* Current simulation time (epoch ms). */
int64_t sim_model_now(const sim_model *m);

/* ---- building (fleet loader); all copy their strings and return the new index ---- */
const char *sim_model_intern(sim_model *m, const char *s);
uint32_t sim_model_add_user(sim_model *m, const char *username, const char *password,
                            const char *mfa_otp, uint32_t customer_of);
uint32_t sim_model_add_product(sim_model *m, uint32_t id, const char *slug, const char *name,
                               uint16_t platform_id, bool cellular);
/* Returns the group's bit index, adding it; SIM_NONE when the product has SIM_MAX_GROUPS. */
uint32_t sim_model_product_group(sim_model *m, uint32_t product, const char *group, bool add);
/* Adds @p user to @p product's team as an Administrator (sim_team_put for another role). */
void sim_model_add_team_member(sim_model *m, uint32_t product, uint32_t user);
uint32_t sim_model_add_client(sim_model *m, const char *id, const char *secret, uint32_t product,
                              uint32_t owner);
/* Takes ownership of @p t (its arrays and strings). */
uint32_t sim_model_add_template(sim_model *m, sim_template *t);
/* A device with id @p id (NULL = generated from the model's random stream), on template
 * @p tmpl; the caller then fills the remaining fields and calls sim_model_device_ready(). */
uint32_t sim_model_add_device(sim_model *m, const char *id, uint32_t tmpl);
/* Indexes the device and schedules its publishers. */
void sim_model_device_ready(sim_model *m, uint32_t dev);

/* ---- lookups ---- */
uint32_t sim_model_find_user(const sim_model *m, const char *username);
uint32_t sim_model_find_product(const sim_model *m, const char *id_or_slug);
uint32_t sim_model_find_template(const sim_model *m, const char *name);
uint32_t sim_model_find_client(const sim_model *m, const char *id);
uint32_t sim_model_find_device_id(const sim_model *m, const char *id);
/* On the product's team, or on the team of the organization that owns it. */
bool sim_model_is_team_member(const sim_model *m, uint32_t product, uint32_t user);

/* ---- access rules ---- */
/* May @p p act on device @p dev through the user routes (via_product SIM_NONE) or through
 * /v1/products/<via_product>/... ? */
bool sim_model_can_access_device(const sim_model *m, const sim_principal *p, uint32_t dev,
                                 uint32_t via_product);
/* May @p p use /v1/products/<product>/... list and stream routes? */
bool sim_model_can_access_product(const sim_model *m, const sim_principal *p, uint32_t product);
/* Is @p dev in the caller's own list (GET /v1/devices)? */
bool sim_model_lists_device(const sim_model *m, const sim_principal *p, uint32_t dev);
/* Resolves @p id_or_name to a device the principal may access (by id first, then by name
 * among accessible devices); SIM_NONE otherwise. */
uint32_t sim_model_resolve_device(const sim_model *m, const sim_principal *p,
                                  const char *id_or_name, uint32_t via_product);

/* ---- device changes (each validates, applies all or nothing, and tells the observers) ---- */
#define SIM_DEVICE_NAME_MAX 64
#define SIM_DEVICE_NOTES_MAX 1024
#define SIM_GROUP_NAME_MAX 64

/* What PUT /v1/devices/:device changes: only the fields named in `fields`. */
typedef struct sim_device_update {
    uint32_t fields;   /* SIM_DEVICE_* of the fields below that are set */
    const char *name;  /* 1 to SIM_DEVICE_NAME_MAX bytes of text (see below) */
    const char *notes; /* NULL = none; up to SIM_DEVICE_NOTES_MAX bytes of text */
    uint32_t owner;    /* user index or SIM_NONE */
    bool signaling;
    bool updates_forced;
    bool development;                 /* product devices only, like the two below */
    int32_t desired_firmware_version; /* -1 = none */
    const char *const *groups;        /* the device's groups: names (NULL = not a name), added */
    size_t group_count;               /* to the product as needed */
    bool flash; /* with a desired_firmware_version: flash it at once (§5.9) */
} sim_device_update;

/* Applies @p u to @p dev: every field is checked first (text is UTF-8 without control
 * characters; groups are group names (sim_groups.h) that fit the product's SIM_MAX_GROUPS),
 * then all are applied with one
 * new rev and one notification. Returns NULL, or why it was refused (a 400 message) with
 * nothing changed. */
const char *sim_model_update_device(sim_model *m, uint32_t dev, const sim_device_update *u);
/* Claims @p dev for @p user, or releases it (SIM_NONE: the previous owner's claim codes bound
 * to the device go too, sim_claim_revoke_device). @p user must be a user index. In claims.c. */
void sim_model_set_owner(sim_model *m, uint32_t dev, uint32_t user);
/* Connects (a new handshake) or disconnects @p dev and publishes spark/status; no change
 * when it already is. */
void sim_model_set_online(sim_model *m, uint32_t dev, bool online);
/* A ping: an online device is heard now. Returns whether it is online. */
bool sim_model_ping(sim_model *m, uint32_t dev);
/* Makes @p dev a member of @p product (import, or approval of a quarantined device): not
 * quarantined nor denied; coming from elsewhere it also loses its groups, development flag,
 * firmware lock and a customer owner of another product (membership.c). */
void sim_model_set_product(sim_model *m, uint32_t dev, uint32_t product);
/* Takes @p dev out of its product, with its groups and a customer owner of that product. */
void sim_model_leave_product(sim_model *m, uint32_t dev);
/* Denies @p dev (a quarantined device) in its product. */
void sim_model_deny(sim_model *m, uint32_t dev);

/* ---- what the device object shows that is derived, not stored ---- */
/* "int32", "double", "string" or "bool". */
const char *sim_var_type_name(sim_var_type type);
/* The device's BLE setup secret ("mobile_secret"): 15 characters derived from its id. */
void sim_device_mobile_secret(const char *id, char out[16]);

/* ---- events ---- */
/* Publishes through the sink and counts it. */
void sim_model_emit(sim_model *m, const sim_event *ev);
/* Publishes @p name/@p data as device @p dev at the current time. */
void sim_model_emit_device_event(sim_model *m, uint32_t dev, const char *name, const char *data,
                                 bool is_private);
/* The same at @p now (a clock reading the caller also stored elsewhere). */
void sim_model_emit_device_event_at(sim_model *m, uint32_t dev, const char *name, const char *data,
                                    bool is_private, int64_t now);

/* ---- lookups by hardware identifier (model/identifiers.c) ---- */
/* The device with serial number @p serial (any case), or SIM_NONE. */
uint32_t sim_model_find_serial(const sim_model *m, const char *serial);
/* The device a product import file names on one line: a device id (any case), a serial
 * number, an IMEI or an ICCID; SIM_NONE when none matches. */
uint32_t sim_model_find_device_identifier(const sim_model *m, const char *identifier);

#endif
