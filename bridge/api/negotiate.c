/* Content negotiation: the Accept header's media ranges with their q values. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/formats.h"

typedef struct media {
    const char *type;
    bridge_format format;
} media;

/* In order of preference when q values tie. */
static const media known[] = {
    {"application/json", BRIDGE_FORMAT_JSON},
    {"text/json", BRIDGE_FORMAT_JSON},
    {"application/xml", BRIDGE_FORMAT_XML},
    {"text/xml", BRIDGE_FORMAT_XML},
    {"application/senml+json", BRIDGE_FORMAT_SENML},
    {"text/csv", BRIDGE_FORMAT_CSV},
    {"application/senml+cbor", BRIDGE_FORMAT_SENML_CBOR},
};

static bridge_format first_allowed(unsigned int allowed)
{
    for (unsigned int f = BRIDGE_FORMAT_JSON; f <= BRIDGE_FORMAT_SENML_CBOR; f <<= 1) {
        if (allowed & f) {
            return (bridge_format)f;
        }
    }
    return BRIDGE_FORMAT_NONE;
}

bridge_format bridge_format_choose(const char *accept, const char *format_param,
                                   unsigned int allowed, const char **xml_type)
{
    *xml_type = "application/xml";
    if (format_param != NULL) {
        static const struct {
            const char *name;
            bridge_format f;
        } names[] = {{"json", BRIDGE_FORMAT_JSON},
                     {"xml", BRIDGE_FORMAT_XML},
                     {"senml", BRIDGE_FORMAT_SENML},
                     {"csv", BRIDGE_FORMAT_CSV},
                     {"senml-cbor", BRIDGE_FORMAT_SENML_CBOR}};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (strcasecmp(format_param, names[i].name) == 0) {
                return (allowed & names[i].f) ? names[i].f : BRIDGE_FORMAT_NONE;
            }
        }
        return BRIDGE_FORMAT_NONE;
    }
    if (accept == NULL || accept[0] == '\0') {
        return first_allowed(allowed);
    }
    bridge_format best = BRIDGE_FORMAT_NONE;
    double best_q = 0;
    const char *p = accept;
    while (*p) {
        /* One media range: "type/sub ; q=0.5 ; other=x" up to the next comma. */
        while (*p == ' ' || *p == ',') {
            p++;
        }
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ') {
            p++;
        }
        size_t len = (size_t)(p - start);
        double q = 1;
        while (*p && *p != ',') {
            if (strncasecmp(p, "q=", 2) == 0) {
                char *end = NULL;
                q = strtod(p + 2, &end);
                p = end > p + 2 ? end : p + 2;
                continue;
            }
            p++;
        }
        if (len == 0 || q <= 0) {
            continue;
        }
        bridge_format f = BRIDGE_FORMAT_NONE;
        const char *type = NULL;
        if ((len == 3 && strncmp(start, "*/*", 3) == 0) ||
            (len == 6 && strncasecmp(start, "text/*", 6) == 0) ||
            (len == 13 && strncasecmp(start, "application/*", 13) == 0)) {
            f = first_allowed(allowed);
        } else {
            for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
                if (strlen(known[i].type) == len && strncasecmp(start, known[i].type, len) == 0 &&
                    (allowed & known[i].format)) {
                    f = known[i].format;
                    type = known[i].type;
                    break;
                }
            }
        }
        if (f != BRIDGE_FORMAT_NONE && q > best_q) {
            best = f;
            best_q = q;
            if (f == BRIDGE_FORMAT_XML && type != NULL) {
                *xml_type = type;
            }
        }
    }
    return best;
}
