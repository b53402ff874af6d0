#ifndef SIM_VERSION_H
#define SIM_VERSION_H

/* Version of particle-sim, e.g. "0.1.0" (static string). */
const char *sim_version(void);

#endif
