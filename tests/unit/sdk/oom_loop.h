/*
 * The out-of-memory loop of the SDK's OOM tests (jansson's test_chaos, sqlite's faultsim):
 * for one call, let n = 0, 1, 2, ... allocations succeed and fail every later one (the
 * SDK's own, libcurl's and jansson's), until the call succeeds. Every failing run must
 * return PARTICLE_ENOMEM, or one of the few other codes the test names for paths where a
 * library reports its own allocation failure as something else; must give nothing out;
 * and must leave the thread's error record describing that failure. LeakSanitizer (the
 * test builds run under ASan) checks that no run leaked.
 */
#ifndef OOM_LOOP_H
#define OOM_LOOP_H

#include "sdk_fixture.h"

#include "alloc.h"

#define OOM_MAX_ALLOCATIONS 100000L

/* The call under test: returns its code, sets *gave_out when it handed the caller an
 * object, and frees whatever it made. @p ctx is the test's (a client, a server). */
typedef int oom_call_fn(bool *gave_out, void *ctx);

/* What one loop saw. */
typedef struct oom_result {
    long runs;        /* failed runs before the call succeeded */
    long enomem_runs; /* of those, the ones that returned PARTICLE_ENOMEM */
} oom_result;

/* The record after a failing call: its code, a NUL-terminated non-empty message, no stale
 * MFA token, a Retry-After that is either absent or a delay. */
static inline void oom_assert_record_sane(int rc)
{
    const particle_error *e = particle_error_last();
    assert_int_equal(e->code, rc);
    assert_true(memchr(e->message, '\0', sizeof(e->message)) != NULL);
    assert_true(e->message[0] != '\0');
    assert_string_equal(e->mfa_token, "");
    assert_true(e->retry_after_ms >= -1);
}

/*
 * Runs @p call under ever larger allocation budgets until it succeeds. A failing run must
 * return PARTICLE_ENOMEM or one of the @p also_allowed codes (a 0-terminated list, NULL for
 * none). @p name labels the messages.
 */
static inline oom_result oom_loop(const char *name, oom_call_fn *call, void *ctx,
                                  const int *also_allowed)
{
    oom_result r = {0, 0};
    for (long n = 0; n < OOM_MAX_ALLOCATIONS; n++) {
        particle__alloc_fail_after(n);
        bool gave_out = false;
        int rc = call(&gave_out, ctx);
        unsigned long refused = particle__alloc_failed();
        particle__alloc_fail_after(-1);
        if (refused == 0) {
            if (rc != 0 || !gave_out) {
                fail_msg("%s: no allocation refused with %ld allowed, yet %s (%s)", name, n,
                         particle_code_name(rc), particle_error_last()->message);
            }
            print_message("%s: succeeded with %ld allocations; %ld of the failed runs were "
                          "ENOMEM\n",
                          name, n, r.enomem_runs);
            r.runs = n;
            return r;
        }
        bool allowed = rc == PARTICLE_ENOMEM;
        for (const int *a = also_allowed; !allowed && a != NULL && *a != 0; a++) {
            allowed = rc == *a;
        }
        if (!allowed || gave_out) {
            fail_msg("%s with %ld allocations allowed: %s (%s), result %s", name, n,
                     particle_code_name(rc), particle_error_last()->message,
                     gave_out ? "given out" : "none");
        }
        oom_assert_record_sane(rc);
        if (rc == PARTICLE_ENOMEM) {
            r.enomem_runs++;
        }
    }
    fail_msg("%s: still failing after %ld allocations", name, OOM_MAX_ALLOCATIONS);
    return r;
}

#endif
