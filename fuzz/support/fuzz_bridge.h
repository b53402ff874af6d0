/*
 * fuzz_bridge: one particle-bridge for the bridge's request fuzz targets. particle-sim runs
 * in-process (tests/data/fleets/small.json) as the bridge's cloud, and the bridge on top of
 * it: its SQLite file in a scratch directory (removed at exit), its API on loopback port 0
 * with one worker thread, the webhook receiver on. The first device sync has run when
 * fuzz_bridge_start() returns, so the API answers with the fleet. Started once per process;
 * inputs change the store (settings, webhook events), which is what a real bridge sees.
 */
#ifndef FUZZ_BRIDGE_H
#define FUZZ_BRIDGE_H

#define FUZZ_BRIDGE_API_KEY "fuzz-api-key-0123456789"
#define FUZZ_BRIDGE_WEBHOOK_SECRET "fuzz-webhook-secret-0123456789"

/* Starts the simulator and the bridge on first call (aborts if they do not start); returns
 * the bridge API's port. */
unsigned short fuzz_bridge_start(void);

/* Waits until what the bridge received so far is stored (the webhook path's writer). */
void fuzz_bridge_flush(void);

#endif
