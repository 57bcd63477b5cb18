/*
 * ofac_score.h — the OFAC-parity scorer: the score OFAC's Sanctions List Search shows for a
 * (query, listed name) pair, so that users can reconcile xcheck with the regulator's tool.
 * Selected by xc_screen_opts.scorer = "ofac" and xc_match_names_opts; the default scorer
 * (score.c) is unaffected. The method and its constants are in docs/scoring.md, section
 * "OFAC-parity scorer".
 */
#ifndef XC_OFAC_SCORE_H
#define XC_OFAC_SCORE_H

#include "../text/text.h"

/* Limits of a prepared name: longer names are cut (OFAC's own field takes 250 characters). */
#define XC__OFAC_MAX_CHARS 512
#define XC__OFAC_MAX_PARTS 48
#define XC__OFAC_MAX_PART_LEN 64

/* A name as OFAC's tool compares it: folded to lowercase without marks, its name parts (split
 * at spaces and punctuation; apostrophes, commas and dots deleted) and its letters and digits
 * run together for the whole-string comparison. */
typedef struct xc__ofac_name {
    uint32_t chars[XC__OFAC_MAX_CHARS]; /* the parts, one after another */
    uint16_t start[XC__OFAC_MAX_PARTS];
    uint8_t len[XC__OFAC_MAX_PARTS];
    int nparts;
    uint32_t whole[XC__OFAC_MAX_CHARS];
    int whole_len;
} xc__ofac_name;

/* Which scorer a caller asked for. */
enum xc__scorer { XC__SCORER_XCHECK = 0, XC__SCORER_OFAC = 1 };

/* Parses a scorer name: NULL, "" or "xcheck" -> XC__SCORER_XCHECK, "ofac" -> XC__SCORER_OFAC;
 * XC_INVALID (message naming the field) for anything else. */
xc_status xc__scorer_parse(const char *name, int *scorer, xc_error *err);

/* Prepares a name (UTF-8, len bytes; only the first XC__MAX_NAME_BYTES are read, and at most
 * XC__OFAC_MAX_CHARS characters kept). Errors: XC_UTF8, XC_NOMEM. */
xc_status xc__ofac_prepare(const xc__text *text, const char *name, size_t len,
                           xc__ofac_name *out);

/* How a score came about, for explanations. */
typedef struct xc__ofac_detail {
    bool potential;  /* passed OFAC's first step (a part with the same first letter and at
                        least 50% similar by edit distance); false means score 0 */
    double whole;    /* whole-string Jaro-Winkler */
    double parts;    /* name-part composite */
    int kept;        /* query parts counted in the composite */
    int best[XC__OFAC_MAX_PARTS];       /* per query part: best candidate part, -1 when none
                                           reaches the floor; -2 when the part was dropped */
    double sim[XC__OFAC_MAX_PARTS];     /* per query part: its Jaro-Winkler with best */
} xc__ofac_detail;

/* Scores a query against a listed name: OFAC's score / 100, in [0,1], rounded to whole points as
 * the tool shows it. detail may be NULL. */
double xc__ofac_score(const xc__ofac_name *query, const xc__ofac_name *candidate,
                      xc__ofac_detail *detail);

/* Jaro-Winkler of two code-point strings with the prefix bonus over at most prefix_cap
 * characters; min_jaro > 0 gives the bonus only from that Jaro similarity on (Winkler's
 * threshold). Exposed for tests. */
double xc__ofac_jaro_winkler(const uint32_t *a, int la, const uint32_t *b, int lb,
                             int prefix_cap, double min_jaro);

/* Fills m->pairs, m->pair_count, m->query_form and m->candidate_form for an "ofac" match from
 * arena strings: the whole-string comparison first, then each query part with its best listed
 * part. Errors: XC_NOMEM. */
xc_status xc__ofac_explain(xc__arena *arena, const xc__ofac_name *query,
                           const xc__ofac_name *candidate, const xc__ofac_detail *detail,
                           xc_match *m);

/* For xc_screen: prepares the query into *query and allocates a scratch name for candidates, both
 * from arena. Errors (message in err naming "name"): XC_UTF8, XC_NOMEM. */
xc_status xc__ofac_query_new(const xc__text *text, const char *name, size_t len,
                             xc__arena *arena, xc__ofac_name **query, xc__ofac_name **scratch,
                             xc_error *err);

/* Prepares a listed name into scratch and scores the query against it (*score as
 * xc__ofac_score). Errors: XC_UTF8 or XC_NOMEM, with a message naming the listed name. */
xc_status xc__ofac_score_name(const xc__text *text, const xc__ofac_name *query,
                              const char *listed, xc__ofac_name *scratch, float *score,
                              xc_error *err);

/* Scores again with detail and fills m's explanation (xc__ofac_explain). Errors: XC_NOMEM. */
xc_status xc__ofac_explain_name(xc__arena *arena, const xc__text *text,
                                const xc__ofac_name *query, const char *listed,
                                xc__ofac_name *scratch, xc_match *m);

#endif /* XC_OFAC_SCORE_H */
