/* fuzz_watchlist.c — libFuzzer target for the internal watch-list CSV parser: the input is the
 * whole file (the name carries a date, so the version path runs too). */
#include <stdint.h>

#include "lists/sources_own.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc_error err;
    xc__sniff_watchlist("w.csv", data, size);
    xc__parse_watchlist_mem(&set, "watch-2026-01-15.csv", data, size, &err);
    xc__listset_free(&set);
    return 0;
}
