/* bench_roman.c — speed of xc__roman_key (ns per token) over the name tokens of the US Congress
 * list in ../shared, and of xc__roman_readings (us per name) over the native-script names of
 * tests/data/crossscript_pairs.csv; also the time xc__roman_open takes, and the key's false-merge
 * rate over the distinct Latin name tokens of yente's 100,000 synthetic non-listed people
 * (negatives_global.csv, negatives_us.csv). Prints figures only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/roman.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void sink_emit(void *ctx, const char *latin, size_t len, const char *label)
{
    (void)latin, (void)label;
    *(size_t *)ctx += len;
}

typedef struct tokkey {
    char tok[32];
    char key[48];
} tokkey;

static int by_tok(const void *a, const void *b)
{
    return strcmp(((const tokkey *)a)->tok, ((const tokkey *)b)->tok);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const tokkey *)a)->key, ((const tokkey *)b)->key);
}

/* Distinct lowercase ASCII tokens of the first column of the given CSV files, keyed; prints
 * how many share their key with another distinct token. */
static void collisions(const xc__roman *roman, const char *shared)
{
    static const char *const files[] = {"data/eval/yente/negatives_global.csv",
                                        "data/eval/yente/negatives_us.csv"};
    size_t cap = 400000, n = 0;
    tokkey *t = malloc(cap * sizeof *t);
    if (!t)
        return;
    char path[4096], line[4096];
    for (size_t fi = 0; fi < 2; fi++) {
        snprintf(path, sizeof path, "%s/%s", shared, files[fi]);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        while (fgets(line, sizeof line, f) && n < cap) {
            size_t len = 0;
            int ascii = 1;
            for (char *p = line; *p && *p != ',' && n < cap; p++) {
                char c = *p;
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c - 'A' + 'a');
                if ((unsigned char)c >= 0x80)
                    ascii = 0;
                if (c >= 'a' && c <= 'z' && len < 31) {
                    t[n].tok[len++] = c;
                    continue;
                }
                if (len && ascii && c != '\'' && c != '-') {
                    t[n++].tok[len] = '\0';
                    len = 0;
                } else if (c != '\'' && c != '-') {
                    len = 0;
                    ascii = 1;
                }
            }
            if (len && ascii && n < cap)
                t[n++].tok[len] = '\0';
        }
        fclose(f);
    }
    if (n == 0) {
        free(t);
        return;
    }
    qsort(t, n, sizeof *t, by_tok);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || strcmp(t[m - 1].tok, t[i].tok) != 0)
            t[m++] = t[i];
    for (size_t i = 0; i < m; i++)
        xc__roman_key(roman, t[i].tok, strlen(t[i].tok), t[i].key, sizeof t[i].key);
    qsort(t, m, sizeof *t, by_key);
    size_t merged = 0, groups = 0, biggest = 0, at = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && strcmp(t[j].key, t[i].key) == 0)
            j++;
        if (j - i > 1) {
            merged += j - i;
            groups++;
            if (j - i > biggest) {
                biggest = j - i;
                at = i;
            }
        }
        i = j;
    }
    printf("key false merges (yente negatives, %zu distinct Latin tokens): %zu tokens (%.1f%%) "
           "share a key with another, in %zu groups; largest group %zu (key %s: %s, %s, ...)\n",
           m, merged, 100.0 * (double)merged / (double)m, groups, biggest, t[at].key, t[at].tok,
           t[at + 1].tok);
    free(t);
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    double t0 = now();
    xc__roman *roman;
    xc_error err;
    if (xc__roman_open(&roman, &err) != XC_OK) {
        fprintf(stderr, "xc__roman_open: %s\n", err.message);
        return 1;
    }
    printf("xc__roman_open: %.1f ms\n", (now() - t0) * 1e3);
    size_t first = 0;
    t0 = now();
    xc__roman_readings(roman, "安倍晋三", strlen("安倍晋三"), "JP", 8, sink_emit, &first);
    printf("first kanji name (loads ENAMDICT when installed): %.0f ms\n", (now() - t0) * 1e3);

    static char toks[20000][32];
    int n = 0;
    char path[4096], line[4096];
    snprintf(path, sizeof path, "%s/data/eval/yente/positives_us_congress_untreated.csv", shared);
    FILE *f = fopen(path, "r");
    if (f) {
        while (fgets(line, sizeof line, f) && n < 20000) {
            size_t len = 0;
            for (char *p = line; *p && *p != ',' && n < 20000; p++) {
                char c = *p;
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c - 'A' + 'a');
                if (c >= 'a' && c <= 'z' && len < 31) {
                    toks[n][len++] = c;
                } else if (len) {
                    toks[n++][len] = '\0';
                    len = 0;
                }
            }
            if (len && n < 20000)
                toks[n++][len] = '\0';
        }
        fclose(f);
    }
    if (n == 0) {
        static const char *const fallback[] = {"kim", "jongun", "mohammed", "yevgeniy", "smith"};
        for (int i = 0; i < 5; i++)
            snprintf(toks[n++], sizeof toks[0], "%s", fallback[i]);
    }
    size_t sink = 0;
    char out[80];
    int rounds = 200;
    t0 = now();
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < n; i++)
            sink += xc__roman_key(roman, toks[i], strlen(toks[i]), out, sizeof out);
    double dt = now() - t0;
    printf("xc__roman_key: %.0f ns/token over %d tokens x %d rounds\n",
           dt * 1e9 / ((double)n * rounds), n, rounds);

    static char names[512][256];
    static char countries[512][4];
    int nn = 0;
    f = fopen("../tests/data/crossscript_pairs.csv", "r");
    if (!f)
        f = fopen("tests/data/crossscript_pairs.csv", "r");
    if (f) {
        while (fgets(line, sizeof line, f) && nn < 512) {
            char *c1 = strchr(line, ',');
            if (!c1 || strncmp(line, "native,", 7) == 0)
                continue;
            *c1 = '\0';
            char *c2 = strchr(c1 + 1, ',');
            char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
            char *c4 = c3 ? strchr(c3 + 1, ',') : NULL;
            snprintf(names[nn], sizeof names[0], "%s", line);
            countries[nn][0] = '\0';
            if (c3 && c4 && c4 - c3 == 3)
                snprintf(countries[nn], sizeof countries[0], "%.2s", c3 + 1);
            nn++;
        }
        fclose(f);
    }
    if (nn) {
        int rrounds = 200;
        t0 = now();
        for (int r = 0; r < rrounds; r++)
            for (int i = 0; i < nn; i++)
                xc__roman_readings(roman, names[i], strlen(names[i]),
                                   countries[i][0] ? countries[i] : NULL, 8, sink_emit, &sink);
        dt = now() - t0;
        printf("xc__roman_readings: %.1f us/name over %d names x %d rounds (max 8 readings)\n",
               dt * 1e6 / ((double)nn * rrounds), nn, rrounds);
    }
    collisions(roman, shared);
    printf("(checksum %zu)\n", sink % 1000);
    xc__roman_close(roman);
    return 0;
}
