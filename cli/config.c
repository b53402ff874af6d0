#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "particle/error.h"

#include "pu_str.h"

static char *join_path(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p != NULL) {
        snprintf(p, n, "%s/%s", a, b);
    }
    return p;
}

static const char *home_dir(void)
{
    const char *home = getenv("HOME");
    if (home != NULL && home[0] != '\0') {
        return home;
    }
    struct passwd *pw = getpwuid(getuid());
    return pw != NULL ? pw->pw_dir : NULL;
}

/* Loads @p path as a JSON object, for a rewrite that keeps the keys we do not know (the
 * fields are read by the SDK's particle_profile_read()). *out is NULL when the file does
 * not exist. */
static int load_object(const char *path, json_t **out, char err[CLI_CONFIG_ERR_SIZE])
{
    json_error_t jerr;
    *out = NULL;
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        if (errno == ENOENT) {
            return 0;
        }
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", path, strerror(errno));
        return -1;
    }
    json_t *root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
    fclose(fp);
    if (root == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: line %d: %s", path, jerr.line, jerr.text);
        return -1;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: not a JSON object", path);
        return -1;
    }
    *out = root;
    return 0;
}

void cli_config_dispose(cli_config *cfg)
{
    if (cfg == NULL) {
        return;
    }
    free(cfg->dir);
    particle_profile_free(cfg->profile);
    memset(cfg, 0, sizeof(*cfg));
}

/* (Re)reads cfg->profile from cfg->dir with the SDK's reader. */
static int read_profile(cli_config *cfg, char err[CLI_CONFIG_ERR_SIZE])
{
    particle_profile *fresh = NULL;
    if (particle_profile_read_named(&fresh, cfg->dir, cfg->chosen) != 0) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s", particle_error_last()->message);
        return -1;
    }
    particle_profile_free(cfg->profile);
    cfg->profile = fresh;
    return 0;
}

int cli_config_load(cli_config *cfg, const char *home, char err[CLI_CONFIG_ERR_SIZE])
{
    return cli_config_load_profile(cfg, home, NULL, err);
}

int cli_config_load_profile(cli_config *cfg, const char *home, const char *profile,
                            char err[CLI_CONFIG_ERR_SIZE])
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->chosen = profile;
    if (home == NULL) {
        home = home_dir();
    }
    if (home == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "cannot find the home directory (set HOME)");
        return -1;
    }
    if ((cfg->dir = join_path(home, ".particle")) == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "out of memory");
        return -1;
    }
    if (read_profile(cfg, err) != 0) {
        cli_config_dispose(cfg);
        return -1;
    }
    return 0;
}
/*
 * Writes @p obj to @p path atomically: a 0600 temporary file in the same directory (so the
 * rename stays on one file system), fsync, then rename over the old file.
 */
static int write_atomic(const char *path, json_t *obj, char err[CLI_CONFIG_ERR_SIZE])
{
    size_t n = strlen(path) + sizeof(".tmp-XXXXXX");
    char *tmp = malloc(n);
    int fd = -1;
    FILE *fp = NULL;
    int rc = -1;
    if (tmp == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "out of memory");
        return -1;
    }
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp); /* mkstemp creates the file 0600 */
    if (fd < 0 || fchmod(fd, 0600) != 0) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    fp = fdopen(fd, "w");
    if (fp == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", tmp, strerror(errno));
        goto done;
    }
    fd = -1; /* now owned by fp */
    if (json_dumpf(obj, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', fp) == EOF ||
        fflush(fp) != 0 || fsync(fileno(fp)) != 0) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: write failed: %s", tmp, strerror(errno));
        goto done;
    }
    if (fclose(fp) != 0) {
        fp = NULL;
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: write failed: %s", tmp, strerror(errno));
        goto done;
    }
    fp = NULL;
    if (rename(tmp, path) != 0) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    if (fp != NULL) {
        fclose(fp);
    }
    if (fd >= 0) {
        close(fd);
    }
    if (rc != 0) {
        unlink(tmp);
    }
    free(tmp);
    return rc;
}

static int ensure_dir(const cli_config *cfg, char err[CLI_CONFIG_ERR_SIZE])
{
    if (mkdir(cfg->dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", cfg->dir, strerror(errno));
        return -1;
    }
    char *profile_path = join_path(cfg->dir, "profile.json");
    if (profile_path == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "out of memory");
        return -1;
    }
    int rc = 0;
    if (access(profile_path, F_OK) != 0) {
        json_t *obj = json_pack("{ss}", "name", particle_profile_name(cfg->profile));
        rc = obj != NULL ? write_atomic(profile_path, obj, err) : -1;
        json_decref(obj);
    }
    free(profile_path);
    return rc;
}

int cli_config_update(cli_config *cfg, const cli_config_change *changes, size_t n,
                      char err[CLI_CONFIG_ERR_SIZE])
{
    const char *path = particle_profile_config_path(cfg->profile);
    json_t *obj = NULL;
    int rc = -1;
    if (ensure_dir(cfg, err) != 0 || load_object(path, &obj, err) != 0) {
        return -1;
    }
    if (obj == NULL && (obj = json_object()) == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (changes[i].value == NULL) {
            json_object_del(obj, changes[i].key);
        } else if (json_object_set_new(obj, changes[i].key, json_string(changes[i].value)) != 0) {
            snprintf(err, CLI_CONFIG_ERR_SIZE, "cannot store %s", changes[i].key);
            goto done;
        }
    }
    if (write_atomic(path, obj, err) != 0 || read_profile(cfg, err) != 0) {
        goto done;
    }
    rc = 0;
done:
    json_decref(obj);
    return rc;
}

#define TOKEN_MAX 1024

char *cli_config_read_token(const char *path, char err[CLI_CONFIG_ERR_SIZE])
{
    char buf[TOKEN_MAX + 1];
    FILE *fp = path != NULL ? fopen(path, "r") : stdin;
    const char *what = path != NULL ? path : "standard input";
    if (fp == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *line = fgets(buf, sizeof(buf), fp);
    if (path != NULL) {
        fclose(fp);
    }
    if (line == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: no token found", what);
        return NULL;
    }
    size_t len = strlen(buf);
    if (len == TOKEN_MAX && buf[len - 1] != '\n') {
        pu_secure_zero(buf, sizeof(buf));
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: token longer than %d bytes", what, TOKEN_MAX - 1);
        return NULL;
    }
    char *start = buf;
    while (*start == ' ' || *start == '\t') {
        start++;
    }
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' ||
                       buf[len - 1] == '\t')) {
        buf[--len] = '\0';
    }
    char *token = *start != '\0' ? strdup(start) : NULL;
    pu_secure_zero(buf, sizeof(buf));
    if (token == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: no token found", what);
    }
    return token;
}

/* A profile name that stays a file name inside the directory ("work", "staging-2"). */
static bool valid_profile_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 64 || name[0] == '.') {
        return false;
    }
    for (const char *c = name; *c != '\0'; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '-' || *c == '_' || *c == '.')) {
            return false;
        }
    }
    return true;
}

int cli_config_switch(cli_config *cfg, const char *name, char err[CLI_CONFIG_ERR_SIZE])
{
    if (!valid_profile_name(name)) {
        snprintf(err, CLI_CONFIG_ERR_SIZE,
                 "bad profile name '%s' (letters, digits, '-', '_' and '.', not first)", name);
        return -1;
    }
    if (mkdir(cfg->dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "%s: %s", cfg->dir, strerror(errno));
        return -1;
    }
    char *path = join_path(cfg->dir, "profile.json");
    json_t *obj = json_pack("{ss}", "name", name);
    int rc = -1;
    if (path == NULL || obj == NULL) {
        snprintf(err, CLI_CONFIG_ERR_SIZE, "out of memory");
    } else {
        rc = write_atomic(path, obj, err);
    }
    json_decref(obj);
    free(path);
    return rc == 0 ? read_profile(cfg, err) : -1;
}
