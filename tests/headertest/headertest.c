/* Only includes the umbrella header: the build fails if a public header is not C99. */
#include <particle/particle.h>

int headertest_c_anchor(void);
int headertest_c_anchor(void)
{
    return PARTICLE_OK;
}
