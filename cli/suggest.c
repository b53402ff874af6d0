#include "suggest.h"

#include <string.h>

/* Damerau-Levenshtein (optimal string alignment) on three rolling rows. Words here are
 * command and option names, so a fixed row length is enough; longer ones never match. */
#define SUGGEST_MAX_LEN 64

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t cli_edit_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a);
    size_t lb = strlen(b);
    if (la >= SUGGEST_MAX_LEN || lb >= SUGGEST_MAX_LEN) {
        return limit + 1;
    }
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *before = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                before[j - 2] + 1 < cur[j]) {
                cur[j] = before[j - 2] + 1;
            }
            if (cur[j] < row_min) {
                row_min = cur[j];
            }
        }
        if (row_min > limit) {
            return limit + 1;
        }
        size_t *t = before;
        before = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] > limit ? limit + 1 : prev[lb];
}

const char *cli_suggest(const char *typed, const char *const *candidates, size_t n)
{
    size_t len = strlen(typed);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_distance = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (candidates[i] == NULL) {
            continue;
        }
        size_t d = cli_edit_distance(typed, candidates[i], limit);
        if (d < best_distance) {
            best = candidates[i];
            best_distance = d;
        }
    }
    return best;
}
