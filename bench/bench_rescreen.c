/*
 * bench_rescreen.c — delta re-screening and store write figures (run by `make bench`):
 *   - 100,000 counterparties generated deterministically (every primary name of the
 *     2024-05-02 SDN file that is not too short, then yente's negatives, global and US, in file
 *     order, up to 100,000), imported into a fresh store;
 *   - the first run (no previous version: everyone screened in full against 2024-04-26);
 *   - the weekly change 2024-04-26 -> 2024-05-01 (298 entities added), then the daily change
 *     2024-05-01 <-> 2024-05-02 back and forth (7 entities each way), each a delta re-screen of
 *     all 100,000 parties; median of the daily runs;
 *   - store write rate with the audit chain on: one commit per entry, and batched in one
 *     transaction; median of 3.
 * usage: bench_rescreen SHARED_DIR. Figures only; nothing is asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xcheck.h"

#define PARTIES 100000

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

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Writes the parties CSV; returns the number of rows. */
static int make_parties(const char *path, const char *shared)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return 0;
    fprintf(out, "id,name\n");
    char file[1024], line[65536];
    int n = 0;
    snprintf(file, sizeof file, "%s/data/lists/ofac/history/sdn-2024-05-02.csv", shared);
    FILE *in = fopen(file, "r");
    while (in && n < PARTIES && fgets(line, sizeof line, in)) {
        char *q = strchr(line, '"'), *end = q ? strchr(q + 1, '"') : NULL;
        if (!end || end - q < 6)
            continue;
        *end = '\0';
        fprintf(out, "l%d,\"%s\"\n", n++, q + 1);
    }
    if (in)
        fclose(in);
    static const char *const negatives[] = {"negatives_global.csv", "negatives_us.csv"};
    for (int f = 0; f < 2 && n < PARTIES; f++) {
        snprintf(file, sizeof file, "%s/data/eval/yente/%s", shared, negatives[f]);
        in = fopen(file, "r");
        for (int i = 0; in && n < PARTIES && fgets(line, sizeof line, in); i++) {
            char *comma = strchr(line, ',');
            if (i == 0 || !comma || line[0] == '"')
                continue;
            *comma = '\0';
            fprintf(out, "n%d,\"%s\"\n", n++, line);
        }
        if (in)
            fclose(in);
    }
    fclose(out);
    return n;
}

static int install(xc_store *store, const char *tmp, const char *shared, const char *date)
{
    char from[1024], cmd[3000], table[1024], data[1024];
    snprintf(from, sizeof from, "%s/v%s", tmp, date);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/ofac' && ln -sf '%s/data/lists/ofac/history/sdn-%s.csv' "
             "'%s/ofac/sdn.csv'", from, shared, date, from);
    if (system(cmd) != 0)
        return 1;
    snprintf(table, sizeof table, "%s/sources.tsv", tmp);
    snprintf(data, sizeof data, "%s/data", tmp);
    FILE *f = fopen(table, "w");
    if (!f)
        return 1;
    fputs("us_ofac_sdn\tsdn.csv\tyes\tofac\thttp://127.0.0.1:1/sdn.csv\n", f);
    fclose(f);
    xc_update_opts opts = {.from_dir = from, .data_dir = data, .sources_file = table,
                           .max_shrink_percent = 100, .allow_incomplete = 1}; /* sdn.csv alone */
    xc_error err = {0};
    if (xc_update_lists(store, &opts, &err) != XC_OK) {
        fprintf(stderr, "update %s: %s\n", date, err.message);
        return 1;
    }
    return 0;
}

static void on_source(void *ctx, const xc_rescreen_source *s)
{
    (void)ctx;
    printf("  %s %s: +%lld ~%lld -%lld;", s->source, s->mode, (long long)s->added,
           (long long)s->changed, (long long)s->removed);
}

static double rescreen(xc_store *store, const char *label)
{
    xc_rescreen_report r;
    xc_error err = {0};
    xc_rescreen_opts opts = {.on_source = on_source};
    printf("%-34s", label);
    if (xc_store_rescreen(store, &opts, &r, &err) != XC_OK) {
        printf(" failed: %s\n", err.message);
        return -1;
    }
    printf(" %lld screened, %lld in full, %lld hits, %lld alerts: %.2f s\n",
           (long long)r.screened, (long long)r.full, (long long)r.hits, (long long)r.alerts,
           r.seconds);
    return r.seconds;
}

static void write_rates(const char *tmp)
{
    double single[3], batched[3];
    const char *answer = "{\"matches\":[{\"list\":\"us_ofac_sdn\",\"entity_id\":\"12345\","
                         "\"score\":0.93,\"band\":\"strong\"}]}";
    for (int run = 0; run < 3; run++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/rate%d.db", tmp, run);
        xc_error err = {0};
        xc_store *store = xc_store_open(path, &err);
        if (!store)
            return;
        int n_single = 300, n_batched = 20000;
        double start = now();
        for (int i = 0; i < n_single; i++)
            xc_store_audit_append(store, "screen", "{\"name\":\"Bank Melli\"}", answer, "{}",
                                  NULL, &err);
        single[run] = n_single / (now() - start);
        start = now();
        xc_store_begin(store, &err);
        for (int i = 0; i < n_batched; i++)
            xc_store_audit_append(store, "screen", "{\"name\":\"Bank Melli\"}", answer, "{}",
                                  NULL, &err);
        xc_store_commit(store, &err);
        batched[run] = n_batched / (now() - start);
        xc_store_close(store);
    }
    printf("store write rate, audit chain on (WAL, synchronous=FULL), median of 3:\n"
           "  one commit per entry: %.0f entries/s; batched (20,000 per transaction): %.0f "
           "entries/s\n",
           median(single, 3), median(batched, 3));
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/data/lists/ofac/history/sdn-2024-05-02.csv", shared);
    if (access(probe, R_OK) != 0) {
        printf("bench_rescreen: %s missing; skipped\n", probe);
        return 0;
    }
    char tmp[] = "/tmp/xc_bench_rescreen_XXXXXX";
    if (!mkdtemp(tmp))
        return 1;
    char parties[1024], db[1024];
    snprintf(parties, sizeof parties, "%s/parties.csv", tmp);
    snprintf(db, sizeof db, "%s/store.db", tmp);
    int n = make_parties(parties, shared);
    xc_error err = {0};
    xc_store *store = xc_store_open(db, &err);
    size_t imported = 0;
    double start = now();
    if (!store || xc_store_parties_import_csv(store, parties, &imported, NULL, NULL, &err) != XC_OK) {
        fprintf(stderr, "bench_rescreen: %s\n", err.message);
        return 1;
    }
    printf("%d counterparties generated, %zu imported in %.2f s; %ld cores online\n", n, imported,
           now() - start, sysconf(_SC_NPROCESSORS_ONLN));
    if (install(store, tmp, shared, "2024-04-26") == 0)
        rescreen(store, "first run (full), 2024-04-26:");
    double weekly = -1, daily[5];
    int nd = 0;
    if (install(store, tmp, shared, "2024-05-01") == 0)
        weekly = rescreen(store, "delta 2024-04-26 -> 2024-05-01:");
    for (int i = 0; i < 5; i++) {
        const char *date = i % 2 ? "2024-05-01" : "2024-05-02";
        char label[64];
        snprintf(label, sizeof label, "delta -> %s:", date);
        if (install(store, tmp, shared, date) == 0) {
            double s = rescreen(store, label);
            if (s >= 0)
                daily[nd++] = s;
        }
    }
    int64_t bad = 0, checked = 0;
    xc_store_audit_verify(store, &bad, &checked, &err);
    xc_store_close(store);
    printf("delta re-screen of %d counterparties: weekly change %.2f s; daily change median of "
           "%d: %.2f s (target <= 5 s on 2 cores); audit chain %s, %lld entries\n",
           n, weekly, nd, nd ? median(daily, nd) : -1.0, bad ? "BROKEN" : "intact",
           (long long)checked);
    write_rates(tmp);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmp);
    return 0;
}
