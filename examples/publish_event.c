/* Publishes a private event.
 *
 *   publish_event <name> [data]
 */
#include <stdio.h>

#include <particle/particle.h>

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s <name> [data]\n", argv[0]);
        return 2;
    }
    particle_global_init();
    particle_client *client = NULL;
    int status = 1;
    particle_publish_options ev = PARTICLE_PUBLISH_OPTIONS_INIT;
    ev.name = argv[1];
    ev.data = argc == 3 ? argv[2] : NULL;
    if (particle_client_new(&client, NULL) != 0 || particle_event_publish(client, &ev) != 0) {
        const particle_error *e = particle_error_last();
        fprintf(stderr, "%s: %s\n", particle_code_name(e->code), e->message);
    } else {
        status = 0;
    }
    particle_client_free(client);
    particle_global_cleanup();
    return status;
}
