/* Device groups of a product (cloud-api.md §9.5): list, get, create, update, delete, one
 * device's absolute group list and the batch membership change. */
#include "particle/groups.h"
#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "resource.h"

int particle_group_options_init(particle_group_options *group, unsigned int version)
{
    static const particle_group_options defaults = PARTICLE_GROUP_OPTIONS_INIT;
    return particle__options_init(group, &defaults, sizeof(defaults), version,
                                  PARTICLE_GROUP_OPTIONS_VERSION, "group");
}

int particle_group_batch_options_init(particle_group_batch_options *batch, unsigned int version)
{
    static const particle_group_batch_options defaults = PARTICLE_GROUP_BATCH_OPTIONS_INIT;
    return particle__options_init(batch, &defaults, sizeof(defaults), version,
                                  PARTICLE_GROUP_BATCH_OPTIONS_VERSION, "group batch");
}

/* "/v1/products/<product>/groups", or NULL with the error set. */
static char *groups_path(const char *product)
{
    return particle__scoped_path("products", product, "product id or slug", "groups", NULL, NULL);
}

/* "/v1/products/<product>/groups/<name>" (@p name required), or NULL with the error set. */
static char *group_path(const char *product, const char *name)
{
    return particle__scoped_path("products", product, "product id or slug", "groups", name,
                                 "group name");
}

int particle_group_list(particle_doc **out, particle_client *c, const char *product,
                        const char *name_filter)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = groups_path(product);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    pu_buf query;
    particle__buf_init(&query, PARTICLE__PATH_MAX_BYTES);
    if (name_filter != NULL && name_filter[0] != '\0' &&
        pu_buf_append_param(&query, "name", name_filter) != 0) {
        error = particle__error_set(particle__buf_code(&query), "cannot build the query string");
    }
    if (error == 0) {
        particle__call call = {.method = "GET",
                               .path = path,
                               .query = query.data,
                               .key = "groups",
                               .key_is_array = true,
                               .what = "group list"};
        error = particle__call_doc(out, c, &call);
    }
    pu_buf_dispose(&query);
    particle__free(path);
    return error;
}

int particle_group_get(particle_doc **out, particle_client *c, const char *product,
                       const char *name)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    char *path = group_path(product, name);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {.method = "GET", .path = path, .key = "group", .what = "group"};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}

/* {name?, description?, color?} from the fields of @p g that are set; *count_out = how
 * many. */
static int group_body(json_t **out, const particle_group_options *g, int *count_out)
{
    *out = NULL;
    *count_out = 0;
    if (g == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "group options are NULL");
    }
    int error = particle__options_check(g->version, PARTICLE_GROUP_OPTIONS_VERSION, "group");
    if (error < 0) {
        return error;
    }
    if (g->name != NULL && g->name[0] == '\0') {
        return particle__error_set(PARTICLE_EINVAL, "group name is empty");
    }
    const struct {
        const char *key, *value;
    } fields[] = {{"name", g->name}, {"description", g->description}, {"color", g->color}};
    json_t *body = json_object();
    error = body == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    for (size_t i = 0; error == 0 && i < sizeof(fields) / sizeof(fields[0]); i++) {
        if (fields[i].value != NULL) {
            error = particle__json_add_text(body, fields[i].key, fields[i].value, fields[i].key);
            ++*count_out;
        }
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

/* Sends @p body (JSON; NULL = none) with @p method to @p path, the answer into *out. */
static int group_write(particle_doc **out, particle_client *c, const char *method, const char *path,
                       json_t *body)
{
    particle__call call = {.method = method, .path = path, .body = body};
    return particle__call_doc(out, c, &call);
}

int particle_group_create(particle_doc **out, particle_client *c, const char *product,
                          const particle_group_options *group)
{
    json_t *body = NULL;
    int count = 0;
    char *path = NULL;
    if (out != NULL) {
        *out = NULL;
    }
    int error = c == NULL ? particle__error_set(PARTICLE_EINVAL, "client is NULL")
                          : group_body(&body, group, &count);
    if (error == 0 && group->name == NULL) {
        error = particle__error_set(PARTICLE_EINVAL, "a new group needs a name");
    }
    if (error == 0 && (path = groups_path(product)) == NULL) {
        error = particle_error_last()->code;
    }
    if (error == 0) {
        error = group_write(out, c, "POST", path, body);
    }
    particle__free(path);
    json_decref(body);
    return error;
}

int particle_group_update(particle_doc **out, particle_client *c, const char *product,
                          const char *name, const particle_group_options *changes)
{
    json_t *body = NULL;
    int count = 0;
    char *path = NULL;
    if (out != NULL) {
        *out = NULL;
    }
    int error = c == NULL ? particle__error_set(PARTICLE_EINVAL, "client is NULL")
                          : group_body(&body, changes, &count);
    if (error == 0 && count == 0) {
        error = particle__error_set(PARTICLE_EINVAL, "the group update sets no field");
    }
    if (error == 0 && (path = group_path(product, name)) == NULL) {
        error = particle_error_last()->code;
    }
    if (error == 0) {
        error = group_write(out, c, "PUT", path, body);
    }
    particle__free(path);
    json_decref(body);
    return error;
}

int particle_group_delete(particle_client *c, const char *product, const char *name)
{
    if (c == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "client is NULL");
    }
    char *path = group_path(product, name);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    int error = group_write(NULL, c, "DELETE", path, NULL);
    particle__free(path);
    return error;
}

/* A JSON array of @p count non-empty strings (@p what names one in the error). */
static int string_array(json_t **out, const char *const *items, size_t count, const char *what)
{
    *out = NULL;
    if (items == NULL && count > 0) {
        return particle__error_set(PARTICLE_EINVAL, "the %s list is NULL", what);
    }
    for (size_t i = 0; i < count; i++) {
        if (items[i] == NULL || items[i][0] == '\0') {
            return particle__error_set(PARTICLE_EINVAL, "%s %zu is empty", what, i + 1);
        }
    }
    json_t *list = json_array();
    int error = list == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
    for (size_t i = 0; error == 0 && i < count; i++) {
        error = particle__json_add_text(list, NULL, items[i], what);
    }
    if (error < 0) {
        json_decref(list);
        return error;
    }
    *out = list;
    return 0;
}

int particle_device_set_groups(particle_doc **out, particle_client *c, const char *product,
                               const char *device, const char *const *groups, size_t count)
{
    json_t *body = NULL, *list = NULL;
    char *path = NULL;
    if (out != NULL) {
        *out = NULL;
    }
    int error = c == NULL ? particle__error_set(PARTICLE_EINVAL, "client is NULL")
                          : particle__require(product, "product id or slug");
    if (error == 0 && (error = string_array(&list, groups, count, "group")) == 0) {
        body = json_object();
        error = particle__json_set(body, "groups", list); /* takes list, also on failure */
    }
    if (error == 0 && (path = particle__device_path(product, device, NULL)) == NULL) {
        error = particle_error_last()->code;
    }
    if (error == 0) {
        error = group_write(out, c, "PUT", path, body);
    }
    particle__free(path);
    json_decref(body);
    return error;
}

/* {"action":"groups","devices":[...],"metadata":{"add":[...],"remove":[...]}}. */
static int batch_body(json_t **out, const particle_group_batch_options *b)
{
    json_t *devices = NULL, *add = NULL, *remove = NULL, *metadata = NULL, *body = NULL;
    *out = NULL;
    if (b->device_count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "no devices to change");
    }
    if (b->add_count == 0 && b->remove_count == 0) {
        return particle__error_set(PARTICLE_EINVAL, "no group to add or remove");
    }
    int error;
    if ((error = string_array(&devices, b->devices, b->device_count, "device")) < 0 ||
        (error = string_array(&add, b->add, b->add_count, "group to add")) < 0 ||
        (error = string_array(&remove, b->remove, b->remove_count, "group to remove")) < 0) {
        json_decref(devices);
        json_decref(add);
        return error;
    }
    metadata = json_object();
    body = json_object();
    /* particle__json_set() takes its value also on failure */
    error = particle__json_set(metadata, "add", add);
    if (error == 0) {
        error = particle__json_set(metadata, "remove", remove);
    } else {
        json_decref(remove);
    }
    if (error == 0) {
        error = particle__json_set(body, "metadata", metadata);
    } else {
        json_decref(metadata);
    }
    if (error == 0) {
        error = particle__json_set(body, "devices", devices);
    } else {
        json_decref(devices);
    }
    if (error == 0) {
        error = particle__json_set(body, "action", json_string("groups"));
    }
    if (error < 0) {
        json_decref(body);
        return error;
    }
    *out = body;
    return 0;
}

int particle_group_batch_update(particle_doc **out, particle_client *c, const char *product,
                                const particle_group_batch_options *batch)
{
    json_t *body = NULL;
    char *path = NULL;
    if (out != NULL) {
        *out = NULL;
    }
    int error = c == NULL ? particle__error_set(PARTICLE_EINVAL, "client is NULL")
                : batch == NULL
                    ? particle__error_set(PARTICLE_EINVAL, "batch options are NULL")
                    : particle__options_check(batch->version, PARTICLE_GROUP_BATCH_OPTIONS_VERSION,
                                              "group batch");
    if (error == 0) {
        error = particle__require(product, "product id or slug");
    }
    if (error == 0) {
        error = batch_body(&body, batch);
    }
    if (error == 0 && (path = particle__api_path(product, "devices", NULL, NULL)) == NULL) {
        error = particle_error_last()->code;
    }
    if (error == 0) {
        error = group_write(out, c, "PUT", path, body);
    }
    particle__free(path);
    json_decref(body);
    return error;
}

/* One group for @p count devices, on the add or the remove side. */
static int batch_one_group(particle_doc **out, particle_client *c, const char *product,
                           const char *group, const char *const *devices, size_t count, bool add)
{
    if (out != NULL) {
        *out = NULL;
    }
    int error = particle__require(group, "group name");
    if (error < 0) {
        return error;
    }
    particle_group_batch_options b = PARTICLE_GROUP_BATCH_OPTIONS_INIT;
    b.devices = devices;
    b.device_count = devices == NULL ? 0 : count;
    if (add) {
        b.add = &group;
        b.add_count = 1;
    } else {
        b.remove = &group;
        b.remove_count = 1;
    }
    return particle_group_batch_update(out, c, product, &b);
}

int particle_group_add_devices(particle_doc **out, particle_client *c, const char *product,
                               const char *group, const char *const *devices, size_t count)
{
    return batch_one_group(out, c, product, group, devices, count, true);
}

int particle_group_remove_devices(particle_doc **out, particle_client *c, const char *product,
                                  const char *group, const char *const *devices, size_t count)
{
    return batch_one_group(out, c, product, group, devices, count, false);
}
