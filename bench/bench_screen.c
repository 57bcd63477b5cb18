/*
 * bench_screen.c — screening figures on real lists (run by `make bench`):
 *   - load: time to open the engine (parse + index) and resident memory;
 *   - quality: recall of yente's UN positives (untreated and treated) against the UN list,
 *     alerts per 1,000 of yente's 100k negatives against every loaded list (name only, and
 *     with date of birth and nationality as qualifiers);
 *   - speed: screens per second on one core, p50/p99 latency, beside a brute-force baseline
 *     (Jaro-Winkler of the normalised query against every normalised list name) measured in
 *     the same run on a sample of the same queries; and the same workload on a Latin-only
 *     engine and on one without cross-script readings (same lists, index rebuilt with
 *     xc__text_set_scope), the three engines taking turns every 200 queries, with the
 *     median over 5 runs of the ratio within a run (issue 4: "within 20% of the Latin-only
 *     engine").
 * usage: bench_screen SHARED_DIR
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lists/lists.h"
#include "match/engine.h"
#include "match/index.h"
#include "text/text.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

/* ---- a minimal CSV reader for the yente fixtures (quoted fields, no embedded newlines) ---- */
typedef struct person {
    char *name, *dob, *nationality;
} person;

static int split_csv(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (*p && n < max) {
        char *out = p;
        fields[n++] = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else if (!*p) {
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            while (*p && *p != ',')
                p++;
        } else {
            while (*p && *p != ',')
                *out++ = *p++;
        }
        if (*p == ',') {
            *out = '\0';
            p++;
            if (!*p && n < max)
                fields[n++] = p;
        } else {
            *out = '\0';
        }
    }
    return n;
}

static person *load_people(const char *path, size_t *count)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 1024, n = 0;
    person *people = malloc(cap * sizeof *people);
    char line[8192];
    bool header = true;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (header) {
            header = false;
            continue;
        }
        char *fields[16];
        int nf = split_csv(line, fields, 16);
        if (nf < 8 || !*fields[0])
            continue;
        if (n == cap) {
            cap *= 2;
            people = realloc(people, cap * sizeof *people);
        }
        people[n].name = strdup(fields[0]);
        people[n].dob = strdup(fields[5]);
        people[n].nationality = strdup(fields[7]);
        n++;
    }
    fclose(f);
    *count = n;
    return people;
}

/* ---- the brute-force baseline: Jaro-Winkler over whole normalised strings ---- */
static double jaro_winkler(const char *a, int la, const char *b, int lb)
{
    if (la == 0 || lb == 0)
        return 0;
    int range = (la > lb ? la : lb) / 2 - 1;
    if (range < 0)
        range = 0;
    char ma[256] = {0}, mb[256] = {0};
    if (la > 255)
        la = 255;
    if (lb > 255)
        lb = 255;
    int m = 0;
    for (int i = 0; i < la; i++) {
        int lo = i - range > 0 ? i - range : 0, hi = i + range + 1 < lb ? i + range + 1 : lb;
        for (int j = lo; j < hi; j++)
            if (!mb[j] && a[i] == b[j]) {
                ma[i] = mb[j] = 1;
                m++;
                break;
            }
    }
    if (!m)
        return 0;
    int t = 0, k = 0;
    for (int i = 0; i < la; i++)
        if (ma[i]) {
            while (!mb[k])
                k++;
            if (a[i] != b[k])
                t++;
            k++;
        }
    double jaro = ((double)m / la + (double)m / lb + (m - t / 2.0) / m) / 3.0;
    int prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + prefix * 0.1 * (1 - jaro);
}

static size_t join_form(const xc__form *f, char *buf, size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < f->n && n + f->toks[i].len + 2 < cap; i++) {
        if (i)
            buf[n++] = ' ';
        memcpy(buf + n, f->toks[i].s, f->toks[i].len);
        n += f->toks[i].len;
    }
    buf[n] = '\0';
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *country_code(const char *name)
{
    if (!name || !*name)
        return NULL;
    if (strlen(name) == 2) {
        static char up[3];
        up[0] = (char)(name[0] & ~0x20);
        up[1] = (char)(name[1] & ~0x20);
        up[2] = 0;
        return up;
    }
    return xc__country_code(name, strlen(name));
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    char path[1024];
    char sdn[1024], un[1024], csl[1024];
    snprintf(sdn, sizeof sdn, "%s/data/lists/ofac", shared);
    snprintf(un, sizeof un, "%s/data/lists/un/consolidated.xml", shared);
    snprintf(csl, sizeof csl, "%s/data/lists/us-csl/consolidated.csv", shared);
    const char *paths[] = {sdn, un, csl, NULL};
    xc_config cfg = {0};
    cfg.data_paths = paths;
    xc_error err = {0};
    double t0 = now();
    xc_engine *eng = xc_engine_open(&cfg, &err);
    double t_load = now() - t0;
    if (!eng) {
        fprintf(stderr, "bench_screen: %s\n", err.message);
        return 1;
    }
    size_t names = xc__index_name_count(eng->index);
    printf("load: OFAC SDN + UN + CSL: %zu entities, %zu indexed names in %.2f s; max RSS %ld MB\n",
           eng->lists.entity_count, names, t_load, rss_mb());

    /* Quality: UN positives against the UN list. */
    const char *un_only[] = {"un_sc", NULL};
    const char *sets[] = {"positives_un_untreated.csv", "positives_un_treated.csv"};
    for (int s = 0; s < 2 && !getenv("BENCH_SPEED_ONLY"); s++) {
        size_t n = 0, found = 0;
        snprintf(path, sizeof path, "%s/data/eval/yente/%s", shared, sets[s]);
        person *people = load_people(path, &n);
        if (!people) {
            printf("quality: %s missing\n", path);
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            xc_party party = {.name = people[i].name, .kind = XC_KIND_PERSON};
            xc_screen_opts opts = {.lists = un_only};
            xc_result *res = NULL;
            if (xc_screen(eng, &party, &opts, &res, NULL) == XC_OK && xc_result_count(res) > 0)
                found++;
            else if (getenv("BENCH_VERBOSE"))
                printf("  missed: %s\n", people[i].name);
            xc_result_free(res);
        }
        printf("quality: %s: recall %.4f (%zu of %zu found at >= %.2f)\n", sets[s],
               n ? (double)found / n : 0.0, found, n, XC_BAND_POSSIBLE);
    }

    /* Negatives: alerts per 1,000, and the speed measurement on the same queries. */
    const char *neg[] = {"negatives_global.csv", "negatives_us.csv"};
    person *all = NULL;
    size_t total = 0;
    for (int s = 0; s < 2; s++) {
        size_t n = 0, alerts = 0, alerts_q = 0;
        snprintf(path, sizeof path, "%s/data/eval/yente/%s", shared, neg[s]);
        person *people = load_people(path, &n);
        if (!people) {
            printf("quality: %s missing\n", path);
            continue;
        }
        for (size_t i = 0; i < n && !getenv("BENCH_SPEED_ONLY"); i++) {
            xc_party party = {.name = people[i].name, .kind = XC_KIND_PERSON};
            xc_result *res = NULL;
            if (xc_screen(eng, &party, NULL, &res, NULL) == XC_OK && xc_result_count(res) > 0) {
                alerts++;
                if (getenv("BENCH_VERBOSE") && alerts < 40)
                    printf("  alert: %s ~ %s (%.3f)\n", people[i].name,
                           xc_result_match(res, 0)->matched_name, xc_result_match(res, 0)->score);
            }
            xc_result_free(res);
            party.dob = people[i].dob;
            party.country = country_code(people[i].nationality);
            if (xc_screen(eng, &party, NULL, &res, NULL) == XC_OK && xc_result_count(res) > 0)
                alerts_q++;
            xc_result_free(res);
        }
        printf("quality: %s: %.2f alerts per 1,000 by name only; %.2f with dob+nationality "
               "(%zu queries)\n",
               neg[s], 1000.0 * alerts / n, 1000.0 * alerts_q / n, n);
        all = realloc(all, (total + n) * sizeof *all);
        memcpy(all + total, people, n * sizeof *people);
        total += n;
        free(people);
    }
    if (!total)
        return 0;

    /* Reference engines on the same lists, each with its own text context and index: without
     * cross-script readings (ICU Any-Latin only, as before issue 4), and Latin-only (names in
     * other scripts are not analysed at all). */
    static const char *engine_names[3] = {"full", "no readings (ICU Any-Latin only)",
                                          "Latin-only"};
    xc_engine engines[3];
    xc__text *ref_text[3] = {NULL, NULL, NULL};
    xc__index *ref_index[3] = {NULL, NULL, NULL};
    engines[0] = *eng;
    for (int k = 1; k < 3; k++) {
        if (xc__text_open(&ref_text[k], NULL, &err) != XC_OK) {
            fprintf(stderr, "bench_screen: %s\n", err.message);
            return 1;
        }
        xc__text_set_scope(ref_text[k], k == 1 ? XC__TEXT_NO_READINGS : XC__TEXT_LATIN_ONLY);
        if (xc__index_build(&ref_index[k], &eng->lists, ref_text[k], &err) != XC_OK) {
            fprintf(stderr, "bench_screen: %s\n", err.message);
            return 1;
        }
        engines[k] = *eng; /* a shallow copy that screens through the other index */
        engines[k].text = ref_text[k];
        engines[k].roman = NULL;
        engines[k].index = ref_index[k];
    }

    /* Speed: 5 runs over 20,000 queries per engine. Within a run the engines take turns
     * every 200 queries (the first to go rotates), so a slower or faster spell of a shared
     * machine falls on all three alike; ratios are taken within a run, and the medians of
     * the 5 runs are reported: screens/s over all queries and over the ASCII and the other
     * queries apart (time summed per query), latency percentiles of the full engine. */
    size_t nq = total < 20000 ? total : 20000;
    double *lat = malloc(nq * sizeof *lat);
    bool *is_ascii = malloc(nq * sizeof *is_ascii);
    size_t n_ascii = 0;
    for (size_t i = 0; i < nq; i++) {
        const unsigned char *q = (const unsigned char *)all[i * (total / nq)].name;
        is_ascii[i] = true;
        for (; *q; q++)
            if (*q >= 0x80)
                is_ascii[i] = false;
        n_ascii += is_ascii[i];
    }
    double rates[3][3][5];  /* engine, subset (all, ascii, other), run */
    double ratios[3][2][5]; /* full / engine k, subset (all, ascii), run */
    for (int run = 0; run < 5; run++) {
        double spent[3][2] = {{0, 0}, {0, 0}, {0, 0}};
        for (size_t c0 = 0; c0 < nq; c0 += 200)
            for (int turn = 0; turn < 3; turn++) {
                int k = (turn + run + (int)(c0 / 200)) % 3;
                for (size_t i = c0; i < nq && i < c0 + 200; i++) {
                    double q0 = now();
                    xc_party party = {.name = all[i * (total / nq)].name,
                                      .kind = XC_KIND_PERSON};
                    xc_result *res = NULL;
                    xc_screen(&engines[k], &party, NULL, &res, NULL);
                    xc_result_free(res);
                    double dt = now() - q0;
                    spent[k][is_ascii[i] ? 0 : 1] += dt;
                    if (k == 0)
                        lat[i] = dt;
                }
            }
        for (int k = 0; k < 3; k++) {
            rates[k][0][run] = nq / (spent[k][0] + spent[k][1]);
            rates[k][1][run] = spent[k][0] > 0 ? n_ascii / spent[k][0] : 0;
            rates[k][2][run] = spent[k][1] > 0 ? (nq - n_ascii) / spent[k][1] : 0;
        }
        for (int k = 1; k < 3; k++) {
            ratios[k][0][run] = rates[0][0][run] / rates[k][0][run];
            ratios[k][1][run] = rates[0][1][run] / rates[k][1][run];
        }
    }
    for (int k = 1; k < 3; k++)
        for (int sub = 0; sub < 2; sub++)
            qsort(ratios[k][sub], 5, sizeof(double), cmp_double);
    for (int k = 0; k < 3; k++)
        for (int sub = 0; sub < 3; sub++)
            qsort(rates[k][sub], 5, sizeof(double), cmp_double);
    qsort(lat, nq, sizeof *lat, cmp_double);
    printf("speed: %.0f screens/s on one core (median of 5 x %zu queries); latency p50 %.1f us, "
           "p99 %.1f us\n",
           rates[0][0][2], nq, lat[nq / 2] * 1e6, lat[(size_t)(nq * 0.99)] * 1e6);
    for (int k = 0; k < 3; k++)
        printf("speed: %-33s %6.0f screens/s (%zu ASCII queries %6.0f/s, %zu others %6.0f/s)%s\n",
               engine_names[k], rates[k][0][2], n_ascii, rates[k][1][2], nq - n_ascii,
               rates[k][2][2], k ? "" : "; runs interleaved with:");
    for (int k = 1; k < 3; k++)
        printf("speed: full / %s: %.3f over all queries (runs %.3f-%.3f), %.3f over the ASCII "
               "ones\n",
               engine_names[k], ratios[k][0][2], ratios[k][0][0], ratios[k][0][4],
               ratios[k][1][2]);
    for (int k = 1; k < 3; k++) {
        xc__index_free(ref_index[k]);
        xc__text_close(ref_text[k]);
    }
    free(is_ascii);

    /* Baseline: brute-force Jaro-Winkler over every name, on a sample. */
    char **strings = malloc(names * sizeof *strings);
    int *lens = malloc(names * sizeof *lens);
    char buf[512];
    for (size_t i = 0; i < names; i++) {
        const xc__iname *in = xc__index_name(eng->index, (uint32_t)i);
        lens[i] = (int)join_form(&in->analysis.forms[0], buf, sizeof buf);
        strings[i] = strdup(buf);
    }
    size_t sample = getenv("BENCH_SPEED_ONLY") ? 20 : 200;
    double start = now();
    double sink = 0;
    for (size_t i = 0; i < sample; i++) {
        xc__arena *arena = xc__arena_new(8192);
        xc__analysis a;
        const char *q = all[i * (total / sample)].name;
        if (xc__text_analyse(eng->text, q, strlen(q), XC_KIND_PERSON, NULL, arena, &a, NULL) ==
                XC_OK &&
            a.nforms) {
            int ql = (int)join_form(&a.forms[0], buf, sizeof buf);
            double best = 0;
            for (size_t k = 0; k < names; k++) {
                double s = jaro_winkler(buf, ql, strings[k], lens[k]);
                if (s > best)
                    best = s;
            }
            sink += best;
        }
        xc__arena_free(arena);
    }
    double base_rate = sample / (now() - start);
    printf("baseline: brute-force Jaro-Winkler over %zu names: %.1f screens/s (%zu queries, "
           "checksum %.1f); xcheck is %.0fx faster\n",
           names, base_rate, sample, sink, rates[0][0][2] / base_rate);
    printf("memory: max RSS %ld MB\n", rss_mb());
    xc_engine_close(eng);
    return 0;
}
