/* Prints the bridge's OpenAPI document (what GET /api/v1/openapi.json serves) for
 * bridge-openapi.sh to check with a validator from the npm registry. */
#include <jansson.h>
#include <stdio.h>

#include "api/openapi.h"

int main(void)
{
    json_t *doc = bridge_openapi_document();
    if (doc == NULL || json_dumpf(doc, stdout, JSON_INDENT(1)) != 0) {
        fprintf(stderr, "could not write the OpenAPI document\n");
        json_decref(doc);
        return 1;
    }
    json_decref(doc);
    return 0;
}
