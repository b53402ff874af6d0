/* Links with percent-encoded ids (see links.h), built with pu_buf's one percent encoder. */
#include "api/links.h"

#include <string.h>

#include "pu_buf.h"

/* Copies @p b into @p out, or writes it empty when an append failed (out of memory, or the
 * link would not fit: the buffer's cap is size - 1); disposes of @p b. */
static char *finish(pu_buf *b, char *out)
{
    if (b->error != 0 || b->data == NULL) {
        out[0] = '\0';
    } else {
        memcpy(out, b->data, b->len + 1);
    }
    pu_buf_dispose(b);
    return out;
}

char *bridge_link_function(char *out, size_t size, const char *cloud, const char *device,
                           const char *function)
{
    pu_buf b;
    pu_buf_init(&b, size - 1, NULL);
    pu_buf_append_str(&b, cloud);
    pu_buf_append_str(&b, "/v1/devices/");
    pu_buf_append_percent_encoded(&b, device);
    pu_buf_append_char(&b, '/');
    pu_buf_append_percent_encoded(&b, function);
    return finish(&b, out);
}

char *bridge_link_device(char *out, size_t size, const char *device)
{
    pu_buf b;
    pu_buf_init(&b, size - 1, NULL);
    pu_buf_append_str(&b, "/api/v1/devices/");
    pu_buf_append_percent_encoded(&b, device);
    pu_buf_append_str(&b, "/particle");
    return finish(&b, out);
}

char *bridge_link_readings(char *out, size_t size, const char *list, const char *device)
{
    pu_buf b;
    pu_buf_init(&b, size - 1, NULL);
    pu_buf_append_str(&b, "/api/v1/");
    pu_buf_append_str(&b, list);
    pu_buf_append_str(&b, "?device=");
    pu_buf_append_percent_encoded(&b, device);
    return finish(&b, out);
}
