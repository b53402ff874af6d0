/*
 * bridge_partition: the share of a fleet one bridge owns when several bridges write to one
 * database (ARCHITECTURE.md: scale-out). With `[cloud] partition = K/N` a bridge keeps only
 * the devices whose id hashes to K of N (1-based): it syncs, polls and stores the events of
 * those, and N bridges with the same scope and partitions 1/N..N/N cover the fleet once.
 * The default 1/1 owns everything.
 *
 * Threads: plain values; no shared state.
 */
#ifndef BRIDGE_PARTITION_H
#define BRIDGE_PARTITION_H

#include <stdbool.h>

#define BRIDGE_MAX_PARTITIONS 1024

typedef struct bridge_partition {
    unsigned int index; /* 1..count */
    unsigned int count; /* 1 = the whole fleet (also for a zeroed struct) */
} bridge_partition;

/* Parses "K/N" with 1 <= K <= N <= BRIDGE_MAX_PARTITIONS. False on anything else. */
bool bridge_partition_parse(const char *text, bridge_partition *out);

/* Whether @p device_id belongs to the partition (always for count <= 1). */
bool bridge_partition_owns(const bridge_partition *p, const char *device_id);

#endif
