/*
 * loopback: the socket code the test servers share (canned_server, sse_server): a
 * listening socket on 127.0.0.1 at an ephemeral port, and a send that writes everything.
 */
#ifndef LOOPBACK_H
#define LOOPBACK_H

#include <stdbool.h>
#include <stddef.h>

/* A TCP socket listening on 127.0.0.1 at a port the kernel picks (port 0), with a backlog of
 * 16. Returns the descriptor with the port in *port_out, or -1 (errno set). */
int loopback_listen(int *port_out);

/* Sends all @p len bytes (retrying after EINTR; no SIGPIPE). Returns false when the peer is
 * gone or the send failed. */
bool loopback_send_all(int fd, const void *data, size_t len);

#endif
