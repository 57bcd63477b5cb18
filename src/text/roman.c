/*
 * roman.c — cross-script readings (xc__roman_readings) and the tables behind them and behind
 * the keys (roman_key.c).
 *
 * xc__roman_open parses the embedded tables in data/translit/ (jamo, Korean surnames, Han
 * readings derived from Unihan, kana, Cyrillic, Arabic letters and names, key rules and
 * equivalences) and, when present, the ENAMDICT Japanese names dictionary from its Debian path,
 * into one immutable context. xc__roman_readings splits a name into words, finds its script
 * and hands it to one reader per script: Hangul (RR, McCune-Reischauer, DPRK, customary
 * surnames), kana (Hepburn), Han (Mandarin, Korean via hanja, Japanese via ENAMDICT, ordered
 * by the country hint), Cyrillic (BGN/PCGN, ICAO, Ukrainian) and Arabic (name table, then
 * consonant skeleton). Readings are collected in a bounded candidate list, deduplicated and
 * emitted in order.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include "match/engine.h"
#include "roman_int.h"

#define ENAMDICT_PATH "/usr/share/edict/enamdict"
#define ENAMDICT_MAX ((size_t)64 << 20)
#define MAX_CPS 128        /* code points of one name considered */
#define MAX_WORDS 16
#define MAX_CANDS 24
#define CAND_LEN 384

/* ------------------------------------------------------------------ string map */

static uint64_t hash_bytes(const char *s, size_t len)
{
    return xc__hash64(s, len);
}

static xc_status strmap_init(xc__strmap *map, size_t expected)
{
    size_t cap = 64;
    while (cap < expected * 2 + 16)
        cap *= 2;
    map->slots = xc__calloc(cap, sizeof *map->slots);
    if (!map->slots)
        return XC_NOMEM;
    map->cap = cap;
    map->count = 0;
    return XC_OK;
}

/* Inserts key -> value unless key is present (the first entry wins). The map never fills:
 * strmap_init sized it for twice the expected entries, and a full map refuses. */
static xc_status strmap_put(xc__strmap *map, const char *key, size_t klen, const void *value)
{
    if ((map->count + 1) * 2 > map->cap)
        return XC_TOOBIG;
    size_t mask = map->cap - 1;
    for (size_t i = (size_t)hash_bytes(key, klen) & mask;; i = (i + 1) & mask) {
        xc__strmap_slot *s = &map->slots[i];
        if (!s->key) {
            s->key = key;
            s->klen = (uint32_t)klen;
            s->value = value;
            map->count++;
            return XC_OK;
        }
        if (s->klen == klen && memcmp(s->key, key, klen) == 0)
            return XC_OK;
    }
}

const void *xc__strmap_get(const xc__strmap *map, const char *key, size_t klen)
{
    if (!map->slots)
        return NULL;
    size_t mask = map->cap - 1;
    for (size_t i = (size_t)hash_bytes(key, klen) & mask;; i = (i + 1) & mask) {
        const xc__strmap_slot *s = &map->slots[i];
        if (!s->key)
            return NULL;
        if (s->klen == klen && memcmp(s->key, key, klen) == 0)
            return s->value;
    }
}

/* ------------------------------------------------------------------ table parsing */

typedef struct line_iter {
    const char *p, *end;
} line_iter;

/* Next non-comment, non-blank line; fields split on tabs into f[] (up to max), copied into the
 * arena. Returns the number of fields, 0 at the end, -1 on out of memory. */
static int next_row(xc__arena *arena, line_iter *it, char **f, int max)
{
    while (it->p < it->end) {
        const char *line = it->p;
        const char *nl = memchr(line, '\n', (size_t)(it->end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(it->end - line);
        it->p = nl ? nl + 1 : it->end;
        if (len && line[len - 1] == '\r')
            len--;
        if (len == 0 || line[0] == '#')
            continue;
        int n = 0;
        size_t start = 0;
        for (size_t i = 0; i <= len && n < max; i++) {
            if (i == len || line[i] == '\t') {
                f[n] = xc__arena_strndup(arena, line + start, i - start);
                if (!f[n])
                    return -1;
                n++;
                start = i + 1;
            }
        }
        return n;
    }
    return 0;
}

static xc_status open_table(const char *name, line_iter *it, xc_error *err)
{
    size_t len = 0;
    const char *data = xc__data_file(name, &len);
    if (!data)
        return xc__error_set(err, XC_IO, "embedded data file %s missing", name);
    it->p = data;
    it->end = data + len;
    return XC_OK;
}

static const char *dash_empty(const char *s)
{
    return strcmp(s, "-") == 0 ? "" : s;
}

static xc_status load_hangul(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/hangul.tsv", &it, err);
    if (rc)
        return rc;
    char *f[6];
    int n;
    while ((n = next_row(r->arena, &it, f, 6)) > 0) {
        if (n < 6)
            return xc__error_set(err, XC_PARSE, "translit/hangul.tsv: %d fields", n);
        long idx = strtol(f[1], NULL, 10);
        for (int s = 0; s < 3; s++) {
            const char *v = dash_empty(f[3 + s]);
            if (s > 0 && strcmp(f[3 + s], "-") == 0 && f[0][0] != 'F' && idx != 11)
                v = dash_empty(f[3]);
            if (f[0][0] == 'I' && idx >= 0 && idx < 19)
                xc__strlcpy(r->ko_init[idx][s], v, sizeof r->ko_init[idx][s]);
            else if (f[0][0] == 'M' && idx >= 0 && idx < 21)
                xc__strlcpy(r->ko_med[idx][s], v, sizeof r->ko_med[idx][s]);
            else if (f[0][0] == 'F' && idx >= 0 && idx < 28)
                xc__strlcpy(r->ko_fin[idx][s], v, sizeof r->ko_fin[idx][s]);
            else
                return xc__error_set(err, XC_PARSE, "translit/hangul.tsv: bad row %s %s", f[0],
                                     f[1]);
        }
    }
    return n < 0 ? XC_NOMEM : XC_OK;
}

static xc_status load_surnames(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/ko_surnames.tsv", &it, err);
    if (rc)
        return rc;
    r->surnames = xc__arena_alloc(r->arena, 256 * sizeof *r->surnames);
    if (!r->surnames || strmap_init(&r->surname_by_hangul, 256) ||
        strmap_init(&r->surname_by_hanja, 256))
        return XC_NOMEM;
    char *f[4];
    int n;
    while ((n = next_row(r->arena, &it, f, 4)) > 0) {
        if (n < 4 || r->nsurnames >= 256)
            return xc__error_set(err, XC_PARSE, "translit/ko_surnames.tsv: bad row");
        xc__ko_surname *s = &r->surnames[r->nsurnames++];
        memset(s, 0, sizeof *s);
        s->hangul = f[0];
        s->hanja = strcmp(f[1], "-") == 0 ? NULL : f[1];
        s->kp = f[3];
        for (char *p = f[2]; *p && s->ncustom < 4;) {
            char *sp = strchr(p, ' ');
            if (sp)
                *sp = '\0';
            s->custom[s->ncustom++] = p;
            if (!sp)
                break;
            p = sp + 1;
        }
        if (strmap_put(&r->surname_by_hangul, s->hangul, strlen(s->hangul), s))
            return XC_NOMEM;
        if (s->hanja && strmap_put(&r->surname_by_hanja, s->hanja, strlen(s->hanja), s))
            return XC_NOMEM;
    }
    return n < 0 ? XC_NOMEM : XC_OK;
}

static const xc__han *han_entry(const xc__roman *r, uint32_t cp)
{
    size_t i;
    if (cp >= XC__HAN_LO && cp <= XC__HAN_HI)
        i = cp - XC__HAN_LO;
    else if (cp >= XC__HAN_COMPAT_LO && cp <= XC__HAN_COMPAT_HI)
        i = (XC__HAN_HI - XC__HAN_LO + 1) + (cp - XC__HAN_COMPAT_LO);
    else
        return NULL;
    if (!r->han || i >= r->nhan)
        return NULL;
    const xc__han *h = &r->han[i];
    return h->pinyin[0] || h->hangul[0] ? h : NULL;
}

static xc_status load_han(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/han.tsv", &it, err);
    if (rc)
        return rc;
    r->nhan = (XC__HAN_HI - XC__HAN_LO + 1) + (XC__HAN_COMPAT_HI - XC__HAN_COMPAT_LO + 1);
    r->han = xc__calloc(r->nhan, sizeof *r->han);
    if (!r->han)
        return XC_NOMEM;
    /* rows are parsed in place (no arena copies: 27k rows) */
    while (it.p < it.end) {
        const char *line = it.p;
        const char *nl = memchr(line, '\n', (size_t)(it.end - line));
        size_t len = nl ? (size_t)(nl - line) : (size_t)(it.end - line);
        it.p = nl ? nl + 1 : it.end;
        if (len == 0 || line[0] == '#')
            continue;
        uint32_t cp;
        int cl = xc__utf8_decode(line, len, &cp);
        if (cl <= 0 || (size_t)cl >= len || line[cl] != '\t')
            return xc__error_set(err, XC_PARSE, "translit/han.tsv: bad row");
        size_t i;
        if (cp >= XC__HAN_LO && cp <= XC__HAN_HI)
            i = cp - XC__HAN_LO;
        else if (cp >= XC__HAN_COMPAT_LO && cp <= XC__HAN_COMPAT_HI)
            i = (XC__HAN_HI - XC__HAN_LO + 1) + (cp - XC__HAN_COMPAT_LO);
        else
            continue;
        xc__han *h = &r->han[i];
        const char *p = line + cl + 1, *end = line + len;
        size_t k = 0;
        while (p < end && *p != '\t') {
            if (k + 1 < sizeof h->pinyin && *p >= 'a' && *p <= 'z')
                h->pinyin[k++] = *p;
            p++;
        }
        h->pinyin[k] = '\0';
        if (p < end)
            p++;
        if (p < end && *p == '~') {
            h->simplified = 1;
            p++;
        }
        int nh = 0;
        while (p < end && nh < 3) {
            uint32_t hc;
            int l = xc__utf8_decode(p, (size_t)(end - p), &hc);
            if (l <= 0)
                break;
            if (hc >= 0xAC00 && hc <= 0xD7A3)
                h->hangul[nh++] = (uint16_t)hc;
            p += l;
        }
    }
    return XC_OK;
}

static xc_status load_zh_surnames(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/zh_surnames.tsv", &it, err);
    if (rc)
        return rc;
    if (strmap_init(&r->zh_surnames, 64))
        return XC_NOMEM;
    char *f[1];
    int n;
    while ((n = next_row(r->arena, &it, f, 1)) > 0)
        if (strmap_put(&r->zh_surnames, f[0], strlen(f[0]), f[0]))
            return XC_NOMEM;
    return n < 0 ? XC_NOMEM : XC_OK;
}

static xc_status load_kana(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/kana.tsv", &it, err);
    if (rc)
        return rc;
    if (strmap_init(&r->kana, 256))
        return XC_NOMEM;
    char *f[2];
    int n;
    while ((n = next_row(r->arena, &it, f, 2)) > 0) {
        if (n < 2)
            return xc__error_set(err, XC_PARSE, "translit/kana.tsv: bad row");
        if (strmap_put(&r->kana, f[0], strlen(f[0]), f[1]))
            return XC_NOMEM;
    }
    return n < 0 ? XC_NOMEM : XC_OK;
}

static xc_status load_cyrillic(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/cyrillic.tsv", &it, err);
    if (rc)
        return rc;
    char *f[4];
    int n;
    while ((n = next_row(r->arena, &it, f, 4)) > 0) {
        uint32_t cp;
        if (n < 4 || xc__utf8_decode(f[0], strlen(f[0]), &cp) <= 0 || cp < 0x400 ||
            cp > 0x4FF)
            return xc__error_set(err, XC_PARSE, "translit/cyrillic.tsv: bad row");
        for (int s = 0; s < 3; s++)
            r->cyr[cp - 0x400][s] = dash_empty(f[1 + s]);
    }
    return n < 0 ? XC_NOMEM : XC_OK;
}


/* The Arabic letter cp folds to (translit/arabic_fold.tsv), or cp itself. */
static inline uint32_t arabic_fold(const xc__roman *r, uint32_t cp)
{
    if (cp >= 0x600 && cp <= 0x6FF && r->arab_fold[cp - 0x600])
        return r->arab_fold[cp - 0x600];
    return cp;
}

/* An Arabic word with its letters folded (arabic_fold), into out (cap bytes, not terminated);
 * returns the length, 0 when it does not fit. */
static size_t arabic_fold_word(const xc__roman *r, const char *word, size_t len, char *out,
                               size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int l = xc__utf8_decode(word + i, len - i, &cp);
        if (l <= 0)
            return 0;
        i += (size_t)l;
        if (n + 4 > cap)
            return 0;
        n += (size_t)xc__utf8_encode(arabic_fold(r, cp), out + n);
    }
    return n;
}

static xc_status load_arabic(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/arabic_fold.tsv", &it, err);
    if (rc)
        return rc;
    char *f[3];
    int n;
    while ((n = next_row(r->arena, &it, f, 3)) > 0) {
        uint32_t from, to;
        if (n < 2 || xc__utf8_decode(f[0], strlen(f[0]), &from) <= 0 ||
            xc__utf8_decode(f[1], strlen(f[1]), &to) <= 0 || from < 0x600 || from > 0x6FF ||
            to < 0x600 || to > 0x6FF)
            return xc__error_set(err, XC_PARSE, "translit/arabic_fold.tsv: bad row");
        r->arab_fold[from - 0x600] = (uint16_t)to;
    }
    if (n < 0)
        return XC_NOMEM;
    rc = open_table("translit/arabic.tsv", &it, err);
    if (rc)
        return rc;
    while ((n = next_row(r->arena, &it, f, 2)) > 0) {
        uint32_t cp;
        if (n < 2 || xc__utf8_decode(f[0], strlen(f[0]), &cp) <= 0 || cp < 0x600 ||
            cp > 0x6FF)
            return xc__error_set(err, XC_PARSE, "translit/arabic.tsv: bad row");
        r->arab[cp - 0x600] = dash_empty(f[1]);
    }
    if (n < 0)
        return XC_NOMEM;
    if (strmap_init(&r->arab_names, 1024) || strmap_init(&r->arab_generic, 128))
        return XC_NOMEM;
    /* organisation words first, then the hand-made table: its entries win over the
     * list-derived ones */
    static const char *const files[] = {"translit/arabic_generic.tsv",
                                        "translit/arabic_names.tsv",
                                        "translit/arabic_names_un.tsv"};
    for (size_t fi = 0; fi < XC__ARRAY_LEN(files); fi++) {
        rc = open_table(files[fi], &it, err);
        if (rc)
            return rc;
        while ((n = next_row(r->arena, &it, f, 2)) > 0) {
            if (n < 2)
                return xc__error_set(err, XC_PARSE, "%s: bad row", files[fi]);
            /* keyed by the folded spelling, as readings look words up */
            char key[256];
            size_t klen = arabic_fold_word(r, f[0], strlen(f[0]), key, sizeof key);
            char *k = klen ? xc__arena_strndup(r->arena, key, klen) : NULL;
            if (!k || strmap_put(&r->arab_names, k, klen, f[1]))
                return XC_NOMEM;
            if (fi == 0 && strmap_put(&r->arab_generic, k, klen, f[1]))
                return XC_NOMEM;
        }
        if (n < 0)
            return XC_NOMEM;
    }
    return XC_OK;
}

static xc_status load_khmer(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/khmer.tsv", &it, err);
    if (rc)
        return rc;
    char *f[4];
    int n;
    while ((n = next_row(r->arena, &it, f, 4)) > 0) {
        uint32_t cp;
        if (n < 3 || strlen(f[0]) != 1 || !strchr("CVIM", f[0][0]) ||
            xc__utf8_decode(f[1], strlen(f[1]), &cp) <= 0 || cp < XC__KHMER_LO ||
            cp > XC__KHMER_HI || strlen(f[2]) >= 6 || (n > 3 && strlen(f[3]) >= 6) ||
            ((f[0][0] == 'C' || f[0][0] == 'V') && n < 4))
            return xc__error_set(err, XC_PARSE, "translit/khmer.tsv: bad row");
        xc__khmer *k = &r->khmer[cp - XC__KHMER_LO];
        k->kind = f[0][0];
        snprintf(k->latin[0], sizeof k->latin[0], "%s", dash_empty(f[2]));
        if (k->kind == 'V')
            snprintf(k->latin[1], sizeof k->latin[1], "%s", dash_empty(f[3]));
        if (k->kind == 'C')
            k->series = f[3][0] == '2' ? 2 : 1;
    }
    return n < 0 ? XC_NOMEM : XC_OK;
}

/* Arabic-letter skeleton of an Arabic word into out ("محمد" -> "mhmd"); alif, ayn, hamza and
 * ta marbuta give nothing, waw and ya "u"/"i". Returns the length. */
static size_t arabic_skeleton(const xc__roman *r, const char *word, size_t len, char *out,
                              size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int l = xc__utf8_decode(word + i, len - i, &cp);
        if (l <= 0)
            break;
        i += (size_t)l;
        if (cp >= 0x600 && cp <= 0x6FF && r->arab[cp - 0x600]) {
            const char *v = r->arab[cp - 0x600];
            if (n == 0 && (cp == 0x64A || cp == 0x6CC))
                v = "y"; /* word-initial ya and waw are consonants: Yasin, Walid */
            else if (n == 0 && cp == 0x648)
                v = "w";
            for (; *v && n + 1 < cap; v++)
                out[n++] = *v;
        }
    }
    out[n] = '\0';
    return n;
}

/* Adds one token -> canonical pair to the key equivalences; tokens with non-letters are
 * skipped (the key only sees single lowercase tokens). */
static xc_status equiv_add(xc__roman *r, const char *token, size_t len, const char *canon)
{
    if (len == 0)
        return XC_OK;
    for (size_t i = 0; i < len; i++)
        if (token[i] < 'a' || token[i] > 'z')
            return XC_OK;
    /* a canonical form maps to itself, so that later tables cannot send it elsewhere */
    return strmap_put(&r->equiv, token, len, canon) ? XC_NOMEM : XC_OK;
}

static xc_status load_keys(xc__roman *r, xc_error *err)
{
    line_iter it = {NULL, NULL};
    xc_status rc = open_table("translit/key_equiv.tsv", &it, err);
    if (rc)
        return rc;
    if (strmap_init(&r->equiv, 2048))
        return XC_NOMEM;
    char *f[2];
    int n;
    while ((n = next_row(r->arena, &it, f, 2)) > 0) {
        if (n < 2)
            return xc__error_set(err, XC_PARSE, "translit/key_equiv.tsv: bad row");
        if (equiv_add(r, f[0], strlen(f[0]), f[0]))
            return XC_NOMEM;
        for (char *p = f[1]; *p;) {
            char *sp = strchr(p, ' ');
            size_t len = sp ? (size_t)(sp - p) : strlen(p);
            if (equiv_add(r, p, len, f[0]))
                return XC_NOMEM;
            if (!sp)
                break;
            p = sp + 1;
        }
    }
    if (n < 0)
        return XC_NOMEM;
    /* Arabic names: every single-token spelling and the Arabic-letter skeleton meet the first
     * spelling; files in order, so that the hand-made table wins */
    static const char *const files[] = {"translit/arabic_names.tsv",
                                        "translit/arabic_names_un.tsv"};
    for (size_t fi = 0; fi < XC__ARRAY_LEN(files); fi++) {
        rc = open_table(files[fi], &it, err);
        if (rc)
            return rc;
        while ((n = next_row(r->arena, &it, f, 2)) > 0) {
            if (n < 2)
                return xc__error_set(err, XC_PARSE, "%s: bad row", files[fi]);
            char *spell = f[1];
            char *sp = strchr(spell, ' ');
            size_t clen = sp ? (size_t)(sp - spell) : strlen(spell);
            char *canon = xc__arena_strndup(r->arena, spell, clen);
            if (!canon)
                return XC_NOMEM;
            for (char *p = spell; *p;) {
                char *e = strchr(p, ' ');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                if (equiv_add(r, p, len, canon))
                    return XC_NOMEM;
                if (!e)
                    break;
                p = e + 1;
            }
            /* the skeleton only when it has no vowel letter: "mhmd" cannot be a Latin word,
             * while the skeleton of دولة, "dul", is a Korean syllable */
            char skel[64];
            size_t sl = arabic_skeleton(r, f[0], strlen(f[0]), skel, sizeof skel);
            if (sl >= 3 && strpbrk(skel, "aeiou") == NULL) {
                char *k = xc__arena_strndup(r->arena, skel, sl);
                if (!k || equiv_add(r, k, sl, canon))
                    return XC_NOMEM;
            }
        }
        if (n < 0)
            return XC_NOMEM;
    }
    /* letter rules */
    rc = open_table("translit/key_rules.tsv", &it, err);
    if (rc)
        return rc;
    r->rules = xc__arena_alloc(r->arena, 256 * sizeof *r->rules);
    if (!r->rules)
        return XC_NOMEM;
    while ((n = next_row(r->arena, &it, f, 2)) > 0) {
        if (n < 2 || r->nrules >= 256)
            return xc__error_set(err, XC_PARSE, "translit/key_rules.tsv: bad row");
        char *p = f[0];
        bool jrule = strncmp(p, "J:", 2) == 0;
        if (jrule) {
            p += 2;
            if (r->njrules >= XC__ARRAY_LEN(r->jrules))
                return xc__error_set(err, XC_PARSE, "translit/key_rules.tsv: too many J: rules");
        }
        xc__key_rule *k = jrule ? &r->jrules[r->njrules] : &r->rules[r->nrules];
        memset(k, 0, sizeof *k);
        size_t plen = strlen(p);
        if (plen && p[0] == '^') {
            k->at_start = true;
            p++;
            plen--;
        }
        if (plen >= 2 && p[plen - 2] == '>') {
            k->next_class = p[plen - 1];
            plen -= 2;
        } else if (plen && p[plen - 1] == '$') {
            k->at_end = true;
            plen--;
        }
        const char *rep = dash_empty(f[1]);
        if (plen == 0 || plen >= sizeof k->pattern || strlen(rep) >= sizeof k->repl ||
            p[0] < 'a' || p[0] > 'z')
            return xc__error_set(err, XC_PARSE, "translit/key_rules.tsv: bad rule %s", f[0]);
        memcpy(k->pattern, p, plen);
        k->plen = (uint8_t)plen;
        xc__strlcpy(k->repl, rep, sizeof k->repl);
        k->rlen = (uint8_t)strlen(rep);
        if (jrule)
            r->njrules++;
        else
            r->nrules++;
    }
    if (n < 0)
        return XC_NOMEM;
    /* dispatch table by first two letters, longest pattern first */
    memset(r->by_pair, 0xFF, sizeof r->by_pair);
    for (int len = 7; len >= 1; len--)
        for (size_t k = 0; k < r->nrules; k++) {
            const xc__key_rule *rule = &r->rules[k];
            if (rule->plen != len)
                continue;
            int a = rule->pattern[0] - 'a';
            int b = len >= 2 ? rule->pattern[1] - 'a' : 26;
            if (b < 0 || b > 26)
                return xc__error_set(err, XC_PARSE, "translit/key_rules.tsv: bad rule");
            uint16_t *slot = r->by_pair[a][b];
            int i = 0;
            while (i < 7 && slot[i] != UINT16_MAX)
                i++;
            if (i >= 7)
                return xc__error_set(err, XC_PARSE, "translit/key_rules.tsv: too many rules "
                                                    "starting with %.2s", rule->pattern);
            slot[i] = (uint16_t)k;
        }
    return XC_OK;
}

/* ------------------------------------------------------------------ ENAMDICT */

static int jname_cmp(const void *a, const void *b)
{
    const xc__jname *x = a, *y = b;
    size_t n = x->hlen < y->hlen ? x->hlen : y->hlen;
    int c = memcmp(x->head, y->head, n);
    if (c)
        return c;
    if (x->hlen != y->hlen)
        return x->hlen < y->hlen ? -1 : 1;
    int px = (x->flags & XC__JN_PRIORITY) != 0, py = (y->flags & XC__JN_PRIORITY) != 0;
    if (px != py)
        return py - px;
    return x->order < y->order ? -1 : (x->order > y->order);
}

static bool is_han(uint32_t cp)
{
    return (cp >= XC__HAN_LO && cp <= XC__HAN_HI) ||
           (cp >= XC__HAN_COMPAT_LO && cp <= XC__HAN_COMPAT_HI) || cp == 0x3005;
}

/* Parses the name types in "(p,s)" into flags; 0 when the entry is not a person's or company's
 * name. ENAMDICT has no frequency mark: a surname that is also a place name (p,s) is ranked
 * first, as such surnames are the common ones (高山 takayama, 安倍 abe). Unclassified (u)
 * entries are left out: they are many (131k) and add little but load time. */
static uint8_t jname_flags(const char *p, const char *end)
{
    uint8_t flags = 0;
    while (p < end && *p != ')') {
        const char *s = p;
        while (p < end && *p != ',' && *p != ')')
            p++;
        size_t len = (size_t)(p - s);
        if (len == 1 && s[0] == 's')
            flags |= XC__JN_SURNAME;
        else if (len == 1 && (s[0] == 'g' || s[0] == 'm' || s[0] == 'f'))
            flags |= XC__JN_GIVEN;
        else if (len == 1 && s[0] == 'h')
            flags |= XC__JN_FULL;
        else if (len == 1 && (s[0] == 'c' || s[0] == 'o'))
            flags |= XC__JN_OTHER;
        else if (len == 1 && s[0] == 'p')
            flags |= XC__JN_PRIORITY; /* also a place name: taken as a sign of a common name */
        if (p < end && *p == ',')
            p++;
    }
    return (flags & ~XC__JN_PRIORITY) ? flags : 0;
}

/* True when an EUC-JP headword holds a kanji (JIS X 0208 rows 16-84: lead bytes 0xB0-0xF4)
 * or the iteration mark 々 (0xA1B9). */
static bool euc_has_kanji(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] < 0x80)
            continue;
        if ((s[i] >= 0xB0 && s[i] <= 0xF4) || (s[i] == 0xA1 && s[i + 1] == 0xB9))
            return true;
        i++; /* second byte of the pair */
    }
    return false;
}

/* Loads ENAMDICT when present. The file is EUC-JP and sorted by headword bytes; entries are
 * kept in EUC-JP (headword and kana copied into the arena) so that loading needs no
 * conversion: queries are converted to EUC-JP instead (japanese_readings) and kana decoded
 * arithmetically (kana_euc). Only entries whose headword holds a kanji and whose type is a
 * surname, given name, full name, company or organisation are kept. Absent or unreadable
 * file: no Japanese name readings, no error. */
static xc_status load_enamdict(xc__jdict *jd)
{
    const char *path = getenv("XCHECK_ENAMDICT");
    if (!path)
        path = ENAMDICT_PATH;
    if (!*path)
        return XC_OK;
    char *raw = NULL;
    size_t rawlen = 0;
    if (xc__file_read(path, ENAMDICT_MAX, &raw, &rawlen, NULL) != XC_OK)
        return XC_OK;
    size_t lines = 1;
    for (const char *p = raw; (p = memchr(p, '\n', (size_t)(raw + rawlen - p))) != NULL; p++)
        lines++;
    xc__jname *names = xc__malloc(lines * sizeof *names);
    if (!names) {
        xc__free_mem(raw);
        return XC_NOMEM;
    }
    size_t count = 0;
    bool sorted = true;
    xc_status rc = XC_OK;
    for (const char *p = raw, *end = raw + rawlen; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *line = p;
        p = nl ? nl + 1 : end;
        const char *sp = memchr(line, ' ', (size_t)(le - line));
        if (!sp || sp + 2 >= le || sp[1] != '[')
            continue;
        const char *ke = memchr(sp, ']', (size_t)(le - sp));
        const char *ty = ke ? memchr(ke, '(', (size_t)(le - ke)) : NULL;
        if (!ke || !ty)
            continue;
        uint8_t flags = jname_flags(ty + 1, le);
        if (!flags)
            continue;
        size_t hlen = (size_t)(sp - line), klen = (size_t)(ke - sp - 2);
        if (hlen == 0 || hlen > 60 || klen == 0 || klen > 120 ||
            !euc_has_kanji((const unsigned char *)line, hlen))
            continue;
        char *h = xc__arena_strndup(jd->arena, line, hlen);
        char *k = xc__arena_strndup(jd->arena, sp + 2, klen);
        if (!h || !k) {
            rc = XC_NOMEM;
            break;
        }
        xc__jname *e = &names[count];
        e->head = h;
        e->kana = k;
        e->hlen = (uint16_t)hlen;
        e->klen = (uint16_t)klen;
        e->flags = flags;
        e->order = (uint32_t)count;
        if (count > 0 && sorted) {
            const xc__jname *prev = &names[count - 1];
            size_t m = prev->hlen < hlen ? prev->hlen : hlen;
            int c = memcmp(prev->head, h, m);
            if (c > 0 || (c == 0 && prev->hlen > hlen))
                sorted = false;
        }
        count++;
    }
    xc__free_mem(raw);
    if (rc) {
        xc__free_mem(names);
        return rc;
    }
    if (!sorted)
        qsort(names, count, sizeof *names, jname_cmp);
    jd->names = names;
    jd->n = count;
    return XC_OK;
}

/* Index of the first entry with headword head, or njnames when none. */
static size_t jname_find(const xc__jdict *jd, const char *head, size_t hlen)
{
    size_t lo = 0, hi = jd->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const xc__jname *e = &jd->names[mid];
        size_t n = e->hlen < hlen ? e->hlen : hlen;
        int c = memcmp(e->head, head, n);
        if (c == 0)
            c = e->hlen < hlen ? -1 : (e->hlen > hlen);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < jd->n && jd->names[lo].hlen == hlen &&
        memcmp(jd->names[lo].head, head, hlen) == 0)
        return lo;
    return jd->n;
}

/* The dictionary, loading it on first use; NULL when it is absent or empty. */
static const xc__jdict *jdict_get(const xc__roman *r)
{
    xc__jdict *jd = r->jdict;
    if (!jd)
        return NULL;
    if (atomic_load_explicit(&jd->state, memory_order_acquire) == 0) {
        pthread_mutex_lock(&jd->lock);
        if (atomic_load_explicit(&jd->state, memory_order_relaxed) == 0) {
            if (load_enamdict(jd) != XC_OK) { /* out of memory: go on without it */
                jd->names = NULL;
                jd->n = 0;
            }
            atomic_store_explicit(&jd->state, 1, memory_order_release);
        }
        pthread_mutex_unlock(&jd->lock);
    }
    return jd->n ? jd : NULL;
}

/* ------------------------------------------------------------------ open / close */

/* An empty dictionary slot; the file is read on first use (jdict_get). */
static xc_status jdict_new(xc__jdict **out)
{
    xc__jdict *jd = xc__calloc(1, sizeof *jd);
    if (!jd)
        return XC_NOMEM;
    jd->arena = xc__arena_new(1 << 20);
    if (!jd->arena || pthread_mutex_init(&jd->lock, NULL) != 0) {
        xc__arena_free(jd->arena);
        xc__free_mem(jd);
        return XC_NOMEM;
    }
    atomic_init(&jd->state, 0);
    *out = jd;
    return XC_OK;
}

xc_status xc__roman_open(xc__roman **out, xc_error *err)
{
    if (!out)
        return xc__error_set(err, XC_INVALID, "xc__roman_open: out is NULL");
    *out = NULL;
    xc__roman *r = xc__calloc(1, sizeof *r);
    if (!r)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    r->arena = xc__arena_new(1 << 20);
    xc_status rc = r->arena ? XC_OK : XC_NOMEM;
    if (!rc)
        rc = load_hangul(r, err);
    if (!rc)
        rc = load_surnames(r, err);
    if (!rc)
        rc = load_han(r, err);
    if (!rc)
        rc = load_zh_surnames(r, err);
    if (!rc)
        rc = load_kana(r, err);
    if (!rc)
        rc = load_cyrillic(r, err);
    if (!rc)
        rc = load_arabic(r, err);
    if (!rc)
        rc = load_khmer(r, err);
    if (!rc)
        rc = load_keys(r, err);
    if (!rc)
        rc = jdict_new(&r->jdict);
    if (rc) {
        if (rc == XC_NOMEM)
            xc__error_set(err, XC_NOMEM, "out of memory loading romanisation tables");
        xc__roman_close(r);
        return rc;
    }
    *out = r;
    return XC_OK;
}

void xc__roman_close(xc__roman *r)
{
    if (!r)
        return;
    xc__free_mem(r->surname_by_hangul.slots);
    xc__free_mem(r->surname_by_hanja.slots);
    xc__free_mem(r->kana.slots);
    xc__free_mem(r->zh_surnames.slots);
    xc__free_mem(r->arab_names.slots);
    xc__free_mem(r->arab_generic.slots);
    xc__free_mem(r->equiv.slots);
    xc__free_mem(r->han);
    if (r->jdict) {
        pthread_mutex_destroy(&r->jdict->lock);
        xc__free_mem(r->jdict->names);
        xc__arena_free(r->jdict->arena);
        xc__free_mem(r->jdict);
    }
    xc__arena_free(r->arena);
    xc__free_mem(r);
}

/* ------------------------------------------------------------------ candidates */

typedef struct cands {
    char text[MAX_CANDS][CAND_LEN];
    const char *label[MAX_CANDS];
    int n;
} cands;

/* A reading under construction: a bounded string. */
typedef struct sbuf {
    char s[CAND_LEN];
    size_t n;
} sbuf;

static void sb_reset(sbuf *b)
{
    b->n = 0;
    b->s[0] = '\0';
}

static void sb_add(sbuf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len && b->n + 1 < sizeof b->s; i++)
        b->s[b->n++] = s[i];
    b->s[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* Word separator: one space, never leading or doubled. */
static void sb_space(sbuf *b)
{
    if (b->n > 0 && b->s[b->n - 1] != ' ')
        sb_add(b, " ", 1);
}

/* Adds a reading after normalising it to lowercase ASCII tokens with single spaces. Duplicates
 * and empty readings are dropped. */
static void cand_add(cands *c, const char *text, const char *label)
{
    if (c->n >= MAX_CANDS)
        return;
    char clean[CAND_LEN];
    size_t n = 0;
    for (const char *p = text; *p && n + 1 < sizeof clean; p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch >= 'a' && ch <= 'z')
            clean[n++] = ch;
        else if (n > 0 && clean[n - 1] != ' ')
            clean[n++] = ' ';
    }
    while (n > 0 && clean[n - 1] == ' ')
        n--;
    clean[n] = '\0';
    if (n == 0)
        return;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->text[i], clean) == 0)
            return;
    memcpy(c->text[c->n], clean, n + 1);
    c->label[c->n] = label;
    c->n++;
}

/* ------------------------------------------------------------------ input splitting */

enum script { S_NONE, S_LATIN, S_HANGUL, S_KANA, S_HAN, S_CYR, S_ARAB, S_KHMER, S_COUNT };

typedef struct word {
    const uint32_t *cp;
    size_t n;
} word;

typedef struct name_in {
    uint32_t cp[MAX_CPS];
    size_t ncp;
    word w[MAX_WORDS];
    size_t nw;
    int counts[S_COUNT];
} name_in;

static enum script script_of(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
        return S_LATIN;
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return S_HANGUL;
    if ((cp >= 0x3041 && cp <= 0x30FA) || cp == 0x30FC || (cp >= 0x31F0 && cp <= 0x31FF))
        return S_KANA;
    if (is_han(cp))
        return S_HAN;
    if (cp >= 0x400 && cp <= 0x4FF)
        return S_CYR;
    if (cp >= 0x620 && cp <= 0x6FF && cp != 0x640 && !(cp >= 0x64B && cp <= 0x65F) &&
        !(cp >= 0x660 && cp <= 0x669))
        return S_ARAB;
    /* Khmer letters and signs; its digits and punctuation (U+17D4..17DA, 17E0..) are not */
    if ((cp >= 0x1780 && cp <= 0x17D3) || cp == 0x17DD)
        return S_KHMER;
    return S_NONE;
}

/* Presentation forms of Arabic letters and ligatures (U+FB50..FDFF, U+FE70..FEFF: text laid
 * out by old software, as in some list entries) are their NFKC decomposition, written into
 * out (at most cap code points); returns how many, 0 when cp is none or has no decomposition. */
static int arabic_presentation(uint32_t cp, uint32_t *out, int cap)
{
    if (!((cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF)))
        return 0;
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&status);
    UChar buf[32];
    int32_t len = U_SUCCESS(status) ? unorm2_getDecomposition(nfkc, (UChar32)cp, buf, 32, &status)
                                    : -1;
    if (U_FAILURE(status) || len <= 0)
        return 0;
    int n = 0;
    for (int32_t i = 0; i < len && n < cap;) {
        UChar32 c;
        U16_NEXT(buf, i, len, c);
        out[n++] = (uint32_t)c;
    }
    return n;
}

/* Decodes and splits into words at every character that belongs to no handled script
 * (spaces, commas, hyphens, the katakana middle dot, Arabic tatweel and vowel marks are
 * dropped inside words: marks and tatweel are not separators). Arabic presentation forms are
 * decomposed and Persian, Urdu and Pashto letters folded (translit/arabic_fold.tsv). */
static void split_input(const xc__roman *r, const char *utf8, size_t len, name_in *in)
{
    memset(in->counts, 0, sizeof in->counts);
    in->ncp = in->nw = 0;
    size_t start = 0;
    bool inword = false;
    for (size_t i = 0; i < len && in->ncp < MAX_CPS;) {
        uint32_t decoded;
        int l = xc__utf8_decode(utf8 + i, len - i, &decoded);
        if (l <= 0) {
            i++;
            continue;
        }
        i += (size_t)l;
        uint32_t seq[32];
        int nseq = arabic_presentation(decoded, seq, 32);
        if (nseq == 0)
            seq[nseq++] = decoded;
        for (int q = 0; q < nseq && in->ncp < MAX_CPS; q++) {
            uint32_t cp = seq[q];
            if (cp == 0x640 || (cp >= 0x64B && cp <= 0x65F) || cp == 0x670)
                continue; /* tatweel, harakat: invisible inside a word */
            enum script s = script_of(cp);
            if (s == S_NONE) {
                if (inword && in->nw < MAX_WORDS) {
                    in->w[in->nw].cp = &in->cp[start];
                    in->w[in->nw].n = in->ncp - start;
                    in->nw++;
                }
                inword = false;
                continue;
            }
            if (cp >= 'A' && cp <= 'Z')
                cp += 32;
            if (cp >= 0x410 && cp <= 0x42F)
                cp += 0x20;
            else if (cp >= 0x400 && cp <= 0x40F)
                cp += 0x50;
            else if (cp >= 0x460 && cp <= 0x4FF && (cp & 1) == 0)
                cp += 1;
            if (cp >= 0x3041 && cp <= 0x3096)
                cp += 0x60; /* hiragana -> katakana */
            cp = arabic_fold(r, cp);
            if (!inword) {
                start = in->ncp;
                inword = true;
            }
            in->cp[in->ncp++] = cp;
            in->counts[s]++;
        }
    }
    if (inword && in->nw < MAX_WORDS) {
        in->w[in->nw].cp = &in->cp[start];
        in->w[in->nw].n = in->ncp - start;
        in->nw++;
    }
}


/* ------------------------------------------------------------------ Korean */

enum { KO_RR, KO_MR, KO_KP };

/* One syllable in system sys. MR writes ㅅ before ㅣ/ㅟ as sh. */
static void ko_syllable(const xc__roman *r, uint32_t cp, int sys, sbuf *b)
{
    if (cp < 0xAC00 || cp > 0xD7A3)
        return;
    uint32_t s = cp - 0xAC00;
    uint32_t ini = s / (21 * 28), med = (s / 28) % 21, fin = s % 28;
    if (sys == KO_MR && ini == 9 && (med == 20 || med == 16))
        sb_str(b, "sh");
    else
        sb_str(b, r->ko_init[ini][sys]);
    sb_str(b, r->ko_med[med][sys]);
    sb_str(b, r->ko_fin[fin][sys]);
}

static const xc__ko_surname *ko_surname_of(const xc__roman *r, const uint32_t *cp, size_t n)
{
    char u[16];
    size_t len = 0;
    for (size_t i = 0; i < n && len + 4 <= sizeof u; i++)
        len += (size_t)xc__utf8_encode(cp[i], u + len);
    return xc__strmap_get(&r->surname_by_hangul, u, len);
}

typedef struct ko_labels {
    const char *kp, *kp_joined, *mr, *mr_joined, *rr, *rr_joined, *cust, *cust_joined;
} ko_labels;

static const ko_labels KO_LABELS = {"ko-kp", "ko-kp-joined", "ko-mr", "ko-mr-joined",
                                    "ko-rr", "ko-rr-joined", "ko-rr-customary",
                                    "ko-rr-customary-joined"};
static const ko_labels KO_HANJA_LABELS = {
    "ko-hanja-kp",    "ko-hanja-kp-joined",    "ko-hanja-mr",        "ko-hanja-mr-joined",
    "ko-hanja-rr",    "ko-hanja-rr-joined",    "ko-hanja-customary", "ko-hanja-customary-joined"};

/* Korean readings of hangul words (cp arrays of syllables). The first word, or the first one
 * or two syllables of a single word, is the surname; given-name syllables are written split
 * ("jong un") and joined ("jongun"). Words of five or more syllables are not personal names
 * (companies): each is written joined only. */
static void korean_readings(const xc__roman *r, const word *w, size_t nw, const char *country,
                            const ko_labels *lab, cands *c)
{
    if (nw == 0)
        return;
    const uint32_t *sur = NULL;
    size_t nsur = 0;
    word given[MAX_WORDS];
    size_t ng = 0;
    bool person = true;
    for (size_t i = 0; i < nw; i++)
        if (w[i].n >= 5)
            person = false;
    if (person) {
        if (nw >= 2 && w[0].n <= 2) {
            sur = w[0].cp;
            nsur = w[0].n;
            for (size_t i = 1; i < nw; i++)
                given[ng++] = w[i];
        } else {
            nsur = 1;
            if (w[0].n >= 3 && ko_surname_of(r, w[0].cp, 2))
                nsur = 2;
            if (w[0].n == 1)
                nsur = 1;
            sur = w[0].cp;
            if (w[0].n > nsur)
                given[ng++] = (word){w[0].cp + nsur, w[0].n - nsur};
            for (size_t i = 1; i < nw; i++)
                given[ng++] = w[i];
        }
    }
    const xc__ko_surname *sn = person ? ko_surname_of(r, sur, nsur) : NULL;
    bool north = country && (strcmp(country, "KP") == 0);
    /* order of systems: DPRK names in DPRK style first; otherwise customary ROK first */
    static const int order_kp[] = {KO_KP, KO_MR, -1, KO_RR};
    static const int order_kr[] = {-1, KO_RR, KO_MR, KO_KP};
    const int *order = north ? order_kp : order_kr;
    for (int joined = 0; joined < 2; joined++) {
        for (int k = 0; k < 4; k++) {
            int sys = order[k];
            int gsys = sys < 0 ? KO_RR : sys;
            sbuf b;
            sb_reset(&b);
            if (!person) {
                if (joined)
                    continue;
                for (size_t i = 0; i < nw; i++) {
                    sb_space(&b);
                    for (size_t j = 0; j < w[i].n; j++)
                        ko_syllable(r, w[i].cp[j], gsys, &b);
                }
            } else {
                if (sys < 0 && sn)
                    sb_str(&b, sn->custom[0]);
                else if (sys == KO_KP && sn)
                    sb_str(&b, sn->kp);
                else {
                    size_t before = b.n;
                    for (size_t j = 0; j < nsur; j++)
                        ko_syllable(r, sur[j], gsys, &b);
                    if (b.n - before == 1 && b.s[before] == 'i' && sys == KO_MR) {
                        b.n = before; /* MR writes the surname 이 Yi */
                        sb_str(&b, "yi");
                    }
                }
                for (size_t i = 0; i < ng; i++) {
                    for (size_t j = 0; j < given[i].n; j++) {
                        if (!joined || j == 0)
                            sb_space(&b);
                        ko_syllable(r, given[i].cp[j], gsys, &b);
                    }
                }
            }
            const char *label;
            if (sys < 0)
                label = joined ? lab->cust_joined : lab->cust;
            else if (sys == KO_KP)
                label = joined ? lab->kp_joined : lab->kp;
            else if (sys == KO_MR)
                label = joined ? lab->mr_joined : lab->mr;
            else
                label = joined ? lab->rr_joined : lab->rr;
            cand_add(c, b.s, label);
        }
    }
    /* further customary surname spellings (Lee/Yi/Rhee, Park/Pak) with the RR given name */
    if (sn) {
        for (int k = 1; k < sn->ncustom; k++) {
            sbuf b;
            sb_reset(&b);
            sb_str(&b, sn->custom[k]);
            for (size_t i = 0; i < ng; i++)
                for (size_t j = 0; j < given[i].n; j++) {
                    sb_space(&b);
                    ko_syllable(r, given[i].cp[j], KO_RR, &b);
                }
            cand_add(c, b.s, lab->cust);
        }
    }
}

/* ------------------------------------------------------------------ kana */

/* Hepburn romaji of katakana code points into b. foreign drops a final epenthetic vowel after
 * a consonant (バラク -> barak), as loanword spellings of foreign names do. */
static void kana_word(const xc__roman *r, const uint32_t *cp, size_t n, bool foreign, sbuf *b)
{
    size_t start = b->n;
    bool sokuon = false;
    for (size_t i = 0; i < n;) {
        uint32_t c0 = cp[i];
        if (c0 == 0x30C3) { /* small tsu: double the next consonant */
            sokuon = true;
            i++;
            continue;
        }
        if (c0 == 0x30FC) { /* long vowel mark: dropped in ASCII */
            i++;
            continue;
        }
        const char *rom = NULL;
        size_t used = 0;
        char u[8];
        if (i + 1 < n) {
            size_t l = (size_t)xc__utf8_encode(c0, u);
            l += (size_t)xc__utf8_encode(cp[i + 1], u + l);
            rom = xc__strmap_get(&r->kana, u, l);
            used = 2;
        }
        if (!rom) {
            size_t l = (size_t)xc__utf8_encode(c0, u);
            rom = xc__strmap_get(&r->kana, u, l);
            used = 1;
        }
        i += used;
        if (!rom)
            continue;
        if (sokuon && rom[0] && strchr("aeioun", rom[0]) == NULL) {
            if (rom[0] == 'c')
                sb_add(b, "t", 1);
            else
                sb_add(b, rom, 1);
        }
        sokuon = false;
        sb_str(b, rom);
    }
    if (foreign && b->n - start >= 3) {
        char last = b->s[b->n - 1], prev = b->s[b->n - 2];
        if ((last == 'u' || last == 'o') && strchr("aeiouy", prev) == NULL && prev != 'n') {
            b->n--;
            if (b->n - start >= 2 && b->s[b->n - 1] == 's' && b->s[b->n - 2] == 't')
                b->n--; /* ツ at the end: -ts -> -t is not a loanword habit; keep "t" */
            b->s[b->n] = '\0';
        }
    }
}

/* Loanword spelling of a foreign name written in katakana: Japanese gives every consonant a
 * vowel, so a consonant cluster of the source spelling gets an epenthetic u (o after t and d)
 * that the source does not have: ガスプロムバンク gasupuromubanku is Gazprombank, ストロイ
 * sutoroi is stroi. A plain kana read consonant + u (ク ス ズ ブ プ ム フ グ ツ ヅ, ル only
 * inside a word) or ト / ド loses its vowel before a kana that starts with a consonant and at
 * the end of the word; contracted syllables (シュ, キュ) and vowels followed by a vowel keep
 * theirs (ルクオイル stays rukuoil-like: its u are the source's). */
static void kana_word_foreign(const xc__roman *r, const uint32_t *cp, size_t n, sbuf *b)
{
    const char *rom[MAX_CPS];
    bool single[MAX_CPS], sokuon[MAX_CPS];
    uint32_t first[MAX_CPS];
    size_t ns = 0;
    bool pending = false;
    for (size_t i = 0; i < n && ns < MAX_CPS;) {
        uint32_t c0 = cp[i];
        if (c0 == 0x30C3 || c0 == 0x30FC) { /* small tsu; long vowel mark (dropped) */
            pending |= c0 == 0x30C3;
            i++;
            continue;
        }
        const char *syl = NULL;
        size_t used = 0;
        char u[8];
        if (i + 1 < n) {
            size_t l = (size_t)xc__utf8_encode(c0, u);
            l += (size_t)xc__utf8_encode(cp[i + 1], u + l);
            syl = xc__strmap_get(&r->kana, u, l);
            used = 2;
        }
        if (!syl) {
            syl = xc__strmap_get(&r->kana, u, (size_t)xc__utf8_encode(c0, u));
            used = 1;
        }
        i += used;
        if (!syl || !syl[0])
            continue;
        rom[ns] = syl;
        single[ns] = used == 1;
        sokuon[ns] = pending;
        first[ns] = c0;
        pending = false;
        ns++;
    }
    for (size_t k = 0; k < ns; k++) {
        const char *syl = rom[k];
        size_t len = strlen(syl);
        if (sokuon[k] && strchr("aeioun", syl[0]) == NULL)
            sb_add(b, syl[0] == 'c' ? "t" : syl, 1);
        bool next_consonant = k + 1 == ns || strchr("aeiou", rom[k + 1][0]) == NULL;
        uint32_t c = first[k];
        bool u_kana = c == 0x30AF || c == 0x30B9 || c == 0x30BA || c == 0x30D6 || c == 0x30D7 ||
                      c == 0x30E0 || c == 0x30D5 || c == 0x30B0 || c == 0x30C4 || c == 0x30C5 ||
                      (c == 0x30EB && k > 0);
        bool o_kana = c == 0x30C8 || c == 0x30C9; /* ト ド */
        if (single[k] && next_consonant && len >= 2 &&
            ((u_kana && syl[len - 1] == 'u') || (o_kana && syl[len - 1] == 'o')))
            len--;
        if (len == 2 && syl[0] == 't' && syl[1] == 's' && k + 1 == ns)
            len = 1; /* ツ at the end: -ts -> -t is not a loanword habit; keep "t" */
        sb_add(b, syl, len);
    }
}

static void kana_readings(const xc__roman *r, const name_in *in, cands *c)
{
    static const char *const labels[] = {"ja-hepburn", "ja-hepburn-foreign", "ja-loanword"};
    for (int kind = 0; kind < 3; kind++) {
        sbuf b;
        sb_reset(&b);
        for (size_t i = 0; i < in->nw; i++) {
            sb_space(&b);
            if (kind == 2)
                kana_word_foreign(r, in->w[i].cp, in->w[i].n, &b);
            else
                kana_word(r, in->w[i].cp, in->w[i].n, kind == 1, &b);
        }
        cand_add(c, b.s, labels[kind]);
    }
}

/* ------------------------------------------------------------------ Japanese names (kanji) */

static size_t cps_to_utf8(const uint32_t *cp, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    for (size_t i = 0; i < n && len + 5 <= cap; i++)
        len += (size_t)xc__utf8_encode(cp[i], out + len);
    out[len] = '\0';
    return len;
}

/* Romaji of an EUC-JP kana string: hiragana (row 4) and katakana (row 5) are decoded
 * arithmetically, the long-vowel mark too; anything else is skipped. */
static void kana_euc(const xc__roman *r, const char *s, size_t len, sbuf *b)
{
    uint32_t cps[64];
    size_t n = 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 1 < len && n < 64; i += 2) {
        if (u[i] < 0x80) {
            i--;
            continue;
        }
        if (u[i] == 0xA4 && u[i + 1] >= 0xA1 && u[i + 1] <= 0xF3)
            cps[n++] = 0x30A1 + (uint32_t)(u[i + 1] - 0xA1); /* hiragana, as katakana */
        else if (u[i] == 0xA5 && u[i + 1] >= 0xA1 && u[i + 1] <= 0xF6)
            cps[n++] = 0x30A1 + (uint32_t)(u[i + 1] - 0xA1);
        else if (u[i] == 0xA1 && u[i + 1] == 0xBC)
            cps[n++] = 0x30FC;
        else if (u[i] == 0x8F)
            i++; /* JIS X 0212: three bytes */
    }
    kana_word(r, cps, n, false, b);
}

/* A word in EUC-JP with the byte offset of each character (off[n] = total), converted with
 * one iconv descriptor per call (iconv_t is not shareable between threads). Returns false
 * when a character has no EUC-JP form. */
typedef struct euc_word {
    char bytes[256];
    size_t off[MAX_CPS + 1];
    size_t n;
} euc_word;

static bool to_euc(iconv_t cd, const uint32_t *cp, size_t n, euc_word *w)
{
    size_t len = 0;
    w->n = 0;
    w->off[0] = 0;
    for (size_t i = 0; i < n && i < MAX_CPS; i++) {
        char u[4];
        int ul = xc__utf8_encode(cp[i], u);
        char *in = u, *out = w->bytes + len;
        size_t inleft = (size_t)ul, outleft = sizeof w->bytes - len;
        if (ul <= 0 || iconv(cd, &in, &inleft, &out, &outleft) == (size_t)-1)
            return false;
        len = (size_t)(out - w->bytes);
        w->off[++w->n] = len;
    }
    return true;
}

/* Up to max readings (kana) of head with the given type flags, priority entries first. */
static int jname_lookup(const xc__jdict *jd, const char *head, size_t hlen, uint8_t want,
                        const xc__jname **out, int max)
{
    int n = 0;
    size_t first = jname_find(jd, head, hlen);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = first; i < jd->n && n < max && jd->names[i].hlen == hlen &&
                               memcmp(jd->names[i].head, head, hlen) == 0;
             i++) {
            const xc__jname *e = &jd->names[i];
            if ((e->flags & want) && ((e->flags & XC__JN_PRIORITY) != 0) == (pass == 0))
                out[n++] = e;
        }
    return n;
}

static void japanese_lookups(const xc__roman *r, const xc__jdict *jd, iconv_t cd,
                             const name_in *in, cands *c, int max);

static void japanese_readings(const xc__roman *r, const name_in *in, cands *c, int max)
{
    if (in->nw == 0)
        return;
    const xc__jdict *jd = jdict_get(r);
    if (!jd)
        return;
    iconv_t cd = iconv_open("EUC-JP", "UTF-8");
    if (cd == (iconv_t)-1)
        return;
    japanese_lookups(r, jd, cd, in, c, max);
    iconv_close(cd);
}

static void japanese_lookups(const xc__roman *r, const xc__jdict *jd, iconv_t cd,
                             const name_in *in, cands *c, int max)
{
    int added = 0;
    euc_word e0, e1;
    if (in->nw > 2)
        return; /* read as surname + given name, a third word would be left out */
    if (in->nw == 2) {
        const xc__jname *s[3], *g[3];
        if (!to_euc(cd, in->w[0].cp, in->w[0].n, &e0) ||
            !to_euc(cd, in->w[1].cp, in->w[1].n, &e1))
            return;
        int ns = jname_lookup(jd, e0.bytes, e0.off[e0.n], XC__JN_SURNAME | XC__JN_OTHER, s, 3);
        int ngv = jname_lookup(jd, e1.bytes, e1.off[e1.n], XC__JN_GIVEN | XC__JN_OTHER, g, 3);
        for (int i = 0; i < ns && added < max; i++)
            for (int j = 0; j < ngv && added < max; j++) {
                sbuf b;
                sb_reset(&b);
                kana_euc(r, s[i]->kana, s[i]->klen, &b);
                sb_space(&b);
                kana_euc(r, g[j]->kana, g[j]->klen, &b);
                cand_add(c, b.s, "ja-name");
                added++;
            }
        return;
    }
    const word *w = &in->w[0];
    if (!to_euc(cd, w->cp, w->n, &e0))
        return;
    const char *whole = e0.bytes;
    size_t wl = e0.off[e0.n];
    const xc__jname *one[6];
    int n1 = jname_lookup(jd, whole, wl,
                          XC__JN_SURNAME | XC__JN_GIVEN | XC__JN_OTHER | XC__JN_FULL, one, 6);
    const xc__jname *full[4];
    int nf = jname_lookup(jd, whole, wl, XC__JN_FULL, full, 4);
    /* pass 0: the whole word as a common (priority) name: 高山 -> takayama;
     * pass 1: surname + given-name splits that a full-name entry confirms (安倍|晋三);
     * pass 2: the whole word's other readings; pass 3: other splits (only common ones when the
     * dictionary knows the whole word) */
    for (int pass = 0; pass < 4 && added < max; pass++) {
        if (pass == 0 || pass == 2) {
            for (int i = 0; i < n1 && added < max; i++) {
                bool prio = (one[i]->flags & XC__JN_PRIORITY) != 0;
                if (prio != (pass == 0) || (one[i]->flags & XC__JN_FULL))
                    continue;
                sbuf b;
                sb_reset(&b);
                kana_euc(r, one[i]->kana, one[i]->klen, &b);
                cand_add(c, b.s, "ja-name");
                added++;
            }
            continue;
        }
        for (size_t cut = 1; cut < w->n && added < max; cut++) {
            const xc__jname *s[4], *g[4];
            int ns = jname_lookup(jd, whole, e0.off[cut], XC__JN_SURNAME, s, 4);
            int ngv = jname_lookup(jd, whole + e0.off[cut], wl - e0.off[cut], XC__JN_GIVEN, g, 4);
            for (int i = 0; i < ns && added < max; i++)
                for (int j = 0; j < ngv && added < max; j++) {
                    bool confirmed = false;
                    for (int k = 0; k < nf; k++)
                        if (full[k]->klen == s[i]->klen + g[j]->klen &&
                            memcmp(full[k]->kana, s[i]->kana, s[i]->klen) == 0 &&
                            memcmp(full[k]->kana + s[i]->klen, g[j]->kana, g[j]->klen) == 0)
                            confirmed = true;
                    if (confirmed != (pass == 1))
                        continue;
                    if (pass == 3 && (nf > 0 || n1 > 0) &&
                        !(s[i]->flags & g[j]->flags & XC__JN_PRIORITY))
                        continue;
                    sbuf b;
                    sb_reset(&b);
                    kana_euc(r, s[i]->kana, s[i]->klen, &b);
                    sb_space(&b);
                    kana_euc(r, g[j]->kana, g[j]->klen, &b);
                    cand_add(c, b.s, "ja-name");
                    added++;
                }
        }
    }
    /* a full name the dictionary holds that no split explains: one token */
    for (int k = 0; k < nf && added < max; k++) {
        sbuf b;
        sb_reset(&b);
        kana_euc(r, full[k]->kana, full[k]->klen, &b);
        cand_add(c, b.s, "ja-name");
        added++;
    }
}

/* ------------------------------------------------------------------ Han */

/* Mandarin pinyin: surname (the first character, or the first two when they are a compound
 * surname in zh_surnames.tsv) then the given name joined, and split. Separate words are
 * written as words. */
static void mandarin_readings(const xc__roman *r, const name_in *in, cands *c)
{
    size_t nsur = 1;
    if (in->nw == 1 && in->w[0].n >= 3) {
        char u[16];
        size_t l = cps_to_utf8(in->w[0].cp, 2, u, sizeof u);
        if (xc__strmap_get(&r->zh_surnames, u, l))
            nsur = 2;
    }
    for (int split = 0; split < 2; split++) {
        sbuf b;
        sb_reset(&b);
        for (size_t i = 0; i < in->nw; i++) {
            sb_space(&b);
            for (size_t j = 0; j < in->w[i].n; j++) {
                const xc__han *h = han_entry(r, in->w[i].cp[j]);
                if (!h || !h->pinyin[0])
                    continue;
                if (split || (in->nw == 1 && j == nsur))
                    sb_space(&b);
                sb_str(&b, h->pinyin);
            }
        }
        cand_add(c, b.s, split ? "zh-pinyin-split" : "zh-pinyin");
    }
}

static bool country_in(const char *country, const char *const *list);

/* Korean reading of hanja: the surname from the surname table's hanja column (金 -> 김, not
 * 금), other characters from Unihan kHangul (first reading); then the hangul readers. A name
 * holding a simplified character (张, 华, 龙) is written in PRC Chinese, which Korean never
 * uses: it is read as Korean only when the country hint says KR or KP (a Korean name as
 * Chinese media print it: 崔龙海). Without that rule the Chinese names of yente's negatives
 * (娜 赵, 华 张) met DPRK names through their hanja readings. */
static void hanja_readings(const xc__roman *r, const name_in *in, const char *country, cands *c)
{
    static const char *const korea[] = {"KR", "KP", NULL};
    bool korean_hint = country_in(country, korea);
    uint32_t buf[MAX_CPS];
    word w[MAX_WORDS];
    size_t n = 0, nw = 0;
    for (size_t i = 0; i < in->nw; i++) {
        size_t start = n;
        for (size_t j = 0; j < in->w[i].n; j++) {
            uint32_t cp = in->w[i].cp[j];
            uint32_t hg = 0;
            if (i == 0 && j == 0) {
                char u[16];
                size_t l = cps_to_utf8(in->w[i].cp, in->w[i].n >= 3 ? 2 : 1, u, sizeof u);
                const xc__ko_surname *s = in->w[i].n >= 3
                                              ? xc__strmap_get(&r->surname_by_hanja, u, l)
                                              : NULL;
                if (s && strlen(s->hangul) == 6) { /* two-syllable surname */
                    uint32_t a, b2;
                    xc__utf8_decode(s->hangul, 3, &a);
                    xc__utf8_decode(s->hangul + 3, 3, &b2);
                    buf[n++] = a;
                    buf[n++] = b2;
                    j++;
                    continue;
                }
                l = cps_to_utf8(&cp, 1, u, sizeof u);
                s = xc__strmap_get(&r->surname_by_hanja, u, l);
                if (s)
                    xc__utf8_decode(s->hangul, strlen(s->hangul), &hg);
            }
            if (!hg || !korean_hint) {
                const xc__han *h = han_entry(r, cp);
                if (h && h->simplified && !korean_hint)
                    return; /* PRC Chinese orthography: not a Korean name */
            }
            if (!hg) {
                const xc__han *h = han_entry(r, cp);
                if (!h || !h->hangul[0])
                    return; /* a character with no Korean reading: not a Korean name */
                hg = h->hangul[0];
            }
            buf[n++] = hg;
        }
        w[nw].cp = &buf[start];
        w[nw].n = n - start;
        nw++;
    }
    korean_readings(r, w, nw, country, &KO_HANJA_LABELS, c);
}

static bool country_in(const char *country, const char *const *list)
{
    if (!country)
        return false;
    for (; *list; list++)
        if (strcmp(country, *list) == 0)
            return true;
    return false;
}

/* Han readings in three languages, interleaved so that a small max_readings still carries
 * each: the hinted language's first two, then the first of each other, then the rest. The
 * hint: KR/KP Korean, JP Japanese, anything else Mandarin (then Korean, then Japanese). */
static void han_readings(const xc__roman *r, const name_in *in, const char *country, cands *c)
{
    static const char *const korea[] = {"KR", "KP", NULL};
    static const char *const japan[] = {"JP", NULL};
    cands zh, ko, ja; /* about 28 KB of stack */
    zh.n = ko.n = ja.n = 0;
    mandarin_readings(r, in, &zh);
    hanja_readings(r, in, country, &ko);
    japanese_readings(r, in, &ja, 6);
    const cands *order[3] = {&zh, &ko, &ja};
    if (country_in(country, korea)) {
        order[0] = &ko;
        order[1] = &zh;
    } else if (country_in(country, japan)) {
        order[0] = &ja;
        order[1] = &zh;
        order[2] = &ko;
    }
    for (int i = 0; i < 2 && i < order[0]->n; i++)
        cand_add(c, order[0]->text[i], order[0]->label[i]);
    for (int k = 1; k < 3; k++)
        if (order[k]->n > 0)
            cand_add(c, order[k]->text[0], order[k]->label[0]);
    for (int k = 0; k < 3; k++)
        for (int i = k == 0 ? 2 : 1; i < order[k]->n; i++)
            cand_add(c, order[k]->text[i], order[k]->label[i]);
}

/* ------------------------------------------------------------------ Cyrillic */

static bool cyr_vowel(uint32_t cp)
{
    static const uint32_t v[] = {0x430, 0x435, 0x451, 0x438, 0x43E, 0x443, 0x44B, 0x44D,
                                 0x44E, 0x44F, 0x456, 0x457, 0x454};
    for (size_t i = 0; i < XC__ARRAY_LEN(v); i++)
        if (cp == v[i])
            return true;
    return false;
}

/* System 0 BGN/PCGN (ASCII: ё as e), 1 ICAO, 2 Ukrainian national, 3 popular (as BGN, but
 * ё written yo, or o after ж ч ш щ: Fyodor, Pyotr, Semyon, Gorbachov). */
static void cyr_word(const xc__roman *r, const uint32_t *cp, size_t n, int sys, sbuf *b)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c0 = cp[i];
        if (c0 < 0x400 || c0 > 0x4FF) {
            if (c0 < 0x80)
                sb_add(b, (const char *)&(char){(char)c0}, 1);
            continue;
        }
        bool initial = i == 0 || cyr_vowel(cp[i - 1]) || cp[i - 1] == 0x44A || cp[i - 1] == 0x44C;
        int table = sys == 3 ? 0 : sys;
        const char *v = r->cyr[c0 - 0x400][table];
        if (!v)
            continue;
        if (sys == 0 && (c0 == 0x435 || c0 == 0x451))
            v = initial ? "ye" : "e"; /* BGN/PCGN ё is ë: ASCII e, ye */
        else if (sys == 3 && c0 == 0x451)
            v = initial ? "yo" : (i > 0 && (cp[i - 1] == 0x436 || cp[i - 1] == 0x447 ||
                                             cp[i - 1] == 0x448 || cp[i - 1] == 0x449)
                                      ? "o"
                                      : "yo"); /* popular: Fyodor, Pyotr, Khrushchov */
        else if (sys == 2 && i == 0 && (c0 == 0x454 || c0 == 0x457 || c0 == 0x439 ||
                                        c0 == 0x44E || c0 == 0x44F))
            v = r->cyr[c0 - 0x400][0]; /* Ukrainian word-initial є ї й ю я: ye yi y yu ya */
        else if (sys == 2 && c0 == 0x433 && i > 0 && cp[i - 1] == 0x437)
            v = "gh"; /* зг -> zgh */
        sb_str(b, v);
    }
}

static void cyrillic_readings(const xc__roman *r, const name_in *in, const char *country,
                              cands *c)
{
    bool ukr = country && strcmp(country, "UA") == 0;
    for (size_t i = 0; i < in->ncp; i++)
        if (in->cp[i] == 0x456 || in->cp[i] == 0x457 || in->cp[i] == 0x454 || in->cp[i] == 0x491)
            ukr = true;
    static const int order_ru[] = {0, 1, 3};
    static const int order_uk[] = {2, 0, 1};
    static const char *const labels[] = {"ru-bgn", "ru-icao", "uk-national", "ru-popular"};
    const int *order = ukr ? order_uk : order_ru;
    for (int k = 0; k < 3; k++) {
        sbuf b;
        sb_reset(&b);
        for (size_t i = 0; i < in->nw; i++) {
            sb_space(&b);
            cyr_word(r, in->w[i].cp, in->w[i].n, order[k], &b);
        }
        cand_add(c, b.s, labels[order[k]]);
    }
}

/* ------------------------------------------------------------------ Arabic */

/* The nth (0-based) spelling in a space-separated list, or the first when there are fewer. */
static void nth_spelling(const char *list, int nth, sbuf *b)
{
    const char *p = list;
    for (int k = 0; k < nth; k++) {
        const char *sp = strchr(p, ' ');
        if (!sp)
            break;
        p = sp + 1;
    }
    if (nth > 0 && p == list) {
        const char *sp = strchr(list, ' ');
        if (!sp)
            p = list;
    }
    const char *e = strchr(p, ' ');
    sb_add(b, p, e ? (size_t)(e - p) : strlen(p));
}

/* The spellings of an Arabic word in the name tables, NULL when none. A final alif maqsura and
 * a final ya stand for each other (Egyptian and Persian spelling write على for علي, Persian
 * موسی for موسى): the other is looked up when the word as written is not there. */
static const char *arabic_name(const xc__roman *r, const char *u, size_t l)
{
    const char *spell = xc__strmap_get(&r->arab_names, u, l);
    if (spell || l < 4 || l > 256 || (unsigned char)u[l - 2] != 0xD9 ||
        ((unsigned char)u[l - 1] != 0x89 && (unsigned char)u[l - 1] != 0x8A))
        return spell;
    char other[256];
    memcpy(other, u, l);
    other[l - 1] = (unsigned char)u[l - 1] == 0x89 ? (char)0x8A : (char)0x89;
    return xc__strmap_get(&r->arab_names, other, l);
}

/* عبد, ابو, ابن, بن, بنت (folded: no hamza seat), and the titles سيد, شيخ, حاجي, ملا, قاري,
 * مولوي, مولانا, which the Latin side drops (data/text/tokens.tsv) once they are spelt. */
static bool arabic_function_word(const char *u, size_t l)
{
    static const char *const words[] = {
        "\xD8\xB9\xD8\xA8\xD8\xAF", "\xD8\xA7\xD8\xA8\xD9\x88", "\xD8\xA7\xD8\xA8\xD9\x86",
        "\xD8\xA8\xD9\x86", "\xD8\xA8\xD9\x86\xD8\xAA",
        "\xD8\xB3\xD9\x8A\xD8\xAF",                         /* سيد */
        "\xD8\xB4\xD9\x8A\xD8\xAE",                         /* شيخ */
        "\xD8\xAD\xD8\xA7\xD8\xAC\xD9\x8A",               /* حاجي */
        "\xD9\x85\xD9\x84\xD8\xA7",                         /* ملا */
        "\xD9\x82\xD8\xA7\xD8\xB1\xD9\x8A",               /* قاري */
        "\xD9\x85\xD9\x88\xD9\x84\xD9\x88\xD9\x8A",     /* مولوي */
        "\xD9\x85\xD9\x88\xD9\x84\xD8\xA7\xD9\x86\xD8\xA7"}; /* مولانا */
    for (size_t i = 0; i < XC__ARRAY_LEN(words); i++)
        if (strlen(words[i]) == l && memcmp(words[i], u, l) == 0)
            return true;
    return false;
}

/* One Arabic word (u, l bytes) of a reading into b: its spelling from the name tables
 * (variant 0 or 1), else its skeleton (always for variant 2). Compounds written joined are
 * read as their words (see arabic_readings). */
static void arabic_word(const xc__roman *r, const char *u, size_t l, int variant, sbuf *b,
                        bool *any_name, int depth)
{
    static const char ALIF_LAM[] = "\xD8\xA7\xD9\x84";         /* ال */
    static const char ABD_AL[] = "\xD8\xB9\xD8\xA8\xD8\xAF\xD8\xA7\xD9\x84"; /* عبدال */
    static const char ABU_AL[] = "\xD8\xA7\xD8\xA8\xD9\x88\xD8\xA7\xD9\x84"; /* ابوال */
    static const char ALLAH[] = "\xD8\xA7\xD9\x84\xD9\x84\xD9\x87";       /* الله */
    char skel[128];
    const char *spell = arabic_name(r, u, l);
    if ((!spell || variant == 2) && depth < 2) {
        /* عبدالرحيم, ابوالقاسم: abd / abu, the article and the name, as three words */
        if (l > 12 && (memcmp(u, ABD_AL, 10) == 0 || memcmp(u, ABU_AL, 10) == 0)) {
            sb_str(b, u[1] == '\xB9' ? "abd al " : "abu al ");
            arabic_word(r, u + 10, l - 10, variant, b, any_name, depth + 1);
            return;
        }
        /* عبیدالله, حبیب الله joined: the name and allah */
        if (l > 12 && memcmp(u + l - 8, ALLAH, 8) == 0) {
            arabic_word(r, u, l - 8, variant, b, any_name, depth + 1);
            sb_str(b, " allah");
            return;
        }
        /* two names of the tables written as one word, as Persian writes compound given
         * names (محمدحسین Mohammad Hossein, علیرضا Alireza, غلامحسین Gholamhossein): each
         * part at least two letters, the longest known first part first */
        if (!spell && l >= 8 && l <= 64) {
            for (size_t cut = l - 4; cut >= 4; cut -= 2) {
                if ((unsigned char)u[cut] < 0xD8 || (unsigned char)u[cut] > 0xDB)
                    break; /* not all two-byte Arabic letters: leave it */
                const char *head = arabic_name(r, u, cut), *tail = arabic_name(r, u + cut, l - cut);
                if (head && tail) {
                    arabic_word(r, u, cut, variant, b, any_name, depth + 1);
                    sb_space(b);
                    arabic_word(r, u + cut, l - cut, variant, b, any_name, depth + 1);
                    return;
                }
            }
        }
    }
    /* the article al- written joined (التكريتي): "al" and the rest as its own word */
    size_t off = 0;
    if ((!spell || variant == 2) && l > 6 && memcmp(u, ALIF_LAM, 4) == 0) {
        sb_str(b, "al ");
        off = 4;
        spell = arabic_name(r, u + off, l - off);
    }
    /* The skeleton variant keeps the name's function words as the tables spell them (عبد abd,
     * ابو abu, بن bin), so that its compounds meet the Latin ones (text.c): "bd" is nothing; and
     * its organisation words (translit/arabic_generic.tsv), which are legal forms and generic
     * words, not name parts. */
    bool function_word = spell && variant == 2 &&
                         ((off == 0 && arabic_function_word(u, l)) ||
                          xc__strmap_get(&r->arab_generic, u + off, l - off));
    if (spell && (variant < 2 || function_word)) {
        *any_name |= variant < 2;
        nth_spelling(spell, variant < 2 ? variant : 0, b);
    } else {
        arabic_skeleton(r, u + off, l - off, skel, sizeof skel);
        sb_str(b, skel);
    }
}

static void arabic_readings(const xc__roman *r, const name_in *in, cands *c)
{
    bool any_name = false;
    for (int variant = 0; variant < 3; variant++) {
        sbuf b;
        sb_reset(&b);
        for (size_t i = 0; i < in->nw; i++) {
            char u[256];
            size_t l = cps_to_utf8(in->w[i].cp, in->w[i].n, u, sizeof u);
            sb_space(&b);
            arabic_word(r, u, l, variant, &b, &any_name, 0);
        }
        if (variant < 2 && !any_name)
            continue;
        cand_add(c, b.s, variant < 2 ? "ar-name" : "ar-skeleton");
    }
}

/* ------------------------------------------------------------------ Khmer */

static const xc__khmer *khmer_at(const xc__roman *r, const uint32_t *cp, size_t n, size_t i)
{
    if (i >= n || cp[i] < XC__KHMER_LO || cp[i] > XC__KHMER_HI)
        return NULL;
    const xc__khmer *k = &r->khmer[cp[i] - XC__KHMER_LO];
    return k->kind ? k : NULL;
}

static bool khmer_sign(const xc__khmer *k, const char *action)
{
    return k && k->kind == 'M' && strcmp(k->latin[0], action) == 0;
}

/* One Khmer word, UNGEGN without diacritics (translit/khmer.tsv). A consonant followed by a
 * vowel sign starts a syllable with that vowel (its value set by the consonant's series, which
 * musikatoan and triisap switch); a consonant after an open syllable and before no vowel
 * closes it (final); any other consonant starts a syllable with the inherent vowel (a / o):
 * ប៉ុល ពត -> pol pot, ហ៊ុន សែន -> hun sen, ម៉ាណែត -> manet. */
static void khmer_word(const xc__roman *r, const uint32_t *cp, size_t n, sbuf *b)
{
    bool open = false; /* a vowel was written and no final consonant yet */
    for (size_t i = 0; i < n; i++) {
        const xc__khmer *k = khmer_at(r, cp, n, i);
        if (!k)
            continue;
        if (k->kind == 'I') {
            sb_str(b, k->latin[0]);
            open = true;
            continue;
        }
        if (k->kind == 'M') {
            if (khmer_sign(k, "coeng")) {
                /* a subscript left over after a final: the next syllable's onset, bare */
                const xc__khmer *sub = khmer_at(r, cp, n, i + 1);
                if (sub && sub->kind == 'C') {
                    sb_str(b, sub->latin[0]);
                    i++;
                }
            } else if (khmer_sign(k, "h") || khmer_sign(k, "m")) {
                sb_str(b, k->latin[0]);
                open = false;
            }
            continue;
        }
        if (k->kind != 'C')
            continue; /* a stray vowel sign */
        const char *latin = k->latin[0];
        int series = k->series;
        size_t j = i + 1;
        const xc__khmer *next = khmer_at(r, cp, n, j);
        if (khmer_sign(next, "1") || khmer_sign(next, "2")) {
            if (khmer_sign(next, "1") && cp[i] == 0x1794)
                latin = "p"; /* ប៉ */
            series = next->latin[0][0] - '0';
            next = khmer_at(r, cp, n, ++j);
        }
        bool vowel_next = next && next->kind == 'V';
        if (open && !vowel_next) {
            sb_str(b, latin); /* final consonant */
            open = false;
            i = j - 1;
            continue;
        }
        sb_str(b, latin);
        /* subscript consonants of the onset cluster (ស្រី srei) */
        while (khmer_sign(next, "coeng")) {
            const xc__khmer *sub = khmer_at(r, cp, n, j + 1);
            if (!sub || sub->kind != 'C')
                break;
            sb_str(b, sub->latin[0]);
            j += 2;
            next = khmer_at(r, cp, n, j);
        }
        if (next && next->kind == 'V') {
            sb_str(b, next->latin[series == 2 ? 1 : 0]);
            open = true;
            i = j;
        } else if (khmer_sign(next, "m")) {
            sb_str(b, series == 2 ? "um" : "am"); /* nikahit after the bare consonant */
            open = false;
            i = j;
        } else {
            sb_str(b, series == 2 ? "o" : "a");
            open = true;
            i = j - 1;
        }
    }
}

static void khmer_readings(const xc__roman *r, const name_in *in, cands *c)
{
    sbuf b;
    sb_reset(&b);
    for (size_t i = 0; i < in->nw; i++) {
        sb_space(&b);
        khmer_word(r, in->w[i].cp, in->w[i].n, &b);
    }
    cand_add(c, b.s, "km-ungegn");
}

/* ------------------------------------------------------------------ coverage */

bool xc__roman_covers(const char *utf8, size_t len)
{
    int counts[S_COUNT] = {0};
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int l = xc__utf8_decode(utf8 + i, len - i, &cp);
        if (l <= 0)
            return false;
        i += (size_t)l;
        if (cp == 0x640 || (cp >= 0x64B && cp <= 0x65F) || cp == 0x670)
            continue; /* tatweel, harakat: skipped by the readers too */
        enum script s = script_of(cp);
        if (s != S_NONE) {
            counts[s]++;
            continue;
        }
        /* A character the readers drop as a separator must be one: digits, parentheses
         * (parenthesised parts are split from the transliteration), letters of other scripts
         * and combining marks (a decomposed й) would be lost. */
        if (cp == '(' || cp == ')')
            return false;
        int8_t type = u_charType((UChar32)cp);
        bool separator = type == U_SPACE_SEPARATOR || type == U_DASH_PUNCTUATION ||
                         type == U_OTHER_PUNCTUATION || type == U_CONNECTOR_PUNCTUATION ||
                         type == U_INITIAL_PUNCTUATION || type == U_FINAL_PUNCTUATION ||
                         type == U_START_PUNCTUATION || type == U_END_PUNCTUATION ||
                         type == U_CONTROL_CHAR || type == U_FORMAT_CHAR;
        if (!separator)
            return false;
    }
    /* One script, read whole, and one whose readers make ICU's redundant. Not Cyrillic or
     * Arabic: there ICU's spelling (sergej, vukic, sltan) is a second spelling that typos and
     * South Slavic letters still meet when the tables' (sergey, vuchic, skeleton sltn) do not;
     * dropping it lost 3 of 90 non-ASCII cases.csv rows. */
    int scripts = 0;
    for (int s = S_LATIN; s < S_COUNT; s++)
        scripts += counts[s] > 0;
    return scripts == 1 && (counts[S_HANGUL] || counts[S_KANA] || counts[S_HAN] || counts[S_KHMER]);
}

/* ------------------------------------------------------------------ entry point */

int xc__roman_readings(const xc__roman *roman, const char *utf8, size_t len, const char *country,
                       int max_readings, xc__roman_emit emit, void *ctx)
{
    if (!roman || !utf8 || !emit || max_readings <= 0)
        return 0;
    name_in in_store; /* about 10 KB of stack in all: no allocation per call */
    cands c_store;
    name_in *in = &in_store;
    cands *c = &c_store;
    c->n = 0;
    split_input(roman, utf8, len, in);
    int *k = in->counts;
    if (k[S_HANGUL] && k[S_HANGUL] >= k[S_HAN]) {
        /* hangul, possibly with hanja mixed in: keep the hangul words */
        word w[MAX_WORDS];
        size_t nw = 0;
        for (size_t i = 0; i < in->nw; i++)
            if (script_of(in->w[i].cp[0]) == S_HANGUL)
                w[nw++] = in->w[i];
        korean_readings(roman, w, nw, country, &KO_LABELS, c);
    } else if (k[S_HAN]) {
        han_readings(roman, in, country, c);
        if (k[S_KANA])
            kana_readings(roman, in, c);
    } else if (k[S_KANA]) {
        kana_readings(roman, in, c);
    } else if (k[S_CYR]) {
        cyrillic_readings(roman, in, country, c);
    } else if (k[S_ARAB]) {
        arabic_readings(roman, in, c);
    } else if (k[S_KHMER]) {
        khmer_readings(roman, in, c);
    }
    int emitted = 0;
    for (int i = 0; i < c->n && emitted < max_readings; i++) {
        emit(ctx, c->text[i], strlen(c->text[i]), c->label[i]);
        emitted++;
    }
    return emitted;
}
