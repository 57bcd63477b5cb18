/* regimes.c — TEMPORARY stub until the licence rules land (replaced by the regimes work). */
#include "regimes.h"
#include "../match/engine.h"

xc_status xc__regimes_open(xc__regimes **out, const char *dir, xc_error *err)
{
    (void)dir;
    *out = NULL;
    return xc__error_set(err, XC_NODATA, "licence rules not built yet");
}

void xc__regimes_close(xc__regimes *regimes)
{
    (void)regimes;
}

xc_status xc_decide_json(const xc_engine *eng, const char *json, size_t len, char **json_out,
                         xc_error *err)
{
    (void)eng;
    (void)json;
    (void)len;
    *json_out = NULL;
    return xc__error_set(err, XC_NODATA, "licence rules not built yet");
}
