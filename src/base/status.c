/*
 * status.c — the status table's names and messages, and the xc_error setter. The table itself
 * is XC_STATUS_MAP in xcheck.h, so the enum, the names and the texts cannot drift apart.
 */
#include <stdio.h>

#include "base.h"

const char *xc_status_name(xc_status status)
{
    switch (status) {
#define XC__STATUS_NAME(name, num, text) \
    case XC_##name:                      \
        return "XC_" #name;
        XC_STATUS_MAP(XC__STATUS_NAME)
#undef XC__STATUS_NAME
    }
    return "XC_UNKNOWN";
}

const char *xc_strerror(xc_status status)
{
    switch (status) {
#define XC__STATUS_TEXT(name, num, text) \
    case XC_##name:                      \
        return text;
        XC_STATUS_MAP(XC__STATUS_TEXT)
#undef XC__STATUS_TEXT
    }
    return "unknown status";
}

xc_status xc__error_set(xc_error *err, xc_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

void xc_free(void *ptr)
{
    xc__free_mem(ptr);
}
