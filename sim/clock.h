/*
 * sim_clock: the simulation clock. It runs with real time from a start instant, can be
 * paused (time stands still), resumed, and advanced by N ms, so tests see publishers fire
 * deterministically. Times are epoch milliseconds.
 *
 * Threads: all functions may be called from any thread (an internal mutex).
 */
#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sim_clock sim_clock;

/* A running clock reading @p start_ms now (0 = the wall clock). Aborts on OOM. */
sim_clock *sim_clock_new(int64_t start_ms);
void sim_clock_free(sim_clock *c); /* NULL-safe */
int64_t sim_clock_now(sim_clock *c);
void sim_clock_pause(sim_clock *c);
void sim_clock_resume(sim_clock *c);
bool sim_clock_paused(sim_clock *c);
/* Moves the clock forward by @p ms (>= 0), running or paused. */
void sim_clock_advance(sim_clock *c, int64_t ms);

#endif
