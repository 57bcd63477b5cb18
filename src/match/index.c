/*
 * index.c — the inverted index (see index.h). Build: analyse every name, count document
 * frequencies of tokens, turn them into rarity weights, emit (key, name id) pairs, sort them
 * and cut the sorted array into posting lists reached through an open-addressing table of
 * 64-bit key hashes (keys themselves are not stored: a rare hash collision only adds a
 * candidate, which full scoring then rejects).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "score.h"

enum key_type {
    KEY_EXACT = 1,
    KEY_PHON = 2,
    KEY_ROMAN = 3,
    KEY_DEL = 4,
    KEY_ACRONYM = 5,
    KEY_JOIN = 6, /* two adjacent tokens written together: "gazprom bank" under "gazprombank" */
    KEY_KANA = 7  /* a Latin name token's kana key (score.c): found by katakana readings */
};

typedef struct slot {
    uint64_t key;   /* 0 = empty */
    uint32_t start; /* into postings */
    uint32_t count;
} slot;

typedef struct df_slot {
    uint64_t key;
    uint32_t count;
    uint32_t last_name; /* counts each name once */
} df_slot;

struct xc__index {
    xc__arena *arena;
    xc__iname *names;
    size_t name_count;
    uint32_t *postings;
    size_t posting_count;
    slot *table;
    size_t table_mask;
    df_slot *df;        /* token document frequencies */
    size_t df_mask;
    double log_n;
    bool borrowed;      /* names, postings, table, df belong to a mapped snapshot */
    /* Per-query scratch (one per concurrent query), reused: a dense evidence array over all
     * names, reset lazily by generation stamps, so no query clears or hashes anything. */
    pthread_mutex_t pool_lock;
    struct scratch *pool;
};

/* What one query knows of one name, in one place: crediting a posting touches one cache line
 * instead of one per array (the arrays apart cost a miss each on 74,000 names). */
typedef struct name_acc {
    uint32_t stamp; /* generation that last touched the name */
    uint32_t token; /* last query token that credited it */
    float score;    /* evidence from the query form being credited */
    float best;     /* its best evidence from any earlier query form */
    uint64_t forms; /* evidence of each finished query form, a byte each (see form_byte) */
    uint8_t form;   /* the query form score belongs to */
} name_acc;

typedef struct scratch {
    name_acc *acc;     /* per name, reset lazily by generation stamps, so no query clears */
    uint32_t *touched; /* names touched by the current query */
    size_t ntouched;
    uint32_t generation;
    struct scratch *next;
} scratch;

static void scratch_free(scratch *s)
{
    if (!s)
        return;
    xc__free_mem(s->acc);
    xc__free_mem(s->touched);
    xc__free_mem(s);
}

static scratch *scratch_get(xc__index *index)
{
    pthread_mutex_lock(&index->pool_lock);
    scratch *s = index->pool;
    if (s)
        index->pool = s->next;
    pthread_mutex_unlock(&index->pool_lock);
    if (s)
        return s;
    size_t n = index->name_count ? index->name_count : 1;
    s = xc__calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->acc = xc__calloc(n, sizeof *s->acc);
    s->touched = xc__malloc(n * sizeof *s->touched);
    if (!s->acc || !s->touched) {
        scratch_free(s);
        return NULL;
    }
    return s;
}

static void scratch_put(xc__index *index, scratch *s)
{
    pthread_mutex_lock(&index->pool_lock);
    s->next = index->pool;
    index->pool = s;
    pthread_mutex_unlock(&index->pool_lock);
}

static uint64_t key_hash(int type, const char *s, size_t len)
{
    uint64_t h = xc__hash64(s, len) ^ ((uint64_t)type * 0x9E3779B97F4A7C15ULL);
    return h ? h : 1;
}

static uint64_t key_hash32(int type, uint32_t v)
{
    uint64_t h = xc__hash64(&v, sizeof v) ^ ((uint64_t)type * 0x9E3779B97F4A7C15ULL);
    return h ? h : 1;
}

static df_slot *df_find(const xc__index *index, uint64_t key)
{
    size_t i = (size_t)key & index->df_mask;
    while (index->df[i].key && index->df[i].key != key)
        i = (i + 1) & index->df_mask;
    return &index->df[i];
}

/* Rarity weight in [0.55, 1]: tokens carried by many names (Mohammed, Ali, Bank) count less. */
static float rarity(const xc__index *index, uint32_t df)
{
    if (df <= 1 || index->log_n <= 0)
        return 1.0f;
    double idf = log((double)index->name_count / (double)df) / index->log_n;
    if (idf < 0)
        idf = 0;
    return (float)(0.55 + 0.45 * (idf > 1 ? 1 : idf));
}

typedef struct kv {
    uint64_t key;
    uint32_t name;
} kv;

typedef struct kv_vec {
    kv *items;
    size_t n, cap;
} kv_vec;

static bool kv_push(kv_vec *v, uint64_t key, uint32_t name)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 65536;
        kv *items = xc__realloc(v->items, cap * sizeof *items);
        if (!items)
            return false;
        v->items = items;
        v->cap = cap;
    }
    v->items[v->n].key = key;
    v->items[v->n].name = name;
    v->n++;
    return true;
}

static int kv_cmp(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* The initials of an organisation name's words (name and generic tokens), when there are 3 to
 * 5 of them and one is a generic word (score.c, acronym_span): the key under which an acronym
 * finds the name it spells. Returns the length written to out (0: none). */
static size_t acronym_of(const xc__form *f, char *out)
{
    size_t n = 0;
    bool generic = false;
    for (int j = 0; j < f->n; j++) {
        const xc__tok *t = &f->toks[j];
        if (t->cls != XC__TOK_NAME && t->cls != XC__TOK_GENERIC)
            continue;
        if (n == 5 || t->s[0] < 'a' || t->s[0] > 'z')
            return 0;
        generic |= t->cls == XC__TOK_GENERIC;
        out[n++] = t->s[0];
    }
    return n >= 3 && generic ? n : 0;
}

/* Length of a token as written (score.c joins tokens as written, so the keys do too). */
static size_t raw_len(const xc__tok *t)
{
    return t->raw == t->s && t->len < 63 ? t->len : strlen(t->raw);
}

/* Can a token be one half of a name written together or apart? Any but a number, as score.c
 * joins them: name parts, particles (al, abu), generic words (bank, gumi), and also function
 * words and legal forms, which the lists themselves write together ("THEYOUTH", "TAJCOCOMPANY",
 * "OOOTRANSSERVIS"). */
static bool joinable(const xc__tok *t)
{
    return t->cls != XC__TOK_NUMBER;
}

/* Writes the two tokens as one ("yamaguchi" + "gumi" -> "yamaguchigumi") into buf (64 bytes);
 * returns its length, or 0 when they cannot be joined or the result would be cut. */
static size_t join_of(const xc__tok *x, const xc__tok *y, char *buf)
{
    if (!joinable(x) || !joinable(y))
        return 0;
    size_t lx = raw_len(x), ly = raw_len(y);
    if (lx + ly > 63)
        return 0;
    memcpy(buf, x->raw, lx);
    memcpy(buf + lx, y->raw, ly);
    buf[lx + ly] = '\0';
    return lx + ly;
}

/* Emits a token's keys. */
static bool emit_keys(kv_vec *v, const xc__tok *t, uint32_t name)
{
    if (t->cls == XC__TOK_STOP)
        return true;
    if (!kv_push(v, key_hash(KEY_EXACT, t->s, t->len), name))
        return false;
    if (t->cls != XC__TOK_NAME)
        return true;
    if (t->phon && !kv_push(v, key_hash32(KEY_PHON, t->phon), name))
        return false;
    if (t->rkey && !kv_push(v, key_hash32(KEY_ROMAN, t->rkey), name))
        return false;
    if (t->len >= 4 && t->len <= 20) {
        char buf[64];
        if (!kv_push(v, key_hash(KEY_DEL, t->s, t->len), name))
            return false;
        for (int i = 0; i < t->len; i++) {
            if (i > 0 && t->s[i] == t->s[i - 1])
                continue; /* same deletion as the previous position */
            memcpy(buf, t->s, (size_t)i);
            memcpy(buf + i, t->s + i + 1, (size_t)(t->len - i - 1));
            if (!kv_push(v, key_hash(KEY_DEL, buf, (size_t)t->len - 1), name))
                return false;
        }
    }
    return true;
}

xc_status xc__index_build(xc__index **out, const xc__listset *set, const xc__text *text,
                          xc_error *err)
{
    *out = NULL;
    xc__index *index = xc__calloc(1, sizeof *index);
    if (!index)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    pthread_mutex_init(&index->pool_lock, NULL);
    index->arena = xc__arena_new(4 << 20);
    size_t total = 0;
    for (size_t e = 0; e < set->entity_count; e++)
        total += set->entities[e].name_count;
    index->names = xc__calloc(total ? total : 1, sizeof *index->names);
    if (!index->arena || !index->names) {
        xc__index_free(index);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    /* 1. Analyse every name. A name that cannot be analysed is left out (it was already
     * sanitised by its parser, so this only happens for names with no usable token). */
    for (size_t e = 0; e < set->entity_count; e++) {
        const xc__entity *ent = &set->entities[e];
        for (uint32_t k = 0; k < ent->name_count && k < 65535; k++) {
            xc__iname *in = &index->names[index->name_count];
            in->entity = (uint32_t)e;
            in->name = (uint16_t)k;
            const char *s = ent->names[k].text;
            if (!s)
                continue;
            xc_status rc = xc__text_analyse(text, s, strlen(s), ent->kind, NULL, index->arena,
                                            &in->analysis, NULL);
            if (rc == XC_NOMEM) {
                xc__index_free(index);
                return xc__error_set(err, XC_NOMEM, "out of memory");
            }
            if (rc == XC_OK && in->analysis.nforms > 0)
                index->name_count++;
        }
    }
    index->log_n = index->name_count > 1 ? log((double)index->name_count) : 0;
    /* 2. Document frequencies of exact tokens. */
    size_t df_size = 1024;
    while (df_size < index->name_count * 4)
        df_size *= 2;
    index->df_mask = df_size - 1;
    index->df = xc__calloc(df_size, sizeof *index->df);
    if (!index->df) {
        xc__index_free(index);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    for (size_t n = 0; n < index->name_count; n++) {
        const xc__analysis *a = &index->names[n].analysis;
        for (int f = 0; f < a->nforms; f++)
            for (int t = 0; t < a->forms[f].n; t++) {
                const xc__tok *tok = &a->forms[f].toks[t];
                df_slot *d = df_find(index, key_hash(KEY_EXACT, tok->s, tok->len));
                if (!d->key) {
                    d->key = key_hash(KEY_EXACT, tok->s, tok->len);
                    d->last_name = UINT32_MAX;
                }
                if (d->last_name != n) {
                    d->count++;
                    d->last_name = (uint32_t)n;
                }
            }
    }
    /* 3. Rarity weights, then keys. */
    kv_vec pairs = {0};
    for (size_t n = 0; n < index->name_count; n++) {
        xc__analysis *a = &index->names[n].analysis;
        for (int f = 0; f < a->nforms; f++)
            for (int t = 0; t < a->forms[f].n; t++) {
                xc__tok *tok = &a->forms[f].toks[t];
                if (tok->cls == XC__TOK_NAME || tok->cls == XC__TOK_GENERIC)
                    tok->weight *= rarity(index,
                                          df_find(index, key_hash(KEY_EXACT, tok->s, tok->len))->count);
                if (!emit_keys(&pairs, tok, (uint32_t)n)) {
                    xc__free_mem(pairs.items);
                    xc__index_free(index);
                    return xc__error_set(err, XC_NOMEM, "out of memory");
                }
            }
        /* A name written in two words is also found written as one ("Gazprom Bank" under
         * "gazprombank"; the query side looks its one-word tokens up under KEY_JOIN). */
        for (int f = 0; f < a->nforms; f++)
            for (int t = 0; t + 1 < a->forms[f].n; t++) {
                char joined[64];
                size_t jlen = join_of(&a->forms[f].toks[t], &a->forms[f].toks[t + 1], joined);
                if (jlen && !kv_push(&pairs, key_hash(KEY_JOIN, joined, jlen), (uint32_t)n)) {
                    xc__free_mem(pairs.items);
                    xc__index_free(index);
                    return xc__error_set(err, XC_NOMEM, "out of memory");
                }
            }
        /* A Latin name part is also found by the katakana reading of its spelling (ラブロフ
         * "rabrof" finds LAVROV): the kana key the scorer compares them by. */
        for (int f = 0; f < a->nforms; f++) {
            if (strcmp(a->forms[f].label, "latin") != 0)
                continue;
            for (int t = 0; t < a->forms[f].n; t++) {
                const xc__tok *tok = &a->forms[f].toks[t];
                char kana[72];
                int klen = tok->cls == XC__TOK_NAME && tok->len >= 3
                               ? xc__kana_key(tok->s, tok->len, kana, sizeof kana) : 0;
                if (klen >= 3 && !kv_push(&pairs, key_hash(KEY_KANA, kana, (size_t)klen),
                                          (uint32_t)n)) {
                    xc__free_mem(pairs.items);
                    xc__index_free(index);
                    return xc__error_set(err, XC_NOMEM, "out of memory");
                }
            }
        }
        /* An organisation's name is also found by its acronym (PLA, IRGC). */
        char initials[8];
        size_t ilen;
        for (int f = 0; f < a->nforms; f++)
            if (set->entities[index->names[n].entity].kind != XC_KIND_PERSON &&
                (ilen = acronym_of(&a->forms[f], initials)) > 0 &&
                !kv_push(&pairs, key_hash(KEY_ACRONYM, initials, ilen), (uint32_t)n)) {
                xc__free_mem(pairs.items);
                xc__index_free(index);
                return xc__error_set(err, XC_NOMEM, "out of memory");
            }
    }
    if (pairs.n)
        qsort(pairs.items, pairs.n, sizeof *pairs.items, kv_cmp);
    /* 4. Posting lists (duplicates dropped) and the key table. */
    index->postings = xc__malloc((pairs.n ? pairs.n : 1) * sizeof *index->postings);
    size_t distinct = 0;
    for (size_t i = 0; i < pairs.n; i++)
        if (i == 0 || pairs.items[i].key != pairs.items[i - 1].key)
            distinct++;
    size_t tsize = 1024;
    while (tsize < distinct * 2)
        tsize *= 2;
    index->table_mask = tsize - 1;
    index->table = xc__calloc(tsize, sizeof *index->table);
    if (!index->postings || !index->table) {
        xc__free_mem(pairs.items);
        xc__index_free(index);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    size_t np = 0;
    for (size_t i = 0; i < pairs.n;) {
        uint64_t key = pairs.items[i].key;
        size_t start = np;
        for (; i < pairs.n && pairs.items[i].key == key; i++)
            if (np == start || index->postings[np - 1] != pairs.items[i].name)
                index->postings[np++] = pairs.items[i].name;
        size_t h = (size_t)key & index->table_mask;
        while (index->table[h].key)
            h = (h + 1) & index->table_mask;
        index->table[h].key = key;
        index->table[h].start = (uint32_t)start;
        index->table[h].count = (uint32_t)(np - start);
    }
    index->posting_count = np;
    xc__free_mem(pairs.items);
    *out = index;
    return XC_OK;
}

void xc__index_free(xc__index *index)
{
    if (!index)
        return;
    xc__arena_free(index->arena);
    if (!index->borrowed) {
        xc__free_mem(index->names);
        xc__free_mem(index->postings);
        xc__free_mem(index->table);
        xc__free_mem(index->df);
    }
    while (index->pool) {
        scratch *next = index->pool->next;
        scratch_free(index->pool);
        index->pool = next;
    }
    pthread_mutex_destroy(&index->pool_lock);
    xc__free_mem(index);
}

const size_t xc__index_table_slot_size = sizeof(slot);
const size_t xc__index_df_slot_size = sizeof(df_slot);

void xc__index_get_image(const xc__index *index, xc__index_image *out)
{
    out->names = index->names;
    out->name_count = index->name_count;
    out->postings = index->postings;
    out->posting_count = index->posting_count;
    out->table = index->table;
    out->table_mask = index->table_mask;
    out->df = index->df;
    out->df_mask = index->df_mask;
    out->log_n = index->log_n;
}

xc_status xc__index_from_image(xc__index **out, const xc__index_image *image, xc_error *err)
{
    *out = NULL;
    xc__index *index = xc__calloc(1, sizeof *index);
    if (!index)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    pthread_mutex_init(&index->pool_lock, NULL);
    index->borrowed = true;
    index->names = image->names;
    index->name_count = image->name_count;
    index->postings = image->postings;
    index->posting_count = image->posting_count;
    index->table = image->table;
    index->table_mask = image->table_mask;
    index->df = image->df;
    index->df_mask = image->df_mask;
    index->log_n = image->log_n;
    *out = index;
    return XC_OK;
}

size_t xc__index_name_count(const xc__index *index)
{
    return index ? index->name_count : 0;
}

const xc__iname *xc__index_name(const xc__index *index, uint32_t id)
{
    return id < index->name_count ? &index->names[id] : NULL;
}

void xc__index_weigh(const xc__index *index, xc__analysis *query)
{
    if (!index || !index->df)
        return;
    for (int f = 0; f < query->nforms; f++)
        for (int t = 0; t < query->forms[f].n; t++) {
            xc__tok *tok = &query->forms[f].toks[t];
            if (tok->cls != XC__TOK_NAME && tok->cls != XC__TOK_GENERIC)
                continue;
            df_slot *d = df_find(index, key_hash(KEY_EXACT, tok->s, tok->len));
            if (d->key)
                tok->weight *= rarity(index, d->count);
        }
}

static const slot *lookup(const xc__index *index, uint64_t key)
{
    size_t h = (size_t)key & index->table_mask;
    while (index->table[h].key) {
        if (index->table[h].key == key)
            return &index->table[h];
        h = (h + 1) & index->table_mask;
    }
    return NULL;
}

typedef struct acc {
    uint32_t name;
    float score;
    uint8_t forms;
} acc;

/* Longest posting list a key may contribute: beyond it the key says too little (a legal
 * form) and would only cost time. A weak key (a deletion neighbour, a phonetic code, a name
 * particle) says too little much sooner: the three-letter deletions of four-letter Arabic
 * skeletons ("hsin" -> "hsn", "sin") reach thousands of names, the particle "al" 7,677.
 * Capping those at 1,000 names changed no answer of bench_screen's quality sets or the
 * cross-script pairs and made it 5-8% faster (particles: no answer of 20,112 screened names
 * changed). */
#define MAX_POSTINGS 20000
#define MAX_WEAK_POSTINGS 1000

typedef struct hit {
    const slot *slot;
    uint32_t stamp;
    float value;
    uint8_t form; /* the query form the key came from */
} hit;

typedef struct hit_list {
    hit items[1024];
    size_t n;
    size_t postings; /* sum of their counts */
} hit_list;

static void gather_capped(const xc__index *index, hit_list *hits, uint64_t key, uint32_t stamp,
                          float value, int form, uint32_t cap)
{
    const slot *s = lookup(index, key);
    if (!s || s->count > cap || hits->n >= XC__ARRAY_LEN(hits->items))
        return;
    hits->items[hits->n++] = (hit){s, stamp, value, (uint8_t)form};
    hits->postings += s->count;
}

static void gather(const xc__index *index, hit_list *hits, uint64_t key, uint32_t stamp,
                   float value, int form)
{
    gather_capped(index, hits, key, stamp, value, form, MAX_POSTINGS);
}

static void gather_weak(const xc__index *index, hit_list *hits, uint64_t key, uint32_t stamp,
                        float value, int form)
{
    gather_capped(index, hits, key, stamp, value, form, MAX_WEAK_POSTINGS);
}

/* A query form's evidence for a name as one byte (in 1/16ths, at most 255) at its place. */
static inline uint64_t form_byte(float evidence, int form)
{
    float q = evidence * 16.0f + 1.0f;
    return (uint64_t)(q > 255.0f ? 255 : (unsigned)q) << (8 * form);
}

/* Length of a form label without a "-split" or "-joined" ending: one reading cut into words
 * differently (zh-pinyin and zh-pinyin-split), whose forms find different names by key but
 * score alike through joined tokens. */
static size_t label_base(const char *label)
{
    size_t n = strlen(label);
    if (n > 6 && strcmp(label + n - 6, "-split") == 0)
        return n - 6;
    if (n > 7 && strcmp(label + n - 7, "-joined") == 0)
        return n - 7;
    return n;
}

/* For each query form, the forms of the same reading (bits), itself included. */
static void form_families(const xc__analysis *query, uint8_t *family)
{
    for (int f = 0; f < query->nforms; f++) {
        family[f] = 0;
        size_t lf = label_base(query->forms[f].label);
        for (int g = 0; g < query->nforms; g++)
            if (label_base(query->forms[g].label) == lf &&
                strncmp(query->forms[f].label, query->forms[g].label, lf) == 0)
                family[f] |= (uint8_t)(1u << g);
    }
}

/* The query forms worth scoring against a name: those whose evidence is at least half its
 * best form's (the same rule that keeps candidates, applied to a candidate's readings), with
 * the other cuts of their readings (a name found by "jian ping li" may score best against
 * "jianping li": "Jin Ping Li"). */
static uint8_t forms_worth_scoring(uint64_t bytes, int nforms, const uint8_t *family)
{
    unsigned best = 0;
    for (int f = 0; f < nforms; f++)
        if (((bytes >> (8 * f)) & 0xff) > best)
            best = (bytes >> (8 * f)) & 0xff;
    uint8_t mask = 0;
    for (int f = 0; f < nforms; f++) {
        unsigned b = (bytes >> (8 * f)) & 0xff;
        if (b > 0 && 2 * b >= best)
            mask |= family[f];
    }
    return mask;
}

/* Evidence is summed over the tokens of one query form and the best form counts: the forms
 * are spellings of one name (pinyin and Korean readings of one Han name), not more of it, so
 * a name sharing a common syllable with each of five readings must not outrank one that
 * shares the whole name with one reading. Hits arrive form by form. */
static void credit(const xc__index *index, scratch *sc, const hit *h)
{
    const slot *sl = h->slot;
    const uint32_t *post = index->postings + sl->start;
    for (uint32_t i = 0; i < sl->count; i++) {
        uint32_t name = post[i];
        name_acc *a = &sc->acc[name];
        if (a->stamp != sc->generation) {
            a->stamp = sc->generation;
            a->score = 0;
            a->best = 0;
            a->form = h->form;
            a->forms = 0;
            a->token = UINT32_MAX;
            sc->touched[sc->ntouched++] = name;
        }
        if (a->token == h->stamp)
            continue; /* this query token already credited the name with better evidence */
        a->token = h->stamp;
        if (a->form != h->form) {
            if (a->score > a->best)
                a->best = a->score;
            a->forms |= form_byte(a->score, a->form);
            a->score = 0;
            a->form = h->form;
        }
        a->score += h->value;
    }
}

static int acc_cmp(const void *x, const void *y)
{
    const acc *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->name < b->name ? -1 : a->name > b->name;
}

/* Gathers one query token's keys, strongest evidence first: a name credited by the exact key
 * is not credited again by this token's weaker keys. */
static void gather_token(const xc__index *index, hit_list *hits, const xc__tok *tok,
                         uint32_t stamp, int f, bool latin_form)
{
    if (tok->cls == XC__TOK_STOP)
        return;
    float w = tok->weight;
    if (tok->cls == XC__TOK_PARTICLE) /* al, bin, de: a weak key (see MAX_WEAK_POSTINGS) */
        gather_weak(index, hits, key_hash(KEY_EXACT, tok->s, tok->len), stamp, w, f);
    else
        gather(index, hits, key_hash(KEY_EXACT, tok->s, tok->len), stamp, w, f);
    /* Written as one word where the list has two ("Gazprombank", "Alqaida"). */
    if (joinable(tok) && raw_len(tok) >= 3)
        gather(index, hits, key_hash(KEY_JOIN, tok->raw, raw_len(tok)), stamp, w, f);
    if (tok->cls != XC__TOK_NAME)
        return;
    if (tok->rkey)
        gather(index, hits, key_hash32(KEY_ROMAN, tok->rkey), stamp, 0.95f * w, f);
    if (tok->len >= 4 && tok->len <= 20) {
        char buf[64];
        gather_weak(index, hits, key_hash(KEY_DEL, tok->s, tok->len), stamp, 0.8f * w, f);
        for (int i = 0; i < tok->len; i++) {
            if (i > 0 && tok->s[i] == tok->s[i - 1])
                continue;
            memcpy(buf, tok->s, (size_t)i);
            memcpy(buf + i, tok->s + i + 1, (size_t)(tok->len - i - 1));
            gather_weak(index, hits, key_hash(KEY_DEL, buf, (size_t)tok->len - 1), stamp,
                   0.8f * w, f);
        }
    }
    if (tok->phon)
        gather_weak(index, hits, key_hash32(KEY_PHON, tok->phon), stamp, 0.6f * w, f);
    /* A token that may be an acronym (3-5 letters) finds the organisations it spells. */
    if (tok->len >= 3 && tok->len <= 5 && latin_form)
        gather(index, hits, key_hash(KEY_ACRONYM, tok->s, tok->len), stamp, w, f);
}

/* Written as two words where the list has one ("Gazprom Bank", "Hizb Allah"): the pair x, x[1]
 * joined is looked up as one token, with the evidence of both; and as a listed pair joined,
 * for a space in another place ("PROTONSHIPPING CO" ~ "PROTON SHIPPING CO", whose legal-form
 * phrase is one token "shippingco"). Called after x[1]'s own keys, under its stamp: a name
 * x[1] credited already (the list writes the pair apart too) is not credited twice. */
static void gather_pair(const xc__index *index, hit_list *hits, const xc__tok *x, uint32_t stamp,
                        int f)
{
    char joined[64];
    size_t jlen = join_of(x, x + 1, joined);
    if (!jlen)
        return;
    float w = x->weight + x[1].weight;
    gather(index, hits, key_hash(KEY_EXACT, joined, jlen), stamp, w, f);
    if (x[1].cls != XC__TOK_STOP) /* a function word credits nothing to dedupe against */
        gather(index, hits, key_hash(KEY_JOIN, joined, jlen), stamp, w, f);
}

size_t xc__index_candidates(const xc__index *index, const xc__analysis *query, xc__arena *arena,
                            uint32_t *ids, uint8_t *forms, size_t max)
{
    if (!index || index->name_count == 0)
        return 0;
    hit_list *hits = xc__arena_alloc(arena, sizeof *hits);
    if (!hits)
        return 0;
    hits->n = 0;
    hits->postings = 0;
    uint32_t stamp = 0;
    for (int f = 0; f < query->nforms; f++) {
        bool latin_form = strcmp(query->forms[f].label, "latin") == 0 ||
                          strcmp(query->forms[f].label, "part") == 0;
        bool kana_form = strcmp(query->forms[f].label, "ja-loanword") == 0 ||
                         strncmp(query->forms[f].label, "ja-hepburn", 10) == 0;
        for (int t = 0; t < query->forms[f].n; t++, stamp++) {
            const xc__tok *tok = &query->forms[f].toks[t];
            gather_token(index, hits, tok, stamp, f, latin_form);
            char kana[72];
            int klen = kana_form && tok->cls == XC__TOK_NAME && tok->len >= 3
                           ? xc__kana_key(tok->s, tok->len, kana, sizeof kana) : 0;
            if (klen >= 3) /* after the token's own keys: a weaker key, credited once */
                gather_weak(index, hits, key_hash(KEY_KANA, kana, (size_t)klen), stamp,
                            0.9f * tok->weight, f);
            if (t > 0)
                gather_pair(index, hits, &query->forms[f].toks[t - 1], stamp, f);
        }
        /* A full organisation name finds its acronym among the list's names. */
        char initials[8];
        size_t ilen = acronym_of(&query->forms[f], initials);
        if (ilen > 0)
            gather(index, hits, key_hash(KEY_EXACT, initials, ilen), stamp, 1.0f, f);
        stamp++;
    }
    if (hits->postings == 0)
        return 0;
    scratch *sc = scratch_get((xc__index *)index);
    if (!sc)
        return 0;
    if (++sc->generation == 0) { /* wrapped: forget every stamp */
        for (size_t i = 0; i < index->name_count; i++)
            sc->acc[i].stamp = 0;
        sc->generation = 1;
    }
    sc->ntouched = 0;
    for (size_t i = 0; i < hits->n; i++)
        credit(index, sc, &hits->items[i]);
    for (size_t i = 0; i < sc->ntouched; i++) {
        uint32_t name = sc->touched[i];
        sc->acc[name].forms |= form_byte(sc->acc[name].score, sc->acc[name].form);
        if (sc->acc[name].best > sc->acc[name].score)
            sc->acc[name].score = sc->acc[name].best;
    }
    /* Keep names with at least half the best evidence, then the best `max` of them: a name
     * sharing only one weak token with a long query cannot reach the alert band. Sorting only
     * the survivors keeps common-token queries cheap. */
    float best = 0;
    for (size_t i = 0; i < sc->ntouched; i++)
        if (sc->acc[sc->touched[i]].score > best)
            best = sc->acc[sc->touched[i]].score;
    float floor_score = best * 0.5f;
    size_t n = 0;
    for (size_t i = 0; i < sc->ntouched; i++)
        if (sc->acc[sc->touched[i]].score >= floor_score)
            sc->touched[n++] = sc->touched[i];
    /* Raise the floor while far too many survive (e.g. a query of one common surname). */
    while (n > max * 4 && floor_score < best) {
        floor_score += (best - floor_score) * 0.25f + 1e-6f;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (sc->acc[sc->touched[i]].score >= floor_score)
                sc->touched[k++] = sc->touched[i];
        n = k;
    }
    uint8_t family[XC__MAX_FORMS];
    form_families(query, family);
    acc *ranked = xc__arena_alloc(arena, (n ? n : 1) * sizeof *ranked);
    if (!ranked) {
        scratch_put((xc__index *)index, sc);
        return 0;
    }
    /* Among names with equal evidence, shorter ones come first: their unmatched tokens cost
     * less in the full score (a one-token query "Afiz" must reach "FAIZ" before every longer
     * name sharing a deletion key). */
    for (size_t i = 0; i < n; i++) {
        uint32_t name = sc->touched[i];
        ranked[i].name = name;
        ranked[i].score = sc->acc[name].score - 0.05f * (float)index->names[name].analysis.forms[0].n;
        ranked[i].forms = forms_worth_scoring(sc->acc[name].forms, query->nforms, family);
    }
    scratch_put((xc__index *)index, sc);
    qsort(ranked, n, sizeof *ranked, acc_cmp);
    if (n > max)
        n = max;
    for (size_t i = 0; i < n; i++) {
        ids[i] = ranked[i].name;
        if (forms)
            forms[i] = ranked[i].forms;
    }
    return n;
}
