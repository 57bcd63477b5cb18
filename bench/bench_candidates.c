/*
 * bench_candidates.c — candidate recall (issue 11, "candidates find what the scorer would
 * find"): for every (query, listed name) pair that `match` scores at or above the possible
 * band, `screen` against the real lists must return that entity. Two pair sets:
 *   - the project's cross-script pairs (tests/data/crossscript_pairs.csv): each native name
 *     against every listed name spelt like its Latin name (letters only, words in any order);
 *   - spelling variants of listed names, derived mechanically from every 8th listed name of
 *     two words or more: the first two words written together ("Gazprom Bank" for
 *     GAZPROMBANK's neighbour), spaces as hyphens, a word split before a common suffix
 *     ("Gazprom Bank" from GAZPROMBANK), lower case.
 * Prints, per set and variant, the pairs the scorer accepts and the share screen finds
 * (target 100%), then the time per screen of the variant set. BENCH_VERBOSE=1 lists misses.
 * usage: bench_candidates SHARED_DIR  (run from the project root, as `make bench` does)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lists/lists.h"
#include "match/engine.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct tally {
    const char *label;
    size_t eligible, found, screened;
    size_t candidate; /* of the misses, returned below the band: a candidate scored lower in
                         the index's rarity weights than by match, not a candidate missed */
    double seconds;
} tally;

static int verbose;

/* Does screening `query` return the entity? */
static bool screen_finds(const xc_engine *eng, const char *query, const xc__entity *ent,
                         tally *t, double threshold)
{
    xc_party party = {.name = query, .kind = (xc_kind)ent->kind};
    xc_screen_opts opts = {.top = 500, .threshold = threshold};
    xc_result *res = NULL;
    double t0 = now();
    xc_status rc = xc_screen(eng, &party, &opts, &res, NULL);
    t->seconds += now() - t0;
    t->screened++;
    bool found = false;
    const char *list = eng->lists.lists[ent->list].id;
    for (size_t i = 0; rc == XC_OK && i < xc_result_count(res) && !found; i++) {
        const xc_match *m = xc_result_match(res, i);
        found = strcmp(m->list, list) == 0 && strcmp(m->entity_id, ent->source_id) == 0;
    }
    xc_result_free(res);
    return found;
}

/* One (query, listed name) pair: counted when match scores it at least possible. */
static void check_pair(const xc_engine *eng, const char *query, const xc__entity *ent,
                       const char *listed, tally *t)
{
    double score = 0;
    if (xc_match_names(eng, query, listed, (xc_kind)ent->kind, &score, NULL, NULL) != XC_OK ||
        score < XC_BAND_POSSIBLE)
        return;
    t->eligible++;
    if (screen_finds(eng, query, ent, t, 0))
        t->found++;
    else if (screen_finds(eng, query, ent, t, 0.5))
        t->candidate++;
    else if (verbose)
        printf("  missed (%s): \"%s\" ~ \"%s\" %s:%s (match %.3f)\n", t->label, query, listed,
               eng->lists.lists[ent->list].id, ent->source_id, score);
}

/* Letters of a Latin name, lower case, words sorted: "KIM, Jong Un" = "Kim Jong Un". */
static void latin_key(const char *s, char *out, size_t size)
{
    char words[16][64];
    int n = 0;
    size_t len = 0;
    for (const char *p = s;; p++) {
        if (isalpha((unsigned char)*p) && n < 16) {
            if (len < 63)
                words[n][len++] = (char)tolower((unsigned char)*p);
        } else if (*p == '\'' || *p == '-') {
            continue;
        } else {
            if (len > 0 && n < 16) {
                words[n][len] = '\0';
                n++;
            }
            len = 0;
            if (!*p)
                break;
        }
    }
    for (int i = 1; i < n; i++) /* insertion sort */
        for (int j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
            char tmp[64];
            memcpy(tmp, words[j], 64);
            memcpy(words[j], words[j - 1], 64);
            memcpy(words[j - 1], tmp, 64);
        }
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < n && o + strlen(words[i]) + 2 < size; i++)
        o += (size_t)snprintf(out + o, size - o, "%s%s", i ? " " : "", words[i]);
}

static void crossscript(const xc_engine *eng, const char *path, tally *t)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("candidates: %s missing\n", path);
        return;
    }
    char line[2048];
    if (!fgets(line, sizeof line, f)) { /* header */
        fclose(f);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        char *native = line, *comma = strchr(line, ',');
        if (!comma)
            continue;
        *comma = '\0';
        char *latin = comma + 1;
        comma = strchr(latin, ',');
        if (!comma)
            continue;
        *comma = '\0';
        char want[512], have[512];
        latin_key(latin, want, sizeof want);
        for (size_t e = 0; e < eng->lists.entity_count; e++) {
            const xc__entity *ent = &eng->lists.entities[e];
            for (uint32_t k = 0; k < ent->name_count; k++) {
                latin_key(ent->names[k].text, have, sizeof have);
                if (strcmp(want, have) == 0) {
                    check_pair(eng, native, ent, ent->names[k].text, t);
                    break; /* one pair per entity */
                }
            }
        }
    }
    fclose(f);
}

static const char *suffixes[] = {"bank", "prom", "neft", "gaz", "export", "trade", "group",
                                 "allah", "ullah", "uddin", "gumi", "kai", "tech", "energo",
                                 "invest", "stroy", "mash", "shipping", NULL};

/* The variant of a name, or false when the variant does not apply. */
static bool variant(int kind, const char *s, char *out, size_t size)
{
    size_t len = strlen(s);
    if (len + 2 >= size)
        return false;
    switch (kind) {
    case 0: { /* first two words together */
        const char *sp = strchr(s, ' ');
        if (!sp || sp == s || !isalpha((unsigned char)sp[-1]) || !isalpha((unsigned char)sp[1]))
            return false;
        size_t at = (size_t)(sp - s);
        memcpy(out, s, at);
        strcpy(out + at, sp + 1);
        return true;
    }
    case 1: /* spaces as hyphens */
        if (!strchr(s, ' '))
            return false;
        for (size_t i = 0; i <= len; i++)
            out[i] = s[i] == ' ' ? '-' : s[i];
        return true;
    case 2: /* a word split before a common suffix */
        for (size_t i = 0; i < len; i++) {
            if (i > 0 && isalpha((unsigned char)s[i - 1]))
                continue; /* not a word start */
            size_t w = i;
            while (w < len && isalpha((unsigned char)s[w]))
                w++;
            for (int k = 0; suffixes[k]; k++) {
                size_t sl = strlen(suffixes[k]);
                if (w - i >= sl + 4 && strncasecmp(s + w - sl, suffixes[k], sl) == 0) {
                    size_t at = w - sl;
                    memcpy(out, s, at);
                    out[at] = ' ';
                    strcpy(out + at + 1, s + at);
                    return true;
                }
            }
            i = w;
        }
        return false;
    default: /* lower case */
        for (size_t i = 0; i <= len; i++)
            out[i] = (char)tolower((unsigned char)s[i]);
        return strcmp(out, s) != 0;
    }
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared";
    verbose = getenv("BENCH_VERBOSE") != NULL;
    char sdn[1024], un[1024], csl[1024], path[1024];
    snprintf(sdn, sizeof sdn, "%s/data/lists/ofac", shared);
    snprintf(un, sizeof un, "%s/data/lists/un/consolidated.xml", shared);
    snprintf(csl, sizeof csl, "%s/data/lists/us-csl/consolidated.csv", shared);
    const char *paths[] = {sdn, un, csl, NULL};
    xc_config cfg = {0};
    cfg.data_paths = paths;
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng) {
        fprintf(stderr, "bench_candidates: %s\n", err.message);
        return 1;
    }
    printf("candidates: lists OFAC SDN + UN + CSL, %zu entities; a pair counts when match scores "
           "it >= %.2f\n", eng->lists.entity_count, XC_BAND_POSSIBLE);

    tally cross = {.label = "cross-script"};
    snprintf(path, sizeof path, "tests/data/crossscript_pairs.csv");
    crossscript(eng, path, &cross);
    printf("candidates: cross-script pairs (tests/data/crossscript_pairs.csv): %zu of %zu "
           "found by screen (%.1f%%)\n", cross.found, cross.eligible,
           cross.eligible ? 100.0 * cross.found / cross.eligible : 100.0);

    static const char *labels[] = {"words together", "hyphens", "split before suffix",
                                   "lower case"};
    tally vt[4];
    for (int k = 0; k < 4; k++)
        vt[k] = (tally){.label = labels[k]};
    size_t seen = 0;
    for (size_t e = 0; e < eng->lists.entity_count; e++) {
        const xc__entity *ent = &eng->lists.entities[e];
        for (uint32_t n = 0; n < ent->name_count; n++) {
            const char *s = ent->names[n].text;
            if (!s || !strchr(s, ' ') || seen++ % 8 != 0)
                continue;
            char v[1024];
            for (int k = 0; k < 4; k++)
                if (variant(k, s, v, sizeof v))
                    check_pair(eng, v, ent, s, &vt[k]);
        }
    }
    size_t all_e = 0, all_f = 0, all_s = 0;
    double all_t = 0;
    for (int k = 0; k < 4; k++) {
        printf("candidates: variants, %-20s %6zu of %6zu found by screen (%.2f%%); of the "
               "misses %zu scored below %.2f by screen\n", labels[k], vt[k].found,
               vt[k].eligible, vt[k].eligible ? 100.0 * vt[k].found / vt[k].eligible : 100.0,
               vt[k].candidate, XC_BAND_POSSIBLE);
        all_e += vt[k].eligible;
        all_f += vt[k].found;
        all_s += vt[k].screened;
        all_t += vt[k].seconds;
    }
    printf("candidates: all pairs: %zu of %zu (%.2f%%); %.1f us per screen over %zu screens\n",
           all_f + cross.found, all_e + cross.eligible,
           all_e + cross.eligible ? 100.0 * (all_f + cross.found) / (all_e + cross.eligible)
                                  : 100.0,
           all_s ? 1e6 * all_t / (double)all_s : 0.0, all_s);
    xc_engine_close(eng);
    return 0;
}
