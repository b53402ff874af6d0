/* What every route shares about its query: the declared parameters (api/params.h), the
 * bad-parameter answer, and the list routes' paging (api/cursor.h, the Link header). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/routes/routes.h"
#include "pu_buf.h"

/* @p text as a JSON string; percent-encoded when it is not UTF-8 (a parameter's name is the
 * client's bytes, and the answer must still be JSON). */
static json_t *json_text(const char *text)
{
    json_t *s = json_string(text);
    if (s == NULL) {
        pu_buf b;
        pu_buf_xinit(&b);
        pu_buf_append_percent_encoded(&b, text);
        s = json_string(pu_buf_str(&b));
        pu_buf_dispose(&b);
    }
    return s;
}

void bridge_route_bad_parameter(httpd_response *res, const char *parameter, const char *message)
{
    httpd_response_json(res, 400,
                        json_pack("{s:b, s:s, s:o, s:o}", "ok", 0, "error", "bad_parameter",
                                  "parameter", json_text(parameter), "message",
                                  json_text(message)));
}

static bool add_pair(const char *name, const char *value, void *payload)
{
    return bridge_params_add(payload, name, value);
}

bool bridge_route_params(const httpd_request *req, httpd_response *res, bridge_route_id id,
                         bridge_params *out)
{
    const bridge_route_doc *doc = bridge_route_doc_get(id);
    bridge_params_init(out, doc->params, doc->param_count);
    if (!httpd_request_query_each(req, add_pair, out)) {
        bridge_route_bad_parameter(res, out->bad, out->message);
        return false;
    }
    return true;
}

bool bridge_route_time_range(const bridge_params *p, httpd_response *res, int64_t *from_ms,
                             int64_t *to_ms)
{
    const bridge_param_value *from = bridge_params_get(p, "from");
    const bridge_param_value *to = bridge_params_get(p, "to");
    *from_ms = from->text != NULL ? from->num : 0;
    *to_ms = to->text != NULL ? to->num : 0;
    if (from->text != NULL && to->text != NULL && to->num < from->num) {
        bridge_route_bad_parameter(res, "to", "is before from");
        return false;
    }
    return true;
}

bool bridge_route_page_start(const bridge_params *p, httpd_response *res, const char *list,
                             bridge_route_page *page)
{
    memset(page, 0, sizeof *page);
    page->list = list;
    const bridge_param_value *limit = bridge_params_get(p, "limit");
    page->limit = limit->text != NULL ? (unsigned int)limit->num : BRIDGE_PAGE_DEFAULT;
    const char *cursor = bridge_params_text(p, "cursor");
    if (cursor != NULL) {
        const char *why = NULL;
        if (!bridge_cursor_decode(cursor, list, &page->key, &why)) {
            bridge_route_bad_parameter(res, "cursor", why);
            return false;
        }
        page->after = true;
    }
    return true;
}

bool bridge_route_page_take(bridge_route_page *page, int64_t n1, int64_t n2, const char *s1,
                            const char *s2)
{
    if (page->rows == page->limit) {
        page->more = true; /* the store was asked for one row more than the page holds */
        return false;
    }
    page->rows++;
    page->last.n1 = n1;
    page->last.n2 = n2;
    snprintf(page->last.s1, sizeof page->last.s1, "%s", s1 != NULL ? s1 : "");
    snprintf(page->last.s2, sizeof page->last.s2, "%s", s2 != NULL ? s2 : "");
    return true;
}

static bool copy_pair(const char *name, const char *value, void *payload)
{
    if (strcmp(name, "cursor") != 0) {
        pu_buf_append_param(payload, name, value);
    }
    return true;
}

char *bridge_route_page_finish(const httpd_request *req, httpd_response *res,
                               const bridge_route_page *page)
{
    char cursor[BRIDGE_CURSOR_SIZE];
    if (!page->more || !bridge_cursor_encode(page->list, &page->last, cursor, sizeof cursor)) {
        return NULL;
    }
    pu_buf query;
    pu_buf_xinit(&query);
    httpd_request_query_each(req, copy_pair, &query);
    pu_buf_append_param(&query, "cursor", cursor);
    pu_buf url;
    pu_buf_xinit(&url);
    pu_buf_append_str(&url, httpd_request_path(req));
    pu_buf_append_char(&url, '?');
    pu_buf_append_str(&url, pu_buf_str(&query));
    pu_buf_dispose(&query);
    pu_buf header;
    pu_buf_xinit(&header);
    pu_buf_append_char(&header, '<');
    pu_buf_append_str(&header, pu_buf_str(&url));
    pu_buf_append_str(&header, ">; rel=\"next\"");
    httpd_response_header(res, "Link", pu_buf_str(&header));
    pu_buf_dispose(&header);
    size_t len = 0;
    return pu_buf_take(&url, &len);
}

char *bridge_route_envelope(const char *items_json, size_t items_len, const char *next,
                            size_t *len_out)
{
    pu_buf out;
    pu_buf_xinit(&out);
    pu_buf_append_str(&out, "{\"items\":");
    pu_buf_append(&out, items_json, items_len);
    pu_buf_append_str(&out, ",\"next\":");
    if (next != NULL) {
        json_t *text = json_string(next);
        char *quoted = text != NULL ? json_dumps(text, JSON_ENCODE_ANY) : NULL;
        pu_buf_append_str(&out, quoted != NULL ? quoted : "null");
        free(quoted);
        json_decref(text);
    } else {
        pu_buf_append_str(&out, "null");
    }
    pu_buf_append_char(&out, '}');
    return pu_buf_take(&out, len_out);
}
