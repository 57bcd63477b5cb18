/*
 * text.c — name analysis (see text.h). ASCII names take a fast path that never touches ICU;
 * other names go through ICU's NFKC case folding and a transliterator (one clone per concurrent
 * query: ICU transliterators are not documented as safe for concurrent use), and gain extra forms
 * from the cross-script readings of roman.h. The token table (data/text/tokens.tsv) is parsed
 * once at open into a hash table keyed by the variant's text.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "../match/engine.h"
#include "roman.h"
#include "text.h"

/* ---- token table ---- */

typedef struct tok_entry {
    const char *variant;   /* key: space-separated tokens */
    const char *canonical; /* what the token becomes */
    uint8_t cls;           /* token class, or CLS_TITLE */
    uint8_t used;
} tok_entry;

#define CLS_TITLE 100
#define CLS_ABBR 101

typedef struct translit_item {
    UTransliterator *t;
    struct translit_item *next;
} translit_item;

struct xc__text {
    tok_entry *table;  /* open addressing, power-of-two size */
    size_t table_mask;
    int max_phrase;    /* longest variant in tokens */
    xc__arena *arena;  /* table strings */
    const struct xc__roman *roman;
    const UNormalizer2 *nfkc_cf;
    UTransliterator *translit;  /* prototype, only ever cloned (built on first use) */
    struct translit_item *idle; /* clones not in use: one per concurrent query at most */
    pthread_mutex_t translit_lock;
    int scope;         /* enum xc__text_scope */
};

static const float class_weight[] = {
    [XC__TOK_NAME] = 1.0f,    [XC__TOK_LEGAL] = 0.25f,   [XC__TOK_STOP] = 0.2f,
    [XC__TOK_PARTICLE] = 0.35f, [XC__TOK_GENERIC] = 0.55f, [XC__TOK_NUMBER] = 1.0f,
};

const char *xc__tok_class_name(int cls)
{
    static const char *names[] = {"name", "legal", "stop", "particle", "generic", "number"};
    return cls >= 0 && cls < 6 ? names[cls] : "name";
}

static tok_entry *table_find(const xc__text *text, const char *s, size_t len)
{
    size_t i = (size_t)xc__hash64(s, len) & text->table_mask;
    for (;;) {
        tok_entry *e = &text->table[i];
        if (!e->used)
            return NULL;
        if (strlen(e->variant) == len && memcmp(e->variant, s, len) == 0)
            return e;
        i = (i + 1) & text->table_mask;
    }
}

static void table_put(xc__text *text, const char *variant, const char *canonical, uint8_t cls)
{
    size_t len = strlen(variant);
    size_t i = (size_t)xc__hash64(variant, len) & text->table_mask;
    while (text->table[i].used) {
        if (strcmp(text->table[i].variant, variant) == 0)
            return; /* first definition wins */
        i = (i + 1) & text->table_mask;
    }
    text->table[i].variant = variant;
    text->table[i].canonical = canonical;
    text->table[i].cls = cls;
    text->table[i].used = 1;
    int words = 1;
    for (const char *p = variant; *p; p++)
        words += *p == ' ';
    if (words > text->max_phrase)
        text->max_phrase = words;
}

static int class_from_name(const char *s, size_t len)
{
    static const struct {
        const char *name;
        int cls;
    } map[] = {{"legal", XC__TOK_LEGAL},       {"title", CLS_TITLE},
               {"stop", XC__TOK_STOP},         {"particle", XC__TOK_PARTICLE},
               {"generic", XC__TOK_GENERIC},   {"abbr", CLS_ABBR}};
    for (size_t i = 0; i < XC__ARRAY_LEN(map); i++)
        if (xc__strn_ieq(s, len, map[i].name))
            return map[i].cls;
    return -1;
}

static xc_status load_tokens(xc__text *text, xc_error *err)
{
    size_t len;
    const char *data = xc__data_file("text/tokens.tsv", &len);
    if (!data)
        return xc__error_set(err, XC_NODATA, "text/tokens.tsv is not embedded");
    text->table_mask = 4095;
    text->table = xc__calloc(text->table_mask + 1, sizeof *text->table);
    if (!text->table)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    const char *p = data, *end = data + len;
    int line_no = 0;
    /* Abbreviations are resolved after every class entry is in, so keep them aside. */
    struct {
        const char *variant, *canonical;
    } abbr[256];
    size_t nabbr = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line_no++;
        if (eol > p && *p != '#') {
            const char *tab1 = memchr(p, '\t', (size_t)(eol - p));
            const char *tab2 = tab1 ? memchr(tab1 + 1, '\t', (size_t)(eol - tab1 - 1)) : NULL;
            if (!tab2)
                return xc__error_set(err, XC_PARSE, "text/tokens.tsv line %d: 3 columns expected",
                                     line_no);
            int cls = class_from_name(p, (size_t)(tab1 - p));
            if (cls < 0)
                return xc__error_set(err, XC_PARSE, "text/tokens.tsv line %d: unknown class",
                                     line_no);
            char *canonical = xc__arena_strndup(text->arena, tab1 + 1, (size_t)(tab2 - tab1 - 1));
            if (!canonical)
                return xc__error_set(err, XC_NOMEM, "out of memory");
            const char *v = tab2 + 1;
            while (v < eol) {
                const char *bar = memchr(v, '|', (size_t)(eol - v));
                if (!bar)
                    bar = eol;
                char *variant = xc__arena_strndup(text->arena, v, (size_t)(bar - v));
                if (!variant)
                    return xc__error_set(err, XC_NOMEM, "out of memory");
                if (*variant) {
                    if (cls == CLS_ABBR) {
                        if (nabbr < XC__ARRAY_LEN(abbr)) {
                            abbr[nabbr].variant = variant;
                            abbr[nabbr].canonical = canonical;
                            nabbr++;
                        }
                    } else {
                        table_put(text, variant, canonical, (uint8_t)cls);
                    }
                }
                v = bar + 1;
            }
        }
        p = eol + 1;
    }
    for (size_t i = 0; i < nabbr; i++) {
        const tok_entry *target = table_find(text, abbr[i].canonical, strlen(abbr[i].canonical));
        if (target)
            table_put(text, abbr[i].variant,
                      strcmp(target->canonical, "*") == 0 ? abbr[i].canonical : target->canonical,
                      target->cls);
        else
            table_put(text, abbr[i].variant, abbr[i].canonical, XC__TOK_NAME);
    }
    return XC_OK;
}

xc_status xc__text_open(xc__text **out, const struct xc__roman *roman, xc_error *err)
{
    *out = NULL;
    xc__text *text = xc__calloc(1, sizeof *text);
    if (!text)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    text->roman = roman;
    text->arena = xc__arena_new(16384);
    pthread_mutex_init(&text->translit_lock, NULL);
    if (!text->arena) {
        xc__text_close(text);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    xc_status rc = load_tokens(text, err);
    if (rc != XC_OK) {
        xc__text_close(text);
        return rc;
    }
    UErrorCode status = U_ZERO_ERROR;
    text->nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) {
        xc__text_close(text);
        return xc__error_set(err, XC_ERROR, "ICU NFKC_Casefold: %s", u_errorName(status));
    }
    /* The transliterator is built on first use (open_translit): building it costs ~15 ms,
     * which an engine opened from a snapshot to screen Latin names never needs to pay. */
    *out = text;
    return XC_OK;
}

void xc__text_set_scope(xc__text *text, int scope)
{
    text->scope = scope;
}

void xc__text_close(xc__text *text)
{
    if (!text)
        return;
    if (text->translit)
        utrans_close(text->translit);
    while (text->idle) {
        struct translit_item *next = text->idle->next;
        utrans_close(text->idle->t);
        xc__free_mem(text->idle);
        text->idle = next;
    }
    pthread_mutex_destroy(&text->translit_lock);
    xc__free_mem(text->table);
    xc__arena_free(text->arena);
    xc__free_mem(text);
}

/* ---- phonetic key ----
 * A coarse consonant skeleton for candidate retrieval and a "sounds alike" signal: the first
 * letter's class, then consonant classes with vowels, h, w and y dropped and repeats folded.
 * c/k/q/g share a class (Kim/Gim, Karim/Qarim), as do s/z/x, d/t, b/p, f/v/ph, and j with
 * ch/zh (Jong/Chong). */
static char cons_class(char c)
{
    switch (c) {
    case 'b': case 'p': return 'b';
    case 'f': case 'v': return 'f';
    case 'c': case 'k': case 'q': case 'g': return 'k';
    case 's': case 'z': case 'x': return 's';
    case 'd': case 't': return 't';
    case 'j': return 'j';
    case 'l': return 'l';
    case 'm': return 'm';
    case 'n': return 'n';
    case 'r': return 'r';
    default: return 0; /* vowels, h, w, y */
    }
}

/* separate: every consonant is a new sound, repeats are not folded. For the consonant
 * skeleton of an Arabic-script word (ar-skeleton), whose short vowels are unwritten: بلال
 * "bll" is b-l-l as Belal is, while a doubled consonant (shadda) is written once there (غسان
 * "ghsn", Ghassan), so both sides get the key the Latin spelling has. */
static uint32_t phonetic(const char *s, size_t len, bool separate)
{
    if (len < 2)
        return 0;
    char key[8];
    size_t n = 0;
    char last = 0;
    for (size_t i = 0; i < len && n < 6; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            return 0;
        char next = i + 1 < len ? s[i + 1] : 0;
        char code;
        if (c == 'p' && next == 'h') {
            code = 'f';
            i++;
        } else if ((c == 'c' || c == 'z') && next == 'h') {
            code = 'j';
            i++;
        } else if ((c == 's') && next == 'h') {
            code = 's';
            i++;
        } else if ((c == 'k' || c == 'g') && next == 'h') {
            code = 'k';
            i++;
        } else if ((c == 't' || c == 'd') && next == 'h') {
            code = 't';
            i++;
        } else if (c == 'c' && (next == 'e' || next == 'i' || next == 'y')) {
            code = 's';
        } else {
            code = cons_class(c);
        }
        if (n == 0 && i == 0 && !code) {
            key[n++] = 'a'; /* vowel-initial */
            last = 0;
            continue;
        }
        if (!code) {
            if (c != 'h' && c != 'w')
                last = 0; /* a vowel separates repeats: "kk" vs "kak" */
            continue;
        }
        if (code != last)
            key[n++] = code;
        last = separate ? 0 : code;
    }
    if (n < 2)
        return 0;
    uint32_t h = (uint32_t)xc__hash64(key, n);
    return h ? h : 1;
}

uint32_t xc__text_phonetic(const char *s, size_t len)
{
    return phonetic(s, len, false);
}

uint32_t xc__text_bag(const char *s, size_t len)
{
    uint32_t bag = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            bag |= 1u << (c - 'a');
        else if (c >= '0' && c <= '9')
            bag |= 1u << (26 + (c - '0') % 6);
    }
    return bag;
}

/* ---- tokenising ---- */

typedef struct raw_tok {
    char s[64];
    uint8_t len;
    uint16_t orig;
    bool half; /* one of the two words a compound written as one was cut into */
    uint8_t wlen;      /* > 0: the word as written before arabic_compounds respelt it whole */
    char written[64];  /* ("abdur" -> "abdul"): kept as the token's raw form, so a slip in */
} raw_tok;             /* it ("badur", "adb") still meets the word as written */

/* Splits ASCII text into lowercase tokens: letters and digits join, '.' and apostrophes are
 * deleted (U.S.A. -> usa, O'Brien -> obrien), anything else separates. */
static int split_ascii(const char *s, size_t len, raw_tok *toks, int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len && n < max) {
        while (i < len && !isalnum((unsigned char)s[i]))
            i++;
        if (i >= len)
            break;
        raw_tok *t = &toks[n];
        t->len = 0;
        t->orig = (uint16_t)n;
        t->half = false;
        t->wlen = 0;
        while (i < len) {
            unsigned char c = (unsigned char)s[i];
            if (isalnum(c)) {
                if (t->len < 63)
                    t->s[t->len++] = (char)tolower(c);
                i++;
            } else if (c == '.' || c == '\'' || c == '`') {
                i++;
                /* "A. B." must still split: a dot followed by a space ends the token. */
                if (c == '.' && i < len && s[i] == ' ')
                    break;
            } else {
                break;
            }
        }
        t->s[t->len] = '\0';
        if (t->len)
            n++;
    }
    return n;
}

static bool ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

static bool is_patronymic(const char *s, size_t len)
{
    static const char *suffixes[] = {"ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna",
                                     "ovitch", "evitch", "ovic", "evic"};
    if (len < 7)
        return false;
    for (size_t i = 0; i < XC__ARRAY_LEN(suffixes); i++)
        if (ends_with(s, len, suffixes[i]))
            return true;
    return false;
}

/* "44", "1st", "2000" are numbers; "ig0r" and "sech1n" are names with a typo. */
static bool mostly_digits(const char *s, size_t len)
{
    size_t digits = 0;
    for (size_t i = 0; i < len; i++)
        digits += s[i] >= '0' && s[i] <= '9';
    return digits * 2 >= len && digits > 0;
}

/* ---- Arabic compound names ----
 * Lists write one Arabic compound joined, hyphenated or apart, in either script: عبدالرحيم /
 * عبد الرحيم, Abd al-Rahim / Abdul Rahim / Abdurrahim; نور الدين, Nur al-Din / Noureddine /
 * Nuruddin; حبيب الله, Habib Allah / Habibullah / Habibollah. Each is cut into the same words
 * on both sides before anything else: "abd" (with the article that follows it, assimilated or
 * not: abdul, abdel, abdur-, abdus-) becomes "abdul" and the name after it a word of its own;
 * a word ending in -uddin, -eddine, -addin ... becomes its stem and "din" (an article before a
 * separate "din" is dropped); a word ending in -ullah, -allah, -ollah becomes its stem and
 * "allah"; a Persian family name ending in -zadeh, -pour or -khel becomes its stem and that
 * ending. Stems under three letters are left alone (Aladdin, Mullah). */
static bool raw_is(const raw_tok *t, const char *w)
{
    size_t n = strlen(w);
    return t->len == n && memcmp(t->s, w, n) == 0;
}

static bool is_article(const raw_tok *t)
{
    static const char *const articles[] = {"al", "el", "ul", "ad", "ar", "as", "at", "az",
                                           "ash", "ud", "ed", "ud", "es", "an", "ol"};
    for (size_t i = 0; i < XC__ARRAY_LEN(articles); i++)
        if (raw_is(t, articles[i]))
            return true;
    return false;
}

/* Length of the -uddin / -ullah ending of t (0: none); endings is NULL-ended or n long. */
static size_t compound_ending(const raw_tok *t, const char *const *endings, size_t n)
{
    for (size_t i = 0; i < n && endings[i]; i++) {
        size_t el = strlen(endings[i]);
        if (t->len >= el + 3 && memcmp(t->s + t->len - el, endings[i], el) == 0)
            return el;
    }
    return 0;
}

static int arabic_compounds(raw_tok *raw, int nraw, int max)
{
    static const char *const din[] = {"uddin", "uddeen", "eddine", "eddin", "addin", "iddin",
                                      "oddin"};
    static const char *const allah[] = {"ullah", "ulla", "ulah", "allah", "ollah", "illah"};
    static const struct {
        const char *endings[4]; /* NULL-padded */
        const char *word;
    } persian[] = {{{"zadeh", "zadah", "zada", "zade"}, "zadeh"},
                   {{"pour", "poor", NULL, NULL}, "pour"},
                   {{"khel", "khail", "khil", NULL}, "khel"}};
    /* longest first: abdur before abdu */
    static const char *const abd[] = {"abdoul", "abdul", "abdel", "abdal", "abdol", "abdur",
                                      "abdus", "abdun", "abduz", "abdou", "abdu", "abd"};
    raw_tok out[XC__MAX_TOKENS];
    int n = 0;
    for (int i = 0; i < nraw && n < max; i++) {
        raw_tok t = raw[i];
        t.half = false;
        /* abd + the article, alone or joined to the name after it */
        size_t al = 0;
        for (size_t k = 0; k < XC__ARRAY_LEN(abd) && !al; k++) {
            size_t l = strlen(abd[k]);
            if (t.len >= l && memcmp(t.s, abd[k], l) == 0 &&
                (t.len == l || (t.len >= l + 3 && strcmp(abd[k], "abd") != 0)) &&
                (t.len == l || abd[k][l - 1] == 'l' || t.s[l] == t.s[l - 1]))
                al = l;
        }
        if (al && !(t.len > al && t.s[al] == 'l') && !raw_is(&t, "abdullah") &&
            !raw_is(&t, "abdallah")) {
            bool alone = t.len == al;
            /* abdurrahman: the article's consonant is the name's first letter */
            size_t rest = al;
            {
                bool next_allah = i + 1 < nraw && raw_is(&raw[i + 1], "allah");
                if (alone && next_allah && raw_is(&t, "abd")) {
                    out[n++] = t; /* عبد الله, Abd Allah: as written */
                    continue;
                }
                out[n] = t;
                if (alone && !raw_is(&t, "abdul")) {
                    memcpy(out[n].written, t.s, t.len);
                    out[n].wlen = t.len;
                }
                memcpy(out[n].s, "abdul", 6);
                out[n].len = 5;
                out[n].half = !alone;
                n++;
                if (!alone && n < max) {
                    size_t from = rest;
                    out[n] = t;
                    out[n].half = true;
                    out[n].len = (uint8_t)(t.len - from);
                    memmove(out[n].s, t.s + from, out[n].len);
                    out[n].s[out[n].len] = '\0';
                    n++;
                } else if (i + 1 < nraw && is_article(&raw[i + 1]) && i + 2 < nraw) {
                    i++; /* the article after a separate abd */
                }
                continue;
            }
        }
        /* an article before a separate din: nur al-din, nur ad din */
        if (is_article(&t) && i + 1 < nraw && raw_is(&raw[i + 1], "din") && n > 0)
            continue;
        size_t el = compound_ending(&t, din, XC__ARRAY_LEN(din));
        const char *word = "din";
        if (!el) {
            el = compound_ending(&t, allah, XC__ARRAY_LEN(allah));
            word = "allah";
        }
        /* Persian family-name endings written apart in Persian (حسن زاده, زارع پور, شهید خیل)
         * and joined in Latin (Hassanzadeh, Zarepour, Shahidkhel) */
        for (size_t k = 0; k < XC__ARRAY_LEN(persian) && !el; k++) {
            el = compound_ending(&t, persian[k].endings, 4);
            word = persian[k].word;
        }
        if (el && n + 1 < max) {
            t.half = true;
            out[n] = t;
            out[n].len = (uint8_t)(t.len - el);
            out[n].s[out[n].len] = '\0';
            n++;
            out[n] = t;
            out[n].len = (uint8_t)strlen(word);
            memcpy(out[n].s, word, out[n].len + 1);
            n++;
            continue;
        }
        out[n++] = t;
    }
    memcpy(raw, out, sizeof *raw * (size_t)n);
    return n;
}

/* Builds one form from ASCII text: phrases and abbreviations canonicalised, titles dropped. */
static xc_status make_form(const xc__text *text, const char *ascii, size_t len, int kind,
                           const char *label, xc__arena *arena, xc__form *form)
{
    raw_tok raw[XC__MAX_TOKENS];
    int nraw = split_ascii(ascii, len, raw, XC__MAX_TOKENS);
    nraw = arabic_compounds(raw, nraw, XC__MAX_TOKENS);
    form->n = 0;
    form->label = label;
    form->toks = NULL;
    if (nraw == 0)
        return XC_OK;
    bool skeleton = strcmp(label, "ar-skeleton") == 0;
    form->toks = xc__arena_alloc(arena, sizeof(xc__tok) * (size_t)nraw);
    if (!form->toks)
        return XC_NOMEM;
    int titles = 0;
    for (int i = 0; i < nraw;) {
        /* Longest phrase from the table starting at i. */
        const tok_entry *hit = NULL;
        int span = 1;
        char phrase[256];
        for (int k = text->max_phrase < nraw - i ? text->max_phrase : nraw - i; k >= 1; k--) {
            size_t plen = 0;
            bool fits = true;
            for (int j = 0; j < k && fits; j++) {
                if (plen + raw[i + j].len + 1 >= sizeof phrase) {
                    fits = false;
                    break;
                }
                if (j)
                    phrase[plen++] = ' ';
                memcpy(phrase + plen, raw[i + j].s, raw[i + j].len);
                plen += raw[i + j].len;
            }
            if (!fits)
                continue;
            const tok_entry *e = table_find(text, phrase, plen);
            if (e) {
                hit = e;
                span = k;
                break;
            }
        }
        /* In readings of other scripts a short syllable is a name part, not a word: the
         * Korean reading "sa" is not S.A., "an" is not an article; in syllable-by-syllable
         * readings of Han, hangul and kana a three-letter syllable is not one either (早 read
         * "zao" is not the Russian ZAO, 炮 "pao" not PAO). An Arabic-script reading is of
         * words, not syllables: its "al", "bin", "abu" are the particles; and a Cyrillic
         * reading is letter by letter, so its АО is the legal form AO (issue 12). */
        if (hit && strcmp(label, "latin") != 0 && strcmp(label, "part") != 0 && span == 1 &&
            !(hit->cls == XC__TOK_PARTICLE && strncmp(label, "ar-", 3) == 0) &&
            !(hit->cls == XC__TOK_LEGAL && (strncmp(label, "ru-", 3) == 0 ||
                                            strncmp(label, "uk-", 3) == 0)) &&
            (raw[i].len < 3 ||
             (raw[i].len == 3 && (strncmp(label, "zh-", 3) == 0 ||
                                  strncmp(label, "ko-", 3) == 0 || strncmp(label, "ja-", 3) == 0))))
            hit = NULL;
        /* A reading never abbreviates: Persian موحد read "muhd" is Movahed, not the Latin
         * abbreviation of Muhammad. Abbreviations of names apply to names written in Latin. */
        if (hit && hit->cls == XC__TOK_NAME && span == 1 && strcmp(label, "latin") != 0 &&
            strcmp(label, "part") != 0)
            hit = NULL;
        xc__tok *t = &form->toks[form->n];
        const char *s = raw[i].s;
        size_t slen = raw[i].len;
        int cls = XC__TOK_NAME;
        if (hit) {
            if (hit->cls == CLS_TITLE) {
                /* Titles are dropped, unless that would leave nothing. */
                if (nraw - span > titles) {
                    titles += span;
                    i += span;
                    continue;
                }
            } else {
                if (strcmp(hit->canonical, "*") != 0) {
                    s = hit->canonical;
                    slen = strlen(s);
                } else if (span > 1) {
                    s = phrase; /* keeps its own text, spaces joined away below */
                    slen = 0;
                    for (int j = 0; j < span; j++)
                        for (int k = 0; k < raw[i + j].len && slen < 63; k++)
                            phrase[slen++] = raw[i + j].s[k];
                    phrase[slen] = '\0';
                }
                cls = hit->cls;
            }
        }
        if (mostly_digits(s, slen))
            cls = XC__TOK_NUMBER;
        /* A person named "Bank" or "Trading" keeps full weight: generic company words are
         * generic only in organisation names. */
        if (kind == XC_KIND_PERSON && cls == XC__TOK_GENERIC)
            cls = XC__TOK_NAME;
        t->s = xc__arena_strndup(arena, s, slen);
        if (!t->s)
            return XC_NOMEM;
        if (span == 1 && raw[i].wlen)
            t->raw = xc__arena_strndup(arena, raw[i].written, raw[i].wlen);
        else if (span == 1 && (slen != raw[i].len || memcmp(s, raw[i].s, slen) != 0))
            t->raw = xc__arena_strndup(arena, raw[i].s, raw[i].len);
        else
            t->raw = t->s;
        if (!t->raw)
            return XC_NOMEM;
        t->len = (uint8_t)(slen > 63 ? 63 : slen);
        t->cls = (uint8_t)cls;
        t->orig = raw[i].orig;
        /* One- and two-letter tokens (initials, one-syllable readings: "o", "li", "ho") say
         * little about who someone is. */
        t->weight = class_weight[cls] * (t->len == 1 ? 0.4f : t->len == 2 ? 0.7f : 1.0f);
        /* A patronymic (Vladimirovich, Viktorovna) is often left out by the other side. */
        if (cls == XC__TOK_NAME && is_patronymic(t->s, t->len))
            t->weight *= 0.5f;
        /* The two words of a compound written as one weigh as one word together. */
        if (raw[i].half && span == 1)
            t->weight *= 0.5f;
        t->phon = cls == XC__TOK_NAME ? phonetic(t->s, t->len, skeleton) : 0;
        t->bag = xc__text_bag(t->s, t->len);
        t->rkey = 0;
        if (text->roman && text->scope == XC__TEXT_ALL && cls == XC__TOK_NAME) {
            char key[80];
            size_t klen = xc__roman_key(text->roman, t->s, t->len, key, sizeof key);
            if (klen) {
                t->rkey = (uint32_t)xc__hash64(key, klen);
                if (!t->rkey)
                    t->rkey = 1;
            }
        }
        form->n++;
        i += span;
    }
    return XC_OK;
}

/* Opens the transliterator; called with translit_lock held. */
static bool open_translit(xc__text *text)
{
    if (text->translit)
        return true;
    static const char rules[] = "Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC";
    UChar id[128];
    UErrorCode status = U_ZERO_ERROR;
    u_uastrcpy(id, rules);
    text->translit = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status))
        text->translit = NULL;
    return text->translit != NULL;
}

/* A transliterator for this query alone: ICU transliterators are not documented as safe for
 * concurrent use, and one shared under a lock serialised every thread screening non-Latin
 * names. The lock now only guards the free list; a clone is made when none is idle. NULL when
 * ICU's data is missing or memory ran out (*oom says which). */
static translit_item *translit_get(xc__text *text, bool *oom)
{
    *oom = false;
    pthread_mutex_lock(&text->translit_lock);
    translit_item *item = text->idle;
    if (item) {
        text->idle = item->next;
    } else if (open_translit(text)) {
        UErrorCode status = U_ZERO_ERROR;
        item = xc__calloc(1, sizeof *item);
        if (item)
            item->t = utrans_clone(text->translit, &status);
        if (item && (!item->t || U_FAILURE(status))) {
            if (item->t)
                utrans_close(item->t);
            xc__free_mem(item);
            item = NULL;
        }
        *oom = !item;
    }
    pthread_mutex_unlock(&text->translit_lock);
    return item;
}

static void translit_put(xc__text *text, translit_item *item)
{
    pthread_mutex_lock(&text->translit_lock);
    item->next = text->idle;
    text->idle = item;
    pthread_mutex_unlock(&text->translit_lock);
}

/* Non-ASCII, first step: NFKC + case folding into an arena buffer (*out, *out_len), and whether
 * any letter is in a script other than Latin. */
static xc_status fold(const xc__text *text, const char *name, size_t len, xc__arena *arena,
                      UChar **out, int32_t *out_len, bool *non_latin)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t ulen = 0;
    size_t cap = len + 16;
    UChar *u = xc__arena_alloc(arena, cap * sizeof(UChar));
    UChar *folded = xc__arena_alloc(arena, cap * 3 * sizeof(UChar));
    if (!u || !folded)
        return XC_NOMEM;
    u_strFromUTF8(u, (int32_t)cap, &ulen, name, (int32_t)len, &status);
    if (U_FAILURE(status))
        return XC_UTF8;
    int32_t flen = unorm2_normalize(text->nfkc_cf, u, ulen, folded, (int32_t)(cap * 3), &status);
    if (U_FAILURE(status))
        return XC_TOOBIG;
    *non_latin = false;
    for (int32_t i = 0; i < flen;) {
        UChar32 c;
        U16_NEXT(folded, i, flen, c);
        if (u_isalpha(c)) {
            UScriptCode sc = uscript_getScript(c, &status);
            if (sc != USCRIPT_LATIN && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED) {
                *non_latin = true;
                break;
            }
        }
    }
    *out = folded;
    *out_len = flen;
    return XC_OK;
}

/* Second step: Any-Latin/Latin-ASCII of the folded text. Returns an arena-allocated ASCII
 * string. */
static xc_status transliterate(const xc__text *text, const UChar *folded, int32_t flen,
                               xc__arena *arena, char **out, size_t *out_len)
{
    UErrorCode status = U_ZERO_ERROR;
    /* Transliteration can lengthen text (one Han character -> "zhuang "). */
    int32_t tcap = flen * 8 + 16;
    UChar *t = xc__arena_alloc(arena, (size_t)tcap * sizeof(UChar));
    if (!t)
        return XC_NOMEM;
    memcpy(t, folded, (size_t)flen * sizeof(UChar));
    int32_t tlen = flen, limit = flen;
    bool oom;
    translit_item *tr = translit_get((xc__text *)text, &oom);
    if (!tr)
        return oom ? XC_NOMEM : XC_ERROR; /* XC_ERROR: ICU's transliteration data is missing */
    utrans_transUChars(tr->t, t, &tlen, tcap, 0, &limit, &status);
    translit_put((xc__text *)text, tr);
    if (U_FAILURE(status))
        return XC_TOOBIG;
    char *ascii = xc__arena_alloc(arena, (size_t)tlen * 4 + 1);
    if (!ascii)
        return XC_NOMEM;
    int32_t alen = 0;
    u_strToUTF8(ascii, tlen * 4 + 1, &alen, t, tlen, &status);
    if (U_FAILURE(status))
        return XC_ERROR;
    *out = ascii;
    *out_len = (size_t)alen;
    return XC_OK;
}

typedef struct reading_ctx {
    const xc__text *text;
    int kind;
    xc__arena *arena;
    xc__analysis *out;
    xc_status rc;
} reading_ctx;

static bool same_form(const xc__form *a, const xc__form *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->toks[i].s, b->toks[i].s) != 0)
            return false;
    return true;
}

static void add_reading(void *ctx_ptr, const char *latin, size_t len, const char *label)
{
    reading_ctx *ctx = ctx_ptr;
    xc__analysis *out = ctx->out;
    if (ctx->rc != XC_OK || out->nforms >= XC__MAX_FORMS)
        return;
    xc__form *form = &out->forms[out->nforms];
    ctx->rc = make_form(ctx->text, latin, len, ctx->kind, label, ctx->arena, form);
    if (ctx->rc != XC_OK || form->n == 0)
        return;
    for (int i = 0; i < out->nforms; i++)
        if (same_form(&out->forms[i], form))
            return;
    out->nforms++;
}

/* Lists put acronyms and other names in parentheses: "Rostec (Russian Technologies State
 * Corporation)", "Semiconductor Manufacturing International Corporation (SMIC)". Each part
 * becomes a form of its own, so either alone can match. */
static void add_parenthetical(reading_ctx *ctx, const char *name, size_t len)
{
    const char *open = memchr(name, '(', len);
    if (!open)
        return;
    const char *close = memchr(open, ')', (size_t)(name + len - open));
    if (!close)
        close = name + len;
    char outside[XC__MAX_NAME_BYTES + 1];
    size_t n = 0;
    memcpy(outside, name, (size_t)(open - name));
    n = (size_t)(open - name);
    if (close < name + len) {
        size_t rest = (size_t)(name + len - close - 1);
        outside[n++] = ' ';
        memcpy(outside + n, close + 1, rest);
        n += rest;
    }
    add_reading(ctx, outside, n, "part");
    add_reading(ctx, open + 1, (size_t)(close - open - 1), "part");
}

/* Same text as written and canonical, same class: two such tokens compare alike with any
 * other (rkey, phonetic key, letters and weight all follow from them). */
static bool same_token(const xc__tok *x, const xc__tok *y)
{
    return x->len == y->len && x->cls == y->cls && strcmp(x->s, y->s) == 0 &&
           strcmp(x->raw, y->raw) == 0;
}

bool xc__analysis_same(const xc__analysis *a, const xc__analysis *b)
{
    if (a->hash != b->hash || a->nforms != b->nforms || a->non_latin != b->non_latin)
        return false;
    for (int f = 0; f < a->nforms; f++) {
        const xc__form *x = &a->forms[f], *y = &b->forms[f];
        if (x->n != y->n || strcmp(x->label, y->label) != 0)
            return false;
        for (int t = 0; t < x->n; t++)
            if (!same_token(&x->toks[t], &y->toks[t]) || x->toks[t].weight != y->toks[t].weight)
                return false;
    }
    return true;
}

/* Numbers the distinct tokens of an analysis (xc__tok.uid): one token repeated by several
 * readings ("choe" in three Korean spellings) is compared once per listed token. Hashes the
 * analysis on the way (xc__analysis.hash). */
static void number_tokens(xc__analysis *a)
{
    int n = 0;
    uint64_t h = a->non_latin ? 0x9E3779B97F4A7C15ULL : 0;
    for (int f = 0; f < a->nforms; f++) {
        h = (h ^ xc__hash64(a->forms[f].label, strlen(a->forms[f].label))) * 0x100000001B3ULL;
        for (int t = 0; t < a->forms[f].n; t++) {
            const xc__tok *tk = &a->forms[f].toks[t];
            h = (h ^ xc__hash64(tk->s, strlen(tk->s)) ^ tk->cls) * 0x100000001B3ULL;
            if (tk->raw != tk->s)
                h = (h ^ xc__hash64(tk->raw, strlen(tk->raw))) * 0x100000001B3ULL;
        }
        h ^= (uint64_t)a->forms[f].n << 56;
    }
    a->hash = (uint32_t)(h ^ (h >> 32));
    for (int f = 0; f < a->nforms; f++)
        for (int t = 0; t < a->forms[f].n; t++) {
            xc__tok *tok = &a->forms[f].toks[t];
            int id = n;
            for (int g = 0; g <= f && id == n; g++)
                for (int u = 0; u < (g == f ? t : a->forms[g].n); u++) {
                    if (same_token(&a->forms[g].toks[u], tok)) {
                        id = a->forms[g].toks[u].uid;
                        break;
                    }
                }
            tok->uid = (uint8_t)id;
            if (id == n)
                n++;
        }
    a->nuids = (uint8_t)n;
}

xc_status xc__text_analyse(const xc__text *text, const char *name, size_t len, int kind,
                           const char *country, xc__arena *arena, xc__analysis *out,
                           xc_error *err)
{
    out->nforms = 0;
    out->non_latin = false;
    out->nuids = 0;
    out->hash = 0;
    if (len > XC__MAX_NAME_BYTES)
        return xc__error_set(err, XC_TOOBIG, "name is %zu bytes, more than %d", len,
                             XC__MAX_NAME_BYTES);
    size_t bad = xc__utf8_check(name, len);
    if (bad != len)
        return xc__error_set(err, XC_UTF8, "name: invalid UTF-8 at byte %zu", bad);
    bool ascii = true;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] >= 0x80) {
            ascii = false;
            break;
        }
    xc_status rc;
    if (ascii) {
        reading_ctx ctx = {text, kind, arena, out, XC_OK};
        add_reading(&ctx, name, len, "latin");
        add_parenthetical(&ctx, name, len);
        if (ctx.rc != XC_OK)
            return xc__error_set(err, ctx.rc, "out of memory");
        number_tokens(out);
        return XC_OK;
    }
    UChar *folded;
    int32_t flen;
    bool non_latin;
    rc = fold(text, name, len, arena, &folded, &flen, &non_latin);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "name: cannot normalise (%s)", xc_strerror(rc));
    out->non_latin = non_latin;
    if (non_latin && text->scope == XC__TEXT_LATIN_ONLY)
        return XC_OK; /* a Latin-only engine has nothing to compare such a name with */
    reading_ctx ctx = {text, kind, arena, out, XC_OK};
    ctx.kind = kind;
    /* Cross-script readings first: they are the spellings lists use (Kim Jong Un), while
     * ICU's generic transliteration (gimjeong-eun) is the fallback. When the readings carry
     * the whole name (xc__roman_covers), ICU's reading is only a worse spelling of theirs
     * (gimjeong eun beside kim jeong eun) at the cost of the transliteration and of one more
     * form to retrieve and score: skipping it made non-Latin queries 28% faster
     * (bench_screen). Cyrillic and Arabic keep it (see xc__roman_covers). */
    bool covered = false;
    if (non_latin && text->roman && text->scope == XC__TEXT_ALL) {
        xc__roman_readings(text->roman, name, len, country, XC__MAX_FORMS - 1, add_reading,
                           &ctx);
        covered = ctx.rc == XC_OK && out->nforms > 0 && xc__roman_covers(name, len);
    }
    if (ctx.rc == XC_OK && !covered) {
        char *latin;
        size_t latin_len;
        rc = transliterate(text, folded, flen, arena, &latin, &latin_len);
        if (rc != XC_OK)
            return xc__error_set(err, rc, "name: cannot normalise (%s)", xc_strerror(rc));
        add_reading(&ctx, latin, latin_len, non_latin ? "translit" : "latin");
        if (ctx.rc == XC_OK)
            add_parenthetical(&ctx, latin, latin_len);
    }
    if (ctx.rc != XC_OK)
        return xc__error_set(err, ctx.rc, "out of memory");
    number_tokens(out);
    return XC_OK;
}

/* ---- folding for the OFAC-parity scorer ---- */

xc_status xc__text_fold_marks(const xc__text *text, const char *name, size_t len, uint32_t *out,
                              size_t cap, size_t *n)
{
    *n = 0;
    if (len > XC__MAX_NAME_BYTES)
        return XC_TOOBIG;
    if (xc__utf8_check(name, len) != len)
        return XC_UTF8;
    /* NFKC_Casefold can lengthen text (U+FB03 -> "ffi", U+0390 -> three code points), and NFD
     * again; 4 UTF-16 units per input byte bounds both. */
    size_t ucap = len + 16, fcap = len * 4 + 16;
    UChar *u = xc__malloc(ucap * sizeof(UChar));
    UChar *folded = xc__malloc(fcap * sizeof(UChar));
    UChar *decomposed = xc__malloc(fcap * sizeof(UChar));
    xc_status rc = XC_OK;
    if (!u || !folded || !decomposed) {
        rc = XC_NOMEM;
        goto done;
    }
    UErrorCode status = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(u, (int32_t)ucap, &ulen, name, (int32_t)len, &status);
    const UNormalizer2 *nfd = U_SUCCESS(status) ? unorm2_getNFDInstance(&status) : NULL;
    int32_t flen = U_SUCCESS(status) ? unorm2_normalize(text->nfkc_cf, u, ulen, folded,
                                                        (int32_t)fcap, &status)
                                     : 0;
    int32_t dlen = U_SUCCESS(status) ? unorm2_normalize(nfd, folded, flen, decomposed,
                                                        (int32_t)fcap, &status)
                                     : 0;
    if (U_FAILURE(status)) {
        rc = status == U_BUFFER_OVERFLOW_ERROR ? XC_TOOBIG : XC_ERROR;
        goto done;
    }
    for (int32_t i = 0; i < dlen && *n < cap;) {
        UChar32 c;
        U16_NEXT(decomposed, i, dlen, c);
        if (u_charType(c) == U_NON_SPACING_MARK)
            continue;
        if (c == 0x2019 || c == 0x02BC)
            c = '\'';
        else if (c >= 0x80 && !u_isalnum(c))
            c = ' ';
        out[(*n)++] = (uint32_t)c;
    }
done:
    xc__free_mem(u);
    xc__free_mem(folded);
    xc__free_mem(decomposed);
    return rc;
}
