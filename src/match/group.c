/*
 * group.c — which matches of one result are the same real-world entity on several lists
 * (issue 11: one alert per party and real-world entity).
 *
 * Each entity gives up to three keys, each a claim "this entry is that entity":
 *   - "ofac:<ent_num>": the Treasury lists share OFAC's entity numbers (SDN, the consolidated
 *     non-SDN files, and the CSL's copies of them: us_csl_sdn, us_treas_*);
 *   - "un:<reference>": a UN Security Council reference number (QDi.001, KPe.033, IRe.012 ...)
 *     the entry carries in its programmes, identifiers or remarks (the UN list gives its own;
 *     UK, EU and OFAC entries implementing a UN listing often cite it);
 *   - "name:<name>" for an organisation, vessel or aircraft (lists disagree on those kinds: the
 *     CSL's ISN entries have none), "name:person:<name>:<dob>" for a person: the primary name's
 *     words, letters and digits only, lower case, in byte order (lists order names
 *     differently), and for a person the first date of birth, which a
 *     person key requires (two people of one name without a date are not assumed to be one).
 * Matches sharing any key are one group (union-find over the result's matches). The group's id
 * is its strongest key by kind (ofac, then un, then name), then in byte order: stable across
 * screenings of the same lists whichever member ranks first. A match with no key is a group of
 * its own, "entry:<list>:<id>".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "group.h"

static bool ofac_family(const char *list)
{
    return strcmp(list, "us_ofac_sdn") == 0 || strcmp(list, "us_ofac_cons") == 0 ||
           strcmp(list, "us_csl_sdn") == 0 || strncmp(list, "us_treas_", 9) == 0;
}

/* Finds a UN reference number (two capitals, 'i' or 'e', '.', three digits) in s. */
static bool find_un_ref(const char *s, char out[16])
{
    if (!s)
        return false;
    for (const char *p = s; p[0]; p++) {
        if (p != s && isalnum((unsigned char)p[-1]))
            continue;
        if (isupper((unsigned char)p[0]) && isupper((unsigned char)p[1]) &&
            (p[2] == 'i' || p[2] == 'e') && p[3] == '.' && isdigit((unsigned char)p[4]) &&
            isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[6]) &&
            !isalnum((unsigned char)p[7])) {
            memcpy(out, p, 7);
            out[7] = '\0';
            return true;
        }
    }
    return false;
}

size_t xc__group_keys(const xc_engine *eng, const xc__entity *ent, char keys[3][XC__GROUP_KEY_MAX])
{
    size_t n = 0;
    const char *list = eng->lists.lists[ent->list].id;
    if (ofac_family(list) && ent->source_id && *ent->source_id)
        snprintf(keys[n++], XC__GROUP_KEY_MAX, "ofac:%.100s", ent->source_id);
    char ref[16];
    bool found = find_un_ref(ent->programs, ref) || find_un_ref(ent->remarks, ref);
    for (uint32_t i = 0; !found && i < ent->ident_count; i++)
        found = find_un_ref(ent->idents[i].value, ref);
    if (found)
        snprintf(keys[n++], XC__GROUP_KEY_MAX, "un:%s", ref);
    const char *name = ent->name_count ? ent->names[0].text : NULL;
    bool person = ent->kind == XC_KIND_PERSON;
    if (name && *name && (!person || ent->dob_count > 0)) {
        char *out = keys[n];
        int len = snprintf(out, XC__GROUP_KEY_MAX, "name:%s", person ? "person:" : "");
        size_t o = len > 0 ? (size_t)len : 0;
        /* The name's words, letters and digits only, lower case, in byte order: lists write
         * one name in different orders ("SALEK, Abdulhai" on one, "ABDULHAI SALEK" on another). */
        char words[16][48];
        int nw = 0;
        size_t wl = 0;
        for (const char *p = name;; p++) {
            unsigned char c = (unsigned char)*p;
            if (c && (isalnum(c) || c >= 0x80)) { /* other scripts' bytes kept as they are */
                if (wl < sizeof words[0] - 1 && nw < 16)
                    words[nw][wl++] = (char)tolower(c);
                continue;
            }
            if (wl > 0 && nw < 16) {
                words[nw][wl] = '\0';
                nw++;
            }
            wl = 0;
            if (!c)
                break;
        }
        for (int i = 1; i < nw; i++)
            for (int j = i; j > 0 && strcmp(words[j - 1], words[j]) > 0; j--) {
                char tmp[48];
                memcpy(tmp, words[j], sizeof tmp);
                memcpy(words[j], words[j - 1], sizeof tmp);
                memcpy(words[j - 1], tmp, sizeof tmp);
            }
        for (int i = 0; i < nw && o + strlen(words[i]) + 2 < XC__GROUP_KEY_MAX - 16; i++) {
            if (i > 0)
                out[o++] = ' ';
            memcpy(out + o, words[i], strlen(words[i]));
            o += strlen(words[i]);
        }
        out[o] = '\0';
        if (person) {
            const xc__pdate *d = &ent->dobs[0];
            snprintf(out + o, XC__GROUP_KEY_MAX - o, ":%04d-%02d-%02d", d->year, d->month, d->day);
        }
        if (o > (size_t)len)
            n++;
    }
    return n;
}

/* Kind rank of a key: ofac (0), un (1), name (2). */
static int key_rank(const char *key)
{
    return key[0] == 'o' ? 0 : key[0] == 'u' ? 1 : 2;
}

static int key_better(const char *a, const char *b)
{
    int ra = key_rank(a), rb = key_rank(b);
    return ra != rb ? ra < rb : strcmp(a, b) < 0;
}

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

xc_status xc__group_matches(const xc_engine *eng, const xc__entity *const *entities,
                            xc_match *matches, size_t n, xc__arena *arena)
{
    if (n == 0)
        return XC_OK;
    char (*keys)[3][XC__GROUP_KEY_MAX] = xc__arena_alloc(arena, n * sizeof *keys);
    size_t *count = xc__arena_alloc(arena, n * sizeof *count);
    size_t *parent = xc__arena_alloc(arena, n * sizeof *parent);
    size_t *best = xc__arena_alloc(arena, n * 2 * sizeof *best); /* per root: match, key */
    if (!keys || !count || !parent || !best)
        return XC_NOMEM;
    for (size_t i = 0; i < n; i++) {
        count[i] = xc__group_keys(eng, entities[i], keys[i]);
        parent[i] = i;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            for (size_t a = 0; a < count[i]; a++)
                for (size_t b = 0; b < count[j]; b++)
                    if (strcmp(keys[i][a], keys[j][b]) == 0) {
                        size_t ri = find(parent, i), rj = find(parent, j);
                        if (ri != rj)
                            parent[ri] = rj;
                    }
    for (size_t i = 0; i < n; i++)
        best[2 * i] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t r = find(parent, i);
        for (size_t a = 0; a < count[i]; a++)
            if (best[2 * r] == SIZE_MAX ||
                key_better(keys[i][a], keys[best[2 * r]][best[2 * r + 1]])) {
                best[2 * r] = i;
                best[2 * r + 1] = a;
            }
    }
    for (size_t i = 0; i < n; i++) {
        size_t r = find(parent, i);
        char entry[XC__GROUP_KEY_MAX];
        const char *key = entry;
        if (best[2 * r] != SIZE_MAX)
            key = keys[best[2 * r]][best[2 * r + 1]];
        else
            snprintf(entry, sizeof entry, "entry:%.60s:%.100s", matches[i].list,
                     matches[i].entity_id);
        matches[i].group = xc__arena_strdup(arena, key);
        if (!matches[i].group)
            return XC_NOMEM;
    }
    return XC_OK;
}
