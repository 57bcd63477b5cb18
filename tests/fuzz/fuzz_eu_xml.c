/* fuzz_eu_xml.c — libFuzzer target: the EU FSF XML 1.1 parser, and the FCDO UK Sanctions List
 * XML parser, on arbitrary bytes. */
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
    xc__parse_eu_xml_mem(&set, "fuzz.xml", data, size, &err);
    xc__parse_uk_fcdo_xml_mem(&set, "UK_Sanctions_List.xml", data, size, &err);
    xc__listset_free(&set);
    return 0;
}
