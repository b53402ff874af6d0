/* Growing the model's arrays (declared in sim_internal.h). The simulator aborts on out of
 * memory, as the rest of it does. */
#include <stdint.h>
#include <stdlib.h>

#include "model/sim_internal.h"

void sim_model_reserve(void **arr, uint32_t need, uint32_t *cap, size_t elem)
{
    if (need <= *cap)
        return;
    uint32_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > UINT32_MAX / 2)
            abort();
        ncap *= 2;
    }
    size_t bytes;
    if (__builtin_mul_overflow((size_t)ncap, elem, &bytes))
        abort();
    void *n = realloc(*arr, bytes);
    if (!n)
        abort();
    *arr = n;
    *cap = ncap;
}
