/* particle-cli keeps its login in $HOME/.particle: profile.json says which profile is
 * active ({"name":"X"}, default "particle") and X.config.json holds apiUrl, access_token
 * and username. We read both so a developer logged in with particle-cli needs no setup. */
#include "profile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "alloc.h"
#include "internal.h"
#include "pu_str.h"

/* particle-cli's profile when profile.json names none. */
#define DEFAULT_PROFILE "particle"

/* Profile files are tiny; anything bigger is not one. */
#define PROFILE_MAX_BYTES (64 * 1024)

/* Loads @p path as a JSON object into *out. Returns 1 if the file does not exist, 0 on
 * success, a negative code with the error set otherwise. */
static int load_json_file(const char *path, json_t **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (errno == ENOENT || errno == ENOTDIR) {
            return 1;
        }
        return particle__error_set(PARTICLE_EIO, "cannot open %s: %s", path, strerror(errno));
    }
    char *buf = particle__malloc(PROFILE_MAX_BYTES + 1);
    if (buf == NULL) {
        fclose(f);
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    size_t n = fread(buf, 1, PROFILE_MAX_BYTES + 1, f);
    int read_failed = ferror(f);
    fclose(f);
    int error = PARTICLE_EIO;
    if (read_failed) {
        particle__error_set(error, "cannot read %s", path);
        goto done;
    }
    if (n > PROFILE_MAX_BYTES) {
        particle__error_set(error, "%s is larger than %d bytes", path, PROFILE_MAX_BYTES);
        goto done;
    }
    json_error_t jerr = {0};
    json_t *root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &jerr);
    /* jansson says out of memory with a code, or (when its lexer cannot start) with no
     * message at all: a parse error always has one */
    if (root == NULL &&
        (json_error_code(&jerr) == json_error_out_of_memory || jerr.text[0] == '\0')) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
        goto done;
    }
    if (root == NULL) {
        particle__error_set(error, "%s: line %d: %s", path, jerr.line, jerr.text);
        goto done;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        particle__error_set(error, "%s: not a JSON object", path);
        goto done;
    }
    *out = root;
    error = 0;
done:
    pu_secure_zero(buf, n > PROFILE_MAX_BYTES ? PROFILE_MAX_BYTES : n);
    particle__free(buf);
    return error;
}

/* Copies the string member @p key of @p obj into *dst (left NULL when absent or empty). */
static int copy_member(json_t *obj, const char *key, char **dst)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (s == NULL || *s == '\0') {
        return 0;
    }
    *dst = particle__strdup(s);
    return *dst == NULL ? particle__error_set(PARTICLE_ENOMEM, NULL) : 0;
}

/* A profile name becomes part of a file name: refuse anything that could leave the dir. */
static int profile_name_ok(const char *name)
{
    return *name != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
           strcmp(name, "..") != 0;
}

int particle__profile_read(particle__profile *out, const char *dir, const char *wanted)
{
    memset(out, 0, sizeof(*out));
    char dirbuf[4096];
    if (dir == NULL) {
        const char *home = getenv("HOME");
        if (home == NULL || *home == '\0') {
            out->name = particle__strdup(wanted != NULL ? wanted : DEFAULT_PROFILE);
            return out->name != NULL ? 0 : particle__error_set(PARTICLE_ENOMEM, NULL);
        }
        int n = snprintf(dirbuf, sizeof(dirbuf), "%s/.particle", home);
        if (n < 0 || (size_t)n >= sizeof(dirbuf)) {
            return particle__error_set(PARTICLE_EIO, "HOME is too long");
        }
        dir = dirbuf;
    }

    int error = 0;
    json_t *profile = NULL;
    json_t *config = NULL;
    char path[4200];
    int n = snprintf(path, sizeof(path), "%s/profile.json", dir);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        return particle__error_set(PARTICLE_EIO, "profile directory path is too long");
    }
    int rc = wanted == NULL ? load_json_file(path, &profile) : 0;
    if (rc < 0) {
        return rc;
    }
    const char *name =
        wanted != NULL ? wanted : json_string_value(json_object_get(profile, "name"));
    if (name == NULL || *name == '\0') {
        name = DEFAULT_PROFILE;
    }
    if (!profile_name_ok(name)) {
        error = wanted != NULL
                    ? particle__error_set(PARTICLE_EINVAL, "invalid profile name")
                    : particle__error_set(PARTICLE_EIO, "invalid profile name in %s", path);
        goto done;
    }
    n = snprintf(path, sizeof(path), "%s/%s.config.json", dir, name);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        error = particle__error_set(PARTICLE_EIO, "profile path is too long");
        goto done;
    }
    if ((out->name = particle__strdup(name)) == NULL ||
        (out->config_path = particle__strdup(path)) == NULL) {
        error = particle__error_set(PARTICLE_ENOMEM, NULL);
        goto done;
    }
    rc = load_json_file(path, &config);
    if (rc != 0) {
        error = rc < 0 ? rc : 0;
        goto done;
    }
    if ((error = copy_member(config, "apiUrl", &out->api_url)) < 0 ||
        (error = copy_member(config, "access_token", &out->access_token)) < 0 ||
        (error = copy_member(config, "username", &out->username)) < 0) {
        goto done;
    }
    if (out->api_url != NULL) {
        size_t len = strlen(out->api_url);
        while (len > 0 && out->api_url[len - 1] == '/') {
            out->api_url[--len] = '\0';
        }
    }
done:
    if (config != NULL) {
        /* the token lived in jansson's copy too */
        json_t *tok = json_object_get(config, "access_token");
        if (json_is_string(tok)) {
            pu_secure_zero((void *)json_string_value(tok), json_string_length(tok));
        }
    }
    json_decref(config);
    json_decref(profile);
    if (error < 0) {
        particle__profile_dispose(out);
    }
    return error;
}

void particle__profile_dispose(particle__profile *p)
{
    if (p->access_token != NULL) {
        pu_secure_zero(p->access_token, strlen(p->access_token));
    }
    particle__free(p->access_token);
    particle__free(p->api_url);
    particle__free(p->username);
    particle__free(p->name);
    particle__free(p->config_path);
    memset(p, 0, sizeof(*p));
}

int particle_profile_read(particle_profile **out, const char *dir)
{
    return particle_profile_read_named(out, dir, NULL);
}

int particle_profile_read_named(particle_profile **out, const char *dir, const char *name)
{
    if (out == NULL) {
        return particle__error_set(PARTICLE_EINVAL, "out is NULL");
    }
    *out = NULL;
    particle_profile *p = particle__malloc(sizeof(*p));
    if (p == NULL) {
        return particle__error_set(PARTICLE_ENOMEM, NULL);
    }
    int error = particle__profile_read(p, dir, name);
    if (error < 0) {
        particle__free(p);
        return error;
    }
    *out = p;
    return 0;
}

const char *particle_profile_name(const particle_profile *profile)
{
    return profile != NULL ? profile->name : NULL;
}

const char *particle_profile_config_path(const particle_profile *profile)
{
    return profile != NULL ? profile->config_path : NULL;
}

const char *particle_profile_api_url(const particle_profile *profile)
{
    return profile != NULL ? profile->api_url : NULL;
}

const char *particle_profile_access_token(const particle_profile *profile)
{
    return profile != NULL ? profile->access_token : NULL;
}

const char *particle_profile_username(const particle_profile *profile)
{
    return profile != NULL ? profile->username : NULL;
}

void particle_profile_free(particle_profile *profile)
{
    if (profile != NULL) {
        particle__profile_dispose(profile);
        particle__free(profile);
    }
}
