/*
 * text.h — name analysis: a name in any script becomes one or more "forms", each a list of
 * normalised ASCII tokens with a class (name part, legal form, particle, ...), a weight and
 * comparison keys. The index is built from forms of list names; a query is analysed the same
 * way, so both sides meet in one representation.
 *
 * Pipeline: UTF-8 check → (non-ASCII) ICU NFKC + case folding, native legal forms folded,
 * transliteration Any-Latin + Latin-ASCII, plus cross-script readings from roman.h → ASCII
 * tokenisation (dots and apostrophes deleted, other punctuation separates) → titles dropped,
 * phrases and abbreviations canonicalised (data/text/tokens.tsv) → classes, weights, keys.
 */
#ifndef XC_TEXT_H
#define XC_TEXT_H

#include "../base/base.h"

struct xc__roman;
typedef struct xc__text xc__text;

enum xc__tok_class {
    XC__TOK_NAME = 0,     /* a name part */
    XC__TOK_LEGAL = 1,    /* legal form: Ltd, LLC, OOO, kabushiki kaisha */
    XC__TOK_STOP = 2,     /* function word */
    XC__TOK_PARTICLE = 3, /* al, bin, van, de */
    XC__TOK_GENERIC = 4,  /* bank, trading, group */
    XC__TOK_NUMBER = 5    /* contains a digit */
};

typedef struct xc__tok {
    const char *s;    /* lowercase ASCII, NUL-terminated (canonical form) */
    const char *raw;  /* the token as written, before canonicalisation (for joining) */
    uint8_t len;      /* tokens are cut at 63 bytes */
    uint8_t cls;      /* enum xc__tok_class */
    uint16_t orig;    /* index of the token in the name as written (for explanations) */
    float weight;     /* class weight (before rarity) */
    uint32_t phon;    /* phonetic key hash, 0 when none */
    uint32_t rkey;    /* romanisation-invariant key hash, 0 when none */
    uint32_t bag;     /* bit i set when letter 'a'+i (or digit, bits 26-31) occurs: a cheap
                         lower bound on edit distance before the full computation */
    uint8_t uid;      /* same number for the same token (text, as written, class) in any form
                         of one analysis: readings repeat tokens, and a similarity computed
                         for one is that of the others (score.c) */
} xc__tok;

/* Letter-presence mask of an ASCII token (see xc__tok.bag). */
uint32_t xc__text_bag(const char *s, size_t len);

typedef struct xc__form {
    xc__tok *toks;
    uint16_t n;
    const char *label; /* "latin", "translit", or a roman.h label ("ko-rr", ...) */
} xc__form;

#define XC__MAX_FORMS 6
#define XC__MAX_TOKENS 24
#define XC__MAX_NAME_BYTES 4096

typedef struct xc__analysis {
    xc__form forms[XC__MAX_FORMS];
    int nforms;
    bool non_latin; /* the name had letters of a non-Latin script */
    uint8_t nuids;  /* distinct tokens over all forms (xc__tok.uid < nuids) */
    uint32_t hash;  /* of the forms' labels and tokens: equal analyses score alike */
} xc__analysis;

/* Whether two analyses have the same forms, labels and tokens (text, class, weight), so that
 * any query scores them alike: the lists repeat names (the Consolidated Screening List
 * carries every SDN entry again, aliases recur across programmes). */
bool xc__analysis_same(const xc__analysis *a, const xc__analysis *b);

/* roman may be NULL (no cross-script readings). The context is immutable and thread-safe. */
xc_status xc__text_open(xc__text **out, const struct xc__roman *roman, xc_error *err);
void xc__text_close(xc__text *text);

/* Which scripts an analysis serves. Benchmark and test switch, set after xc__text_open and
 * before the context is shared; the reference engines of issue 4's "throughput within 20% of
 * the Latin-only engine":
 *  ALL          the default: cross-script readings, romanisation keys, ICU Any-Latin fallback;
 *  NO_READINGS  no cross-script readings or romanisation keys (as with roman == NULL): names in
 *               other scripts get ICU's Any-Latin transliteration only (the engine before
 *               issue 4);
 *  LATIN_ONLY   as NO_READINGS, and a name with letters of a non-Latin script gets no form at
 *               all (no ICU fallback); Latin names with diacritics are still folded. */
enum xc__text_scope { XC__TEXT_ALL = 0, XC__TEXT_NO_READINGS = 1, XC__TEXT_LATIN_ONLY = 2 };
void xc__text_set_scope(xc__text *text, int scope);

/* Analyses one name into forms allocated from arena. kind selects person/org handling;
 * country (alpha-2 or NULL) is a hint for cross-script readings. Errors: XC_UTF8 (invalid
 * bytes), XC_TOOBIG (> XC__MAX_NAME_BYTES), XC_NOMEM. A name with no usable token gives
 * nforms == 0 and XC_OK. */
xc_status xc__text_analyse(const xc__text *text, const char *name, size_t len, int kind,
                           const char *country, xc__arena *arena, xc__analysis *out,
                           xc_error *err);

/* Folds a name for the OFAC-parity scorer (match/ofac_score.c): NFKC case folding, canonical
 * decomposition and removal of combining marks ("Nicolás" -> "nicolas"), written as code points
 * into out (at most cap; *n gets the count, the rest is cut). Letters of other scripts are kept
 * as they are: OFAC's tool does not transliterate, so a Cyrillic query meets no Latin name.
 * Apostrophes (U+2019, U+02BC) become "'"; other non-alphanumeric characters become a space.
 * Errors: XC_UTF8 (invalid bytes), XC_TOOBIG (> XC__MAX_NAME_BYTES), XC_NOMEM. */
xc_status xc__text_fold_marks(const xc__text *text, const char *name, size_t len, uint32_t *out,
                              size_t cap, size_t *n);

/* Phonetic key of an ASCII token (0 for tokens under 2 letters). */
uint32_t xc__text_phonetic(const char *s, size_t len);

/* Class name for explanations ("name", "legal", ...). */
const char *xc__tok_class_name(int cls);

#endif /* XC_TEXT_H */
