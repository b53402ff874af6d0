/*
 * fuzz_bridge: one particle-bridge for the bridge's request fuzz targets. particle-sim runs
 * in-process (tests/data/fleets/small.json) as the bridge's cloud, and the bridge on top of
 * it: its SQLite file in a scratch directory (removed at exit), its API on loopback port 0
 * with one worker thread, the webhook receiver on. The first device sync has run when
 * fuzz_bridge_start() returns, so the API answers with the fleet. The simulator is started
 * once per process, the bridge again on an empty store after 500 inputs that may have
 * changed it (fuzz_bridge_changed) or a minute, whichever comes first: between those,
 * inputs and the simulator's devices change the store (settings, status posts, events),
 * which is what a real bridge sees, and the store stays small enough that a listing or
 * report does not grow slower input after input.
 */
#ifndef FUZZ_BRIDGE_H
#define FUZZ_BRIDGE_H

#define FUZZ_BRIDGE_API_KEY "fuzz-api-key-0123456789"
#define FUZZ_BRIDGE_WEBHOOK_SECRET "fuzz-webhook-secret-0123456789"

/* Starts the simulator on first call, and the bridge when there is none or it has run a
 * minute (aborts if they do not start); returns the bridge API's port. */
unsigned short fuzz_bridge_start(void);

/* Counts an input that may have changed the bridge's store; the 500th frees the bridge and
 * its store, and the next fuzz_bridge_start() starts a new one. */
void fuzz_bridge_changed(void);

/* Waits until what the bridge received so far is stored (the webhook path's writer). */
void fuzz_bridge_flush(void);

#endif
