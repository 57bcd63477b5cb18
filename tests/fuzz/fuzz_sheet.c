/* fuzz_sheet.c — libFuzzer target: the xlsx/ods reader under the FCDO, OFSI and METI parsers.
 * Inputs are zip archives; small entry limits keep each run fast. */
#include <stddef.h>
#include <stdint.h>

#include "lists/lists.h"
#include "lists/sheet.h"
#include "lists/sources_extra.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static xc_status count_row(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
    (void)row;
    for (size_t i = 0; i < ncells; i++)
        *(size_t *)ctx += cells[i][0] != '\0';
    return XC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xc_error err;
    size_t cells = 0;
    xc__sheet_opts opts = {0};
    opts.max_entry = 1 << 22;
    opts.max_rows = 100000;
    xc__sheet_read_mem(data, size, XC__SHEET_AUTO, &opts, count_row, &cells, &err);
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc__parse_uk_fcdo_mem(&set, "FCDO_SL_fuzz.ods", data, size, &err);
    xc__parse_uk_ofsi_xlsx_mem(&set, "ConList.xlsx", data, size, &err);
    xc__parse_meti_mem(&set, "enduser.xlsx", data, size, &err);
    xc__listset_free(&set);
    return 0;
}
