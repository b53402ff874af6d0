/*
 * particlectl __complete WORD... CURRENT: the one completer behind the bash, zsh and fish
 * scripts (cli/completion/). It prints the candidates for CURRENT, one a line, and never
 * an error: a completion that cannot answer offers nothing.
 *
 * Everything comes from the command table, so a command added there completes with no
 * code here: command words from the names, options from each command's help text (an
 * option line "  --name ARG  ..." takes a value, "  --yes   ..." does not), positional
 * arguments from its synopsis (DEVICE, VARIABLE, FUNCTION, FILTER, PROFILE...).
 *
 * Device, variable and function names come from a short-lived cache: one file per API URL
 * in $XDG_CACHE_HOME/particlectl (default ~/.cache/particlectl; directory 0700, files
 * 0600) holding the device list, read again from the API when older than
 * CLI_COMPLETE_TTL_S. A device whose list entry lacks its variables and functions (the
 * real cloud's list) is read on its own and cached the same way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "particle/devices.h"

#include "cli.h"
#include "commands.h"
#include "filter.h"
#include "pu_hash.h"

/* How long a cached device list is trusted: long enough for one command line's worth of
 * TAB presses, short enough that a renamed device shows up soon. */
#define CLI_COMPLETE_TTL_S 60

/* The candidates: printed when they start with the current word. */
static void offer(const char *current, const char *candidate)
{
    if (candidate != NULL && strncmp(candidate, current, strlen(current)) == 0) {
        printf("%s\n", candidate);
    }
}

/* ---- the cache ---- */

/* "<cache dir>/<kind>-<hash of the API URL and device>.json" into @p buf; false when no
 * cache directory can be found or made. */
static bool cache_path(cli_ctx *ctx, const char *kind, const char *device, char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char dir[512];
    if (xdg != NULL && xdg[0] == '/') {
        if (mkdir(xdg, 0700) != 0 && errno != EEXIST) {
            return false;
        }
        snprintf(dir, sizeof(dir), "%s/particlectl", xdg);
    } else if (home != NULL && home[0] == '/') {
        char parent[480];
        snprintf(parent, sizeof(parent), "%s/.cache", home);
        if (mkdir(parent, 0700) != 0 && errno != EEXIST) {
            return false;
        }
        snprintf(dir, sizeof(dir), "%s/particlectl", parent);
    } else {
        return false;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        return false;
    }
    uint64_t h = pu_fnv1a64(cli_api_url(ctx));
    h = pu_fnv1a64_from(h, device != NULL ? device : "");
    return (size_t)snprintf(buf, size, "%s/%s-%016llx.json", dir, kind, (unsigned long long)h) <
           size;
}

/* The cached JSON at @p path when younger than the TTL, else NULL. */
static particle_doc *cache_read(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || time(NULL) - st.st_mtime > CLI_COMPLETE_TTL_S ||
        st.st_size > 4 * 1024 * 1024) {
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    char *text = fp != NULL ? malloc((size_t)st.st_size + 1) : NULL;
    particle_doc *doc = NULL;
    if (text != NULL && fread(text, 1, (size_t)st.st_size, fp) == (size_t)st.st_size) {
        particle_doc_parse(&doc, text, (size_t)st.st_size);
    }
    free(text);
    if (fp != NULL) {
        fclose(fp);
    }
    return doc;
}

/* Writes @p doc to @p path: a 0600 temporary file renamed into place. */
static void cache_write(const char *path, const particle_doc *doc)
{
    char *json = NULL;
    char tmp[600];
    if (particle_value_to_json(&json, particle_doc_root(doc), 0) != 0 ||
        (size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= sizeof(tmp)) {
        free(json);
        return;
    }
    int fd = mkstemp(tmp); /* 0600 */
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    bool ok = fp != NULL && fputs(json, fp) != EOF;
    if (fp != NULL) {
        ok = fclose(fp) == 0 && ok;
    } else if (fd >= 0) {
        close(fd);
    }
    if (fd >= 0 && (!ok || rename(tmp, path) != 0)) {
        unlink(tmp);
    }
    free(json);
}

/* The device list, from the cache or the API (then cached). NULL when neither answers. */
static particle_doc *device_list(cli_ctx *ctx)
{
    char path[600];
    particle_client *client;
    particle_doc *doc = NULL;
    bool cacheable = cache_path(ctx, "devices", NULL, path, sizeof(path));
    if (cacheable && (doc = cache_read(path)) != NULL) {
        return doc;
    }
    if (cli_client(ctx, &client, true) != 0 || particle_device_list(&doc, client, NULL) != 0) {
        return NULL;
    }
    if (cacheable) {
        cache_write(path, doc);
    }
    return doc;
}

/* One device with its variables and functions: its list entry when it has them, else
 * GET /v1/devices/DEVICE (cached). *owner gets the document to free. */
static const particle_value *device_detail(cli_ctx *ctx, const char *device, particle_doc **owner)
{
    char path[600];
    particle_client *client;
    particle_doc *list = device_list(ctx);
    const particle_value *root = particle_doc_root(list);
    for (size_t i = 0; i < particle_value_count(root); i++) {
        const particle_value *dev = particle_value_at(root, i);
        const char *name = particle_device_name(dev);
        const char *id = particle_device_id(dev);
        if (((name != NULL && strcmp(name, device) == 0) ||
             (id != NULL && strcmp(id, device) == 0)) &&
            particle_device_variables(dev) != NULL && particle_device_functions(dev) != NULL) {
            *owner = list;
            return dev;
        }
    }
    particle_doc_free(list);
    bool cacheable = cache_path(ctx, "device", device, path, sizeof(path));
    if (cacheable && (*owner = cache_read(path)) != NULL) {
        return particle_doc_root(*owner);
    }
    if (cli_client(ctx, &client, true) != 0 ||
        particle_device_get(owner, client, device, NULL) != 0) {
        *owner = NULL;
        return NULL;
    }
    if (cacheable) {
        cache_write(path, *owner);
    }
    return particle_doc_root(*owner);
}

/* ---- what to offer ---- */

static void offer_devices(cli_ctx *ctx, const char *current)
{
    particle_doc *doc = device_list(ctx);
    const particle_value *root = particle_doc_root(doc);
    for (size_t i = 0; i < particle_value_count(root); i++) {
        offer(current, particle_device_name(particle_value_at(root, i)));
    }
    particle_doc_free(doc);
}

static void offer_members(cli_ctx *ctx, const char *device, bool variables, const char *current)
{
    particle_doc *owner = NULL;
    const particle_value *dev = device != NULL ? device_detail(ctx, device, &owner) : NULL;
    const particle_value *m =
        variables ? particle_device_variables(dev) : particle_device_functions(dev);
    for (size_t i = 0; i < particle_value_count(m); i++) {
        offer(current, variables ? particle_value_key_at(m, i)
                                 : particle_value_string(particle_value_at(m, i)));
    }
    particle_doc_free(owner);
}

/* `list`'s FILTER: online, offline, the platform names, then the device names. */
static void offer_filters(cli_ctx *ctx, const char *current)
{
    offer(current, "online");
    offer(current, "offline");
    for (int id = 0; id < 1024; id++) {
        offer(current, cli_platform_name(id));
    }
    offer_devices(ctx, current);
}

/* Whether the "--" at @p p starts an option line of @p text: "  --name ..." or
 * "  -u, --name ..." (not a mention of an option inside a description). */
static bool at_option_start(const char *text, const char *p)
{
    const char *line = p;
    while (line > text && line[-1] != '\n') {
        line--;
    }
    line += strspn(line, " ");
    if (line[0] == '-' && line[1] != '-' && line[1] != '\0' && line[2] == ',' && line[3] == ' ') {
        line += 4;
    }
    return line == p;
}

/* The options of @p cmd (from its help text) and the global ones. */
static void offer_options(const cli_command *cmd, const char *current)
{
    for (size_t i = 0; cli_global_options[i].name != NULL; i++) {
        char opt[64];
        snprintf(opt, sizeof(opt), "--%s", cli_global_options[i].name);
        offer(current, opt);
    }
    for (const char *p = cmd != NULL ? cmd->options : NULL; p != NULL && (p = strstr(p, "--"));) {
        size_t len = strcspn(p, " ,=\n");
        char opt[64];
        if (len < sizeof(opt) && at_option_start(cmd->options, p)) {
            snprintf(opt, sizeof(opt), "%.*s", (int)len, p);
            offer(current, opt);
        }
        p += len;
    }
}

/* Whether option @p word of @p cmd takes a value (so the next word is that value). */
static bool takes_value(const cli_command *cmd, const char *word)
{
    if (strchr(word, '=') != NULL || strncmp(word, "--", 2) != 0) {
        return false;
    }
    for (size_t i = 0; cli_global_options[i].name != NULL; i++) {
        if (strcmp(word + 2, cli_global_options[i].name) == 0) {
            return cli_global_options[i].has_arg == required_argument;
        }
    }
    size_t len = strlen(word);
    for (const char *p = cmd != NULL ? cmd->options : NULL; p != NULL && (p = strstr(p, word));
         p += len) {
        /* "--name ARG  text": one space then a word; "--yes    text": two spaces */
        if (at_option_start(cmd->options, p) && p[len] == ' ' && p[len + 1] != ' ' &&
            p[len + 1] != '\n') {
            return true;
        }
    }
    return false;
}

/* The @p n-th word (from 0) of synopsis @p args, brackets and dots dropped, into @p buf. */
static bool synopsis_word(const char *args, int n, char *buf, size_t size)
{
    const char *p = args;
    for (int i = 0; *p != '\0'; i++) {
        p += strspn(p, " ");
        size_t len = strcspn(p, " ");
        if (len == 0) {
            break;
        }
        /* "DEVICE..." repeats: every later argument is one too */
        bool repeats = len > 3 && strncmp(p + len - 3, "...", 3) == 0;
        if (i == n || (repeats && n > i)) {
            size_t skip = strspn(p, "[");
            size_t keep = strcspn(p + skip, "]. |");
            snprintf(buf, size, "%.*s", (int)(keep < len ? keep : len), p + skip);
            return true;
        }
        p += len;
    }
    return false;
}

static void offer_positional(cli_ctx *ctx, const cli_command *cmd, char **pos, int npos,
                             const char *current)
{
    char kind[32];
    if (!synopsis_word(cmd->args, npos, kind, sizeof(kind))) {
        return;
    }
    /* the device these variables or functions belong to: the positional before them */
    const char *device = npos > 0 ? pos[npos - 1] : NULL;
    if (strcmp(kind, "DEVICE") == 0) {
        offer_devices(ctx, current);
    } else if (strcmp(kind, "VARIABLE") == 0) {
        offer_members(ctx, device, true, current);
    } else if (strcmp(kind, "FUNCTION") == 0) {
        offer_members(ctx, device, false, current);
    } else if (strcmp(kind, "FILTER") == 0) {
        offer_filters(ctx, current);
    } else if (strcmp(kind, "METHOD") == 0) {
        static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};
        for (size_t i = 0; i < CLI_COUNT(methods); i++) {
            offer(current, methods[i]);
        }
    }
}

/* The next command word after the @p n typed ones, for every command that starts so. */
static void offer_command_words(char **words, int n, const char *current)
{
    char prefix[256] = "";
    for (int i = 0; i < n; i++) {
        size_t len = strlen(prefix);
        snprintf(prefix + len, sizeof(prefix) - len, "%s%s", len ? " " : "", words[i]);
    }
    size_t plen = strlen(prefix);
    char last[64] = "";
    for (size_t i = 0; i < cli_command_count; i++) {
        const char *name = cli_commands[i].name;
        if (plen > 0 && (strncmp(name, prefix, plen) != 0 || name[plen] != ' ')) {
            continue;
        }
        const char *word = name + (plen > 0 ? plen + 1 : 0);
        char next[64];
        snprintf(next, sizeof(next), "%.*s", (int)strcspn(word, " "), word);
        if (strcmp(next, last) != 0) { /* the table keeps a group's commands together */
            offer(current, next);
            snprintf(last, sizeof(last), "%s", next);
        }
    }
    if (n == 0) {
        offer(current, "help");
    }
}

int cli_cmd_complete(cli_ctx *ctx, int argc, char **argv)
{
    /* argv[0] = "__complete", argv[1..argc-2] the words typed, argv[argc-1] the current */
    if (argc < 2) {
        return CLI_EXIT_OK;
    }
    const char *current = argv[argc - 1];
    char **pos = calloc((size_t)argc, sizeof(*pos));
    int npos = 0;
    const cli_command *cmd = NULL;
    int cmd_words = 0;
    bool value_next = false;
    if (pos == NULL) {
        return CLI_EXIT_OK;
    }
    for (int i = 1; i < argc - 1; i++) {
        if (value_next) {
            value_next = false;
        } else if (argv[i][0] == '-') {
            value_next = takes_value(cmd, argv[i]);
        } else {
            pos[npos++] = argv[i];
            /* the longest command name the words so far spell */
            char name[256] = "";
            for (int k = 0; k < npos && k < 4; k++) {
                size_t len = strlen(name);
                snprintf(name + len, sizeof(name) - len, "%s%s", len ? " " : "", pos[k]);
                const cli_command *c = cmd == NULL ? cli_find_command(name) : NULL;
                if (c != NULL) {
                    cmd = c;
                    cmd_words = k + 1;
                }
            }
        }
    }
    if (value_next) {
        /* a value of an option: nothing known to offer but files, which the shell does */
    } else if (current[0] == '-') {
        offer_options(cmd, current);
    } else if (cmd == NULL) {
        offer_command_words(pos, npos, current);
    } else {
        /* a group's command ("product device" is also "product device list"'s prefix) */
        if (npos == cmd_words) {
            offer_command_words(pos, npos, current);
        }
        offer_positional(ctx, cmd, pos + cmd_words, npos - cmd_words, current);
    }
    free(pos);
    fflush(stdout);
    return CLI_EXIT_OK;
}
