/* The event-stream route for a scope, as particle-api-js's getEventStream builds it. */
#include "stream_internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "pu_str.h"

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* Which of prefix/device/product/org a scope requires and which it allows. */
typedef struct scope_rule {
    const char *name;
    bool need_prefix, need_device, need_product, need_org;
    bool allow_device, allow_product, allow_org;
} scope_rule;

static const scope_rule *rule_for(particle_stream_scope scope)
{
    static const scope_rule mine = {
        "PARTICLE_STREAM_MINE", false, false, false, false, false, false, false};
    static const scope_rule all_public = {
        "PARTICLE_STREAM_ALL_PUBLIC", true, false, false, false, false, false, false};
    static const scope_rule device = {
        "PARTICLE_STREAM_DEVICE", false, true, false, false, true, false, false};
    static const scope_rule product = {
        "PARTICLE_STREAM_PRODUCT", false, false, true, false, false, true, false};
    static const scope_rule product_device = {
        "PARTICLE_STREAM_PRODUCT_DEVICE", false, true, true, false, true, true, false};
    static const scope_rule org = {
        "PARTICLE_STREAM_ORG", false, false, false, true, true, true, true};
    switch (scope) {
    case PARTICLE_STREAM_MINE:
        return &mine;
    case PARTICLE_STREAM_ALL_PUBLIC:
        return &all_public;
    case PARTICLE_STREAM_DEVICE:
        return &device;
    case PARTICLE_STREAM_PRODUCT:
        return &product;
    case PARTICLE_STREAM_PRODUCT_DEVICE:
        return &product_device;
    case PARTICLE_STREAM_ORG:
        return &org;
    }
    return NULL;
}

/* One option checked against its rule: required and missing, or present but unused. */
static int check_field(const scope_rule *rule, const char *field, const char *value, bool need,
                       bool allow)
{
    if (need && !given(value))
        return particle__error_set(PARTICLE_EINVAL, "%s requires %s", rule->name, field);
    if (!allow && !need && value != NULL)
        return particle__error_set(PARTICLE_EINVAL, "%s does not use %s", rule->name, field);
    return 0;
}

static int validate(const particle_stream_options *o)
{
    const scope_rule *rule = rule_for(o->scope);
    if (rule == NULL)
        return particle__error_set(PARTICLE_EINVAL, "unknown stream scope %d", (int)o->scope);
    int rc = check_field(rule, "device", o->device, rule->need_device, rule->allow_device);
    if (rc == 0)
        rc = check_field(rule, "product", o->product, rule->need_product, rule->allow_product);
    if (rc == 0)
        rc = check_field(rule, "org", o->org, rule->need_org, rule->allow_org);
    if (rc == 0)
        rc = check_field(rule, "prefix", o->prefix, rule->need_prefix, true);
    if (rc == 0 && (o->device != NULL && !given(o->device)))
        rc = particle__error_set(PARTICLE_EINVAL, "device is empty");
    if (rc == 0 && (o->product != NULL && !given(o->product)))
        rc = particle__error_set(PARTICLE_EINVAL, "product is empty");
    if (rc == 0 && (o->org != NULL && !given(o->org)))
        rc = particle__error_set(PARTICLE_EINVAL, "org is empty");
    return rc;
}

/* Percent-encodes @p value into *out when it is given; leaves NULL otherwise. */
static int encode_optional(char **out, const char *value)
{
    *out = NULL;
    if (!given(value))
        return 0;
    *out = particle__encode(value);
    return *out != NULL ? 0 : particle_error_last()->code;
}

int particle__stream_path(char **out, const particle_stream_options *opts)
{
    char *org = NULL, *product = NULL, *device = NULL, *prefix = NULL, *path = NULL;
    *out = NULL;
    int error = validate(opts);
    if (error != 0)
        return error;
    if ((error = encode_optional(&org, opts->org)) != 0 ||
        (error = encode_optional(&product, opts->product)) != 0 ||
        (error = encode_optional(&device, opts->device)) != 0 ||
        (error = encode_optional(&prefix, opts->prefix)) != 0)
        goto done;

    /* "/v1[/orgs/O][/products/P][/devices[/D]]/events[/PREFIX]": the "mine" scope is the
     * device segment without an id. The constant parts fit in 64 bytes. */
    bool devices = device != NULL || opts->scope == PARTICLE_STREAM_MINE;
    size_t size = 64;
    const char *parts[] = {org, product, device, prefix};
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (parts[i] != NULL && __builtin_add_overflow(size, strlen(parts[i]), &size)) {
            error = particle__error_set(PARTICLE_EINVAL, "stream options too long");
            goto done;
        }
    }
    path = particle__malloc(size);
    if (path == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
        goto done;
    }
    snprintf(path, size, "/v1%s%s%s%s%s%s%s/events%s%s", org ? "/orgs/" : "", org ? org : "",
             product ? "/products/" : "", product ? product : "", devices ? "/devices" : "",
             device ? "/" : "", device ? device : "", prefix ? "/" : "", prefix ? prefix : "");
    *out = path; /* now owned by the caller */
    path = NULL;
    error = 0;
done:
    particle__free(org);
    particle__free(product);
    particle__free(device);
    particle__free(prefix);
    particle__free(path);
    return error;
}
