/* load.c — TEMPORARY stub until the list parsers land (replaced by the lists work). */
#include "lists.h"

xc_status xc__load_paths(xc__listset *set, const char *const *paths, xc_error *err)
{
    (void)set;
    if (paths && paths[0])
        return xc__error_set(err, XC_UNSUPPORTED, "list parsers not built yet");
    return XC_OK;
}
