/* A product's customers (cloud-api.md §9.4): listing and its page iterator, one customer
 * (found in the listing), creation with the product client's credentials or a team token
 * (the answer is the customer's token), password change, deletion, and the customer-scoped
 * token of §4.1. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "auth_internal.h"
#include "http.h"
#include "pager.h"
#include "particle/customers.h"
#include "value_internal.h"

/* Bounds the form of a creation or a password change; both are a few short fields. */
#define CUSTOMER_FORM_MAX_BYTES (64 * 1024)

int particle_customer_list_options_init(particle_customer_list_options *opts, unsigned int version)
{
    static const particle_customer_list_options defaults = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION, "customer list");
}

int particle_customer_create_options_init(particle_customer_create_options *opts,
                                          unsigned int version)
{
    static const particle_customer_create_options defaults = PARTICLE_CUSTOMER_CREATE_OPTIONS_INIT;
    return particle__options_init(opts, &defaults, sizeof(defaults), version,
                                  PARTICLE_CUSTOMER_CREATE_OPTIONS_VERSION, "customer create");
}

/* "/v1/products/<product>/customers", percent-encoded; NULL with the error set. */
static char *customers_path(const char *product)
{
    if (particle__require(product, "product id or slug") < 0) {
        return NULL;
    }
    return particle__api_path(product, "customers", NULL, NULL);
}

/* "/v1/products/<product>/customers/<email>", both required and percent-encoded. */
static char *customer_path(const char *product, const char *email)
{
    if (particle__require(product, "product id or slug") < 0 ||
        particle__require(email, "customer e-mail") < 0) {
        return NULL;
    }
    return particle__api_path(product, "customers", email, NULL);
}

/* ---- listing ---- */

/* `page` and `perPage`: the reference documents no paging keys for this listing, and
 * `perPage` is what the product device and SIM listings document (UNVERIFIED, §9.4). */
static int list_query(pu_buf *q, unsigned int page, unsigned int per_page)
{
    char num[32];
    if (page > 0) {
        snprintf(num, sizeof(num), "%u", page);
        pu_buf_append_param(q, "page", num);
    }
    if (per_page > 0) {
        snprintf(num, sizeof(num), "%u", per_page);
        pu_buf_append_param(q, "perPage", num);
    }
    if (pu_buf_error(q) != 0) {
        return particle__error_set(particle__buf_code(q), "cannot build the query string");
    }
    return 0;
}

/* One page into *out: @p page when non-zero, else opts->page. */
static int fetch_list(json_t **out, particle_client *c, const char *product,
                      const particle_customer_list_options *o, unsigned int page)
{
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_customer_list_options defaults = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    int error;
    if (o == NULL) {
        o = &defaults;
    } else if ((error = particle__options_check(o->version, PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION,
                                                "customer list")) < 0) {
        return error;
    }
    char *path = customers_path(product);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    error = list_query(&query, page > 0 ? page : o->page, o->per_page);
    if (error == 0) {
        particle__request req = {.method = "GET", .path = path, .query = query.data};
        error = particle__http_perform(c, &req, out);
    }
    pu_buf_dispose(&query);
    particle__free(path);
    return error;
}

int particle_customer_list(particle_doc **out, particle_client *c, const char *product,
                           const particle_customer_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    json_t *root = NULL;
    int error = fetch_list(&root, c, product, opts, 0);
    return error < 0 ? error : particle__doc_wrap(out, root);
}

/* ---- the page iterator ---- */

struct particle_customer_iter {
    particle_client *client;
    const char *product; /* the pager's copy */
    particle_customer_list_options opts;
    particle__pager pager;
};

void particle_customer_iter_free(particle_customer_iter *it)
{
    if (it == NULL) {
        return;
    }
    particle__pager_dispose(&it->pager);
    particle__free(it);
}

int particle_customer_iter_new(particle_customer_iter **out, particle_client *c,
                               const char *product, const particle_customer_list_options *opts)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    particle_customer_list_options defaults = PARTICLE_CUSTOMER_LIST_OPTIONS_INIT;
    if (opts == NULL) {
        opts = &defaults;
    }
    int error;
    if ((error = particle__options_check(opts->version, PARTICLE_CUSTOMER_LIST_OPTIONS_VERSION,
                                         "customer list")) < 0 ||
        (error = particle__require(product, "product id or slug")) < 0) {
        return error;
    }
    particle_customer_iter *it = particle__calloc(1, sizeof(*it));
    if (it == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    it->client = c;
    it->product = product;
    it->opts = *opts;
    particle__pager_init(&it->pager, "customers", "customer", opts->page);
    if ((error = particle__pager_keep(&it->pager, &it->product)) < 0) {
        particle_customer_iter_free(it);
        return error;
    }
    *out = it;
    return 0;
}

static int fetch_page(json_t **page, void *ctx, unsigned int page_no)
{
    particle_customer_iter *it = ctx;
    return fetch_list(page, it->client, it->product, &it->opts, page_no);
}

int particle_customer_iter_next(const particle_value **out, particle_customer_iter *it)
{
    if (out == NULL || it == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "NULL argument");
    }
    return particle__pager_next(&it->pager, out, fetch_page, it);
}

unsigned int particle_customer_iter_total_pages(const particle_customer_iter *it)
{
    return it == NULL ? 0 : it->pager.total_pages;
}

/* ---- one customer ---- */

/* No route gets one customer (§9.4): walk the listing and keep the one named @p email. */
int particle_customer_get(particle_doc **out, particle_client *c, const char *product,
                          const char *email)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    int error = particle__require(email, "customer e-mail");
    if (error < 0) {
        return error;
    }
    particle_customer_iter *it = NULL;
    if ((error = particle_customer_iter_new(&it, c, product, NULL)) < 0) {
        return error;
    }
    const particle_value *customer = NULL;
    while ((error = particle_customer_iter_next(&customer, it)) == 0 && customer != NULL) {
        const char *username = particle_customer_username(customer);
        if (username != NULL && strcasecmp(username, email) == 0) {
            break;
        }
    }
    if (error == 0 && customer == NULL) {
        error = particle__error_set(PARTICLE_ENOTFOUND, "no such customer of this product");
    } else if (error == 0) {
        json_t *copy = json_deep_copy(particle__json(customer));
        error = copy == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL)
                             : particle__doc_wrap(out, copy);
    }
    particle_customer_iter_free(it);
    return error;
}

/* ---- create, change, delete ---- */

/* The creation form: email, the password or no_password, and with a client id the
 * client_credentials grant fields particle-api-js createCustomer sends. */
static int create_form(pu_buf *form, const char *email, const particle_customer_create_options *o)
{
    pu_buf_append_param(form, "email", email);
    if (o->password != NULL && *o->password != '\0') {
        pu_buf_append_param(form, "password", o->password);
    }
    if (o->no_password) {
        pu_buf_append_param(form, "no_password", "true");
    }
    if (o->client_id != NULL) {
        pu_buf_append_param(form, "grant_type", "client_credentials");
        pu_buf_append_param(form, "client_id", o->client_id);
        pu_buf_append_param(form, "client_secret", o->client_secret);
    }
    if (pu_buf_error(form) != 0) {
        return particle__error_set(particle__buf_code(form), "cannot build the customer form");
    }
    return 0;
}

static int check_create(const particle_customer_create_options *o)
{
    if (o == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "customer create options are NULL");
    }
    int error = particle__options_check(o->version, PARTICLE_CUSTOMER_CREATE_OPTIONS_VERSION,
                                        "customer create");
    if (error < 0) {
        return error;
    }
    bool password_given = o->password != NULL && *o->password != '\0';
    if (password_given == (o->no_password != 0)) {
        return particle__error_set(PARTICLE_EINVAL, password_given
                                                        ? "a shadow customer has no password"
                                                        : "give a password or no_password");
    }
    if (o->client_id != NULL &&
        ((error = particle__require(o->client_id, "OAuth client id")) < 0 ||
         (error = particle__require(o->client_secret, "OAuth client secret")) < 0)) {
        return error;
    }
    if (o->client_id == NULL && o->client_secret != NULL) {
        return particle__error_set(PARTICLE_EINVAL, "a client secret without a client id");
    }
    return 0;
}

int particle_customer_create(particle_token **out, particle_client *c, const char *product,
                             const char *email, const particle_customer_create_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error;
    if ((error = check_create(opts)) < 0 || (error = particle__require(email, "e-mail")) < 0) {
        return error;
    }
    char *path = customers_path(product);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf form;
    particle__buf_init_secret(&form, CUSTOMER_FORM_MAX_BYTES);
    json_t *root = NULL;
    if ((error = create_form(&form, email, opts)) == 0) {
        particle__request req = {
            .method = "POST",
            .path = path,
            .body = form.data,
            .body_len = form.len,
            .content_type = PARTICLE__CT_FORM,
            /* the client credentials authenticate; a stored user token must not */
            .no_auth = opts->client_id != NULL,
            .retry_unsafe = (opts->flags & PARTICLE_LOGIN_RETRY) != 0,
        };
        error = particle__http_perform(c, &req, &root);
    }
    pu_buf_dispose(&form);
    particle__free(path);
    if (error < 0) {
        return error;
    }
    particle_token *tok = NULL;
    if ((error = particle__token_take(&tok, root)) < 0) {
        return error;
    }
    if (out != NULL) {
        *out = tok;
    } else {
        particle_token_free(tok);
    }
    return 0;
}

int particle_customer_set_password(particle_client *c, const char *product, const char *email,
                                   const char *password)
{
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    int error = particle__require(password, "password");
    if (error < 0) {
        return error;
    }
    char *path = customer_path(product, email);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf form;
    particle__buf_init_secret(&form, CUSTOMER_FORM_MAX_BYTES);
    if (pu_buf_append_param(&form, "password", password) < 0) {
        error = particle__error_set(particle__buf_code(&form), "cannot build the password form");
    } else {
        particle__request req = {
            .method = "PUT",
            .path = path,
            .body = form.data,
            .body_len = form.len,
            .content_type = PARTICLE__CT_FORM,
        };
        error = particle__http_perform(c, &req, NULL);
    }
    pu_buf_dispose(&form);
    particle__free(path);
    return error;
}

int particle_customer_delete(particle_client *c, const char *product, const char *email)
{
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = customer_path(product, email);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__request req = {.method = "DELETE", .path = path};
    int error = particle__http_perform(c, &req, NULL);
    particle__free(path);
    return error;
}

int particle_customer_token(particle_token **out, particle_client *c, const char *client_id,
                            const char *client_secret, const char *email,
                            const particle_login_options *opts)
{
    if (out != NULL) {
        *out = NULL;
    }
    particle_login_options o = PARTICLE_LOGIN_OPTIONS_INIT;
    int error;
    if (opts != NULL) {
        if ((error = particle__options_check(opts->version, PARTICLE_LOGIN_OPTIONS_VERSION,
                                             "login")) < 0) {
            return error;
        }
        if (opts->scope != NULL) {
            return particle__error_set(PARTICLE_EINVAL, "the customer token sets its own scope");
        }
        o = *opts;
    }
    if ((error = particle__require(email, "customer e-mail")) < 0) {
        return error;
    }
    pu_buf scope;
    particle__buf_init(&scope, CUSTOMER_FORM_MAX_BYTES);
    pu_buf_append_str(&scope, "customer=");
    pu_buf_append_str(&scope, email);
    if (pu_buf_error(&scope) != 0) {
        error = particle__error_set(particle__buf_code(&scope), "cannot build the scope");
    } else {
        o.scope = scope.data;
        error = particle_login_client_credentials_with(out, c, client_id, client_secret, &o);
    }
    pu_buf_dispose(&scope);
    return error;
}

const char *particle_customer_username(const particle_value *customer)
{
    return particle_value_string(particle_value_get(customer, "username"));
}
