#ifndef SIM_VERSION_H
#define SIM_VERSION_H

/* Version of particle-sim, the project's version (static string). */
const char *sim_version(void);

#endif
