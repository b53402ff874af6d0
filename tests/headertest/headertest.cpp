// Only includes the umbrella header: the build fails if a public header is not C++.
#include <particle/particle.h>

int headertest_cxx_anchor();
int headertest_cxx_anchor()
{
    return PARTICLE_OK;
}
