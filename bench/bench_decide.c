/*
 * bench_decide.c — licence decisions per second through the real rule tables (embedded
 * data/regimes): shipments are parsed once (JSON parsing is not the hot path), then
 * xc__decide_item runs over a mix of jurisdictions, items and destinations with the date moved
 * across the dated changes, so every call does the table lookups afresh (there is no cache of
 * answers). Prints the median of 5 runs, and for comparison the end-to-end rate of
 * xc_decide_json (parse + decide + render). Figures only; nothing is asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match/engine.h"
#include "regimes/regimes.h"

static const char *const shipments[] = {
    "{\"date\":\"2020-01-01\",\"exporter\":\"JP\",\"destination\":\"KR\",\"items\":[{\"jurisdiction\":\"JP\",\"code\":\"5(17)\"}],\"licences_held\":[\"general_bulk\"]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"JP\",\"destination\":\"KR\",\"items\":[{\"jurisdiction\":\"JP\",\"code\":\"6\"}]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"JP\",\"destination\":\"CN\",\"items\":[{\"jurisdiction\":\"JP\",\"code\":\"16\"}],\"end_use\":\"civil\"}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"JP\",\"destination\":\"US\",\"items\":[{\"jurisdiction\":\"JP\",\"code\":\"16\"}],\"informed\":true}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"KR\",\"destination\":\"JP\",\"items\":[{\"jurisdiction\":\"KR\",\"code\":\"3C002\"}]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"US\",\"destination\":\"CN\",\"items\":[{\"jurisdiction\":\"US\",\"code\":\"3C002.a\",\"value\":2000}]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"JP\",\"destination\":\"KR\",\"items\":[{\"jurisdiction\":\"US\",\"code\":\"1C009.b\",\"value\":2000}]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"US\",\"destination\":\"IN\",\"items\":[{\"jurisdiction\":\"US\",\"code\":\"2B001\"}]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"US\",\"destination\":\"DE\",\"items\":[{\"jurisdiction\":\"US\",\"code\":\"EAR99\"}]}",
    "{\"date\":\"2020-01-01\",\"exporter\":\"DE\",\"destination\":\"JP\",\"items\":[{\"jurisdiction\":\"EU\",\"code\":\"3C002\"}]}",
};
#define NSHIP (sizeof shipments / sizeof shipments[0])

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct xc_engine eng;
    memset(&eng, 0, sizeof eng);
    xc_error err = {0};
    double t0 = now();
    if (xc__regimes_open(&eng.regimes, NULL, &err) != XC_OK) {
        fprintf(stderr, "bench_decide: %s\n", err.message);
        return 1;
    }
    printf("regime tables loaded in %.1f ms (%s)\n", (now() - t0) * 1e3,
           xc__regimes_version(eng.regimes));
    xc__arena *arena = xc__arena_new(1 << 16);
    xc__shipment ship[NSHIP];
    for (size_t i = 0; i < NSHIP; i++)
        if (xc__shipment_parse(eng.regimes, shipments[i], strlen(shipments[i]), arena, &ship[i],
                               &err) != XC_OK) {
            fprintf(stderr, "bench_decide: shipment %zu: %s\n", i, err.message);
            return 1;
        }
    /* dates spanning the dated changes (2009 .. 2026) */
    int32_t dates[64];
    int32_t start;
    xc__date_parse_iso("2009-01-01", &start);
    for (int i = 0; i < 64; i++)
        dates[i] = start + i * 101;

    const long iterations = 4000000;
    double rates[5];
    unsigned long sink = 0;
    for (int run = 0; run < 5; run++) {
        double t = now();
        for (long i = 0; i < iterations; i++) {
            xc__shipment *s = &ship[i % NSHIP];
            s->date = dates[(i / NSHIP) & 63];
            xc__decision d;
            xc__decide_item(eng.regimes, s, &s->items[0], &d);
            sink += d.outcome + d.licences + d.reason_count;
        }
        rates[run] = (double)iterations / (now() - t);
    }
    qsort(rates, 5, sizeof rates[0], cmp_double);
    printf("decide (no parties, %zu shipment kinds, 64 dates): %.0f decisions/s single core "
           "(median of 5; min %.0f, max %.0f) [checksum %lu]\n",
           NSHIP, rates[2], rates[0], rates[4], sink % 1000);

    /* end to end, for comparison: JSON parse + decide + render */
    const long e2e = 100000;
    double e2e_rates[5];
    for (int run = 0; run < 5; run++) {
        double t = now();
        for (long i = 0; i < e2e; i++) {
            const char *json = shipments[i % NSHIP];
            char *out = NULL;
            if (xc_decide_json(&eng, json, strlen(json), &out, &err) != XC_OK) {
                fprintf(stderr, "bench_decide: %s\n", err.message);
                return 1;
            }
            xc_free(out);
        }
        e2e_rates[run] = (double)e2e / (now() - t);
    }
    qsort(e2e_rates, 5, sizeof e2e_rates[0], cmp_double);
    printf("xc_decide_json end to end (parse + decide + render): %.0f shipments/s (median of 5)\n",
           e2e_rates[2]);
    xc__arena_free(arena);
    xc__regimes_close(eng.regimes);
    return 0;
}
