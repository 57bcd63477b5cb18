/*
 * ofac_score.c — the OFAC-parity scorer (see ofac_score.h and docs/scoring.md, "OFAC-parity
 * scorer"). OFAC describes its method in Sanctions List Search FAQ 249: a first pass keeps the
 * listed names that have a part with the query part's first letter and at least 50% similar
 * by edit distance; then two techniques are scored and the higher shown: Jaro-Winkler of the
 * whole name strings, and a composite of the query's name parts each compared with the listed
 * name's parts. The constants below were set on the development half of the recorded OFAC
 * scores (tests/unit/test_ofac.c): every other row of nomenklatura's ofac_fixtures.csv.
 *
 * This file also holds xc_match_names_opts, the pair-scoring entry point that can choose the
 * scorer.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "engine.h"
#include "ofac_score.h"
#include "score.h"

/* Winkler's prefix bonus: 0.1 of the remaining distance per common leading character. */
#define WINKLER_SCALE 0.1
/* The whole-string comparison credits up to 5 common leading characters, one more than
 * Winkler's 4: with 4, scores driven by a long common prefix ("VLADIMIR PUTIN" ~ "VLADIMIR
 * BILIY") come out 2-4 points under OFAC's. Of the 25 development rows this technique decides,
 * a cap of 4 reproduces 8 to the point (mean -1.2 points), 5 reproduces 19 (+0.4), 6 reproduces
 * 11 (+1.2). The strings are the names' letters and digits run together: with the spaces kept,
 * 11 of the 25 (cap 5). */
#define WHOLE_PREFIX_CAP 5
/* Name parts use the textbook Jaro-Winkler: prefix of up to 4, and the bonus only from a Jaro
 * similarity of 0.7 on. */
#define PART_PREFIX_CAP 4
#define PART_BOOST_JARO 0.7
/* A part pair below this counts as no match at all. It is the same 0.7 as Winkler's boost
 * threshold; on the development half any floor from 0.6 to 0.78 scores alike, 0.5 misses
 * "GEORGE BUSH" ~ "OBEID, Boutros Georges" (OFAC 57: BUSH ~ BOUTROS, Jaro 0.595, counts 0). */
#define PART_FLOOR 0.7
/* Query parts this short are left out of the composite (OFAC's "KIM JONG UN" scores 100
 * against "KIM, Jong Man": UN does not count), unless that leaves no part. */
#define SHORT_PART_MAX 2
/* First pass: edit-distance similarity 1 - d / longer length of at least this. */
#define POTENTIAL_MIN_SIMILARITY 0.5

xc_status xc__scorer_parse(const char *name, int *scorer, xc_error *err)
{
    if (!name || !*name || strcmp(name, "xcheck") == 0) {
        *scorer = XC__SCORER_XCHECK;
        return XC_OK;
    }
    if (strcmp(name, "ofac") == 0) {
        *scorer = XC__SCORER_OFAC;
        return XC_OK;
    }
    return xc__error_set(err, XC_INVALID, "scorer: unknown scorer '%.40s' (xcheck, ofac)", name);
}

/* ---- preparation ---- */

static bool is_deleted(uint32_t c)
{
    return c == '\'' || c == ',' || c == '.';
}

static bool is_part_char(uint32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    return c != ' '; /* xc__text_fold_marks made other non-alphanumerics spaces */
}

xc_status xc__ofac_prepare(const xc__text *text, const char *name, size_t len,
                           xc__ofac_name *out)
{
    out->nparts = 0;
    out->whole_len = 0;
    uint32_t folded[XC__OFAC_MAX_CHARS];
    size_t n = 0;
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] >= 0x80) {
            ascii = false;
            break;
        }
    if (len > XC__MAX_NAME_BYTES) { /* cut, at the start of a UTF-8 sequence */
        len = XC__MAX_NAME_BYTES;
        while (len > 0 && ((unsigned char)name[len] & 0xC0) == 0x80)
            len--;
    }
    if (ascii) {
        for (size_t i = 0; i < len && n < XC__OFAC_MAX_CHARS; i++) {
            unsigned char c = (unsigned char)name[i];
            folded[n++] = c >= 'A' && c <= 'Z' ? (uint32_t)(c - 'A' + 'a') : c;
        }
    } else {
        xc_status rc = xc__text_fold_marks(text, name, len, folded, XC__OFAC_MAX_CHARS, &n);
        if (rc != XC_OK)
            return rc;
    }
    size_t used = 0;
    int plen = -1; /* length of the part being read, -1 between parts */
    for (size_t i = 0; i <= n; i++) {
        uint32_t c = i < n ? folded[i] : ' ';
        if (i < n && is_deleted(c))
            continue;
        if (i < n && is_part_char(c)) {
            if (out->whole_len < XC__OFAC_MAX_CHARS)
                out->whole[out->whole_len++] = c;
            if (plen < 0) {
                if (out->nparts == XC__OFAC_MAX_PARTS || used == XC__OFAC_MAX_CHARS)
                    break;
                out->start[out->nparts] = (uint16_t)used;
                plen = 0;
            }
            if (plen < XC__OFAC_MAX_PART_LEN && used < XC__OFAC_MAX_CHARS) {
                out->chars[used++] = c;
                plen++;
            }
        } else if (plen >= 0) {
            out->len[out->nparts++] = (uint8_t)plen;
            plen = -1;
        }
    }
    return XC_OK;
}

/* ---- string measures ---- */

static double jaro(const uint32_t *a, int la, const uint32_t *b, int lb)
{
    if (la == 0 || lb == 0)
        return 0.0;
    int window = (la > lb ? la : lb) / 2 - 1;
    if (window < 0)
        window = 0;
    bool ma[XC__OFAC_MAX_CHARS] = {false}, mb[XC__OFAC_MAX_CHARS] = {false};
    int m = 0;
    for (int i = 0; i < la; i++) {
        int lo = i - window > 0 ? i - window : 0;
        int hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (int j = lo; j < hi; j++)
            if (!mb[j] && b[j] == a[i]) {
                ma[i] = mb[j] = true;
                m++;
                break;
            }
    }
    if (m == 0)
        return 0.0;
    int half_transpositions = 0;
    for (int i = 0, k = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[k])
            k++;
        if (a[i] != b[k])
            half_transpositions++;
        k++;
    }
    int t = half_transpositions / 2;
    return ((double)m / la + (double)m / lb + (double)(m - t) / m) / 3.0;
}

double xc__ofac_jaro_winkler(const uint32_t *a, int la, const uint32_t *b, int lb,
                             int prefix_cap, double min_jaro)
{
    double j = jaro(a, la, b, lb);
    if (j < min_jaro)
        return j;
    int prefix = 0;
    while (prefix < prefix_cap && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return j + prefix * WINKLER_SCALE * (1.0 - j);
}

/* Levenshtein distance of two parts (each at most XC__OFAC_MAX_PART_LEN). */
static int edit_distance(const uint32_t *a, int la, const uint32_t *b, int lb)
{
    int row[XC__OFAC_MAX_PART_LEN + 1];
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* ---- the score ---- */

static const uint32_t *part(const xc__ofac_name *n, int i)
{
    return n->chars + n->start[i];
}

static bool kept_part(const xc__ofac_name *q, int i, bool any_long)
{
    return !any_long || q->len[i] > SHORT_PART_MAX;
}

double xc__ofac_score(const xc__ofac_name *q, const xc__ofac_name *c, xc__ofac_detail *detail)
{
    xc__ofac_detail local;
    xc__ofac_detail *d = detail ? detail : &local;
    d->potential = false;
    d->whole = d->parts = 0.0;
    d->kept = 0;
    if (q->nparts == 0 || c->nparts == 0)
        return 0.0;
    bool any_long = false;
    for (int i = 0; i < q->nparts; i++)
        any_long |= q->len[i] > SHORT_PART_MAX;

    /* First pass: some kept query part and listed part share their first letter and are at
     * least half alike by edit distance. */
    for (int i = 0; i < q->nparts && !d->potential; i++) {
        if (!kept_part(q, i, any_long))
            continue;
        for (int j = 0; j < c->nparts && !d->potential; j++) {
            if (part(q, i)[0] != part(c, j)[0])
                continue;
            int longer = q->len[i] > c->len[j] ? q->len[i] : c->len[j];
            int dist = edit_distance(part(q, i), q->len[i], part(c, j), c->len[j]);
            d->potential = 1.0 - (double)dist / longer >= POTENTIAL_MIN_SIMILARITY;
        }
    }
    for (int i = 0; i < q->nparts; i++) {
        d->best[i] = kept_part(q, i, any_long) ? -1 : -2;
        d->sim[i] = 0.0;
    }
    if (!d->potential)
        return 0.0;

    d->whole = xc__ofac_jaro_winkler(q->whole, q->whole_len, c->whole, c->whole_len,
                                     WHOLE_PREFIX_CAP, 0.0);
    double sum = 0.0;
    for (int i = 0; i < q->nparts; i++) {
        if (d->best[i] == -2)
            continue;
        d->kept++;
        for (int j = 0; j < c->nparts; j++) {
            double s = xc__ofac_jaro_winkler(part(q, i), q->len[i], part(c, j), c->len[j],
                                             PART_PREFIX_CAP, PART_BOOST_JARO);
            if (s >= PART_FLOOR && s > d->sim[i]) {
                d->sim[i] = s;
                d->best[i] = j;
            }
        }
        sum += d->sim[i];
    }
    d->parts = d->kept ? sum / d->kept : 0.0;
    double best = d->whole > d->parts ? d->whole : d->parts;
    return floor(best * 100.0 + 0.5) / 100.0;
}

/* ---- explanations ---- */

/* Uppercase UTF-8 of n code points, as OFAC's tool shows names. */
static const char *show(xc__arena *arena, const uint32_t *s, int n)
{
    char *out = xc__arena_alloc(arena, (size_t)n * 4 + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        uint32_t ch = s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i];
        k += (size_t)xc__utf8_encode(ch, out + k);
    }
    out[k] = '\0';
    return out;
}

static double round4(double x)
{
    return floor(x * 10000.0 + 0.5) / 10000.0;
}

xc_status xc__ofac_explain(xc__arena *arena, const xc__ofac_name *q, const xc__ofac_name *c,
                           const xc__ofac_detail *d, xc_match *m)
{
    xc_token_pair *pairs = xc__arena_alloc(arena, sizeof *pairs * (size_t)(q->nparts + 1));
    if (!pairs)
        return XC_NOMEM;
    bool whole_won = d->potential && d->whole >= d->parts;
    size_t n = 0;
    pairs[n].query = show(arena, q->whole, q->whole_len);
    pairs[n].candidate = show(arena, c->whole, c->whole_len);
    pairs[n].similarity = round4(d->whole);
    pairs[n].weight = whole_won ? 1.0 : 0.0;
    pairs[n].how = "whole_string";
    if (!pairs[n].query || !pairs[n].candidate)
        return XC_NOMEM;
    n++;
    for (int i = 0; i < q->nparts; i++, n++) {
        int j = d->best[i];
        pairs[n].query = show(arena, part(q, i), q->len[i]);
        pairs[n].candidate = j >= 0 ? show(arena, part(c, j), c->len[j]) : "";
        pairs[n].similarity = round4(d->sim[i]);
        pairs[n].weight = j == -2 || whole_won || !d->potential || !d->kept
                              ? 0.0
                              : round4(1.0 / d->kept);
        pairs[n].how = j == -2 ? "short" : j < 0 ? "unmatched" : "jaro_winkler";
        if (!pairs[n].query || !pairs[n].candidate)
            return XC_NOMEM;
    }
    m->pairs = pairs;
    m->pair_count = n;
    m->query_form = "ofac";
    m->candidate_form = "ofac";
    return XC_OK;
}

/* ---- screening ---- */

xc_status xc__ofac_query_new(const xc__text *text, const char *name, size_t len,
                             xc__arena *arena, xc__ofac_name **query, xc__ofac_name **scratch,
                             xc_error *err)
{
    *query = xc__arena_alloc(arena, sizeof **query);
    *scratch = xc__arena_alloc(arena, sizeof **scratch);
    xc_status rc = *query && *scratch ? xc__ofac_prepare(text, name, len, *query) : XC_NOMEM;
    return rc == XC_OK ? XC_OK : xc__error_set(err, rc, "name: %s", xc_strerror(rc));
}

xc_status xc__ofac_score_name(const xc__text *text, const xc__ofac_name *query,
                              const char *listed, xc__ofac_name *scratch, float *score,
                              xc_error *err)
{
    xc_status rc = xc__ofac_prepare(text, listed, strlen(listed), scratch);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "listed name '%.60s': %s", listed, xc_strerror(rc));
    *score = (float)xc__ofac_score(query, scratch, NULL);
    return XC_OK;
}

xc_status xc__ofac_explain_name(xc__arena *arena, const xc__text *text,
                                const xc__ofac_name *query, const char *listed,
                                xc__ofac_name *scratch, xc_match *m)
{
    xc_status rc = xc__ofac_prepare(text, listed, strlen(listed), scratch);
    if (rc != XC_OK)
        return rc;
    xc__ofac_detail detail;
    xc__ofac_score(query, scratch, &detail);
    return xc__ofac_explain(arena, query, scratch, &detail, m);
}

/* ---- xc_match_names_opts ---- */

static json_t *pairs_json(const xc_token_pair *pairs, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:f,s:f,s:s}", "query", pairs[i].query,
                                             "candidate", pairs[i].candidate, "similarity",
                                             pairs[i].similarity, "weight", pairs[i].weight,
                                             "how", pairs[i].how));
    return arr;
}

static xc_status ofac_match_names(const xc_engine *eng, const char *name1, const char *name2,
                                  double *score, char **json_out, xc_error *err)
{
    if (strlen(name1) > XC__MAX_NAME_BYTES || strlen(name2) > XC__MAX_NAME_BYTES)
        return xc__error_set(err, XC_TOOBIG, "%s is more than %d bytes",
                             strlen(name1) > XC__MAX_NAME_BYTES ? "name1" : "name2",
                             XC__MAX_NAME_BYTES);
    xc__arena *arena = xc__arena_new(16384);
    xc__ofac_name *a = arena ? xc__arena_alloc(arena, sizeof *a) : NULL;
    xc__ofac_name *b = arena ? xc__arena_alloc(arena, sizeof *b) : NULL;
    if (!a || !b) {
        xc__arena_free(arena);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    xc_status rc = xc__ofac_prepare(eng->text, name1, strlen(name1), a);
    const char *which = "name1";
    if (rc == XC_OK) {
        rc = xc__ofac_prepare(eng->text, name2, strlen(name2), b);
        which = "name2";
    }
    if (rc != XC_OK) {
        xc__arena_free(arena);
        return xc__error_set(err, rc, "%s: %s", which, xc_strerror(rc));
    }
    xc__ofac_detail detail;
    *score = xc__ofac_score(a, b, &detail);
    if (json_out) {
        xc_match m = {0};
        if (xc__ofac_explain(arena, a, b, &detail, &m) != XC_OK) {
            xc__arena_free(arena);
            return xc__error_set(err, XC_NOMEM, "out of memory");
        }
        const char *band = *score >= XC_BAND_STRONG     ? "strong"
                           : *score >= XC_BAND_POSSIBLE ? "possible"
                                                        : NULL;
        const char *technique = !detail.potential           ? "none"
                                : detail.whole >= detail.parts ? "whole_string"
                                                               : "name_parts";
        json_t *obj = json_pack(
            "{s:s,s:s,s:f,s:s?,s:{s:s,s:i,s:b,s:s,s:f,s:f,s:o}}", "name1", name1, "name2", name2,
            "score", *score, "band", band, "explanation", "scorer", "ofac", "ofac_score",
            (int)floor(*score * 100.0 + 0.5), "potential_match", detail.potential, "technique",
            technique, "whole_string", round4(detail.whole), "name_parts",
            round4(detail.parts), "pairs", pairs_json(m.pairs, m.pair_count));
        char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                            JSON_REAL_PRECISION(6))
                      : NULL;
        json_decref(obj);
        *json_out = s ? xc__strdup(s) : NULL;
        free(s);
        if (!*json_out) {
            xc__arena_free(arena);
            return xc__error_set(err, XC_NOMEM, "out of memory");
        }
    }
    xc__arena_free(arena);
    return XC_OK;
}

xc_status xc_match_names_opts(const xc_engine *eng, const char *name1, const char *name2,
                              const xc_match_opts *opts, double *score, char **json_out,
                              xc_error *err)
{
    if (json_out)
        *json_out = NULL;
    int scorer;
    xc_status rc = xc__scorer_parse(opts ? opts->scorer : NULL, &scorer, err);
    if (rc != XC_OK)
        return rc;
    xc_kind kind = opts ? opts->kind : XC_KIND_ANY;
    if (scorer == XC__SCORER_XCHECK)
        return xc_match_names(eng, name1, name2, kind, score, json_out, err);
    if (!eng || !name1 || !name2)
        return xc__error_set(err, XC_INVALID, "two names are required");
    return ofac_match_names(eng, name1, name2, score, json_out, err);
}
