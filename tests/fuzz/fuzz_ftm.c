/* fuzz_ftm.c — libFuzzer target for the OpenSanctions FollowTheMoney JSON Lines parser: the
 * input is the whole file. */
#include <stdint.h>

#include "lists/sources_own.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc_error err;
    xc__parse_ftm_mem(&set, "fuzz.entities.ftm.json", data, size, &err);
    xc__listset_free(&set);
    return 0;
}
