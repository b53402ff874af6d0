/*
 * particlectl's libcurl, loaded on the first request (curl_lazy.c; docs/BENCHMARKS.md,
 * "particlectl start-up"). The SDK's libcurl calls bind to curl_lazy.c's definitions; this
 * header is for the CLI's own code.
 */
#ifndef CLI_CURL_LAZY_H
#define CLI_CURL_LAZY_H

/* Why libcurl could not be loaded (the SDK's request then fails), or NULL: not tried yet, or
 * loaded. Set once; safe to read from any thread after the failed request. */
const char *cli_curl_load_error(void);

#endif
