/* What the drivers share: each statement id's description, for error messages. */
#include "store/driver.h"

const char *bridge_stmt_what(bridge_stmt_id id)
{
    static const char *const what[BRIDGE_STMT_COUNT] = {
#define BRIDGE_STMT_WHAT_(name, text) text,
        BRIDGE_STMT_MAP(BRIDGE_STMT_WHAT_)
#undef BRIDGE_STMT_WHAT_
    };
    return (unsigned)id < BRIDGE_STMT_COUNT ? what[id] : "statement";
}
