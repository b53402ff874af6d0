/* Calls a cloud function and prints its return value. A device that does not answer
 * gives PARTICLE_EOFFLINE.
 *
 *   call_function <device id or name> <function> [argument]
 */
#include <stdio.h>

#include <particle/particle.h>

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: %s <device> <function> [argument]\n", argv[0]);
        return 2;
    }
    particle_global_init();
    particle_client *client = NULL;
    int result = 0, status = 1;
    if (particle_client_new(&client, NULL) != 0 ||
        particle_function_call(&result, client, argv[1], argv[2], argc == 4 ? argv[3] : "", NULL) !=
            0) {
        const particle_error *e = particle_error_last();
        fprintf(stderr, "%s: %s\n",
                e->code == PARTICLE_EOFFLINE ? "device did not answer"
                                             : particle_code_name(e->code),
                e->message);
    } else {
        printf("%d\n", result);
        status = 0;
    }
    particle_client_free(client);
    particle_global_cleanup();
    return status;
}
