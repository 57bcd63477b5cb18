/*
 * roman_key.c — the romanisation-invariant key of one Latin token (xc__roman_key).
 *
 * A key is built in four steps, each table-driven from data/translit/:
 *  1. whole-token equivalences (key_equiv.tsv, plus the Latin spellings and Arabic-letter
 *     skeletons of arabic_names.tsv): "lee" -> "ri", "mohammed" -> "muhammad";
 *  1b. in tokens made wholly of Japanese syllables, Kunrei/Nihon-shiki spellings are rewritten
 *     to Hepburn (ti -> chi, zi/di -> ji, sya -> sha, tyo -> cho, zyu -> ju) and fu to hu, by the
 *     "J:" rules of key_rules.tsv;
 *  2. a y/i/j pre-pass that decides whether y and i are vowels or glides (Sergey/Sergei,
 *     Mariya/Maria, Valeryevich/Valerievich, Yuliya/Iuliia);
 *  3. letter rules (key_rules.tsv), left to right, longest pattern first, with ^/$ anchors and
 *     a one-letter lookahead class;
 *  4. doubled letters collapsed (Mohammed/Mohamed, Hussein/Husein, Korean kk/tt/pp/ss/jj).
 * Steps 2-4 work letter by letter, so the key of "jongun" is the key of "jong" followed by the
 * key of "un". Nothing allocates; the rule table is indexed by first letter.
 */
#include <string.h>

#include "roman_int.h"

#define KEY_SCRATCH 128

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Step 2: y between i and a vowel is dropped (Mariya -> Maria), between a vowel and e too
 * (Dostoyevsky, Sayed), and after a consonant before e but not eo (BGN Valeryevich = ICAO
 * Valerevich; Korean yeo keeps its y); before
 * a consonant or at the end it is the vowel i (Sergey, Dmitry, -sky). A final j after a vowel
 * is i (Sergej). Then i (or ii) after a consonant or at the start, before a or u, is the glide
 * y (Tatiana/Tatyana, Iakov/Yakov, Mariia/Mariya). */
static size_t prepass(const char *in, size_t len, char *out)
{
    char tmp[KEY_SCRATCH];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        char next = i + 1 < len ? in[i + 1] : 0;
        char prev = n ? tmp[n - 1] : 0;
        if (c == 'j' && i + 1 == len && prev && is_vowel(prev)) {
            tmp[n++] = 'i';
            continue;
        }
        if (c == 'y') {
            if (next && is_vowel(next)) {
                if (prev == 'i')
                    continue;
                if (prev && is_vowel(prev) && next == 'e')
                    continue;
                if (prev && !is_vowel(prev) && prev != 'y' && next == 'e' &&
                    !(i + 2 < len && in[i + 2] == 'o'))
                    continue; /* BGN -yevich (ь+е) = ICAO -evich */
                tmp[n++] = 'y';
            } else {
                tmp[n++] = 'i';
            }
            continue;
        }
        tmp[n++] = c;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        char c = tmp[i];
        if (c == 'i' && (m == 0 || !is_vowel(out[m - 1]))) {
            size_t j = i + 1;
            if (j < n && tmp[j] == 'i')
                j++;
            if (j < n && (tmp[j] == 'a' || tmp[j] == 'u') && (m > 0 || j == i + 1)) {
                out[m++] = 'y';
                i = j - 1;
                continue;
            }
        }
        out[m++] = c;
    }
    return m;
}

static bool rule_fits(const xc__key_rule *r, const char *s, size_t len, size_t pos)
{
    if (pos + r->plen > len || memcmp(s + pos, r->pattern, r->plen) != 0)
        return false;
    if (r->at_start && pos != 0)
        return false;
    size_t after = pos + r->plen;
    if (r->at_end && after != len)
        return false;
    if (r->next_class == 'C' && after < len && is_vowel(s[after]))
        return false;
    if (r->next_class == 'V' && (after >= len || !is_vowel(s[after])))
        return false;
    return true;
}

/* Step 3 for one position: the longest rule matching at s[pos], found through the two-letter
 * dispatch table (rules are stored longest first). */
static const xc__key_rule *match_rule(const xc__roman *roman, const char *s, size_t len,
                                      size_t pos)
{
    int a = s[pos] - 'a';
    if (a < 0 || a >= 26)
        return NULL;
    if (pos + 1 < len) {
        int b = s[pos + 1] - 'a';
        if (b >= 0 && b < 26)
            for (const uint16_t *k = roman->by_pair[a][b]; *k != UINT16_MAX; k++)
                if (rule_fits(&roman->rules[*k], s, len, pos))
                    return &roman->rules[*k];
    }
    for (const uint16_t *k = roman->by_pair[a][26]; *k != UINT16_MAX; k++)
        if (rule_fits(&roman->rules[*k], s, len, pos))
            return &roman->rules[*k];
    return NULL;
}

/* True when the token splits wholly into Japanese syllables (Hepburn, Kunrei or Nihon-shiki):
 * vowels, consonant(+y)+vowel, sh/ch/ts+vowel, syllabic n before a consonant or at the end, and
 * a doubled consonant (sokuon). "putin" and "shinzou" do; "martin" and "hussein" do not. */
static bool looks_japanese(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (is_vowel(c)) {
            i++;
            continue;
        }
        char next = i + 1 < len ? s[i + 1] : 0;
        if (c == 'n' && (!next || (!is_vowel(next) && next != 'y'))) {
            i++;
            continue;
        }
        if (next == c && strchr("kstpgzdbcfhjm", c)) { /* sokuon */
            i++;
            continue;
        }
        if (c == 't' && next == 'c') {
            i++;
            continue;
        }
        size_t onset;
        if ((c == 's' || c == 'c') && next == 'h')
            onset = 2;
        else if (c == 't' && next == 's')
            onset = 2;
        else if (strchr("kstnhmyrwgzdbpfjv", c) == NULL)
            return false;
        else if (next == 'y' && c != 'y' && c != 'w')
            onset = 2;
        else
            onset = 1;
        if (i + onset >= len || !is_vowel(s[i + onset]))
            return false;
        i += onset + 1;
    }
    return len >= 2;
}

/* Step 1b: Kunrei/Nihon-shiki to Hepburn in a Japanese-looking token, longest rule first. */
static size_t kunrei_to_hepburn(const xc__roman *roman, const char *in, size_t len, char *out,
                                size_t cap)
{
    size_t n = 0;
    for (size_t pos = 0; pos < len;) {
        const xc__key_rule *best = NULL;
        for (size_t k = 0; k < roman->njrules; k++) {
            const xc__key_rule *r = &roman->jrules[k];
            if ((!best || r->plen > best->plen) && rule_fits(r, in, len, pos))
                best = r;
        }
        const char *rep = best ? best->repl : in + pos;
        size_t rlen = best ? best->rlen : 1;
        for (size_t k = 0; k < rlen && n + 1 < cap; k++)
            out[n++] = rep[k];
        pos += best ? best->plen : 1;
    }
    return n;
}

size_t xc__roman_key(const xc__roman *roman, const char *token, size_t len, char *out, size_t cap)
{
    if (!out || cap == 0)
        return 0;
    out[0] = '\0';
    if (!roman || !token || len == 0)
        return 0;
    if (len > KEY_SCRATCH / 2)
        len = KEY_SCRATCH / 2;
    for (size_t i = 0; i < len; i++)
        if (token[i] < 'a' || token[i] > 'z')
            return 0;
    /* step 1 */
    const char *canon = xc__strmap_get(&roman->equiv, token, len);
    if (canon) {
        token = canon;
        len = strlen(canon);
        if (len > KEY_SCRATCH / 2)
            len = KEY_SCRATCH / 2;
    }
    /* step 1b */
    char hep[KEY_SCRATCH];
    if (roman->njrules && looks_japanese(token, len)) {
        len = kunrei_to_hepburn(roman, token, len, hep, sizeof hep / 2);
        token = hep;
    }
    /* step 2 */
    char pre[KEY_SCRATCH];
    size_t n = prepass(token, len, pre);
    /* steps 3 and 4 */
    char res[KEY_SCRATCH * 2];
    size_t m = 0;
    for (size_t pos = 0; pos < n;) {
        const xc__key_rule *r = match_rule(roman, pre, n, pos);
        const char *rep = r ? r->repl : pre + pos;
        size_t rlen = r ? r->rlen : 1;
        for (size_t k = 0; k < rlen && m < sizeof res; k++) {
            if (m > 0 && res[m - 1] == rep[k])
                continue;
            res[m++] = rep[k];
        }
        pos += r ? r->plen : 1;
    }
    if (m >= cap)
        m = cap - 1;
    memcpy(out, res, m);
    out[m] = '\0';
    return m;
}
