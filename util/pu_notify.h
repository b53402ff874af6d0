/*
 * systemd's service notification protocol (sd_notify(3)), for Type=notify units: tells the
 * service manager READY=1, STATUS=..., RELOADING=1, STOPPING=1 and WATCHDOG=1.
 *
 * The protocol is one datagram of "KEY=value" lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace), documented by systemd as
 * a stable interface; twenty lines here rather than a libsystemd dependency for every
 * build and package, including the ones that never run under systemd. Without
 * $NOTIFY_SOCKET every call does nothing, so the programs behave the same outside a
 * service. Thread-safe (each call opens its own socket).
 */
#ifndef PU_NOTIFY_H
#define PU_NOTIFY_H

#include <signal.h>
#include <stdint.h>

/* Sends @p state ("READY=1", "STATUS=...\nREADY=1"). 0 sent or nothing to send to, -1 on
 * a socket error (errno set); a service is not stopped by a failed notification. */
int pu_notify(const char *state);

/* STATUS=<formatted text>: the one-line status `systemctl status` shows. */
int pu_notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* How often to send WATCHDOG=1: half of $WATCHDOG_USEC (WatchdogSec=) in milliseconds when
 * it is set for this process ($WATCHDOG_PID absent or ours), else 0 (no watchdog). */
int64_t pu_notify_watchdog_interval_ms(void);

/* sigwait(3) for a main thread that only waits for signals, sending WATCHDOG=1 every
 * pu_notify_watchdog_interval_ms() meanwhile. Returns the signal, or -1 on error. */
int pu_notify_sigwait(const sigset_t *set);

#endif
