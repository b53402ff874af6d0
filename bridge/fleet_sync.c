#include "fleet_sync.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pu_buf.h"
#include "pu_log.h"
#include "pu_time.h"
#include "report_data_sync.h"

#define CUSTOMERS_PER_PAGE 100

/* Where a listing's refusals are kept in bridge_fleet_state.refusals, and its kind. */
#define TARGET_USER 0u
#define TARGET_ORG(i) (1u + (unsigned)(i))
#define TARGET_PRODUCT(i) (1u + BRIDGE_MAX_ORGS + (unsigned)(i))
#define KIND_PRODUCTS 1u  /* the products listing of the user or an organization; a get */
#define KIND_GROUPS 2u    /* a product's groups */
#define KIND_CUSTOMERS 4u /* a product's customers */
#define KIND_FIRMWARE 8u  /* a product's firmware versions */
#define KIND_SIMS 16u     /* the SIM listing of the user or a product (report_data_sync.h) */
#define KIND_USAGE 32u    /* a product fleet's data usage */

/* One run: what it has gathered and where it reports. */
typedef struct fleet_run {
    particle_client *client;
    bridge_writer *writer;
    bridge_budget *budget;
    const bridge_config *cfg;
    bridge_fleet_state *state;
    bridge_fleet_result res;
    /* the products listed so far; their strings live in the answers kept in docs */
    bridge_product *products;
    size_t product_count, product_cap;
    particle_doc *docs[1 + BRIDGE_MAX_ORGS + BRIDGE_MAX_PRODUCTS]; /* one answer per listing */
    size_t doc_count;
    bool products_complete; /* every product listing answered (or refused): the set is whole */
    int64_t started;        /* the run's start, stamped on the objects it stores */
    char *err;
    size_t err_size;
} fleet_run;

static bool grow(void **arr, size_t *cap, size_t count, size_t elem_size)
{
    if (count < *cap) {
        return true;
    }
    size_t new_cap = *cap ? *cap * 2 : 16;
    void *p = new_cap <= SIZE_MAX / elem_size ? realloc(*arr, new_cap * elem_size) : NULL;
    if (p == NULL) {
        return false;
    }
    *arr = p;
    *cap = new_cap;
    return true;
}

static int out_of_memory(fleet_run *run)
{
    snprintf(run->err, run->err_size, "fleet sync: out of memory");
    return -1;
}

static bool refusal(int rc)
{
    return rc == PARTICLE_EFORBIDDEN || rc == PARTICLE_ENOTFOUND;
}

/* Listing @p what (of @p target, of @p kind) failed with @p rc: the first refusal of a target
 * is logged (until it answers again), other failures each time (a 429 pauses the budget). */
static void note_failure(fleet_run *run, unsigned target, unsigned kind, const char *what, int rc)
{
    const particle_error *e = particle_error_last();
    if (refusal(rc)) {
        run->res.refused++;
        if (run->state->refusals[target] == 0) {
            pu_log(PU_LOG_WARN, "sync", "%s: refused (HTTP %d: %s); skipped until it answers", what,
                   e->http_status, e->message);
        }
        run->state->refusals[target] |= (unsigned char)kind;
        return;
    }
    run->res.failed++;
    bridge_budget_note_failure(run->budget);
    if (e->http_status > 0) {
        pu_log(PU_LOG_WARN, "sync", "%s: %s (HTTP %d)", what, e->message, e->http_status);
    } else {
        pu_log(PU_LOG_WARN, "sync", "%s: %s", what, e->message);
    }
}

static void note_answer(fleet_run *run, unsigned target, unsigned kind, const char *what)
{
    unsigned char *refused = &run->state->refusals[target];
    if ((*refused & kind) != 0) {
        *refused &= (unsigned char)~kind;
        if (*refused == 0) {
            pu_log(PU_LOG_INFO, "sync", "%s: answers again", what);
        }
    }
}

/* One request's worth of the budget, as the per-device details take it: when it is spent,
 * this listing and the rest of the run's wait for a later run (counted in res.skipped). */
static bool take_budget(fleet_run *run)
{
    if (run->res.skipped == 0 && bridge_budget_take(run->budget, NULL)) {
        return true;
    }
    run->res.skipped++;
    return false;
}

/* Keeps @p doc until the end of the run (the products point into it). */
static void keep_doc(fleet_run *run, particle_doc *doc)
{
    run->docs[run->doc_count++] = doc; /* at most one per listing: room for every one */
}

static const char *text_at(const particle_value *o, const char *key)
{
    return particle_value_string(particle_value_get(o, key));
}

static const bridge_product *product_by_id(const fleet_run *run, long long id)
{
    for (size_t i = 0; i < run->product_count; i++) {
        if (run->products[i].product_id == id) {
            return &run->products[i];
        }
    }
    return NULL;
}

/* Adds a product object of a listing (or of a get) unless it has no id or is known. */
static int add_product(fleet_run *run, const particle_value *o)
{
    long long id = particle_value_int(particle_value_get(o, "id"), 0);
    if (id <= 0 || id > INT_MAX || product_by_id(run, id) != NULL) {
        return 0;
    }
    if (!grow((void **)&run->products, &run->product_cap, run->product_count,
              sizeof *run->products)) {
        return out_of_memory(run);
    }
    /* an organization's listing names it organization_id, a product get organization */
    const char *org = text_at(o, "organization_id");
    run->products[run->product_count++] = (bridge_product){
        .product_id = (int)id,
        .slug = text_at(o, "slug"),
        .name = text_at(o, "name"),
        .platform_id = (int)particle_value_int(particle_value_get(o, "platform_id"), 0),
        .description = text_at(o, "description"),
        .organization = org != NULL ? org : text_at(o, "organization"),
    };
    return 0;
}

/* GET /v1/user/products (@p org NULL) or /v1/orgs/:org/products. */
static int list_products(fleet_run *run, const char *org, unsigned target)
{
    char what[128];
    if (org == NULL) {
        snprintf(what, sizeof what, "listing the user's products");
    } else {
        snprintf(what, sizeof what, "listing the products of organization %s", org);
    }
    if (!take_budget(run)) {
        run->products_complete = false;
        return 0;
    }
    particle_product_list_options lo;
    particle_product_list_options_init(&lo, PARTICLE_PRODUCT_LIST_OPTIONS_VERSION);
    lo.org = org;
    particle_doc *doc = NULL;
    particle_error_clear();
    int rc = particle_product_list(&doc, run->client, &lo);
    if (rc != 0) {
        note_failure(run, target, KIND_PRODUCTS, what, rc);
        run->products_complete = run->products_complete && refusal(rc);
        return 0;
    }
    note_answer(run, target, KIND_PRODUCTS, what);
    keep_doc(run, doc);
    const particle_value *list = particle_value_get(particle_doc_root(doc), "products");
    for (size_t i = 0; i < particle_value_count(list); i++) {
        if (add_product(run, particle_value_at(list, i)) != 0) {
            return -1;
        }
    }
    return 0;
}

/* @p text as a product id when it is one ("1001"), else 0 (a slug). */
static int numeric_id(const char *text)
{
    long long v = 0;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || v > INT_MAX / 10) {
            return 0;
        }
        v = v * 10 + (*p - '0');
    }
    return v <= INT_MAX ? (int)v : 0;
}

/* The id of configured product @p i into *id_out: from the listings, else from
 * GET /v1/products/:product; 0 when neither knows it (a refusal of a slug). */
static int resolve_product(fleet_run *run, size_t i, int *id_out)
{
    const char *product = run->cfg->products[i];
    int number = numeric_id(product);
    *id_out = 0;
    for (size_t k = 0; k < run->product_count; k++) {
        const bridge_product *p = &run->products[k];
        if ((number > 0 && p->product_id == number) ||
            (p->slug != NULL && strcmp(p->slug, product) == 0)) {
            *id_out = p->product_id;
            return 0;
        }
    }
    if (!take_budget(run)) {
        run->products_complete = false;
        *id_out = number;
        return 0;
    }
    char what[128];
    snprintf(what, sizeof what, "getting product %s", product);
    particle_doc *doc = NULL;
    particle_error_clear();
    int rc = particle_product_get(&doc, run->client, product);
    if (rc != 0) {
        note_failure(run, TARGET_PRODUCT(i), KIND_PRODUCTS, what, rc);
        /* not knowing it, the set would lose a product it may still have */
        run->products_complete = run->products_complete && refusal(rc);
        *id_out = number; /* an id still names its customers and groups */
        return 0;
    }
    note_answer(run, TARGET_PRODUCT(i), KIND_PRODUCTS, what);
    const particle_value *o = particle_value_get(particle_doc_root(doc), "product");
    keep_doc(run, doc);
    if (add_product(run, o) != 0) {
        return -1;
    }
    long long id = particle_value_int(particle_value_get(o, "id"), 0);
    *id_out = id > 0 && id <= INT_MAX ? (int)id : number;
    return 0;
}

/* ---- groups ---- */

static int sync_groups(fleet_run *run, size_t i, int product_id)
{
    const char *product = run->cfg->products[i];
    char what[128];
    snprintf(what, sizeof what, "listing the groups of product %s", product);
    if (!take_budget(run)) {
        return 0;
    }
    particle_doc *doc = NULL;
    particle_error_clear();
    int rc = particle_group_list(&doc, run->client, product, NULL);
    if (rc != 0) {
        note_failure(run, TARGET_PRODUCT(i), KIND_GROUPS, what, rc);
        return 0;
    }
    note_answer(run, TARGET_PRODUCT(i), KIND_GROUPS, what);
    const particle_value *list = particle_value_get(particle_doc_root(doc), "groups");
    size_t n = particle_value_count(list), count = 0;
    bridge_group *groups = calloc(n ? n : 1, sizeof *groups);
    if (groups == NULL) {
        particle_doc_free(doc);
        return out_of_memory(run);
    }
    for (size_t k = 0; k < n; k++) {
        const particle_value *g = particle_value_at(list, k);
        const char *name = text_at(g, "name");
        if (name == NULL || name[0] == '\0') {
            continue; /* nothing to key it by */
        }
        groups[count++] = (bridge_group){
            .name = name,
            .description = text_at(g, "description"),
            .color = text_at(g, "color"),
            /* absent when no product firmware is released to the group */
            .fw_version = particle_value_int(particle_value_get(g, "fw_version"), -1),
        };
    }
    char why[256];
    rc = bridge_writer_groups_replace(run->writer, product_id, groups, count, why, sizeof why);
    free(groups);
    particle_doc_free(doc);
    if (rc != 0) {
        snprintf(run->err, run->err_size, "storing the groups of product %s: %s", product, why);
        return -1;
    }
    run->res.groups += count;
    return 0;
}

/* ---- customers ---- */

/* The customers of one product, copied out of the pages (the iterator's values last only
 * until its next call). */
typedef struct customer_set {
    bridge_customer *items;
    size_t count, cap;
} customer_set;

static void customer_set_free(customer_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free((char *)set->items[i].username);
        free((char *)set->items[i].customer_id);
        free((char *)set->items[i].full_name);
        free((char *)set->items[i].device_ids);
    }
    free(set->items);
}

static char *copy_or_empty(const char *s)
{
    return strdup(s != NULL ? s : "");
}

/* Copies customer object @p c ({id, username, full_name, devices: [ids]}) into @p set; one
 * without a username is passed over. -1 when out of memory. */
static int add_customer(customer_set *set, const particle_value *c)
{
    const char *username = text_at(c, "username");
    if (username == NULL || username[0] == '\0') {
        return 0;
    }
    if (!grow((void **)&set->items, &set->cap, set->count, sizeof *set->items)) {
        return -1;
    }
    const particle_value *devices = particle_value_get(c, "devices");
    pu_buf ids;
    pu_buf_init(&ids, PU_BUF_UNLIMITED, NULL);
    int64_t device_count = 0;
    for (size_t k = 0; k < particle_value_count(devices); k++) {
        const char *id = particle_value_string(particle_value_at(devices, k));
        if (id != NULL) {
            if (device_count++ > 0) {
                pu_buf_append_char(&ids, ',');
            }
            pu_buf_append_str(&ids, id);
        }
    }
    bridge_customer *out = &set->items[set->count];
    *out = (bridge_customer){
        .username = strdup(username),
        .customer_id = copy_or_empty(text_at(c, "id")),
        .full_name = copy_or_empty(text_at(c, "full_name")),
        .device_ids = pu_buf_take(&ids, NULL), /* NULL when out of memory */
        .device_count = device_count,
    };
    set->count++; /* freed by customer_set_free even when a copy failed */
    return out->username && out->customer_id && out->full_name && out->device_ids ? 0 : -1;
}

static int sync_customers(fleet_run *run, size_t i, int product_id)
{
    const char *product = run->cfg->products[i];
    char what[128];
    snprintf(what, sizeof what, "listing the customers of product %s", product);
    particle_customer_list_options lo;
    particle_customer_list_options_init(&lo, PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION);
    lo.per_page = CUSTOMERS_PER_PAGE;
    particle_customer_iter *it = NULL;
    if (particle_customer_iter_new(&it, run->client, product, &lo) != 0) {
        snprintf(run->err, run->err_size, "%s: %s", what, particle_error_last()->message);
        return -1;
    }
    customer_set set = {0};
    int rc = 0;
    bool whole = false;
    for (size_t k = 0;; k++) {
        /* the iterator asks for the next page when the previous one is used up */
        if (k % CUSTOMERS_PER_PAGE == 0 && !take_budget(run)) {
            break; /* the stored set stays */
        }
        const particle_value *c = NULL;
        particle_error_clear();
        int got = particle_customer_iter_next(&c, it);
        if (got != 0) {
            note_failure(run, TARGET_PRODUCT(i), KIND_CUSTOMERS, what, got);
            break; /* the stored set stays */
        }
        if (c == NULL) {
            whole = true;
            break;
        }
        if (add_customer(&set, c) != 0) {
            rc = out_of_memory(run);
            break;
        }
    }
    particle_customer_iter_free(it);
    if (whole) {
        note_answer(run, TARGET_PRODUCT(i), KIND_CUSTOMERS, what);
        char why[256];
        if (bridge_writer_customers_replace(run->writer, product_id, set.items, set.count, why,
                                            sizeof why) != 0) {
            snprintf(run->err, run->err_size, "storing the customers of product %s: %s", product,
                     why);
            rc = -1;
        } else {
            run->res.customers += set.count;
        }
    }
    customer_set_free(&set);
    return rc;
}

/* ---- product firmware ---- */

/* The firmware records of one product; the strings are borrowed from the answer except the
 * groups, joined here. */
typedef struct firmware_set {
    bridge_product_firmware *items;
    size_t count;
} firmware_set;

static void firmware_set_free(firmware_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free((char *)set->items[i].groups);
    }
    free(set->items);
}

/* The names of a firmware's `groups` array, comma-separated (malloc'd; NULL when out of
 * memory). */
static char *join_groups(const particle_value *groups)
{
    pu_buf b;
    pu_buf_init(&b, PU_BUF_UNLIMITED, NULL);
    size_t n = 0;
    for (size_t k = 0; k < particle_value_count(groups); k++) {
        const char *name = particle_value_string(particle_value_at(groups, k));
        if (name != NULL && name[0] != '\0') {
            if (n++ > 0) {
                pu_buf_append_char(&b, ',');
            }
            pu_buf_append_str(&b, name);
        }
    }
    return pu_buf_take(&b, NULL);
}

/* One firmware object as a record: 0, 1 when it has no version (>= 0) to key it by, -1 when
 * out of memory. Everything but the version is optional. uploaded_by is {"username": ...} in the
 * documented answers; a plain string is taken too. product_default is `current` in older answers.
 */
static int firmware_from_object(bridge_product_firmware *fw, const particle_value *o)
{
    const particle_value *version = particle_value_get(o, "version");
    if (particle_value_type_of(version) != PARTICLE_VALUE_INT ||
        particle_value_int(version, -1) < 0) {
        return 1; /* nothing to key it by: passed over */
    }
    const particle_value *by = particle_value_get(o, "uploaded_by");
    const char *uploaded_by = particle_value_string(by);
    if (uploaded_by == NULL) {
        uploaded_by = text_at(by, "username");
    }
    const particle_value *dflt = particle_value_get(o, "product_default");
    if (dflt == NULL) {
        dflt = particle_value_get(o, "current");
    }
    int64_t uploaded_ms = 0;
    const char *uploaded_on = text_at(o, "uploaded_on");
    if (uploaded_on == NULL || pu_time_parse_iso8601(uploaded_on, &uploaded_ms) != 0) {
        uploaded_ms = 0;
    }
    *fw = (bridge_product_firmware){
        .version = particle_value_int(version, -1),
        .firmware_id = text_at(o, "_id"),
        .title = text_at(o, "title"),
        .description = text_at(o, "description"),
        .file_name = text_at(o, "name"),
        .size_bytes = particle_value_int(particle_value_get(o, "size"), 0),
        .uploaded_at_ms = uploaded_ms,
        .uploaded_by = uploaded_by,
        .product_default = particle_value_bool(dflt, 0) == 1,
        .mandatory = particle_value_bool(particle_value_get(o, "mandatory"), 0) == 1,
        .groups = join_groups(particle_value_get(o, "groups")),
        .device_count = particle_value_int(particle_value_get(o, "device_count"), -1),
    };
    return fw->groups != NULL ? 0 : -1;
}

/* The records of a listing's answer (an array) into @p set, passing over objects without a
 * version; -1 when out of memory. */
static int firmware_records(firmware_set *set, const particle_value *list)
{
    size_t n = particle_value_count(list);
    set->items = calloc(n ? n : 1, sizeof *set->items);
    if (set->items == NULL) {
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        int rc = firmware_from_object(&set->items[set->count], particle_value_at(list, k));
        if (rc < 0) {
            return -1;
        }
        set->count += rc == 0;
    }
    return 0;
}

/* The sync step: stores @p count typed firmware records as the set of @p product_id. */
static int store_product_firmware(fleet_run *run, size_t i, int product_id,
                                  const bridge_product_firmware *firmware, size_t count)
{
    char why[256];
    if (bridge_writer_product_firmware_replace(run->writer, product_id, firmware, count, why,
                                               sizeof why) != 0) {
        snprintf(run->err, run->err_size, "storing the firmware of product %s: %s",
                 run->cfg->products[i], why);
        return -1;
    }
    run->res.firmware += count;
    return 0;
}

static int sync_product_firmware(fleet_run *run, size_t i, int product_id)
{
    const char *product = run->cfg->products[i];
    char what[128];
    snprintf(what, sizeof what, "listing the firmware of product %s", product);
    if (!take_budget(run)) {
        return 0;
    }
    particle_doc *doc = NULL;
    particle_error_clear();
    int rc = particle_product_firmware_list(&doc, run->client, product); /* cloud-api.md 9.6 */
    if (rc != 0) {
        note_failure(run, TARGET_PRODUCT(i), KIND_FIRMWARE, what, rc);
        return 0;
    }
    note_answer(run, TARGET_PRODUCT(i), KIND_FIRMWARE, what);
    firmware_set set = {0};
    if (firmware_records(&set, particle_doc_root(doc)) != 0) {
        rc = out_of_memory(run);
    } else {
        rc = store_product_firmware(run, i, product_id, set.items, set.count);
    }
    firmware_set_free(&set);
    particle_doc_free(doc);
    return rc;
}

/* ---- report data: the SIM sweep and a fleet's data usage (report_data_sync.h) ---- */

typedef int report_data_fn(particle_client *client, bridge_writer *w, const char *product,
                           int product_id, int64_t now_ms, size_t *count_out, char *err,
                           size_t err_size);

/* One listing of report data for @p product (NULL = the user's) as @p target: 0, also when
 * the cloud refused or failed (noted), -1 when the writer refused. */
static int sync_report_data(fleet_run *run, report_data_fn *fetch, const char *what,
                            const char *product, int product_id, unsigned target, unsigned kind)
{
    if (!take_budget(run)) {
        return 0;
    }
    size_t count = 0;
    particle_error_clear();
    int rc = fetch(run->client, run->writer, product, product_id, run->started, &count, run->err,
                   run->err_size);
    if (rc == BRIDGE_REPORT_DATA_STORE_FAILED) {
        return -1;
    }
    if (rc != 0) {
        note_failure(run, target, kind, what, rc);
    } else {
        note_answer(run, target, kind, what);
    }
    return 0;
}

static int sync_product_report_data(fleet_run *run, size_t i, int product_id)
{
    if (!run->cfg->report_data) {
        return 0;
    }
    const char *product = run->cfg->products[i];
    char what[128];
    snprintf(what, sizeof what, "listing the SIMs of product %s", product);
    if (sync_report_data(run, bridge_report_data_sims, what, product, product_id, TARGET_PRODUCT(i),
                         KIND_SIMS) != 0) {
        return -1;
    }
    snprintf(what, sizeof what, "the data usage of product %s", product);
    return sync_report_data(run, bridge_report_data_fleet_usage, what, product, product_id,
                            TARGET_PRODUCT(i), KIND_USAGE);
}

/* ---- the run ---- */

static int run_listings(fleet_run *run, const char *owner)
{
    const bridge_config *cfg = run->cfg;
    if (list_products(run, NULL, TARGET_USER) != 0) {
        return -1;
    }
    for (size_t o = 0; o < cfg->org_count; o++) {
        if (list_products(run, cfg->orgs[o], TARGET_ORG(o)) != 0) {
            return -1;
        }
    }
    int ids[BRIDGE_MAX_PRODUCTS];
    for (size_t i = 0; i < cfg->product_count; i++) {
        if (resolve_product(run, i, &ids[i]) != 0) {
            return -1;
        }
    }
    if (run->products_complete) {
        char why[256];
        if (bridge_writer_products_replace(run->writer, owner, run->products, run->product_count,
                                           why, sizeof why) != 0) {
            snprintf(run->err, run->err_size, "storing the products: %s", why);
            return -1;
        }
        run->res.products = run->product_count;
    }
    for (size_t i = 0; i < cfg->product_count; i++) {
        bool seen = ids[i] == 0; /* unknown, or named twice (an id and its slug) */
        for (size_t k = 0; k < i && !seen; k++) {
            seen = ids[k] == ids[i];
        }
        if (!seen && (sync_groups(run, i, ids[i]) != 0 || sync_customers(run, i, ids[i]) != 0 ||
                      sync_product_firmware(run, i, ids[i]) != 0 ||
                      sync_product_report_data(run, i, ids[i]) != 0)) {
            return -1;
        }
    }
    if (cfg->user_scope && cfg->report_data) {
        return sync_report_data(run, bridge_report_data_sims, "listing the user's SIMs", NULL, 0,
                                TARGET_USER, KIND_SIMS);
    }
    return 0;
}

int bridge_fleet_sync(particle_client *client, bridge_writer *writer, bridge_budget *budget,
                      const bridge_config *cfg, const char *owner, bridge_fleet_state *state,
                      bridge_fleet_result *result, char *err, size_t err_size)
{
    fleet_run run = {.client = client,
                     .writer = writer,
                     .budget = budget,
                     .cfg = cfg,
                     .state = state,
                     .products_complete = true,
                     .started = pu_time_now_ms(),
                     .err = err,
                     .err_size = err_size};
    int64_t started = pu_time_now_ms();
    int rc = run_listings(&run, owner);
    run.res.elapsed_ms = pu_time_now_ms() - started;
    run.res.ran = true;
    for (size_t i = 0; i < run.doc_count; i++) {
        particle_doc_free(run.docs[i]);
    }
    free(run.products);
    if (result != NULL) {
        *result = run.res;
    }
    return rc;
}
