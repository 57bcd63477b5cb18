/* fuzz_un_xml.c — libFuzzer target for the UN consolidated list XML parser: the input is the whole file. */
#include <stdint.h>

#include "lists/lists.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc_error err;
    xc__parse_un_xml_mem(&set, (const char *)data, size, "consolidated.xml", &err);
    xc__listset_free(&set);
    return 0;
}
