/* Lists your devices, or every device of a product (all pages).
 *
 *   list_devices              # GET /v1/devices
 *   list_devices <product>    # GET /v1/products/<product>/devices, page after page
 *
 * The endpoint and token come from PARTICLE_API_BASE_URL / PARTICLE_ACCESS_TOKEN or
 * particle-cli's login (~/.particle). */
#include <stdio.h>

#include <particle/particle.h>

static void print_device(const particle_value *d)
{
    const char *name = particle_device_name(d);
    printf("%-24s  %-20s  %s\n", particle_device_id(d) ? particle_device_id(d) : "?",
           name ? name : "(unnamed)", particle_device_online(d) ? "online" : "offline");
}

static int fail(const char *what)
{
    const particle_error *e = particle_error_last();
    fprintf(stderr, "%s: %s (%s, HTTP %d)\n", what, e->message, particle_code_name(e->code),
            e->http_status);
    return 1;
}

int main(int argc, char **argv)
{
    if (particle_global_init() != 0) {
        return fail("init");
    }
    particle_client *client = NULL;
    int status = 0;
    if (particle_client_new(&client, NULL) != 0) {
        status = fail("client");
        goto done;
    }
    if (argc < 2) {
        particle_doc *doc = NULL;
        if (particle_device_list(&doc, client, NULL) != 0) {
            status = fail("list devices");
            goto done;
        }
        const particle_value *list = particle_doc_root(doc);
        for (size_t i = 0; i < particle_value_count(list); i++) {
            print_device(particle_value_at(list, i));
        }
        particle_doc_free(doc);
    } else {
        particle_device_list_options opts = PARTICLE_DEVICE_LIST_OPTIONS_INIT;
        opts.product = argv[1];
        opts.per_page = 100;
        particle_device_iter *it = NULL;
        if (particle_device_iter_new(&it, client, &opts) != 0) {
            status = fail("iterator");
            goto done;
        }
        const particle_value *d = NULL;
        while (particle_device_iter_next(&d, it) == 0 && d != NULL) {
            print_device(d);
        }
        if (d == NULL && particle_error_last()->code != PARTICLE_OK) {
            status = fail("list product devices");
        }
        particle_device_iter_free(it);
    }
done:
    particle_client_free(client);
    particle_global_cleanup();
    return status;
}
