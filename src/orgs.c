/* Organizations (cloud-api.md §9.2): the user's organizations and one organization. An
 * organization's products are particle_product_list() with an org, its team is team.c. */
#include "alloc.h"
#include "http.h"
#include "internal.h"
#include "particle/products.h"
#include "resource.h"

int particle_org_list(particle_doc **out, particle_client *c)
{
    int error = particle__check_out_client(out, c);
    if (error < 0) {
        return error;
    }
    particle__call call = {.method = "GET",
                           .path = "/v1/orgs",
                           .key = "organizations",
                           .key_is_array = true,
                           .what = "organization list"};
    return particle__call_doc(out, c, &call);
}

int particle_org_get(particle_doc **out, particle_client *c, const char *org)
{
    int error = particle__check_out_client(out, c);
    if (error < 0 || (error = particle__require(org, "organization id or slug")) < 0) {
        return error;
    }
    char *path = particle__api_path(NULL, "orgs", org, NULL);
    if (path == NULL) {
        return particle_error_last()->code;
    }
    particle__call call = {
        .method = "GET", .path = path, .key = "organization", .what = "organization"};
    error = particle__call_doc(out, c, &call);
    particle__free(path);
    return error;
}
