/*
 * score.c — token similarity and name alignment (see score.h).
 *
 * Token similarity: equal tokens score 1; tokens with the same romanisation-invariant key 0.95;
 * otherwise a weighted optimal-string-alignment distance (confusable letters and adjacent
 * swaps cost less than other edits) within a length-dependent budget (no fuzz for tokens of
 * 1-3 letters, one edit up to 7 letters, two beyond): sim = (1 - d/len_a)(1 - d/len_b), a
 * deliberate cliff so that one edit in a short token weighs much more than in a long one.
 * Numbers must be equal. A one-letter token matches a token with that initial at 0.6.
 *
 * Name score: greedy one-to-one alignment of the best pairs (adjacent tokens may join),
 *   score = sum(sim * w) / (sum(w) + 0.8 * unmatched query weight + 0.2 * unmatched cand weight)
 * and a name whose matched tokens are all legal forms, stop words or generic words cannot
 * score above 0.5 ("CORP" alone never alerts).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../lists/lists.h"
#include "score.h"

const char *xc__how_name(int how)
{
    static const char *names[] = {"unmatched", "exact",  "fuzzy",    "phonetic", "romanised",
                                  "initial",   "joined", "skeleton", "acronym"};
    return how >= 0 && how < 9 ? names[how] : "unmatched";
}

/* Letters that are easily confused (OCR, keyboard, transliteration): substituting one for
 * the other costs 0.7 instead of 1. A 128x128 table filled once. */
static unsigned char confusable_table[128][128];
static pthread_once_t confusable_once = PTHREAD_ONCE_INIT;

static void confusable_init(void)
{
    static const char *pairs[] = {"0o", "1i", "1l", "ei", "ou", "ij", "iy", "ck", "kq", "sz",
                                  "vw", "fv", "ye", "dt", "bp", "gk", "5s", "8b"};
    for (size_t i = 0; i < XC__ARRAY_LEN(pairs); i++) {
        unsigned char a = (unsigned char)pairs[i][0], b = (unsigned char)pairs[i][1];
        confusable_table[a][b] = confusable_table[b][a] = 1;
    }
}

static inline bool confusable(char a, char b)
{
    return confusable_table[(unsigned char)a & 127][(unsigned char)b & 127];
}

/* Weighted optimal string alignment distance, giving up (returning > limit) once every cell
 * of a row exceeds limit. */
static float osa(const char *a, int la, const char *b, int lb, float limit)
{
    float rows[3][65];
    float *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    /* Deleting or inserting a doubled letter (shah/shhah, muhammad/muhamad) is a common slip
     * and costs half: the cost of inserting b[j-1], by position. */
    float ins_cost[65];
    for (int j = 0; j <= lb; j++) {
        prev[j] = (float)j;
        ins_cost[j] = j > 1 && b[j - 1] == b[j - 2] ? 0.5f : 1.0f;
    }
    float prev_min = 0.0f;
    for (int i = 1; i <= la; i++) {
        cur[0] = (float)i;
        float row_min = cur[0];
        float del = i > 1 && a[i - 1] == a[i - 2] ? 0.5f : 1.0f;
        for (int j = 1; j <= lb; j++) {
            float sub = a[i - 1] == b[j - 1] ? 0.0f : confusable(a[i - 1], b[j - 1]) ? 0.7f : 1.0f;
            float v = prev[j - 1] + sub;
            float ins = ins_cost[j];
            if (prev[j] + del < v)
                v = prev[j] + del;
            if (cur[j - 1] + ins < v)
                v = cur[j - 1] + ins;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 0.7f < v)
                v = prev2[j - 2] + 0.7f; /* adjacent swap: a typing slip */
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        /* A transposition reaches back two rows, so give up only when two consecutive rows
         * are beyond the limit. */
        if (row_min > limit && prev_min > limit)
            return limit + 1.0f;
        prev_min = row_min;
        float *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

static inline int popcount32(uint32_t v)
{
    v = v - ((v >> 1) & 0x55555555u);
    v = (v & 0x33333333u) + ((v >> 2) & 0x33333333u);
    return (int)((((v + (v >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
}

/* Edits allowed by the shorter token's length. Short tokens get almost no fuzz: among the
 * one-syllable tokens of Chinese and Korean names one edit turns a name into another (yang/
 * yong, peng/ping), so up to 4 letters only one confusable letter (0.7) is forgiven. */
static float budget(int len)
{
    if (len <= 4)
        return 0.71f;
    if (len <= 7)
        return 1.0f;
    if (len <= 11)
        return 2.0f;
    return 2.5f;
}

static float tok_sim_canonical(const xc__tok *a, const xc__tok *b, int *how);

/* Compares canonical forms, and also the forms as written when an abbreviation or legal
 * form was canonicalised: "adb" (a slip for "abd") must still meet "abd", not only "abdul". */
float xc__tok_sim(const xc__tok *a, const xc__tok *b, int *how)
{
    float sim = tok_sim_canonical(a, b, how);
    if (sim < 1.0f && a->raw && b->raw && (a->raw != a->s || b->raw != b->s) &&
        a->cls != XC__TOK_NUMBER && b->cls != XC__TOK_NUMBER) {
        xc__tok ra = *a, rb = *b;
        ra.s = a->raw;
        ra.len = (uint8_t)strlen(a->raw);
        ra.bag = xc__text_bag(ra.s, ra.len);
        rb.s = b->raw;
        rb.len = (uint8_t)strlen(b->raw);
        rb.bag = xc__text_bag(rb.s, rb.len);
        ra.rkey = rb.rkey = 0;
        int how_raw;
        float raw_sim = tok_sim_canonical(&ra, &rb, &how_raw);
        if (raw_sim > sim) {
            sim = raw_sim;
            *how = how_raw;
        }
    }
    return sim;
}

static float tok_sim_canonical(const xc__tok *a, const xc__tok *b, int *how)
{
    *how = XC__HOW_UNMATCHED;
    if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0) {
        *how = XC__HOW_EXACT;
        return 1.0f;
    }
    if (a->cls == XC__TOK_NUMBER || b->cls == XC__TOK_NUMBER)
        return 0.0f;
    if (a->rkey && a->rkey == b->rkey) {
        /* Spellings of one name across romanisation systems. Short keys merge more, and
         * more wrongly (seo/su, go/ku), so they count less. */
        *how = XC__HOW_ROMANISED;
        return a->len >= 4 && b->len >= 4 ? 0.95f : 0.85f;
    }
    /* A plural or possessive 's' (line/lines, bank/banks). */
    if (a->len >= 3 && b->len >= 3 &&
        ((a->len == b->len + 1 && a->s[a->len - 1] == 's' && memcmp(a->s, b->s, b->len) == 0) ||
         (b->len == a->len + 1 && b->s[b->len - 1] == 's' && memcmp(a->s, b->s, a->len) == 0))) {
        *how = XC__HOW_FUZZY;
        return 0.9f;
    }
    if (a->len == 1 || b->len == 1) {
        if (a->s[0] == b->s[0] && a->cls == XC__TOK_NAME && b->cls == XC__TOK_NAME) {
            *how = XC__HOW_INITIAL;
            return 0.6f;
        }
        return 0.0f;
    }
    int shorter = a->len < b->len ? a->len : b->len;
    float limit = budget(shorter);
    bool phon_possible = a->phon && a->phon == b->phon && shorter >= 5 && a->s[0] == b->s[0];
    /* Cheap lower bounds first: every edit changes the length by at most one and the set of
     * letters present by at most two. */
    int len_diff = a->len > b->len ? a->len - b->len : b->len - a->len;
    int bag_diff = popcount32(a->bag ^ b->bag);
    /* The cheapest edits: a doubled letter (0.5) changes the length by one and no letter's
     * presence; a confusable substitution (0.7) changes two letters' presence. */
    bool beyond = 0.5f * (float)len_diff > limit || 0.7f * (float)bag_diff > 2.0f * limit + 0.01f;
    if ((!phon_possible && beyond) || len_diff > 3)
        return 0.0f;
    pthread_once(&confusable_once, confusable_init);
    float d = beyond ? limit + 1.0f : osa(a->s, a->len, b->s, b->len, limit);
    float sim = 0.0f;
    if (d <= limit) {
        sim = 1.0f - 2.0f * d / (float)(a->len + b->len);
        *how = XC__HOW_FUZZY;
    }
    if (phon_possible && sim < 0.7f) {
        /* Sounds alike with the same first letter: a weaker but real signal. */
        float d2 = osa(a->s, a->len, b->s, b->len, 2.0f);
        if (d2 <= 2.0f) {
            sim = 0.7f;
            *how = XC__HOW_PHONETIC;
        }
    }
    return sim;
}

/* Length of a token as written (most tokens are their canonical form, whose length is kept). */
static inline size_t raw_len(const xc__tok *t)
{
    return t->raw == t->s && t->len < 63 ? t->len : strlen(t->raw);
}

/* A joined token built from two adjacent tokens of one side. */
static bool join_tokens(const xc__tok *x, const xc__tok *y, xc__tok *out, char *buf)
{
    size_t lx = raw_len(x), ly = raw_len(y);
    if (lx + ly > 63 || x->cls == XC__TOK_NUMBER || y->cls == XC__TOK_NUMBER)
        return false;
    memcpy(buf, x->raw, lx);
    memcpy(buf + lx, y->raw, ly);
    buf[lx + ly] = '\0';
    *out = *x;
    out->s = buf;
    out->raw = buf;
    out->len = (uint8_t)(lx + ly);
    out->rkey = 0;
    out->phon = 0; /* joined tokens compare by spelling only */
    out->bag = x->bag | y->bag;
    out->weight = x->weight > y->weight ? x->weight : y->weight;
    out->cls = x->cls == XC__TOK_NAME || y->cls == XC__TOK_NAME ? XC__TOK_NAME : x->cls;
    return true;
}

/* Could two tokens of these lengths and letters, neither with a romanisation or phonetic key
 * (a joined token has none), reach a similarity above 0? The early refusals of
 * tok_sim_canonical, taken before a joined token is built. */
static inline bool may_meet(int la, uint32_t ba, int lb, uint32_t bb)
{
    int shorter = la < lb ? la : lb;
    float limit = budget(shorter);
    int len_diff = la > lb ? la - lb : lb - la;
    int bag_diff = popcount32(ba ^ bb);
    return len_diff <= 3 && 0.5f * (float)len_diff <= limit &&
           0.7f * (float)bag_diff <= 2.0f * limit + 0.01f;
}

/* The same for a joined token against a token t of the other side; t is also compared as
 * written when that differs from its canonical form (xc__tok_sim): then always "maybe". */
static inline bool join_may_meet(int jlen, uint32_t jbag, const xc__tok *t)
{
    return t->raw != t->s || t->cls == XC__TOK_NUMBER || jlen > 63 ||
           may_meet(jlen, jbag, t->len, t->bag);
}

/* The first of the other side's n tokens that the join of x and the token after it could
 * meet (within two letters' length, and join_may_meet), or n: then nothing is built. */
static int first_join_partner(const xc__tok *x, const xc__tok *other, int n)
{
    int jlen = (int)(raw_len(x) + raw_len(x + 1));
    uint32_t jbag = x->bag | x[1].bag;
    int k = 0;
    while (k < n && !(abs(jlen - (int)other[k].len) <= 2 && join_may_meet(jlen, jbag, &other[k])))
        k++;
    return k;
}

typedef struct edge {
    int8_t q, q2, c, c2;
    uint8_t how;
    float sim, weight;
    uint32_t qspan, cspan; /* further tokens the edge covers (an acronym's words), or 0 */
} edge;

static void sort_edges(edge *edges, int n)
{
    for (int i = 1; i < n; i++) { /* insertion sort: n is small */
        edge e = edges[i];
        int j = i - 1;
        while (j >= 0 && (edges[j].sim < e.sim ||
                          (edges[j].sim == e.sim && edges[j].weight < e.weight))) {
            edges[j + 1] = edges[j];
            j--;
        }
        edges[j + 1] = e;
    }
}

#define MAX_EDGES 512

/* An unmatched token that repeats a matched token of the same name ("Huawei Technologies Co.
 * (Huawei)", "Sergey Sergey Shoigu") is no missing evidence and costs nothing. Repeats stay in
 * the token list so that a second, misspelt occurrence on the other side can still pair. */
static bool repeats_matched(const xc__form *f, int n, int k, uint32_t used)
{
    /* In a reading, one spelling can stand for two different characters (倩 田 read as Korean
     * in McCune-Reischauer: "chon chon"): a repeat there is not the same word again. */
    if (strcmp(f->label, "latin") != 0 && strcmp(f->label, "part") != 0 &&
        strcmp(f->label, "translit") != 0)
        return false;
    for (int i = 0; i < n; i++)
        if (i != k && (used & (1u << i)) && f->toks[i].len == f->toks[k].len &&
            memcmp(f->toks[i].s, f->toks[k].s, f->toks[k].len) == 0)
            return true;
    return false;
}

/* ---- Arabic nasab chains ----
 * In "Usama bin Muhammad ibn Awad ibn Ladin" the names after bin/ibn that another link follows
 * are the father's and grandfather's names; the last link is the family name. The other side
 * often leaves the middle links out ("Osama bin Laden"), so an unmatched middle link costs
 * half (XC__NASAB_LINK), like a patronymic, but only when the other side has no unmatched
 * middle link of its own: two chains with different fathers (Hamadi ben Ahmed ben Ali /
 * Hamadi ben Abdul Aziz ben Ali) are different people, and keep the full cost. A link is a
 * name after bin after a name; the last bin of the name ends the chain. */
static bool is_nasab_link(const xc__tok *t)
{
    return t->cls == XC__TOK_PARTICLE && t->len == 3 && memcmp(t->s, "bin", 3) == 0;
}

/* Bit k set when token k is a middle link of a chain (bin/ibn/bint canonicalise to "bin"). */
static uint32_t nasab_middle_links(const xc__form *f, int n)
{
    int last = -1;
    for (int k = n - 1; k >= 0 && last < 0; k--)
        if (is_nasab_link(&f->toks[k]))
            last = k;
    uint32_t mask = 0;
    /* A link is "name bin name": "Al Bin Mahmoud, Isa" (a family name written first) is none. */
    for (int k = 2; k < last; k++)
        if (f->toks[k].cls == XC__TOK_NAME && is_nasab_link(&f->toks[k - 1]) &&
            f->toks[k - 2].cls == XC__TOK_NAME)
            mask |= 1u << k;
    return mask;
}

/* ---- Arabic script against Latin spellings ----
 * Arabic writes consonants and long vowels (و u/o, ي i/e, ا a) but no short vowels, so the
 * ar-skeleton reading of a name outside the name tables (فرناندو -> frnndu, بيريز -> biriz)
 * is not an edit-distance neighbour of its Latin spelling (Fernando Perez), while every letter
 * of it is there in order. A Latin token aligns with such a reading when it spells each of its
 * letters, in order, by one of the Latin spellings of that letter (b as b or p: Arabic has no
 * p; j as j, g or dj; kh as kh, h, ch or k; u as u, o, w, ou ...), adding only short vowels
 * (at most two in a row), doubled consonants, and a final h after a vowel (ta marbuta).
 * Readings with at least three consonants only: two consonants with their vowels unwritten fit
 * too many names (نیما nim ~ Naim, سينا sin ~ Zayn alerted on yente's negatives). */
typedef struct ar_unit {
    const char *ar;       /* letters of the reading */
    const char *latin[10]; /* Latin spellings, NULL-ended */
} ar_unit;

static const ar_unit AR_UNITS[] = {
    /* digraphs first: ث خ ش ذ غ (and چ ژ) as the reading writes them */
    {"th", {"th", "t", "s", NULL}},       {"kh", {"kh", "h", "ch", "k", "x", NULL}},
    {"sh", {"sh", "ch", "sch", "x", "s", NULL}}, {"dh", {"dh", "d", "z", "th", NULL}},
    {"gh", {"gh", "g", NULL}},            {"ch", {"ch", "tch", "j", NULL}},
    {"zh", {"zh", "j", "g", NULL}},
    {"b", {"b", "p", NULL}},              {"p", {"p", "b", NULL}},
    {"t", {"t", "th", NULL}},             {"j", {"j", "g", "dj", "dzh", NULL}},
    {"h", {"h", NULL}},                   {"d", {"d", "dh", NULL}},
    {"r", {"r", NULL}},                   {"z", {"z", NULL}},
    {"s", {"s", "c", NULL}},         {"f", {"f", "ph", "v", NULL}},
    {"q", {"q", "k", "g", "c", "ck", NULL}}, {"k", {"k", "c", "ck", "q", "g", NULL}},
    {"g", {"g", "k", NULL}},              {"l", {"l", NULL}},
    {"m", {"m", NULL}},                   {"n", {"n", NULL}},
    {"u", {"ou", "oo", "ow", "u", "o", "w", "v", NULL}},
    {"w", {"w", "ou", "u", "o", "v", NULL}},
    {"i", {"ee", "ei", "ey", "ie", "ai", "ay", "i", "e", "y", NULL}},
    {"y", {"y", "i", "j", "e", NULL}},
    {"a", {"a", "e", "aa", "i", "y", NULL}},
    {"e", {"e", "a", "i", NULL}},         {"o", {"o", "u", "ou", NULL}},
    {"c", {"c", "k", "s", NULL}},         {"v", {"v", "w", "f", NULL}},
    {"x", {"x", "ks", NULL}},
};

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

#define AR_MAX 24

/* Derived from AR_UNITS once (skeleton_init): the units starting with each letter, the lengths
 * of their strings, and per letter of a reading the Latin letters its units may produce and
 * the letters one of which a Latin spelling must contain (the first letters of its spellings). */
static struct {
    uint8_t units[26][8]; /* unit indices by first letter of the reading, AR_UNITS order */
    uint8_t nunits[26];
    uint8_t ar_len[XC__ARRAY_LEN(AR_UNITS)];
    uint8_t latin_len[XC__ARRAY_LEN(AR_UNITS)][10];
    uint32_t produces[26]; /* letters any spelling of a unit starting with the letter uses */
    uint32_t needs[26];    /* first letters of the spellings of the one-letter unit */
} skeleton;
static pthread_once_t skeleton_once = PTHREAD_ONCE_INIT;

static void skeleton_init(void)
{
    for (size_t u = 0; u < XC__ARRAY_LEN(AR_UNITS); u++) {
        const ar_unit *unit = &AR_UNITS[u];
        int first = unit->ar[0] - 'a';
        skeleton.ar_len[u] = (uint8_t)strlen(unit->ar);
        skeleton.units[first][skeleton.nunits[first]++] = (uint8_t)u;
        for (int k = 0; unit->latin[k]; k++) {
            skeleton.latin_len[u][k] = (uint8_t)strlen(unit->latin[k]);
            skeleton.produces[first] |= xc__text_bag(unit->latin[k], skeleton.latin_len[u][k]);
            if (skeleton.ar_len[u] == 1)
                skeleton.needs[first] |= 1u << (unit->latin[k][0] - 'a');
        }
    }
}

#define BIT(c) (1u << ((c) - 'a'))
#define VOWEL_BITS (BIT('a') | BIT('e') | BIT('i') | BIT('o') | BIT('u'))

/* A reading with two consonants aligns at this lower similarity, and only with a Latin token
 * at most three letters longer (the short vowels of two syllables): with its vowels unwritten
 * it fits more names than a longer one (نیما nim ~ Naim), but the names of two consonants
 * (رضایی Rezaei, عبدی Abdi, یاسر Yasser, هالة Hala) are too common to leave unmatched, which
 * costs their whole weight. */
#define SKELETON_SIM_SHORT 0.8f

static bool skeleton_align(const char *ar, int la, const char *lt, int ll, int min_consonants,
                           int *consonants_out);

bool xc__skeleton_align(const char *ar, int la, const char *lt, int ll)
{
    int consonants;
    return skeleton_align(ar, la, lt, ll, 3, &consonants);
}

static bool skeleton_align(const char *ar, int la, const char *lt, int ll, int min_consonants,
                           int *consonants_out)
{
    if (la < (min_consonants < 3 ? 2 : 3) || la > AR_MAX || ll < la || ll > 2 * AR_MAX)
        return false;
    pthread_once(&skeleton_once, skeleton_init);
    int consonants = 0;
    uint32_t produces = VOWEL_BITS; /* short vowels may be added anywhere */
    for (int i = 0; i < la; i++) {
        if (ar[i] < 'a' || ar[i] > 'z')
            return false;
        produces |= skeleton.produces[ar[i] - 'a'];
        /* a digraph (th, kh, sh, dh, gh, ch, zh) is one letter */
        if (ar[i] == 'h' && i > 0 && strchr("tksdgcz", ar[i - 1]))
            continue;
        consonants += !is_vowel(ar[i]) && ar[i] != 'w' && ar[i] != 'y';
    }
    *consonants_out = consonants;
    if (consonants < min_consonants || (consonants < 3 && ll > la + 3))
        return false;
    /* Cheap necessary conditions before the alignment (most pairs fail here): every Latin
     * letter is one some unit of the reading spells, an added vowel, or a final h; and every
     * letter of the reading that is not the second letter of a digraph finds a letter of one
     * of its spellings. */
    uint32_t latin = 0;
    for (int j = 0; j < ll; j++) {
        if (lt[j] < 'a' || lt[j] > 'z')
            return false;
        latin |= BIT(lt[j]);
    }
    if (lt[ll - 1] == 'h')
        produces |= BIT('h');
    if (latin & ~produces)
        return false;
    for (int i = 0; i < la; i++) {
        if (ar[i] == 'h' && i > 0 && strchr("tksdgcz", ar[i - 1]))
            continue;
        if (!(ar[i] == 'h' || (i + 1 < la && ar[i + 1] == 'h')) &&
            !(latin & skeleton.needs[ar[i] - 'a']))
            return false;
    }
    /* reach[i][j]: the first i reading letters spelt by the first j Latin letters, the last
     * run of added vowels being reach[i][j] - 1 long (0: unreachable) */
    uint8_t reach[AR_MAX + 1][2 * AR_MAX + 1];
    memset(reach, 0, sizeof reach);
    reach[0][0] = 1;
    for (int i = 0; i <= la; i++)
        for (int j = 0; j <= ll; j++) {
            if (!reach[i][j])
                continue;
            if (j < ll) {
                char c = lt[j];
                /* an added short vowel (two at most in a row) */
                if (is_vowel(c) && reach[i][j] < 3 &&
                    (!reach[i][j + 1] || reach[i][j + 1] > reach[i][j] + 1))
                    reach[i][j + 1] = (uint8_t)(reach[i][j] + 1);
                /* a doubled consonant (shadda is not written), a final h after a vowel */
                if (j > 0 && !is_vowel(c) && (c == lt[j - 1] || (c == 'h' && j == ll - 1 &&
                                                                  is_vowel(lt[j - 1]))))
                    reach[i][j + 1] = 1;
            }
            if (i == la)
                continue;
            int first = ar[i] - 'a';
            for (int n = 0; n < skeleton.nunits[first]; n++) {
                int u = skeleton.units[first][n];
                const ar_unit *unit = &AR_UNITS[u];
                int ul = skeleton.ar_len[u];
                if (la - i < ul || (ul == 2 && ar[i + 1] != unit->ar[1]))
                    continue;
                /* A final ي / ی (read i) is a long vowel that Latin spellings keep (Hakimi,
                 * Hosseini): a final e is another word (Hekime), or spells ه / ة (Daraghmeh
                 * is ضراغمة, not ضرغامی Zarghami). */
                bool final_i = ar[i] == 'i' && i == la - 1;
                for (int k = 0; unit->latin[k]; k++) {
                    int sl = skeleton.latin_len[u][k];
                    if (final_i && sl == 1 && unit->latin[k][0] == 'e')
                        continue;
                    if (ll - j >= sl && lt[j] == unit->latin[k][0] &&
                        memcmp(lt + j, unit->latin[k], (size_t)sl) == 0)
                        reach[i + ul][j + sl] = 1;
                }
            }
        }
    return reach[la][ll] != 0;
}

/* Similarity of two syllables of one syllabic script read by one system (see
 * same_script_cap): a syllable is a morpheme, so it matches only as written; the
 * romanisation-invariant key is allowed for the first token alone, the family name, whose
 * spellings differ by orthography (DPRK 리 / ROK 이, both keyed with Lee/Ri/Yi). Tokens of
 * more than 7 letters are whole words (a company name read joined) and keep the fuzzy
 * comparison, without the key. */
static float syllable_sim(const xc__tok *a, const xc__tok *b, bool first, int *how)
{
    *how = XC__HOW_UNMATCHED;
    if (a->len > 7 && b->len > 7) {
        xc__tok ra = *a, rb = *b;
        ra.rkey = rb.rkey = 0;
        return xc__tok_sim(&ra, &rb, how);
    }
    if (a->len == b->len && memcmp(a->s, b->s, a->len) == 0) {
        *how = XC__HOW_EXACT;
        return 1.0f;
    }
    if (first && a->rkey && a->rkey == b->rkey && a->cls == XC__TOK_NAME &&
        b->cls == XC__TOK_NAME) {
        *how = XC__HOW_ROMANISED;
        return a->len >= 4 && b->len >= 4 ? 0.95f : 0.85f;
    }
    return 0.0f;
}

/* ---- organisation acronyms ----
 * A token of 3-5 letters that spells the initials of every word of an organisation's name, in
 * order (PLA ~ People's Liberation Army, IRGC ~ Islamic Revolutionary Guard Corps), aligns
 * with all of them at XC__ACRONYM_SIM. Words are name and generic tokens (stop words, legal
 * forms and particles are skipped); the name must hold a generic word (army, bank, corps ...),
 * which makes it an organisation's and keeps "Ana" from spelling Anwar Nasser Ahmed. Two-letter
 * acronyms are left out: they spell too many names. Returns the words' mask, 0 when no match. */
static uint32_t acronym_span(const xc__tok *acr, const xc__form *f, int n)
{
    if (acr->cls != XC__TOK_NAME || acr->len < 3 || acr->len > 5)
        return 0;
    uint32_t mask = 0;
    int k = 0;
    bool generic = false;
    for (int j = 0; j < n; j++) {
        const xc__tok *t = &f->toks[j];
        if (t->cls != XC__TOK_NAME && t->cls != XC__TOK_GENERIC)
            continue;
        if (k >= acr->len || t->s[0] != acr->s[k])
            return 0;
        generic |= t->cls == XC__TOK_GENERIC;
        mask |= 1u << j;
        k++;
    }
    return k == acr->len && generic ? mask : 0;
}

static void add_acronym_edges(const xc__form *q, int nq, const xc__form *c, int nc, edge *edges,
                              int *ne)
{
    for (int side = 0; side < 2; side++) {
        const xc__form *a = side ? c : q, *full = side ? q : c;
        int na = side ? nc : nq, nfull = side ? nq : nc;
        /* acronyms are written in Latin letters: a reading's syllable ("noe") is none */
        if (nfull < 3 || (strcmp(a->label, "latin") != 0 && strcmp(a->label, "part") != 0))
            continue;
        for (int i = 0; i < na && *ne < MAX_EDGES; i++) {
            uint32_t span = acronym_span(&a->toks[i], full, nfull);
            if (!span)
                continue;
            int first = __builtin_ctz(span), last = 31 - __builtin_clz(span);
            float w = a->toks[i].weight;
            for (int j = 0; j < nfull; j++)
                if (span & (1u << j))
                    w += full->toks[j].weight;
            edge e = {(int8_t)i, -1, (int8_t)first, (int8_t)last, XC__HOW_ACRONYM,
                      XC__ACRONYM_SIM, w * 0.5f, 0, span};
            if (side) /* the acronym is the candidate's: swap the sides */
                e = (edge){(int8_t)first, (int8_t)last, (int8_t)i, -1, XC__HOW_ACRONYM,
                           XC__ACRONYM_SIM, w * 0.5f, span, 0};
            edges[(*ne)++] = e;
        }
    }
}

/* ---- katakana readings against Latin spellings ----
 * Japanese has no l, v or th and gives every consonant a vowel, so the katakana of a foreign
 * name meets its Latin spelling only after both are brought to what Japanese can write: the
 * "kana key" of a token folds l to r, v and w to b (a final v, which Russian devoices, to f),
 * kh to h, ck, c (not before e, i, y) and q to k, ph to f, x to ks, y to i, ti to chi, di to
 * ji, si to shi, tu to tsu, hu to fu, and doubled letters to one: Vladimir and ウラジーミル
 * urajimir key as brajimir / urajimir, Lavrov and ラブロフ rabrof both as rabrof, Tikhonova
 * and チホノワ as chihonoba. Keys are compared like tokens (one edit up to 7 letters, two
 * beyond), at most KANA_SIM. */
#define KANA_SIM 0.9f

int xc__kana_key(const char *s, int len, char *out, int cap)
{
    int n = 0;
    for (int i = 0; i < len && n + 4 < cap; i++) {
        char ch = s[i], next = i + 1 < len ? s[i + 1] : 0;
        const char *rep = NULL;
        char one[2] = {ch, 0};
        if (ch == 'k' && next == 'h') {
            rep = "h";
            i++;
        } else if (ch == 'p' && next == 'h') {
            rep = "f";
            i++;
        } else if (ch == 'c' && next == 'k') {
            rep = "k";
            i++;
        } else if (ch == 'c' && next == 'h') {
            rep = "ch";
            i++;
        } else if (ch == 'c') {
            rep = next == 'e' || next == 'i' || next == 'y' ? "s" : "k";
        } else if (ch == 'q') {
            rep = "k";
        } else if (ch == 'x') {
            rep = "ks";
        } else if (ch == 'l') {
            rep = "r";
        } else if (ch == 'v') {
            rep = i == len - 1 ? "f" : "b";
        } else if (ch == 'w') {
            rep = "b";
        } else if (ch == 'y' && i > 0) {
            rep = "i";
        } else if ((ch == 't' || ch == 'd' || ch == 's' || ch == 'z') && (next == 'i' || next == 'y')) {
            rep = ch == 't' ? "ch" : ch == 's' ? "sh" : "j";
        } else if (ch == 't' && next == 'u' && !(i + 2 < len && s[i + 2] == 's')) {
            rep = "ts";
        } else if (ch == 'h' && next == 'u' && (i == 0 || s[i - 1] != 's')) {
            rep = "f";
        } else {
            rep = one;
        }
        for (const char *p = rep; *p && n + 1 < cap; p++)
            if (n == 0 || out[n - 1] != *p || strchr("aeiou", *p))
                out[n++] = *p;
    }
    out[n] = '\0';
    return n;
}

static float kana_sim(const xc__tok *a, const xc__tok *b)
{
    char ka[72], kb[72];
    int la = xc__kana_key(a->s, a->len, ka, sizeof ka);
    int lb = xc__kana_key(b->s, b->len, kb, sizeof kb);
    if (la < 3 || lb < 3)
        return 0.0f;
    if (la == lb && memcmp(ka, kb, (size_t)la) == 0)
        return KANA_SIM;
    int shorter = la < lb ? la : lb;
    float limit = shorter <= 7 ? 1.0f : 2.0f;
    if (abs(la - lb) > (int)limit)
        return 0.0f;
    pthread_once(&confusable_once, confusable_init);
    float d = osa(ka, la, kb, lb, limit);
    if (d > limit)
        return 0.0f;
    float sim = 1.0f - 2.0f * d / (float)(la + lb);
    return sim > KANA_SIM ? KANA_SIM : sim;
}

enum { MODE_PLAIN, MODE_SYLLABLES, MODE_ARABIC_Q, MODE_ARABIC_C, MODE_TRANSLIT, MODE_KANA_Q,
       MODE_KANA_C };

/* Token similarities already computed between two analyses, by token number (xc__tok.uid):
 * the readings of a name repeat tokens (a Han name's Korean spellings share syllables, the
 * skeleton and transliteration of an Arabic name share words), and each form pair scored
 * would otherwise compare them again. */
#define MEMO_MAX 2048
#define MEMO_UNKNOWN INT8_MIN

typedef struct sim_memo {
    float sim[MEMO_MAX];
    int8_t how[MEMO_MAX];
    int stride; /* the candidate's nuids */
} sim_memo;

static inline float memo_tok_sim(sim_memo *m, const xc__tok *a, const xc__tok *b, int *how)
{
    if (!m)
        return xc__tok_sim(a, b, how);
    int k = a->uid * m->stride + b->uid;
    if (m->how[k] == MEMO_UNKNOWN) {
        int h;
        m->sim[k] = xc__tok_sim(a, b, &h);
        m->how[k] = (int8_t)h;
    }
    *how = m->how[k];
    return m->sim[k];
}

static float score_forms(const xc__form *q, const xc__form *c, xc__score_detail *detail,
                         int mode, sim_memo *memo);

float xc__score_forms(const xc__form *q, const xc__form *c, xc__score_detail *detail)
{
    return score_forms(q, c, detail, MODE_PLAIN, NULL);
}

/* mode: MODE_SYLLABLES compares token by token with syllable_sim and no joining
 * (same_script_cap); MODE_ARABIC_Q / _C: the query's / candidate's form is an Arabic-script
 * reading and the other a Latin name, so its tokens may also align by skeleton;
 * MODE_TRANSLIT: both forms are ICU's transliteration of a non-Latin name. The same
 * deterministic rules spelt both, so no edit comes from romanisation: each is a letter that
 * differs as written, and a token with two of them is another name (শামসুদ্দিন Shamsuddin,
 * সাহাবুদ্দিন Sahabuddin), as in same_script_cap. Tokens there meet by one edit at most. */
static float score_forms(const xc__form *q, const xc__form *c, xc__score_detail *detail,
                         int mode, sim_memo *memo)
{
    bool syllables = mode == MODE_SYLLABLES;
    int nq = q->n < 24 ? q->n : 24, nc = c->n < 24 ? c->n : 24;
    if (nq == 0 || nc == 0)
        return 0.0f;
    edge edges[MAX_EDGES];
    int ne = 0;
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nc && ne < MAX_EDGES; j++) {
            int how;
            float sim = syllables ? syllable_sim(&q->toks[i], &c->toks[j], i == 0 && j == 0, &how)
                                  : memo_tok_sim(memo, &q->toks[i], &c->toks[j], &how);
            if (sim < XC__SKELETON_SIM && (mode == MODE_ARABIC_Q || mode == MODE_ARABIC_C) &&
                q->toks[i].cls == XC__TOK_NAME && c->toks[j].cls == XC__TOK_NAME) {
                const xc__tok *ar = mode == MODE_ARABIC_Q ? &q->toks[i] : &c->toks[j];
                const xc__tok *lt = mode == MODE_ARABIC_Q ? &c->toks[j] : &q->toks[i];
                int consonants;
                if (skeleton_align(ar->s, ar->len, lt->s, lt->len, 2, &consonants) &&
                    (consonants >= 3 || sim < SKELETON_SIM_SHORT)) {
                    sim = consonants >= 3 ? XC__SKELETON_SIM : SKELETON_SIM_SHORT;
                    how = XC__HOW_SKELETON;
                }
            }
            if (sim < KANA_SIM && (mode == MODE_KANA_Q || mode == MODE_KANA_C) &&
                q->toks[i].cls == XC__TOK_NAME && c->toks[j].cls == XC__TOK_NAME) {
                float k = kana_sim(&q->toks[i], &c->toks[j]);
                if (k > sim) {
                    sim = k;
                    how = XC__HOW_ROMANISED;
                }
            }
            if (mode == MODE_TRANSLIT && (how == XC__HOW_FUZZY || how == XC__HOW_PHONETIC) &&
                sim < 1.0f - 2.0f / (float)(q->toks[i].len + c->toks[j].len) - 1e-4f)
                sim = 0.0f;
            if (sim > 0.0f) {
                float w = (q->toks[i].weight + c->toks[j].weight) * 0.5f;
                if (how == XC__HOW_INITIAL)
                    w *= 0.5f;
                edges[ne++] = (edge){(int8_t)i, -1, (int8_t)j, -1, (uint8_t)how, sim, w, 0, 0};
            }
        }
    if (mode == MODE_PLAIN || mode == MODE_TRANSLIT)
        add_acronym_edges(q, nq, c, nc, edges, &ne);
    /* Joined adjacent tokens on either side ("gazprom bank" ~ "gazprombank"). */
    char buf[64];
    xc__tok joined;
    for (int i = 0; i + 1 < nq && !syllables; i++) {
        int j0 = first_join_partner(&q->toks[i], c->toks, nc);
        if (j0 == nc || !join_tokens(&q->toks[i], &q->toks[i + 1], &joined, buf))
            continue;
        for (int j = j0; j < nc && ne < MAX_EDGES; j++) {
            int how;
            if (abs((int)joined.len - (int)c->toks[j].len) > 2 ||
                !join_may_meet(joined.len, joined.bag, &c->toks[j]))
                continue;
            float sim = xc__tok_sim(&joined, &c->toks[j], &how);
            if (sim >= 0.85f) {
                float w = (q->toks[i].weight + q->toks[i + 1].weight + c->toks[j].weight) / 2.0f;
                edges[ne++] = (edge){(int8_t)i, (int8_t)(i + 1), (int8_t)j, -1, XC__HOW_JOINED,
                                     sim, w, 0, 0};
            }
        }
    }
    for (int j = 0; j + 1 < nc && !syllables; j++) {
        int i0 = first_join_partner(&c->toks[j], q->toks, nq);
        if (i0 == nq || !join_tokens(&c->toks[j], &c->toks[j + 1], &joined, buf))
            continue;
        for (int i = i0; i < nq && ne < MAX_EDGES; i++) {
            int how;
            if (abs((int)joined.len - (int)q->toks[i].len) > 2 ||
                !join_may_meet(joined.len, joined.bag, &q->toks[i]))
                continue;
            float sim = xc__tok_sim(&q->toks[i], &joined, &how);
            if (sim >= 0.85f) {
                float w = (q->toks[i].weight + c->toks[j].weight + c->toks[j + 1].weight) / 2.0f;
                edges[ne++] = (edge){(int8_t)i, -1, (int8_t)j, (int8_t)(j + 1), XC__HOW_JOINED,
                                     sim, w, 0, 0};
            }
        }
    }
    /* A space in a different place on each side ("arefullaha ref" ~ "arefullah aref"). */
    char buf2[64];
    xc__tok joined2;
    for (int i = 0; i + 1 < nq && !syllables && nc > 1; i++) {
        int qlen = (int)(raw_len(&q->toks[i]) + raw_len(&q->toks[i + 1]));
        uint32_t qbag = q->toks[i].bag | q->toks[i + 1].bag;
        bool built = false;
        for (int j = 0; j + 1 < nc && ne < MAX_EDGES; j++) {
            int clen = (int)(raw_len(&c->toks[j]) + raw_len(&c->toks[j + 1]));
            if (abs(qlen - clen) > 1 || qlen > 63 || clen > 63 ||
                !may_meet(qlen, qbag, clen, c->toks[j].bag | c->toks[j + 1].bag))
                continue;
            if (!built && !join_tokens(&q->toks[i], &q->toks[i + 1], &joined, buf))
                break;
            built = true;
            if (!join_tokens(&c->toks[j], &c->toks[j + 1], &joined2, buf2))
                continue;
            int how;
            float sim = xc__tok_sim(&joined, &joined2, &how);
            if (sim >= 0.9f && !(strcmp(q->toks[i].s, c->toks[j].s) == 0 &&
                                 strcmp(q->toks[i + 1].s, c->toks[j + 1].s) == 0)) {
                float w = (q->toks[i].weight + q->toks[i + 1].weight + c->toks[j].weight +
                           c->toks[j + 1].weight) / 2.0f;
                edges[ne++] = (edge){(int8_t)i, (int8_t)(i + 1), (int8_t)j, (int8_t)(j + 1),
                                     XC__HOW_JOINED, sim, w, 0, 0};
            }
        }
    }
    sort_edges(edges, ne);
    uint32_t used_q = 0, used_c = 0;
    float num = 0.0f, den = 0.0f;
    bool name_matched = false;
    int np = 0;
    for (int k = 0; k < ne; k++) {
        edge *e = &edges[k];
        uint32_t mq = (1u << e->q) | e->qspan, mc = (1u << e->c) | e->cspan;
        if (e->q2 >= 0)
            mq |= 1u << e->q2;
        if (e->c2 >= 0)
            mc |= 1u << e->c2;
        if ((used_q & mq) || (used_c & mc))
            continue;
        used_q |= mq;
        used_c |= mc;
        num += e->sim * e->weight;
        den += e->weight;
        if ((q->toks[e->q].cls == XC__TOK_NAME || q->toks[e->q].cls == XC__TOK_NUMBER) &&
            e->how != XC__HOW_INITIAL)
            name_matched = true;
        if (detail && np < XC__MAX_PAIRS)
            detail->pairs[np++] = (xc__pair){e->q, e->q2, e->c, e->c2, e->how, e->sim, e->weight};
    }
    /* Middle links of a nasab chain left out by one side only cost half (see above). */
    uint32_t links_q = nasab_middle_links(q, nq) & ~used_q;
    uint32_t links_c = nasab_middle_links(c, nc) & ~used_c;
    float link_q = links_q && !links_c ? XC__NASAB_LINK : 1.0f;
    float link_c = links_c && !links_q ? XC__NASAB_LINK : 1.0f;
    bool number_q = false, number_c = false, number_matched = false;
    for (int i = 0; i < nq; i++) {
        if (q->toks[i].cls == XC__TOK_NUMBER) {
            number_q = true;
            if (used_q & (1u << i))
                number_matched = true;
        }
        if (!(used_q & (1u << i)) && !repeats_matched(q, nq, i, used_q)) {
            float w = q->toks[i].weight * XC__EXTRA_QUERY *
                      (links_q & (1u << i) ? link_q : 1.0f);
            den += w;
            if (detail && np < XC__MAX_PAIRS)
                detail->pairs[np++] = (xc__pair){(int8_t)i, -1, -1, -1, XC__HOW_UNMATCHED, 0, w};
        }
    }
    bool org_c = false;
    for (int j = 0; j < nc; j++)
        org_c |= c->toks[j].cls == XC__TOK_LEGAL || c->toks[j].cls == XC__TOK_GENERIC;
    for (int j = 0; j < nc; j++) {
        if (c->toks[j].cls == XC__TOK_NUMBER)
            number_c = true;
        if (!(used_c & (1u << j)) && !repeats_matched(c, nc, j, used_c)) {
            /* A country in an organisation's name the query left out names a national
             * subsidiary, another legal entity (Banco Santander México beside Banco
             * Santander): it costs as much as a query token left unmatched. */
            bool country = org_c && c->toks[j].cls == XC__TOK_NAME && c->toks[j].len >= 4 &&
                           xc__country_code(c->toks[j].s, c->toks[j].len) != NULL;
            float w = c->toks[j].weight * (country ? XC__EXTRA_QUERY : XC__EXTRA_CAND) *
                      (links_c & (1u << j) ? link_c : 1.0f);
            den += w;
            if (detail && np < XC__MAX_PAIRS)
                detail->pairs[np++] = (xc__pair){-1, -1, (int8_t)j, -1, XC__HOW_UNMATCHED, 0, w};
        }
    }
    float score = den > 0.0f ? num / den : 0.0f;
    /* A name made only of generic words ("First International Bank") is its own evidence
     * when every one of its words matched. */
    bool any_name = false;
    int generic = 0;
    for (int i = 0; i < nq; i++) {
        any_name |= q->toks[i].cls == XC__TOK_NAME || q->toks[i].cls == XC__TOK_NUMBER;
        generic += q->toks[i].cls == XC__TOK_GENERIC;
    }
    if (!any_name && generic >= 2 && used_q == (nq >= 32 ? UINT32_MAX : (1u << nq) - 1))
        name_matched = true;
    if (!name_matched && score > 0.5f)
        score = 0.5f;
    if (number_q && number_c && !number_matched)
        score *= 0.7f;
    if (detail) {
        detail->npairs = np;
        detail->score = score;
    }
    return score;
}

/* An Arabic-script reading (ar-name, ar-skeleton) against a name written in Latin letters. */
/* What a form's label says, as bits, worked out once per analysis pair. */
enum { FORM_AR = 1, FORM_LATIN = 2, FORM_PART = 4, FORM_TRANSLIT = 8, FORM_KANA = 16 };

static unsigned form_kind(const xc__form *f)
{
    const char *l = f->label;
    if (strncmp(l, "ar-", 3) == 0)
        return FORM_AR;
    if (strcmp(l, "ja-loanword") == 0 || strncmp(l, "ja-hepburn", 10) == 0)
        return FORM_KANA;
    if (strcmp(l, "latin") == 0)
        return FORM_LATIN;
    if (strcmp(l, "part") == 0)
        return FORM_LATIN | FORM_PART;
    return strcmp(l, "translit") == 0 ? FORM_TRANSLIT : 0;
}

static int form_mode(unsigned q, unsigned c)
{
    if ((q & FORM_TRANSLIT) && (c & FORM_TRANSLIT))
        return MODE_TRANSLIT;
    if ((q & FORM_KANA) && (c & FORM_LATIN))
        return MODE_KANA_Q;
    if ((c & FORM_KANA) && (q & FORM_LATIN))
        return MODE_KANA_C;
    return (q & FORM_AR) && (c & FORM_LATIN) ? MODE_ARABIC_Q
           : (c & FORM_AR) && (q & FORM_LATIN) ? MODE_ARABIC_C
                                               : MODE_PLAIN;
}

static int form_labelled(const xc__analysis *a, const char *label)
{
    for (int i = 0; i < a->nforms; i++)
        if (strcmp(a->forms[i].label, label) == 0)
            return i;
    return -1;
}

/* The first label of the list that both analyses carry: its form index on each side. */
static bool common_form(const xc__analysis *q, const xc__analysis *c, const char *const *labels,
                        int *fq, int *fc)
{
    for (int k = 0; labels[k]; k++) {
        *fq = form_labelled(q, labels[k]);
        *fc = form_labelled(c, labels[k]);
        if (*fq >= 0 && *fc >= 0)
            return true;
    }
    return false;
}

/* Two names written in the same syllabic script (both hangul, or both Han) are compared as
 * written, syllable by syllable: the romanisation systems merge syllables that the script
 * keeps apart (종 and 정 are both "jong" in DPRK and ASCII McCune-Reischauer spelling, 石 and 市
 * both "shi" in pinyin), so two different names in the original script must not meet through
 * a shared or near romanisation. The cap is the score of the readings that keep syllables
 * apart, each syllable matching only as written: RR for hangul; for Han both the pinyin and
 * the Korean (hanja) reading, the lower of the two (a character is identified by both: 石
 * shi/seok, 市 shi/si). Names in other scripts, or a script on one side only, get no cap
 * (returns 2). fq, fc: the form pair that set the cap. */
static float same_script_cap(const xc__analysis *q, const xc__analysis *c, int *fq, int *fc)
{
    static const char *const hangul[] = {"ko-rr-customary", "ko-rr", NULL};
    static const char *const pinyin[] = {"zh-pinyin-split", "zh-pinyin", NULL};
    static const char *const hanja[] = {"ko-hanja-customary", "ko-hanja-rr", NULL};
    float cap = 2.0f;
    int a, b;
    if (common_form(q, c, hangul, &a, &b)) {
        cap = score_forms(&q->forms[a], &c->forms[b], NULL, MODE_SYLLABLES, NULL);
        *fq = a;
        *fc = b;
        return cap;
    }
    /* Per side, the split pinyin when the name has one (a one-syllable given name has no
     * split form: its zh-pinyin is already split). */
    int pq = form_labelled(q, pinyin[0]), pc = form_labelled(c, pinyin[0]);
    if (pq < 0)
        pq = form_labelled(q, pinyin[1]);
    if (pc < 0)
        pc = form_labelled(c, pinyin[1]);
    if (pq >= 0 && pc >= 0) {
        cap = score_forms(&q->forms[pq], &c->forms[pc], NULL, MODE_SYLLABLES, NULL);
        *fq = pq;
        *fc = pc;
        if (common_form(q, c, hanja, &a, &b)) {
            float s = score_forms(&q->forms[a], &c->forms[b], NULL, MODE_SYLLABLES, NULL);
            if (s < cap) {
                cap = s;
                *fq = a;
                *fc = b;
            }
        }
    }
    return cap;
}

float xc__score_names(const xc__analysis *q, const xc__analysis *c, xc__score_detail *detail)
{
    return xc__score_names_in(q, c, 0, detail);
}

float xc__score_names_in(const xc__analysis *q, const xc__analysis *c, unsigned qforms,
                         xc__score_detail *detail)
{
    float best = 0.0f;
    int best_q = -1, best_c = -1, best_mode = MODE_PLAIN;
    unsigned qk[XC__MAX_FORMS], ck[XC__MAX_FORMS];
    for (int i = 0; i < q->nforms; i++)
        qk[i] = form_kind(&q->forms[i]);
    bool q_arabic = false, c_arabic = false; /* written in Arabic script: has an ar- reading */
    for (int i = 0; i < q->nforms; i++)
        q_arabic |= (qk[i] & FORM_AR) != 0;
    for (int j = 0; j < c->nforms; j++) {
        ck[j] = form_kind(&c->forms[j]);
        c_arabic |= (ck[j] & FORM_AR) != 0;
    }
    /* Several form pairs to score: remember token similarities across them. */
    unsigned wanted = (qforms ? qforms : ~0u) & ((1u << q->nforms) - 1);
    sim_memo memo_space, *memo = NULL;
    if (__builtin_popcount(wanted) * c->nforms > 1 &&
        q->nuids * c->nuids <= MEMO_MAX) {
        memo = &memo_space;
        memo->stride = c->nuids;
        memset(memo->how, MEMO_UNKNOWN, (size_t)(q->nuids * c->nuids));
    }
    for (int i = 0; i < q->nforms; i++)
        for (int j = 0; j < c->nforms && (!qforms || (qforms & (1u << i))); j++) {
            /* Two names in Arabic script: each reading against the same reading of the
             * other (skeleton with skeleton, transliteration with transliteration). Across
             * readings the same letters are spelt by different rules, so such a pair only
             * adds spelling differences: leaving them out changed none of 20,112 screened
             * answers and made Arabic-script queries' scoring 27% faster. */
            if (q_arabic && c_arabic && strcmp(q->forms[i].label, c->forms[j].label) != 0)
                continue;
            int mode = form_mode(qk[i], ck[j]);
            float s = score_forms(&q->forms[i], &c->forms[j], NULL, mode, memo);
            /* A parenthesised part, or the name without it, is less than the whole name: "Bank
             * of China (Hong Kong)" and "Bank of China (Singapore)" share "Bank of China". */
            if (qk[i] & FORM_PART)
                s *= XC__PART_FACTOR;
            if (ck[j] & FORM_PART)
                s *= XC__PART_FACTOR;
            if (s > best) {
                best = s;
                best_q = i;
                best_c = j;
                best_mode = mode;
            }
        }
    if (best > 0.0f && q->non_latin && c->non_latin) {
        int fq = -1, fc = -1;
        float cap = same_script_cap(q, c, &fq, &fc);
        if (cap < best) {
            best = cap;
            best_q = fq;
            best_c = fc;
            best_mode = MODE_SYLLABLES;
        }
    }
    if (detail) {
        detail->npairs = 0;
        detail->qform = best_q;
        detail->cform = best_c;
        if (best_q >= 0)
            score_forms(&q->forms[best_q], &c->forms[best_c], detail, best_mode, NULL);
        detail->score = best;
    }
    return best;
}
