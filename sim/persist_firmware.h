/*
 * The firmware part of --state (persist.c): product firmware as uploaded, edited and
 * released (binary included), and each device's firmware_version and updates setting after
 * an update. Not kept: updates under way (a restart drops them; devices take their target
 * again when they next connect), failure marks and flashed or prepared binaries (the fleet
 * file brings those back). Same rules as persist.c: the fleet loads first, prepared
 * statements only.
 */
#ifndef SIM_PERSIST_FIRMWARE_H
#define SIM_PERSIST_FIRMWARE_H

#include <sqlite3.h>

#include "model/sim_model.h"

extern const char SIM_PERSIST_FIRMWARE_SCHEMA[];

/* Writes what the file keeps of @p c, if it is a firmware change. */
void sim_persist_firmware_change(sqlite3 *db, const sim_model *m, const sim_change *c);
/* Replays the stored firmware onto @p m; the number applied, or -1 on a database error. */
int sim_persist_firmware_apply(sqlite3 *db, sim_model *m);
void sim_persist_firmware_wipe(sqlite3 *db);

#endif
