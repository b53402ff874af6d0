/* One JSON:API library item as a typed particle_library (libraries.h). The struct borrows
 * its strings from a reference to the item it was made of, which it holds until freed. */
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "internal.h"
#include "library_internal.h"
#include "particle/libraries.h"
#include "value_internal.h"

/* particle_library is the first member, so a particle_library * is the box's address. */
typedef struct library_box {
    particle_library lib;
    json_t *item; /* keeps the borrowed strings alive */
    const char **architectures;
    particle_library_dependency *dependencies;
} library_box;

static const char *string_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s != NULL ? s : "";
}

static int flag_of(const json_t *obj, const char *key)
{
    return json_is_true(json_object_get(obj, key)) ? 1 : 0;
}

/* The architectures: an array of strings (the API) or one comma-free string. */
static int fill_architectures(library_box *box, const json_t *attrs)
{
    const json_t *archs = json_object_get(attrs, "architectures");
    size_t n = json_is_array(archs) ? json_array_size(archs) : 0;
    if (n == 0) {
        return 0;
    }
    box->architectures = particle__calloc(n, sizeof(*box->architectures));
    if (box->architectures == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(archs, i));
        if (s != NULL) {
            box->architectures[kept++] = s;
        }
    }
    box->lib.architectures = box->architectures;
    box->lib.architecture_count = kept;
    return 0;
}

/* The dependencies: an object {name: version} (library.properties' dependencies.*). */
static int fill_dependencies(library_box *box, const json_t *attrs)
{
    json_t *deps = json_object_get(attrs, "dependencies");
    size_t n = json_is_object(deps) ? json_object_size(deps) : 0;
    if (n == 0) {
        return 0;
    }
    box->dependencies = particle__calloc(n, sizeof(*box->dependencies));
    if (box->dependencies == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    size_t kept = 0;
    const char *key;
    json_t *value;
    json_object_foreach(deps, key, value)
    {
        if (json_is_string(value)) {
            box->dependencies[kept++] =
                (particle_library_dependency){key, json_string_value(value)};
        }
    }
    box->lib.dependencies = box->dependencies;
    box->lib.dependency_count = kept;
    return 0;
}

int particle__library_from_json(particle_library **out, json_t *item)
{
    *out = NULL;
    json_t *attrs = json_object_get(item, "attributes");
    if (!json_is_string(json_object_get(attrs, "name"))) {
        return particle__error_set(PARTICLE_EPROTO, "a library item has no attributes.name");
    }
    library_box *box = particle__calloc(1, sizeof(*box));
    if (box == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    box->item = json_incref(item);
    particle_library *lib = &box->lib;
    lib->name = string_of(attrs, "name");
    lib->version = string_of(attrs, "version");
    lib->author = string_of(attrs, "author");
    lib->sentence = string_of(attrs, "sentence");
    lib->paragraph = string_of(attrs, "paragraph");
    lib->url = string_of(attrs, "url");
    lib->repository = string_of(attrs, "repository");
    lib->license = string_of(attrs, "license");
    lib->category = string_of(attrs, "category");
    lib->visibility = string_of(attrs, "visibility");
    lib->download_url = string_of(json_object_get(item, "links"), "download");
    json_t *installs = json_object_get(attrs, "installs");
    lib->installs = json_is_integer(installs) ? (int64_t)json_integer_value(installs) : 0;
    lib->official = flag_of(attrs, "official");
    lib->verified = flag_of(attrs, "verified");
    lib->mine = flag_of(attrs, "mine");
    int error = fill_architectures(box, attrs);
    if (error == 0) {
        error = fill_dependencies(box, attrs);
    }
    if (error < 0) {
        particle_library_free(lib);
        return error;
    }
    *out = lib;
    return 0;
}

int particle_library_parse(particle_library **out, const particle_value *item)
{
    if (out == NULL || item == NULL) {
        if (out != NULL) {
            *out = NULL;
        }
        return particle__error_set(PARTICLE_EINVAL, "out or item is NULL");
    }
    return particle__library_from_json(out, particle__json(item));
}

void particle_library_free(particle_library *lib)
{
    if (lib == NULL) {
        return;
    }
    library_box *box = (library_box *)lib;
    json_decref(box->item);
    particle__free(box->architectures);
    particle__free(box->dependencies);
    particle__free(box);
}
