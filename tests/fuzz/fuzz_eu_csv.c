/* fuzz_eu_csv.c — libFuzzer target: the EU FSF CSV parser, and the OFSI ConList CSV parser
 * over the same bytes (both use the streaming CSV reader in extra.c). */
#include <stddef.h>
#include <stdint.h>

#include "lists/lists.h"
#include "lists/sources_extra.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc_error err;
    xc__parse_eu_csv_mem(&set, "fuzz.csv", data, size, &err);
    xc__parse_uk_ofsi_csv_mem(&set, "ConList.csv", data, size, &err);
    xc__listset_free(&set);
    return 0;
}
