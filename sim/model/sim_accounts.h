/*
 * Accounts of the model: organizations, teams with roles, OAuth clients and product
 * customers (reference/cloud-api.md §4.7, §9.2-9.4).
 *
 * Who may do what on a product (sim_model_product_right): a team member (of the product or
 * of its organization) by role: Administrator everything, Developer reads and develops
 * (customers, devices), View-only and Support read; a product client token reads and
 * develops; a customer and a developer off the team nothing. Managing the team and the
 * product's OAuth clients needs SIM_RIGHT_ADMIN. (The real cloud's role matrix is not
 * documented: UNVERIFIED, docs/COMPATIBILITY.md.)
 *
 * Changes validate everything first and apply all or nothing, then tell the observers
 * (SIM_CHANGED_USER, _CLIENT, _CLIENT_DELETED, _PRODUCT_TEAM, _ORG_TEAM). Building functions
 * (the fleet loader's) tell no one.
 *
 * Threads: model lock held.
 */
#ifndef SIM_ACCOUNTS_H
#define SIM_ACCOUNTS_H

#include <stdbool.h>
#include <stdint.h>

#include "model/sim_model.h"

#define SIM_USERNAME_MAX 254 /* an email address */
#define SIM_PASSWORD_MAX 256
#define SIM_CLIENT_NAME_MAX 64
#define SIM_REDIRECT_URI_MAX 512

/* Why a change was refused; the routes answer 400, 404 and 409. */
typedef enum sim_result {
    SIM_OK,
    SIM_INVALID,   /* bad input */
    SIM_NOT_FOUND, /* the user or member it names does not exist */
    SIM_CONFLICT   /* it exists already */
} sim_result;

typedef enum sim_right {
    SIM_RIGHT_READ,    /* see the product, its team, clients and customers */
    SIM_RIGHT_DEVELOP, /* change customers */
    SIM_RIGHT_ADMIN    /* change the team and the OAuth clients */
} sim_right;

/* ---- roles ---- */
/* "Administrator", "Developer", "View-only", "Support". */
const char *sim_role_name(sim_role role);
/* The role's 24-hex id as the team list shows it. */
const char *sim_role_id(sim_role role);
/* The role named @p name (case-insensitive), or -1. */
int sim_role_parse(const char *name);

/* ---- teams ---- */
/* Index of @p user in @p team, or SIM_NONE. */
uint32_t sim_team_find(const sim_team *team, uint32_t user);
/* Adds @p user with @p role, or changes the role of a member (building; tells no one). */
void sim_team_put(sim_team *team, uint32_t user, sim_role role);
void sim_team_dispose(sim_team *team);

/* ---- organizations ---- */
/* Adds an organization (building). @p id 24 lowercase hex. */
uint32_t sim_model_add_org(sim_model *m, const char *id, const char *slug, const char *name);
/* By id or slug; SIM_NONE when unknown. */
uint32_t sim_model_find_org(const sim_model *m, const char *id_or_slug);
/* May @p p see organization @p org (a member of its team)? */
bool sim_model_can_access_org(const sim_model *m, const sim_principal *p, uint32_t org);
/* Does @p p hold @p right on the organization (its team role; tokens of no user: never)? */
bool sim_model_org_right(const sim_model *m, const sim_principal *p, uint32_t org, sim_right right);

/* ---- rights on a product ---- */
/* The best role @p user has on @p product (its team or its organization's), or -1. */
int sim_model_team_role(const sim_model *m, uint32_t product, uint32_t user);
bool sim_model_product_right(const sim_model *m, const sim_principal *p, uint32_t product,
                             sim_right right);

/* ---- team changes ---- */
/* Invites developer @p username to the team of product @p index (@p org false) or of
 * organization @p index (@p org true) with @p role. SIM_NOT_FOUND: no such user;
 * SIM_INVALID: a customer; SIM_CONFLICT: already on that team. */
sim_result sim_model_team_invite(sim_model *m, bool org, uint32_t index, const char *username,
                                 sim_role role, const char **why);
/* Removes @p username from that team; SIM_NOT_FOUND when not on it. */
sim_result sim_model_team_remove(sim_model *m, bool org, uint32_t index, const char *username,
                                 const char **why);

/* Gives member @p username of that team @p role; SIM_NOT_FOUND when not on it. */
sim_result sim_model_team_set_role(sim_model *m, bool org, uint32_t index, const char *username,
                                   sim_role role, const char **why);
/* Replaces the whole team (persisted state): @p n members @p users with @p roles. */
void sim_model_team_replace(sim_model *m, bool org, uint32_t index, const uint32_t *users,
                            const uint8_t *roles, uint32_t n);

/* ---- OAuth clients ---- */
typedef struct sim_client_spec {
    const char *name;         /* 1..SIM_CLIENT_NAME_MAX bytes of text */
    const char *type;         /* "installed" or "web" */
    const char *redirect_uri; /* web clients: required, http(s)://...; else must be NULL */
    const char *scope;        /* NULL/"" = none, "customers:create" or "*:*" */
} sim_client_spec;

/* NULL when @p spec is acceptable, else why not (a 400 message). */
const char *sim_model_client_check(const sim_client_spec *spec);
/* Adds a client with all of @p saved's fields (copied), or replaces the one with its id
 * (building: tells no one). Returns its index. */
uint32_t sim_model_add_client_as(sim_model *m, const sim_client *saved);
/* Creates a client of @p product (or, product SIM_NONE, of user @p owner) with a new id
 * (the name as a slug plus "-NNNN") and a new 40-hex secret. */
sim_result sim_model_client_create(sim_model *m, const sim_client_spec *spec, uint32_t product,
                                   uint32_t owner, uint32_t *out, const char **why);
/* Renames (@p name not NULL) and/or rescopes (@p scope not NULL; "none" removes) @p c. */
sim_result sim_model_client_update(sim_model *m, uint32_t c, const char *name, const char *scope,
                                   const char **why);
/* Deletes @p c and revokes the tokens created with it; the last client takes its slot. */
void sim_model_client_delete(sim_model *m, uint32_t c);

/* sim_model_add_client_as for a client put back from --state: tells the observers. */
uint32_t sim_model_client_restore(sim_model *m, const sim_client *saved);

/* ---- customers ---- */
/* A live customer of @p product named @p username, or SIM_NONE. */
uint32_t sim_model_find_customer(const sim_model *m, uint32_t product, const char *username);
/* Creates a customer of @p product: @p password required unless @p no_password (a shadow
 * customer, which has none). SIM_CONFLICT when a user has that name already. */
sim_result sim_model_customer_create(sim_model *m, uint32_t product, const char *username,
                                     const char *password, bool no_password, uint32_t *out,
                                     const char **why);
/* Sets a (non-shadow) customer's password. */
sim_result sim_model_customer_set_password(sim_model *m, uint32_t user, const char *password,
                                           const char **why);
/* Deletes customer @p user: revokes its tokens and claim codes and releases its devices. */
void sim_model_customer_delete(sim_model *m, uint32_t user);

/* A stable 24-hex id for an object the model keys by name (team members, customers). */
void sim_model_object_id(const char *kind, const char *key, char out[25]);

#endif
