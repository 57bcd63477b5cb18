/*
 * country.c — country names as official lists write them ("Korea, North", "Iran (Islamic
 * Republic of)", "DPRK", "RU") to ISO 3166-1 alpha-2 codes.
 *
 * The names live in data/text/countries.tsv (embedded at build time): one row per code with its
 * English short name and the variants lists use. On first use the table is parsed into a sorted
 * array of normalised keys (lower case, letters and digits only, single spaces) under
 * pthread_once; after that every lookup is a read-only binary search, safe from any thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "match/engine.h"

#define KEY_MAX 96
#define CODES_MAX 300
#define KEYS_MAX 2048

typedef struct country_key {
    char key[KEY_MAX]; /* normalised name */
    const char *code;  /* into codes[] */
} country_key;

static char codes[CODES_MAX][3];
static size_t code_count;
static country_key keys[KEYS_MAX];
static size_t key_count;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* Lower-cases ASCII letters, keeps letters, digits and non-ASCII bytes, and turns every run of
 * anything else into one space. "Korea, Democratic People's Republic of" and "korea democratic
 * people s republic of" meet here. Returns the key length, 0 when it does not fit. */
static size_t normalise(const char *s, size_t len, char out[KEY_MAX])
{
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\'' || c == 0xE2) { /* apostrophes vanish: "People's" == "Peoples" */
            if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80)
                i += 2; /* U+2019 and friends */
            continue;
        }
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
        if (c >= 'A' && c <= 'Z') {
            c = (unsigned char)(c - 'A' + 'a');
            keep = true;
        }
        if (!keep) {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n + 1 >= KEY_MAX)
                return 0;
            out[n++] = ' ';
            space = false;
        }
        if (n + 1 >= KEY_MAX)
            return 0;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    return n;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const country_key *)a)->key, ((const country_key *)b)->key);
}

static void add_key(const char *name, size_t len, const char *code)
{
    if (key_count >= KEYS_MAX)
        return;
    size_t n = normalise(name, len, keys[key_count].key);
    if (n == 0)
        return;
    keys[key_count].code = code;
    key_count++;
}

static void build_table(void)
{
    size_t len = 0;
    const char *data = xc__data_file("text/countries.tsv", &len);
    if (!data)
        return;
    const char *end = data + len;
    for (const char *line = data; line < end;) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        if (line[0] != '#' && eol - line > 3 && line[2] == '\t' && code_count < CODES_MAX) {
            char *code = codes[code_count++];
            code[0] = line[0];
            code[1] = line[1];
            code[2] = '\0';
            add_key(code, 2, code);
            /* Fields after the code: the short name, then '|'-separated variants. */
            const char *p = line + 3;
            while (p < eol) {
                const char *stop = p;
                while (stop < eol && *stop != '\t' && *stop != '|')
                    stop++;
                add_key(p, (size_t)(stop - p), code);
                p = stop + 1;
            }
        }
        line = eol + 1;
    }
    qsort(keys, key_count, sizeof keys[0], key_cmp);
}

const char *xc__country_code(const char *name, size_t len)
{
    if (!name)
        return NULL;
    pthread_once(&table_once, build_table);
    country_key probe;
    if (normalise(name, len, probe.key) == 0)
        return NULL;
    const country_key *hit = bsearch(&probe, keys, key_count, sizeof keys[0], key_cmp);
    return hit ? hit->code : NULL;
}
