/*
 * cli_suggest: "did you mean" for a mistyped command or option. One generic function: the
 * parser asks it with the command names or with the option names it knows, so commands
 * added later get suggestions with no code of their own.
 */
#ifndef CLI_SUGGEST_H
#define CLI_SUGGEST_H

#include <stddef.h>

/*
 * The edit distance (insertions, deletions, substitutions and swaps of two neighbours, each
 * costing 1) between @p a and @p b, stopping at @p limit + 1 when it is larger.
 */
size_t cli_edit_distance(const char *a, const char *b, size_t limit);

/*
 * The candidate closest to @p typed among the @p n strings @p candidates (NULL entries
 * skipped), or NULL when none is close: a distance of at most 1 for words up to 4
 * characters, 2 up to 8, else 3. A tie goes to the earlier candidate.
 */
const char *cli_suggest(const char *typed, const char *const *candidates, size_t n);

#endif
