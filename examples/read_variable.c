/* Reads a cloud variable and prints it with its type.
 *
 *   read_variable <device id or name> <variable>
 */
#include <stdio.h>

#include <particle/particle.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <device> <variable>\n", argv[0]);
        return 2;
    }
    particle_global_init();
    particle_client *client = NULL;
    particle_variable *var = NULL;
    int status = 1;
    if (particle_client_new(&client, NULL) != 0 ||
        particle_variable_get(&var, client, argv[1], argv[2], NULL) != 0) {
        const particle_error *e = particle_error_last();
        fprintf(stderr, "%s: %s\n", particle_code_name(e->code), e->message);
        goto done;
    }
    switch (particle_variable_type(var)) {
    case PARTICLE_VALUE_INT:
        printf("int %lld\n", particle_variable_int(var));
        break;
    case PARTICLE_VALUE_DOUBLE:
        printf("double %g\n", particle_variable_double(var));
        break;
    case PARTICLE_VALUE_STRING:
        printf("string %s\n", particle_variable_string(var));
        break;
    case PARTICLE_VALUE_BOOL:
        printf("bool %s\n", particle_variable_bool(var) ? "true" : "false");
        break;
    default: {
        char *json = NULL;
        if (particle_value_to_json(&json, particle_variable_result(var), 0) == 0) {
            printf("json %s\n", json);
            particle_free(json);
        }
        break;
    }
    }
    status = 0;
done:
    particle_variable_free(var);
    particle_client_free(client);
    particle_global_cleanup();
    return status;
}
