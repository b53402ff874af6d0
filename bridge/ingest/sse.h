/*
 * SSE ingest: one thread per event stream (the user's devices, or one product), running a
 * libparticle stream that reconnects by itself; every event that passes the event check
 * (ingest/event_check.h) goes to the writer together with its stream position (the SSE id),
 * so the store records where each stream left off, and a new stream (after a restart) asks
 * the cloud to replay from there. While the writer's queue is full the stream is not read.
 *
 * Threads: new and free from one controlling thread.
 */
#ifndef BRIDGE_SSE_H
#define BRIDGE_SSE_H

#include <stddef.h>

#include "ingest/writer.h"
#include "metrics.h"

typedef struct bridge_sse bridge_sse;

typedef struct bridge_sse_options {
    const char *cloud_url;      /* NULL/"" = the SDK's default */
    const char *access_token;   /* copied by the stream */
    const char *product;        /* NULL = the user's devices ("mine"); copied */
    bridge_writer *writer;      /* borrowed */
    bridge_metrics *metrics;    /* borrowed */
    bridge_store *cursor_store; /* borrowed, read during new only: the stream resumes after
                                   its stored Last-Event-ID; NULL = from now */
} bridge_sse_options;

/* Opens the stream and starts its thread. NULL with @p err. */
bridge_sse *bridge_sse_new(const bridge_sse_options *opts, char *err, size_t err_size);

/* The stream key stored with the cursor: "user" or "product:<id>". */
const char *bridge_sse_key(const bridge_sse *s);

/* Cancels the stream, joins its thread, frees. NULL-safe. */
void bridge_sse_free(bridge_sse *s);

#endif
