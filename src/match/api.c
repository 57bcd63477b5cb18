/*
 * api.c — the public screening API: opening an engine (lists → index, regimes), screening a
 * party (analyse → candidates → score → qualifiers → ranked matches with explanations), and
 * the JSON renderings. Results own a private arena holding every string they point to.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../text/roman.h"
#include "engine.h"
#include "group.h"
#include "entity_json.h"
#include "ident.h"
#include "index.h"
#include "ofac_score.h"
#include "score.h"

/* ---- kinds ---- */

const char *xc_kind_name(xc_kind kind)
{
    switch (kind) {
    case XC_KIND_PERSON: return "person";
    case XC_KIND_ORG: return "org";
    case XC_KIND_VESSEL: return "vessel";
    case XC_KIND_AIRCRAFT: return "aircraft";
    case XC_KIND_ANY: break;
    }
    return "any";
}

xc_status xc_kind_parse(const char *name, xc_kind *kind)
{
    static const struct {
        const char *name;
        xc_kind kind;
    } map[] = {{"person", XC_KIND_PERSON},     {"individual", XC_KIND_PERSON},
               {"org", XC_KIND_ORG},           {"organization", XC_KIND_ORG},
               {"organisation", XC_KIND_ORG},  {"company", XC_KIND_ORG},
               {"entity", XC_KIND_ORG},        {"legalentity", XC_KIND_ORG},
               {"vessel", XC_KIND_VESSEL},     {"aircraft", XC_KIND_AIRCRAFT},
               {"any", XC_KIND_ANY},           {"", XC_KIND_ANY}};
    if (!name)
        return XC_INVALID;
    for (size_t i = 0; i < XC__ARRAY_LEN(map); i++)
        if (xc__str_ieq(name, map[i].name)) {
            *kind = map[i].kind;
            return XC_OK;
        }
    return XC_INVALID;
}

/* ---- results ---- */

struct xc_result {
    xc__arena *arena;
    xc_match *matches;
    const xc__entity **entities; /* the listed entity of each match, for its "entity" JSON */
    size_t count;
    const xc_engine *eng;
    /* the query, for JSON */
    const char *name, *country, *dob, *id;
    const char **ids; /* the query's identifiers, NULL-terminated, or NULL */
    xc_kind kind;
    int scorer; /* enum xc__scorer */
    const uint8_t *wanted; /* lists screened (opts->lists), one flag per engine list; NULL: all */
    /* query fields that were not usable (a bad dob or country): screened by name without them */
    const char *field_error_field[2];
    const char *field_error[2];
    size_t field_error_count;
};

size_t xc_result_count(const xc_result *res)
{
    return res ? res->count : 0;
}

const xc_match *xc_result_match(const xc_result *res, size_t i)
{
    return res && i < res->count ? &res->matches[i] : NULL;
}

void xc_result_free(xc_result *res)
{
    if (!res)
        return;
    xc__arena_free(res->arena);
    xc__free_mem(res);
}

static double round4(double x)
{
    return floor(x * 10000.0 + 0.5) / 10000.0;
}

/* One side of an explanation pair: the token(s) as written; a canonicalised token shows its
 * canonical form after '=' ("comp=co"); "" when the side has no token. */
static const char *pair_side(xc__arena *arena, const xc__form *f, int k, int k2)
{
    char buf[160];
    if (k < 0)
        buf[0] = '\0';
    else if (k2 >= 0)
        snprintf(buf, sizeof buf, "%s %s", f->toks[k].raw, f->toks[k2].raw);
    else if (f->toks[k].raw != f->toks[k].s)
        snprintf(buf, sizeof buf, "%s=%s", f->toks[k].raw, f->toks[k].s);
    else
        snprintf(buf, sizeof buf, "%s", f->toks[k].s);
    return xc__arena_strdup(arena, buf);
}

/* Builds the explanation pairs of a scored name into arena strings. */
static xc_token_pair *explain_pairs(xc__arena *arena, const xc__form *q, const xc__form *c,
                                    const xc__score_detail *d, size_t *count)
{
    xc_token_pair *pairs = xc__arena_alloc(arena, sizeof *pairs * (size_t)(d->npairs + 1));
    if (!pairs)
        return NULL;
    for (int i = 0; i < d->npairs; i++) {
        const xc__pair *p = &d->pairs[i];
        pairs[i].query = pair_side(arena, q, p->q, p->q2);
        pairs[i].candidate = pair_side(arena, c, p->c, p->c2);
        pairs[i].similarity = round4(p->sim);
        pairs[i].weight = round4(p->weight);
        pairs[i].how = xc__how_name(p->how);
        if (!pairs[i].query || !pairs[i].candidate)
            return NULL;
    }
    *count = (size_t)d->npairs;
    return pairs;
}

/* ---- qualifiers: date of birth, country, kind ---- */

typedef struct qualifier_out {
    double delta;
    bool explain;     /* write notes (only for the matches returned, not every candidate) */
    char notes[256];
} qualifier_out;

static void note(qualifier_out *q, const char *text, double delta)
{
    if (!q->explain) {
        q->delta += delta;
        return;
    }
    size_t len = strlen(q->notes);
    snprintf(q->notes + len, sizeof q->notes - len, "%s%s %+.2f", len ? "; " : "", text, delta);
    q->delta += delta;
}

static void apply_qualifiers(const xc__entity *ent, xc_kind kind, const xc__pdate *dob,
                             const char *country, qualifier_out *out)
{
    out->delta = 0;
    out->notes[0] = '\0';
    if (kind != XC_KIND_ANY && ent->kind != XC_KIND_ANY && ent->kind != kind) {
        bool person_vs_other = kind == XC_KIND_PERSON || ent->kind == XC_KIND_PERSON;
        note(out, person_vs_other ? "kind_mismatch (person vs non-person)" : "kind_mismatch",
             person_vs_other ? -0.15 : -0.05);
    }
    if (dob && dob->year && ent->dob_count) {
        bool year_ok = false, near = false, full_ok = false, full_conflict = false;
        for (uint32_t i = 0; i < ent->dob_count; i++) {
            const xc__pdate *e = &ent->dobs[i];
            if (!e->year)
                continue;
            int dy = abs(e->year - dob->year);
            if (dy == 0) {
                year_ok = true;
                if (dob->month && e->month && dob->day && e->day) {
                    if (dob->month == e->month && dob->day == e->day)
                        full_ok = true;
                    else if (!(dob->month == e->day && dob->day == e->month))
                        full_conflict = true;
                }
            } else if (dy == 1) {
                near = true;
            }
        }
        if (!year_ok && !near)
            note(out, "dob_year_mismatch", -0.2);
        else if (!year_ok)
            note(out, "dob_year_off_by_one", -0.05);
        else if (full_conflict && !full_ok)
            note(out, "dob_day_mismatch", -0.08);
    }
    if (country && *country && ent->country_count) {
        bool found = false;
        for (uint32_t i = 0; i < ent->country_count; i++)
            if (ent->countries[i] && xc__str_ieq(ent->countries[i], country))
                found = true;
        if (!found)
            note(out, "country_mismatch", -0.15);
    }
}

/* ---- screening ---- */

/* Candidates scored per query: at least MAX_CANDIDATES, and twice the matches asked for up to
 * CANDIDATE_LIMIT, so a name many entities share ("Abu Abdullah": over 32 entities on SDN, UN
 * and CSL) returns every one of them when the caller asks for that many. */
#define MAX_CANDIDATES 32
#define CANDIDATE_LIMIT 2048

typedef struct scored {
    uint32_t name_id;
    uint8_t forms; /* the query forms scored (xc__index_candidates) */
    float name_score;
    double score;
    int idhit;     /* index into the identifier hits, -1 for a match by name */
} scored;

static int scored_cmp(const void *x, const void *y)
{
    const scored *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return a->name_id < b->name_id ? -1 : a->name_id > b->name_id;
}

/* The lists a query screens: every id in opts->lists must name a loaded list (an unknown id
 * is XC_NOTFOUND naming it and the known ids, never a screen of nothing), and what is left must
 * hold entities. *wanted gets one flag per list (NULL: all lists). */
static xc_status lists_wanted(const xc_engine *eng, const xc_screen_opts *opts, xc__arena *arena,
                              const uint8_t **wanted, xc_error *err)
{
    const xc__listset *set = &eng->lists;
    *wanted = NULL;
    if (set->list_count == 0)
        return xc__error_set(err, XC_NODATA, "no restricted-party lists loaded: nothing to "
                             "screen against");
    size_t entities = 0;
    if (opts && opts->lists) {
        uint8_t *flags = xc__arena_alloc(arena, set->list_count);
        if (!flags)
            return xc__error_set(err, XC_NOMEM, "out of memory");
        memset(flags, 0, set->list_count);
        for (size_t k = 0; opts->lists[k]; k++) {
            bool known = false;
            for (size_t i = 0; i < set->list_count; i++)
                if (strcmp(set->lists[i].id, opts->lists[k]) == 0) {
                    flags[i] = 1;
                    known = true;
                }
            if (known)
                continue;
            char ids[400] = "";
            for (size_t i = 0; i < set->list_count; i++) {
                size_t used = strlen(ids);
                bool dup = false;
                for (size_t j = 0; j < i; j++)
                    dup |= strcmp(set->lists[j].id, set->lists[i].id) == 0;
                if (!dup)
                    snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "",
                             set->lists[i].id);
            }
            return xc__error_set(err, XC_NOTFOUND, "lists: no list '%.60s' loaded (loaded: %s)",
                                 opts->lists[k], ids);
        }
        for (size_t i = 0; i < set->list_count; i++)
            entities += flags[i] ? set->lists[i].entities : 0;
        *wanted = flags;
    } else {
        entities = set->entity_count;
    }
    if (entities == 0 && !eng->subset)
        return xc__error_set(err, XC_NODATA, "the lists screened hold no entity: nothing to "
                             "screen against");
    return XC_OK;
}

static const char *arena_str(xc__arena *arena, const char *s)
{
    return s ? xc__arena_strdup(arena, s) : NULL;
}

/* Makes each identifier hit a match scored 1.0: the entity's best name match when it has one,
 * else its first name (with that name's own score against the query). When best[] is full, a
 * hit takes the place of the weakest match by name: an identifier hit is never dropped. Returns
 * the new count. */
static size_t add_id_hits(const xc_engine *eng, const uint8_t *wanted,
                          const xc__analysis *query, const xc__idhit *hits, size_t nh,
                          scored *best, size_t nb, size_t cap)
{
    for (size_t h = 0; h < nh; h++) {
        const xc__idhit *hit = &hits[h];
        if (hit->name_id == UINT32_MAX ||
            (wanted && !wanted[eng->lists.entities[hit->entity].list]))
            continue;
        size_t k;
        for (k = 0; k < nb; k++)
            if (xc__index_name(eng->index, best[k].name_id)->entity == hit->entity)
                break;
        if (k == nb) {
            if (nb == cap) { /* full: replace the weakest match by name */
                size_t weakest = cap;
                for (size_t j = 0; j < nb; j++)
                    if (best[j].idhit < 0 &&
                        (weakest == cap || best[j].score < best[weakest].score))
                        weakest = j;
                if (weakest == cap)
                    continue; /* every slot holds an identifier hit already */
                k = weakest;
            } else {
                nb++;
            }
            const xc__iname *in = xc__index_name(eng->index, hit->name_id);
            best[k] = (scored){hit->name_id, 0, xc__score_names_in(query, &in->analysis, 0, NULL),
                               0, -1};
        }
        best[k].score = 1.0;
        best[k].idhit = (int)h;
    }
    return nb;
}

/* The documented bands, whatever threshold the caller screened at: "weak" is below
 * XC_BAND_POSSIBLE (reported only at a lowered threshold, or for a strong name whose qualifiers
 * conflict). */
static const char *band_name(double score)
{
    return score >= XC_BAND_STRONG ? "strong" : score >= XC_BAND_POSSIBLE ? "possible" : "weak";
}

xc_status xc_screen(const xc_engine *eng, const xc_party *party, const xc_screen_opts *opts,
                    xc_result **out, xc_error *err)
{
    *out = NULL;
    if (!eng || !party || !party->name)
        return xc__error_set(err, XC_INVALID, "name: required");
    size_t len = strlen(party->name);
    if (len == 0)
        return xc__error_set(err, XC_INVALID, "name: empty");
    /* A bad date of birth or country never stops the screen (a name is never left unscreened
     * because a qualifier is wrong): the field is dropped, and the result says why. */
    xc__pdate dob = {0};
    char dob_error[160] = "", country_error[160] = "";
    if (party->dob && *party->dob && !xc__query_date_parse(party->dob, &dob))
        snprintf(dob_error, sizeof dob_error,
                 "dob: '%.40s' is not a date YYYY, YYYY-MM or YYYY-MM-DD; screened without it",
                 party->dob);
    const char *country = party->country && *party->country ? party->country : NULL;
    if (country) {
        const char *code = strlen(country) == 2 ? xc__country_code(country, 2) : NULL;
        if (!code || !xc__str_ieq(code, country)) {
            snprintf(country_error, sizeof country_error,
                     "country: '%.40s' is not an ISO 3166 alpha-2 code; screened without it",
                     country);
            country = NULL;
        }
    }
    xc__idquery idq[XC__MAX_QUERY_IDS];
    size_t nidq = 0;
    xc_status idrc = xc__idquery_parse(party->ids, idq, &nidq, err);
    if (idrc != XC_OK)
        return idrc;
    int scorer;
    if (xc__scorer_parse(opts ? opts->scorer : NULL, &scorer, err) != XC_OK)
        return XC_INVALID;
    double threshold = opts && opts->threshold > 0 ? opts->threshold
                       : scorer == XC__SCORER_OFAC ? XC_OFAC_DEFAULT_THRESHOLD
                                                   : XC_BAND_POSSIBLE;
    if (scorer == XC__SCORER_OFAC) /* OFAC's slider counts whole points (a float carries them) */
        threshold = (ceil(threshold * 100.0 - 1e-9) - 0.5) / 100.0;
    size_t top = opts && opts->top > 0 ? (size_t)opts->top : 10;

    xc_result *res = xc__calloc(1, sizeof *res);
    if (!res)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    res->arena = xc__arena_new(32768);
    if (!res->arena) {
        xc_result_free(res);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    res->eng = eng;
    res->kind = party->kind;
    res->name = arena_str(res->arena, party->name);
    res->country = arena_str(res->arena, party->country);
    res->dob = arena_str(res->arena, party->dob);
    res->id = arena_str(res->arena, party->id);
    xc_status rc = lists_wanted(eng, opts, res->arena, &res->wanted, err);
    if (rc != XC_OK) {
        xc_result_free(res);
        return rc;
    }
    if (*dob_error) {
        res->field_error_field[res->field_error_count] = "dob";
        res->field_error[res->field_error_count++] = arena_str(res->arena, dob_error);
    }
    if (*country_error) {
        res->field_error_field[res->field_error_count] = "country";
        res->field_error[res->field_error_count++] = arena_str(res->arena, country_error);
    }
    if (nidq) {
        res->ids = xc__arena_alloc(res->arena, sizeof *res->ids * (nidq + 1));
        for (size_t i = 0; res->ids && i < nidq; i++)
            res->ids[i] = arena_str(res->arena, idq[i].raw);
        if (res->ids)
            res->ids[nidq] = NULL;
    }
    res->scorer = scorer;

    xc__analysis query;
    rc = xc__text_analyse(eng->text, party->name, len, party->kind, country,
                                    res->arena, &query, err);
    if (rc != XC_OK) {
        xc_result_free(res);
        return rc;
    }
    xc__index_weigh(eng->index, &query);
    /* The OFAC-parity scorer (ofac_score.c) scores the index's candidates by OFAC's method. */
    xc__ofac_name *ofac_query = NULL, *ofac_scratch = NULL;
    if (scorer == XC__SCORER_OFAC &&
        (rc = xc__ofac_query_new(eng->text, party->name, len, res->arena, &ofac_query,
                                 &ofac_scratch, err)) != XC_OK) {
        xc_result_free(res);
        return rc;
    }
    size_t cap = top * 2 < MAX_CANDIDATES ? MAX_CANDIDATES
                 : top * 2 > CANDIDATE_LIMIT ? CANDIDATE_LIMIT : top * 2;
    uint32_t *ids = xc__arena_alloc(res->arena, cap * sizeof *ids);
    uint8_t *forms = xc__arena_alloc(res->arena, cap * sizeof *forms);
    scored *best = xc__arena_alloc(res->arena, cap * sizeof *best);
    float *name_scores = xc__arena_alloc(res->arena, cap * sizeof *name_scores);
    if (!ids || !forms || !best || !name_scores) {
        xc_result_free(res);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    size_t nc = xc__index_candidates(eng->index, &query, res->arena, ids, forms, cap);

    /* Score candidates; keep the best name per entity. A candidate spelt like one already
     * scored (the same name on two lists or under two programmes: 30-48% of candidates on
     * bench_screen's queries) takes its score. */
    size_t nb = 0;
    for (size_t i = 0; i < nc; i++) {
        const xc__iname *in = xc__index_name(eng->index, ids[i]);
        const xc__entity *ent = &eng->lists.entities[in->entity];
        name_scores[i] = -1.0f;
        if (res->wanted && !res->wanted[ent->list])
            continue;
        float s = -1.0f;
        if (ofac_query && (rc = xc__ofac_score_name(eng->text, ofac_query,
                                                    ent->names[in->name].text, ofac_scratch,
                                                    &s, err)) != XC_OK) {
            xc_result_free(res);
            return rc;
        }
        for (size_t j = 0; j < i && s < 0.0f; j++)
            if (name_scores[j] >= 0.0f && forms[j] == forms[i] &&
                xc__analysis_same(&xc__index_name(eng->index, ids[j])->analysis, &in->analysis))
                s = name_scores[j];
        if (s < 0.0f)
            s = xc__score_names_in(&query, &in->analysis, forms[i], NULL);
        name_scores[i] = s;
        if (ent->names[in->name].type == XC__NAME_WEAK_AKA && !ofac_query)
            s *= 0.9f; /* weak aliases are published as low-quality leads */
        qualifier_out q = {.explain = false};
        if (!ofac_query) /* OFAC's score is the name's alone */
            apply_qualifiers(ent, party->kind, &dob, country, &q);
        double total = s + q.delta;
        if (total < 0)
            total = 0;
        /* Qualifiers never hide a name: one that scores strong on its own (and reaches the
         * threshold) is reported whatever a dob or country conflict takes off. */
        if (total < threshold && !(s >= XC_BAND_STRONG && s >= threshold))
            continue;
        size_t k;
        for (k = 0; k < nb; k++)
            if (xc__index_name(eng->index, best[k].name_id)->entity == in->entity)
                break;
        if (k < nb) {
            if (total > best[k].score)
                best[k] = (scored){ids[i], forms[i], s, total, -1};
        } else {
            best[nb++] = (scored){ids[i], forms[i], s, total, -1};
        }
    }
    /* Identifiers (ident.c): an exact identifier match is strong whatever the names say. */
    xc__idhit idhits[MAX_CANDIDATES];
    size_t nh = xc__idindex_find(eng->ids, idq, nidq, idhits, MAX_CANDIDATES);
    nb = add_id_hits(eng, res->wanted, &query, idhits, nh, best, nb, cap);
    qsort(best, nb, sizeof *best, scored_cmp);
    if (nb > top)
        nb = top;
    res->matches = xc__arena_alloc(res->arena, sizeof *res->matches * (nb + 1));
    res->entities = xc__arena_alloc(res->arena, sizeof *res->entities * (nb + 1));
    if (!res->matches || !res->entities) {
        xc_result_free(res);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < nb; i++) {
        const xc__iname *in = xc__index_name(eng->index, best[i].name_id);
        const xc__entity *ent = &eng->lists.entities[in->entity];
        xc_match *m = &res->matches[i];
        res->entities[i] = ent;
        xc__score_detail detail;
        xc__score_names_in(&query, &in->analysis, best[i].forms, &detail);
        qualifier_out q = {.explain = true};
        if (!ofac_query)
            apply_qualifiers(ent, party->kind, &dob, country, &q);
        m->list = eng->lists.lists[ent->list].id;
        m->entity_id = ent->source_id;
        m->name = ent->names[0].text;
        m->matched_name = ent->names[in->name].text;
        m->matched_type = xc__name_type_str(ent->names[in->name].type);
        m->kind = (xc_kind)ent->kind;
        m->score = round4(best[i].score);
        m->name_score = round4(best[i].name_score);
        m->band = band_name(m->score);
        /* A name strong on its own is never "weak", whatever its qualifiers took off: it is
         * kept for review (the qualifiers line says what conflicts). */
        if (best[i].name_score >= XC_BAND_STRONG && m->score < XC_BAND_POSSIBLE)
            m->band = "possible";
        m->programs = ent->programs ? ent->programs : "";
        m->qualifiers = xc__arena_strdup(res->arena, q.notes);
        m->pairs = NULL;
        m->pair_count = 0;
        m->query_form = m->candidate_form = NULL; /* no form aligned: an identifier match */
        if (ofac_query) {
            if (xc__ofac_explain_name(res->arena, eng->text, ofac_query, m->matched_name,
                                      ofac_scratch, m) != XC_OK)
                m->qualifiers = NULL; /* out of memory, reported below */
        } else if (detail.qform >= 0) {
            m->pairs = explain_pairs(res->arena, &query.forms[detail.qform],
                                     &in->analysis.forms[detail.cform], &detail, &m->pair_count);
            m->query_form = query.forms[detail.qform].label;
            m->candidate_form = in->analysis.forms[detail.cform].label;
        }
        m->id_query = m->id_type = m->id_value = NULL;
        if (best[i].idhit >= 0) {
            const xc__idhit *hit = &idhits[best[i].idhit];
            m->id_query = res->ids ? res->ids[hit->query] : idq[hit->query].raw;
            m->id_type = ent->idents[hit->ident].type ? ent->idents[hit->ident].type : "";
            m->id_value = ent->idents[hit->ident].value;
        }
        if (!m->qualifiers || (detail.qform >= 0 && !m->pairs)) {
            xc_result_free(res);
            return xc__error_set(err, XC_NOMEM, "out of memory");
        }
    }
    if (xc__group_matches(eng, res->entities, res->matches, nb, res->arena) != XC_OK) {
        xc_result_free(res);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    res->count = nb;
    *out = res;
    return XC_OK;
}

/* ---- JSON ---- */

static json_t *pairs_json(const xc_token_pair *pairs, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:f,s:f,s:s}", "query", pairs[i].query,
                                             "candidate", pairs[i].candidate, "similarity",
                                             pairs[i].similarity, "weight", pairs[i].weight,
                                             "how", pairs[i].how));
    return arr;
}

static char *dump(json_t *obj)
{
    if (!obj)
        return NULL;
    char *s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    json_decref(obj);
    if (!s)
        return NULL;
    char *copy = xc__strdup(s);
    free(s);
    return copy;
}

char *xc_result_json(const xc_result *res)
{
    if (!res)
        return NULL;
    json_t *query = json_pack("{s:s,s:s,s:s?,s:s?}", "name", res->name, "kind",
                              xc_kind_name(res->kind), "country", res->country, "dob", res->dob);
    if (query && res->ids) {
        json_t *ids = json_array();
        for (size_t i = 0; ids && res->ids[i]; i++)
            json_array_append_new(ids, json_string(res->ids[i]));
        json_object_set_new(query, "ids", ids);
    }
    json_t *matches = json_array();
    for (size_t i = 0; i < res->count; i++) {
        const xc_match *m = &res->matches[i];
        json_t *explanation = json_pack(
            "{s:f,s:s?,s:s?,s:o,s:s}", "name_score", m->name_score, "query_form", m->query_form,
            "candidate_form", m->candidate_form, "pairs", pairs_json(m->pairs, m->pair_count),
            "qualifiers", m->qualifiers);
        if (explanation && m->id_query)
            json_object_set_new(explanation, "identifier",
                                json_pack("{s:s,s:s,s:s,s:s}", "how", "identifier", "query",
                                          m->id_query, "type", m->id_type, "value",
                                          m->id_value));
        if (res->scorer == XC__SCORER_OFAC)
            json_object_set_new(explanation, "scorer", json_string("ofac"));
        json_array_append_new(
            matches, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:s,s:s,s:s,s:o,s:o}", "list",
                               m->list, "entity_id", m->entity_id, "name", m->name,
                               "matched_name", m->matched_name, "matched_type", m->matched_type,
                               "kind", xc_kind_name(m->kind), "score", m->score, "band", m->band,
                               "programs", m->programs, "group", m->group ? m->group : "",
                               "explanation", explanation, "entity",
                               xc__entity_json_obj(res->eng, res->entities[i])));
    }
    char *screened = xc__engine_data_version(res->eng, res->wanted);
    json_t *version = screened ? json_loads(screened, 0, NULL) : NULL;
    xc__free_mem(screened);
    json_t *warnings = json_array();
    for (size_t i = 0; warnings && i < xc_result_warning_count(res); i++)
        json_array_append_new(warnings, json_string(xc_result_warning(res, i)));
    json_t *obj = json_pack("{s:s?,s:o,s:o,s:o,s:o}", "id", res->id, "query", query, "matches",
                            matches, "data_version", version ? version : json_pack("{}"),
                            "warnings", warnings ? warnings : json_array());
    if (obj && res->scorer == XC__SCORER_OFAC)
        json_object_set_new(obj, "scorer", json_string("ofac"));
    if (obj && res->eng->sample)
        json_object_set_new(obj, "sample", json_true());
    if (obj && res->field_error_count) {
        json_t *errors = json_array();
        for (size_t f = 0; errors && f < res->field_error_count; f++)
            json_array_append_new(errors, json_pack("{s:s,s:s,s:s}", "field",
                                                    res->field_error_field[f], "code",
                                                    "XC_INVALID", "message", res->field_error[f]));
        json_object_set_new(obj, "field_errors", errors ? errors : json_array());
    }
    return dump(obj);
}

/* ---- what a result was screened against ---- */

size_t xc_result_list_count(const xc_result *res)
{
    if (!res)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < res->eng->lists.list_count; i++)
        n += !res->wanted || res->wanted[i];
    return n;
}

const xc_list_info *xc_result_list(const xc_result *res, size_t i)
{
    for (size_t l = 0; res && l < res->eng->lists.list_count; l++)
        if ((!res->wanted || res->wanted[l]) && i-- == 0)
            return xc_engine_list(res->eng, l);
    return NULL;
}

/* The engine's warnings that concern the lists this result screened, in engine order. */
static const char *warning_at(const xc_result *res, size_t i, size_t *count)
{
    size_t n = 0;
    for (size_t w = 0; res && w < res->eng->warning_count; w++) {
        const xc__engine_warning *warning = &res->eng->warnings[w];
        bool concerns = !warning->lists;
        for (size_t l = 0; !concerns && l < res->eng->lists.list_count; l++)
            concerns = warning->lists[l] && (!res->wanted || res->wanted[l]);
        if (!concerns)
            continue;
        if (n++ == i)
            return warning->text;
    }
    for (size_t f = 0; res && f < res->field_error_count; f++)
        if (n++ == i)
            return res->field_error[f];
    if (count)
        *count = n;
    return NULL;
}

size_t xc_result_warning_count(const xc_result *res)
{
    size_t n = 0;
    warning_at(res, SIZE_MAX, &n);
    return n;
}

const char *xc_result_warning(const xc_result *res, size_t i)
{
    return i == SIZE_MAX ? NULL : warning_at(res, i, NULL);
}

xc_status xc_match_names(const xc_engine *eng, const char *name1, const char *name2, xc_kind kind,
                         double *score, char **json_out, xc_error *err)
{
    if (json_out)
        *json_out = NULL;
    if (!eng || !name1 || !name2)
        return xc__error_set(err, XC_INVALID, "two names are required");
    xc__arena *arena = xc__arena_new(16384);
    if (!arena)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__analysis a, b;
    xc_status rc = xc__text_analyse(eng->text, name1, strlen(name1), kind, NULL, arena, &a, err);
    if (rc == XC_OK)
        rc = xc__text_analyse(eng->text, name2, strlen(name2), kind, NULL, arena, &b, err);
    if (rc != XC_OK) {
        xc__arena_free(arena);
        return rc;
    }
    xc__score_detail detail;
    float s = xc__score_names(&a, &b, &detail);
    *score = round4(s);
    if (json_out) {
        size_t np = 0;
        xc_token_pair *pairs = NULL;
        if (detail.qform >= 0)
            pairs = explain_pairs(arena, &a.forms[detail.qform], &b.forms[detail.cform], &detail,
                                  &np);
        const char *band = *score >= XC_BAND_STRONG     ? "strong"
                           : *score >= XC_BAND_POSSIBLE ? "possible"
                                                        : NULL;
        json_t *obj = json_pack(
            "{s:s,s:s,s:f,s:s?,s:{s:s?,s:s?,s:o}}", "name1", name1, "name2", name2, "score",
            *score, "band", band, "explanation", "query_form",
            detail.qform >= 0 ? a.forms[detail.qform].label : NULL, "candidate_form",
            detail.cform >= 0 ? b.forms[detail.cform].label : NULL, "pairs",
            pairs_json(pairs, np));
        *json_out = dump(obj);
        if (!*json_out) {
            xc__arena_free(arena);
            return xc__error_set(err, XC_NOMEM, "out of memory");
        }
    }
    xc__arena_free(arena);
    return XC_OK;
}
