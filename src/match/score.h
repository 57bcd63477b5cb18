/*
 * score.h — name scoring: aligns the tokens of two analysed names (order-free, one-to-one,
 * with adjacent tokens allowed to join: "gazprom bank" ~ "gazprombank"), weighs each pair by
 * its tokens' weights (class x rarity), and penalises unmatched tokens, query-side more than
 * candidate-side. The result is in [0,1] and explains itself pair by pair.
 */
#ifndef XC_SCORE_H
#define XC_SCORE_H

#include "../text/text.h"

enum xc__how { XC__HOW_UNMATCHED = 0, XC__HOW_EXACT, XC__HOW_FUZZY, XC__HOW_PHONETIC,
               XC__HOW_ROMANISED, XC__HOW_INITIAL, XC__HOW_JOINED, XC__HOW_SKELETON,
               XC__HOW_ACRONYM };
const char *xc__how_name(int how);

#define XC__MAX_PAIRS 48

typedef struct xc__pair {
    int8_t q, q2;   /* query token(s); q2 >= 0 when two query tokens joined; q < 0: none */
    int8_t c, c2;   /* candidate token(s), likewise */
    uint8_t how;    /* enum xc__how */
    float sim;
    float weight;
} xc__pair;

typedef struct xc__score_detail {
    float score;
    int qform, cform;       /* which forms aligned best */
    int npairs;
    xc__pair pairs[XC__MAX_PAIRS]; /* matched pairs, then unmatched tokens */
} xc__score_detail;

/* Scoring constants (documented in docs/scoring.md). */
#ifndef XC__EXTRA_QUERY
#define XC__EXTRA_QUERY 0.8f  /* weight factor of an unmatched query token */
#endif
#ifndef XC__PART_FACTOR
#define XC__PART_FACTOR 0.88f /* a parenthesised part of a name, or the name without it */
#endif
#ifndef XC__EXTRA_CAND
#define XC__EXTRA_CAND 0.2f   /* weight factor of an unmatched candidate token */
#endif

#ifndef XC__NASAB_LINK
#define XC__NASAB_LINK 0.5f   /* cost factor of a middle link of a bin/ibn chain the other side
                                 left out */
#endif

#ifndef XC__ACRONYM_SIM
#define XC__ACRONYM_SIM 0.88f /* a 3-5 letter token spells an organisation name's initials:
                                 a lead ("possible"), never "strong" */
#endif

#ifndef XC__SKELETON_SIM
#define XC__SKELETON_SIM 0.85f /* an Arabic-script word's letters align with a Latin spelling */
#endif

/* Does the Latin token spell the Arabic-script reading (ar-skeleton letters, or a name-table
 * spelling) with only short vowels added? See score.c. */
bool xc__skeleton_align(const char *ar, int la, const char *lt, int ll);

float xc__score_forms(const xc__form *q, const xc__form *c, xc__score_detail *detail);
/* Best over all form pairs of two analyses; detail (optional) describes the best. */
float xc__score_names(const xc__analysis *q, const xc__analysis *c, xc__score_detail *detail);
/* The same over the query forms in qforms only (bit f for q->forms[f]; 0 = all). */
float xc__score_names_in(const xc__analysis *q, const xc__analysis *c, unsigned qforms,
                         xc__score_detail *detail);
/* Token similarity in [0,1] and how it was reached. */
float xc__tok_sim(const xc__tok *a, const xc__tok *b, int *how);
/* The "kana key" of a token (score.c): its spelling brought to what katakana can write (l to
 * r, v and w to b, ti to chi, doubled letters to one ...), so a katakana reading of a foreign
 * name and its Latin spelling share it (ラブロフ rabrof, Lavrov rabrof). Writes at most cap - 1
 * bytes and a NUL to out; returns the length. */
int xc__kana_key(const char *s, int len, char *out, int cap);

#endif /* XC_SCORE_H */
