/* Prints the version of the libparticle it runs with: the smallest program against the SDK. */
#include <stdio.h>

#include <particle/particle.h>

int main(void)
{
    printf("libparticle %s (built against %s)\n", particle_version(), PARTICLE_VERSION_STRING);
    return 0;
}
