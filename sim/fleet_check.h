/*
 * particle-sim --check-fleet: validates a fleet fixture (docs/FLEET.md) with the loader
 * particle-sim starts with (sim_fleet_load, into a scratch model) and names every problem
 * with its line, not only the first.
 *
 * The loader stops at its first problem, so the check loads again without the top-level
 * element that failed (users[2], devices[7], ...) until the rest loads, up to
 * SIM_FLEET_CHECK_MAX problems. A problem found after another may follow from it (a device
 * whose owner was the broken user). Single-threaded.
 */
#ifndef SIM_FLEET_CHECK_H
#define SIM_FLEET_CHECK_H

#define SIM_FLEET_CHECK_MAX 100

/* One problem: @p line in the file (0 = the file as a whole) and what is wrong, as
 * "where: what" (e.g. "devices[3].template: unknown template \"sensor\""). */
typedef void (*sim_fleet_problem_fn)(void *user, int line, const char *message);

/* Checks the fixture at @p path. Returns the number of problems (0 = it loads). */
int sim_fleet_check(const char *path, sim_fleet_problem_fn report, void *user);

#endif
