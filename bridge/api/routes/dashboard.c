/*
 * The web dashboard's files (docs/BRIDGE.md, "Dashboard"), served without the API key (the
 * pages hold no data; every /api/v1 route they call still needs it):
 *   GET /                        index.html of [api] dashboard_dir
 *   GET /ui/vendor/chart.min.js  the file [api] chartjs_path names (Debian's libjs-chart.js)
 *   GET /ui/<file>               a file of dashboard_dir
 *   GET /ui/<dir>/<file>         a file of one of its sub-folders
 * A name is [A-Za-z0-9._-] without "..", with one of the known extensions; anything else, a
 * missing file, or a dashboard turned off (api->dashboard_dir NULL) answers 404. The router
 * has already percent-decoded each segment and never gives one holding '/', so a name that
 * passes cannot leave the folder. Every answer, 404s included, carries the security headers
 * below: the pages may load only their own files (no inline script or style).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/routes/routes.h"
#include "config.h"

#define DASHBOARD_FILE_MAX (16u << 20) /* bytes: the largest file served (Chart.js is ~200 KB) */

static const char content_security_policy[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

static const struct {
    const char *extension;
    const char *content_type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/vnd.microsoft.icon"},
    {".json", "application/json; charset=utf-8"},
};

static void security_headers(httpd_response *res)
{
    httpd_response_header(res, "Content-Security-Policy", content_security_policy);
    httpd_response_header(res, "X-Content-Type-Options", "nosniff");
    httpd_response_header(res, "Referrer-Policy", "no-referrer");
    httpd_response_header(res, "Cache-Control", "no-cache");
}

/* A file or folder name the dashboard may serve: [A-Za-z0-9._-]+ without "..". */
static bool safe_name(const char *name)
{
    static const char allowed[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._-";
    return name[0] != '\0' && name[strspn(name, allowed)] == '\0' && strstr(name, "..") == NULL &&
           strcmp(name, ".") != 0;
}

/* The content type of @p name's extension; NULL for one the dashboard does not serve. */
static const char *content_type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(dot, types[i].extension) == 0) {
            return types[i].content_type;
        }
    }
    return NULL;
}

/* Answers @p path's bytes as @p content_type, or 404 when it is no readable regular file. */
static void send_file(httpd_response *res, const char *path, const char *content_type)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (size_t)sb.st_size > DASHBOARD_FILE_MAX) {
        if (fd >= 0) {
            close(fd);
        }
        httpd_response_error(res, 404, NULL);
        return;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    char *body = malloc(size + 1);
    if (body == NULL) {
        fprintf(stderr, "particle-bridge: out of memory for a dashboard file\n");
        abort();
    }
    while (got < size) {
        ssize_t n = read(fd, body + got, size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; /* shrunk while read, or unreadable: send what is there */
        }
        got += (size_t)n;
    }
    close(fd);
    httpd_response_text(res, 200, content_type, body, got);
    free(body);
}

/* The dashboard's route @p id with @p dir (NULL: the top folder) and @p file. */
static void serve(const httpd_request *req, httpd_response *res, const bridge_api *api,
                  bridge_route_id id, const char *dir, const char *file)
{
    bridge_params p;
    security_headers(res);
    if (!bridge_route_params(req, res, id, &p)) {
        return;
    }
    const char *type = content_type_of(file);
    if (api->dashboard_dir == NULL || !safe_name(file) || (dir != NULL && !safe_name(dir)) ||
        type == NULL) {
        httpd_response_error(res, 404, NULL);
        return;
    }
    char path[BRIDGE_PATH_SIZE * 2];
    int n = dir != NULL ? snprintf(path, sizeof path, "%s/%s/%s", api->dashboard_dir, dir, file)
                        : snprintf(path, sizeof path, "%s/%s", api->dashboard_dir, file);
    if (n < 0 || (size_t)n >= sizeof path) {
        httpd_response_error(res, 404, NULL);
        return;
    }
    send_file(res, path, type);
}

static void get_index(const httpd_request *req, httpd_response *res, void *payload)
{
    serve(req, res, payload, BRIDGE_ROUTE_DASHBOARD_INDEX, NULL, "index.html");
}

static void get_file(const httpd_request *req, httpd_response *res, void *payload)
{
    serve(req, res, payload, BRIDGE_ROUTE_DASHBOARD_FILE, NULL, httpd_request_param(req, "file"));
}

static void get_subfile(const httpd_request *req, httpd_response *res, void *payload)
{
    serve(req, res, payload, BRIDGE_ROUTE_DASHBOARD_SUBFILE, httpd_request_param(req, "dir"),
          httpd_request_param(req, "file"));
}

static void get_chartjs(const httpd_request *req, httpd_response *res, void *payload)
{
    const bridge_api *api = payload;
    bridge_params p;
    security_headers(res);
    if (!bridge_route_params(req, res, BRIDGE_ROUTE_DASHBOARD_CHARTJS, &p)) {
        return;
    }
    if (api->dashboard_dir == NULL || api->chartjs_path == NULL) {
        httpd_response_error(res, 404, NULL);
        return;
    }
    send_file(res, api->chartjs_path, "text/javascript; charset=utf-8");
}

int bridge_routes_dashboard(httpd_server *srv, bridge_api *api)
{
    int rc = 0;
    rc |= httpd_route_add(srv, "GET", "/", HTTPD_ROUTE_PUBLIC, get_index, api);
    /* before /ui/:dir/:file, which it would match too */
    rc |= httpd_route_add(srv, "GET", "/ui/vendor/chart.min.js", HTTPD_ROUTE_PUBLIC, get_chartjs,
                          api);
    rc |= httpd_route_add(srv, "GET", "/ui/:file", HTTPD_ROUTE_PUBLIC, get_file, api);
    rc |= httpd_route_add(srv, "GET", "/ui/:dir/:file", HTTPD_ROUTE_PUBLIC, get_subfile, api);
    return rc == 0 ? 0 : -1;
}
