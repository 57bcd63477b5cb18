/*
 * bench_ident.c — the identifier index over the six official sources (as bench_snapshot
 * assembles them): what it costs at engine open (built from the entities on every open, also
 * after a snapshot load) next to the whole open from the snapshot, and what it holds: indexed
 * identifiers per list and class. Figures only.
 * Usage: bench_ident SHARED_DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "match/engine.h"
#include "match/ident.h"
#include "xcheck.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static xc_engine *open_engine(const char *data, const char *snap_dir)
{
    const char *paths[] = {data, NULL};
    xc_config cfg = {0};
    cfg.data_paths = paths;
    cfg.snapshot_dir = snap_dir;
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        fprintf(stderr, "bench_ident: %s\n", err.message);
    return eng;
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    char dir[] = "/tmp/xc-bench-ident-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char data[600], snaps[600], cmd[4096];
    snprintf(data, sizeof data, "%s/lists", dir);
    snprintf(snaps, sizeof snaps, "%s/snapshots", dir);
    mkdir(data, 0700);
    const char *L = "data/lists";
    snprintf(cmd, sizeof cmd,
             "cp %s/%s/ofac/sdn.csv %s/%s/ofac/alt.csv %s/%s/ofac/add.csv "
             "%s/%s/ofac/sdn_comments.csv %s/%s/un/consolidated.xml "
             "%s/%s/us-csl/consolidated.csv %s/%s/eu-fsf/trimmed/*.csv "
             "%s/%s/uk-fcdo/*.ods %s/%s/uk-ofsi/ConList.xlsx %s/ && "
             "/usr/bin/python3 ../tests/tools/make_meti_xlsx.py %s/%s/jp-meti/derived/jp.json "
             "%s/enduserlist_20250929.xlsx en",
             shared, L, shared, L, shared, L, shared, L, shared, L, shared, L, shared, L, shared,
             L, shared, L, data, shared, L, data);
    if (system(cmd) != 0) {
        printf("bench_ident: could not assemble the six sources from %s (skipped)\n", shared);
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        (void)!system(cmd);
        return getenv("CI") && strcmp(getenv("CI"), "true") == 0 ? 1 : 0;
    }
    xc_engine *eng = open_engine(data, snaps); /* writes the snapshot */
    if (!eng)
        return 1;
    xc_engine_close(eng);
    enum { RUNS = 21 };
    double open[RUNS], build[RUNS];
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        eng = open_engine(data, snaps);
        open[i] = now_ms() - t0;
        if (!eng || xc_engine_snapshot(eng)->state != XC_SNAPSHOT_LOADED) {
            fprintf(stderr, "bench_ident: snapshot not loaded\n");
            return 1;
        }
        xc__idindex *ix = NULL;
        t0 = now_ms();
        xc__idindex_build(&ix, &eng->lists, eng->index, NULL);
        build[i] = now_ms() - t0;
        xc__idindex_free(ix);
        if (i < RUNS - 1)
            xc_engine_close(eng);
    }
    double o = median(open, RUNS), b = median(build, RUNS);
    printf("open from snapshot (identifier index included), median of %d: %.1f ms\n", RUNS, o);
    printf("identifier index build alone, median of %d: %.2f ms (%.1f%% of the open; without "
           "it the open would take %.1f ms)\n", RUNS, b, 100 * b / o, o - b);
    /* what is indexed, per list id and class: the same rule as ident.c */
    size_t total = xc__idindex_count(eng->ids), listed = 0;
    printf("identifiers indexed: %zu\n", total);
    const xc__listset *set = &eng->lists;
    for (size_t l = 0; l < set->list_count; l++) {
        size_t counts[XC__ID_CLASS_COUNT] = {0}, raw = 0;
        bool seen = false; /* one line per list id (the CSL's DPL repeats BIS's) */
        for (size_t k = 0; k < l && !seen; k++)
            seen = strcmp(set->lists[k].id, set->lists[l].id) == 0;
        if (seen)
            continue;
        for (size_t e = 0; e < set->entity_count; e++) {
            const xc__entity *ent = &set->entities[e];
            if (strcmp(set->lists[ent->list].id, set->lists[l].id) != 0)
                continue;
            for (uint32_t k = 0; k < ent->ident_count; k++) {
                /* the listed value as a bare query id finds this entity when it is indexed */
                const char *one[] = {ent->idents[k].value, NULL};
                xc__idquery q;
                size_t nq = 0;
                xc__idhit hits[64];
                raw++;
                if (xc__idquery_parse(one, &q, &nq, NULL) != XC_OK || nq != 1)
                    continue;
                size_t nh = xc__idindex_find(eng->ids, &q, 1, hits, 64);
                for (size_t h = 0; h < nh; h++)
                    if (hits[h].entity == e) {
                        counts[hits[h].cls]++;
                        break;
                    }
            }
        }
        printf("  %-20s %6zu listed:", set->lists[l].id, raw);
        for (int c = 0; c < XC__ID_CLASS_COUNT; c++)
            if (counts[c]) {
                printf(" %s %zu", xc__id_class_name((xc__id_class)c), counts[c]);
                listed += counts[c];
            }
        printf("\n");
    }
    xc_engine_close(eng);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)!system(cmd);
    return 0;
}
