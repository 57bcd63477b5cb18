/* bench_ofac.c — parity of the OFAC-parity scorer (--scorer ofac) with the scores OFAC's
 * Sanctions List Search recorded (nomenklatura's ofac_fixtures.csv in ../shared): the share within
 * 5 points on the development half, the test half and all rows, rows reproduced to the point and
 * the mean difference; and the scorer's cost per name pair. Prints figures only. */
#include <stdio.h>
#include <time.h>

#include "../tests/ofac_parity.h"
#include "match/engine.h"
#include "match/ofac_score.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    char path[4096];
    snprintf(path, sizeof path, "%s/data/eval/nomenklatura/ofac_fixtures.csv", shared);
    xc_config cfg = {0};
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng) {
        fprintf(stderr, "bench_ofac: %s\n", err.message);
        return 1;
    }
    ofac_parity p;
    if (ofac_parity_run(eng, path, false, &p) != 0) {
        printf("ofac parity: skipped (%s not readable)\n", path);
        xc_engine_close(eng);
        return 0;
    }
    static const char *const half_name[] = {"dev", "test"};
    for (int h = 0; h < 2; h++)
        printf("ofac parity %-4s within 5 points: %d/%d (%.3f); to the point %d/%d, mean |diff| "
               "%.2f\n",
               half_name[h], p.within[h], p.rows[h], ofac_parity_share(&p, h), p.exact[h],
               p.scored[h], p.scored[h] ? p.abs_err[h] / p.scored[h] : 0.0);
    printf("ofac parity all  within 5 points: %d/%d (%.3f)  [target >= 0.97; published "
           "emulations 0.93-0.96]\n",
           p.within[0] + p.within[1], p.rows[0] + p.rows[1], ofac_parity_share(&p, -1));

    /* Cost: prepare both names and score, as screening does per candidate. */
    static const char *const pairs[][2] = {
        {"VLADIMIR PUTIN", "PUTIN, Vladimir Vladimirovich"},
        {"MAHMOOD AHMED BASHIR-UD-DIN", "MAHMOOD, Sultan Bashir-Ud-Din"},
        {"GEORGE BUSH", "GROUPE ISLAMIQUE COMBATTANT MAROCAIN"},
        {"Nicolás Maduro", "MADURO MOROS, Nicolas"}};
    static xc__ofac_name q, c;
    int n = 0;
    double sink = 0, t0 = now();
    for (int rep = 0; rep < 50000; rep++)
        for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++, n++) {
            xc__ofac_prepare(eng->text, pairs[i][0], strlen(pairs[i][0]), &q);
            xc__ofac_prepare(eng->text, pairs[i][1], strlen(pairs[i][1]), &c);
            sink += xc__ofac_score(&q, &c, NULL);
        }
    double t = now() - t0;
    printf("ofac scorer: %.2f us per name pair (prepare both + score; %d pairs, checksum %.0f)\n",
           t / n * 1e6, n, sink);
    xc_engine_close(eng);
    return 0;
}
