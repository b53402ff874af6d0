/*
 * One scheduled report export as the configuration describes it ([export.<name>] sections,
 * config_export.c; docs/BRIDGE.md "Report exports"): which report, in which format, into
 * which file, how often and how hard to retry. A plain value.
 */
#ifndef BRIDGE_EXPORT_SPEC_H
#define BRIDGE_EXPORT_SPEC_H

#include <stdint.h>

#define BRIDGE_MAX_EXPORTS 16
#define BRIDGE_EXPORT_NAME_SIZE 64

/* A file (CSV or JSON, written atomically) or the report_snapshots table (through the
 * writer, migration 0013). */
typedef enum bridge_export_format {
    BRIDGE_EXPORT_CSV,
    BRIDGE_EXPORT_JSON,
    BRIDGE_EXPORT_TABLE
} bridge_export_format;

typedef struct bridge_export_spec {
    char name[BRIDGE_EXPORT_NAME_SIZE];   /* the section's <name>: letters, digits, '-', '_' */
    char report[BRIDGE_EXPORT_NAME_SIZE]; /* report: a name of api/reports.h */
    bridge_export_format format;          /* format: csv (default) or json */
    char directory[1024];                 /* directory: where the file is written */
    char file[256];           /* file: its name in directory; "" = <name>.csv or <name>.json */
    char product[64];         /* product: the report's product filter; "" = none */
    int64_t interval_ms;      /* interval: between two exports (default 15m) */
    unsigned int retries;     /* retries: attempts after a failure before the next interval */
    int64_t retry_backoff_ms; /* retry_backoff: the first retry's delay, doubled per retry */
} bridge_export_spec;

#endif
