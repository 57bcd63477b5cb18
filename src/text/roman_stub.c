/* roman_stub.c — TEMPORARY: no cross-script readings until the roman work lands. */
#include "roman.h"

struct xc__roman {
    int unused;
};

xc_status xc__roman_open(xc__roman **out, xc_error *err)
{
    (void)err;
    *out = xc__calloc(1, sizeof **out);
    return *out ? XC_OK : XC_NOMEM;
}

void xc__roman_close(xc__roman *roman)
{
    xc__free_mem(roman);
}

int xc__roman_readings(const xc__roman *roman, const char *utf8, size_t len, const char *country,
                       int max_readings, xc__roman_emit emit, void *ctx)
{
    (void)roman, (void)utf8, (void)len, (void)country, (void)max_readings, (void)emit, (void)ctx;
    return 0;
}

size_t xc__roman_key(const xc__roman *roman, const char *token, size_t len, char *out, size_t cap)
{
    (void)roman, (void)token, (void)len, (void)out, (void)cap;
    return 0;
}
