/* fuzz_ofac_csv.c — libFuzzer target for the OFAC legacy CSV set parser. The input is split at
 * "@@@\n" into sdn.csv, alt.csv and add.csv (missing parts are absent files). */
#include <stdint.h>
#include <string.h>

#include "lists/lists.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *split(const char *s, size_t len, size_t *part_len, const char **rest,
                         size_t *rest_len)
{
    for (size_t i = 0; i + 4 <= len; i++)
        if (memcmp(s + i, "@@@\n", 4) == 0) {
            *part_len = i;
            *rest = s + i + 4;
            *rest_len = len - i - 4;
            return s;
        }
    *part_len = len;
    *rest = NULL;
    *rest_len = 0;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *sdn, *alt = NULL, *add = NULL, *rest;
    size_t sdn_len, alt_len = 0, add_len = 0, rest_len;
    sdn = split((const char *)data, size, &sdn_len, &rest, &rest_len);
    if (rest) {
        alt = split(rest, rest_len, &alt_len, &rest, &rest_len);
        if (rest)
            add = split(rest, rest_len, &add_len, &rest, &rest_len);
    }
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc_error err;
    xc__parse_ofac_csv_mem(&set, "us_ofac_sdn", sdn, sdn_len, alt, alt_len, add, add_len, &err);
    xc__listset_free(&set);
    return 0;
}
