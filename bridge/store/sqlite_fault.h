/*
 * A fault hook in the SQLite driver (store/sqlite.c), for tests that make the store fail the
 * way a full disk or a locked database does and check that nothing is lost.
 *
 *   bridge_sqlite_fault_inject(SQLITE_FULL, 0, 3);  // the next 3 steps/commits fail
 *   ...
 *   bridge_sqlite_fault_inject(0, 0, 0);            // off again
 *
 * After @p after more statement steps or SQL commands (BEGIN, COMMIT, migration scripts;
 * never ROLLBACK, so a failed transaction still ends cleanly) have run, the next @p count of them
 * fail with @p sqlite_rc (SQLITE_FULL, SQLITE_BUSY, SQLITE_IOERR, ...) without reaching
 * SQLite: the store returns BRIDGE_STORE_ERROR and its message names the code and says it was
 * injected. It is compiled in always (when off it costs one atomic load per step) and applies
 * to every SQLite handle of the process, or to one (bridge_sqlite_fault_inject_on). Thread-safe.
 */
#ifndef BRIDGE_STORE_SQLITE_FAULT_H
#define BRIDGE_STORE_SQLITE_FAULT_H

#include "store/store.h"

/* Arms the hook for every SQLite handle; @p count 0 disarms it. */
void bridge_sqlite_fault_inject(int sqlite_rc, unsigned after, unsigned count);

/* The same, for the steps and commands of one handle only (NULL: every handle), so a test can
 * fail the writer's connection while its own reads go through. Re-arming replaces the
 * target. */
void bridge_sqlite_fault_inject_on(const bridge_store *st, int sqlite_rc, unsigned after,
                                   unsigned count);

/* The failures still to come (0 when the hook is off or spent). */
unsigned bridge_sqlite_fault_pending(void);

#endif
