/* Inside the library store (model/libraries.c, library_list.c, library_lookup.c): the struct and
 * the helpers they share. Threads: model lock held. */
#ifndef SIM_LIBRARY_STORE_H
#define SIM_LIBRARY_STORE_H

#include <stdbool.h>
#include <strings.h>

#include "model/sim_libraries.h"

struct sim_libraries {
    json_t *libraries; /* {name: library}, sim_libraries.h */
    /* The built-in libraries as first built: a clear copies them, since building them again
     * compresses every archive (most of a reset's time). */
    json_t *fixture;
    bool edited; /* changed since built or cleared: only then has a clear anything to copy */
    sim_libraries_saver *saver;
    void *saver_payload;
};

/* The library named @p name ignoring case, and its key (borrowed), or NULL. */
json_t *sim_library_find(const sim_libraries *l, const char *name, const char **key);
/* Whether @p user owns @p lib. */
bool sim_library_mine(const json_t *lib, const char *user);
/* The newest version of @p lib that @p user may see (public ones, every one for the owner),
 * or that version @p version when not NULL; NULL when none. */
json_t *sim_library_visible_latest(const json_t *lib, const char *user, const char *version);
/* Numeric comparison of dotted versions ("1.0.10" > "1.0.9"). */
int sim_library_version_compare(const char *a, const char *b);
/* The JSON:API item of version @p ver of library @p name (a new reference). */
json_t *sim_library_item(const char *name, const json_t *lib, const json_t *ver,
                         const sim_library_view *v);

#endif
