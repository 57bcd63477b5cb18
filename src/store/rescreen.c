/*
 * rescreen.c — re-screening the stored counterparties after a list update (delta screening;
 * semantics in docs/rescreen.md).
 *
 * 1. The versions in service are the store's active list versions; the versions the parties
 *    were last screened against are kept in meta ("rescreen.base:<source>" = list version id),
 *    written only when a run completes.
 * 2. The current versions are opened as one engine (the "full" engine). For each source whose
 *    version moved, the previous version is loaded and diffed by source id (lists/diff.c): its
 *    added and changed entities go into a small subset engine (match/subset.c); its removed and
 *    changed ids into a sorted key table. A source with no previous version goes in whole.
 * 3. Parties are read in id order, in batches. Each is screened against the subset (with a
 *    lower threshold, since the subset's token rarity weights are not the full list's); one
 *    with a candidate there, a stored result naming a removed or changed entity, no result yet,
 *    or edited since it was screened is screened against the full engine, so every stored score
 *    is a full-list score. Worker threads do the screening; the writer thread stores each batch
 *    (results, audit entries, alerts) in one transaction together with a checkpoint
 *    ("rescreen.progress"), so a killed run resumes after the last committed batch and raises
 *    no alert twice.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "../lists/diff.h"
#include "../match/subset.h"
#include "store.h"

#define BATCH 2048
#define MAX_SOURCES 64
#define PREFILTER_MARGIN 0.15 /* subset scores may differ from full-list scores by this much */

typedef struct source_state {
    char source[64];
    int64_t active_id, base_id;
    char active_version[64], base_version[64];
    char active_path[4096], base_path[4096];
    const char *mode;
    int64_t added, changed, removed;
} source_state;

/* A removed or changed entity: "list\x1fsource id", and whether it was removed. */
typedef struct touched {
    char *key;
    bool removed;
} touched;

typedef struct run {
    xc_store *store;
    const xc_rescreen_opts *opts;
    source_state *sources;
    size_t source_count;
    xc_engine *full, *subset;
    bool *keep;             /* per entity of full: added or changed (or from a full-mode source) */
    size_t kept;
    bool everyone_full;     /* the delta is most of the lists: screen everyone in full */
    touched *touched;
    size_t touched_count, touched_cap;
    xc_screen_opts screen_opts, prefilter_opts;
    char target[2048];      /* "source=id,..." of the versions in service */
    /* diff scratch */
    const xc__listset *old_set;
    const size_t *view_to_full;
    const xc__entity *view_base;
    xc_status diff_rc;
    source_state *diffing;
} run;

/* ---- versions ---- */

static xc_status read_sources(run *r, xc_error *err)
{
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(r->store,
                                     "SELECT a.id, a.source, a.version, a.path,"
                                     " coalesce(b.id, 0), coalesce(b.version, ''),"
                                     " coalesce(b.path, '')"
                                     " FROM list_versions a"
                                     " LEFT JOIN meta m ON m.key = 'rescreen.base:' || a.source"
                                     " LEFT JOIN list_versions b ON b.id = CAST(m.value AS INTEGER)"
                                     " WHERE a.status = 'active'"
                                     " AND a.id = (SELECT max(id) FROM list_versions c"
                                     "  WHERE c.source = a.source AND c.status = 'active')"
                                     " ORDER BY a.source",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW && r->source_count < MAX_SOURCES) {
        source_state *s = &r->sources[r->source_count++];
        memset(s, 0, sizeof *s);
        s->active_id = sqlite3_column_int64(stmt, 0);
        xc__strlcpy(s->source, xc__store_col(stmt, 1), sizeof s->source);
        xc__strlcpy(s->active_version, xc__store_col(stmt, 2), sizeof s->active_version);
        xc__strlcpy(s->active_path, xc__store_col(stmt, 3), sizeof s->active_path);
        s->base_id = sqlite3_column_int64(stmt, 4);
        xc__strlcpy(s->base_version, xc__store_col(stmt, 5), sizeof s->base_version);
        xc__strlcpy(s->base_path, xc__store_col(stmt, 6), sizeof s->base_path);
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW)
        rc = xc__store_db_error(r->store, "rescreen: list versions", err);
    sqlite3_finalize(stmt);
    if (rc == XC_OK && r->source_count == 0)
        rc = xc__error_set(err, XC_NODATA,
                           "rescreen: no list version in service (run xcheck update first)");
    size_t used = 0;
    for (size_t i = 0; rc == XC_OK && i < r->source_count; i++) {
        int n = snprintf(r->target + used, sizeof r->target - used, "%s%s=%lld", i ? "," : "",
                         r->sources[i].source, (long long)r->sources[i].active_id);
        if (n < 0 || (size_t)n >= sizeof r->target - used)
            return xc__error_set(err, XC_TOOBIG, "rescreen: too many sources");
        used += (size_t)n;
    }
    return rc;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int touched_cmp(const void *a, const void *b)
{
    return strcmp(((const touched *)a)->key, ((const touched *)b)->key);
}

static char *entity_key(const xc__listset *set, const xc__entity *e)
{
    const char *list = set->lists[e->list].id;
    size_t a = strlen(list), b = strlen(e->source_id);
    char *key = xc__malloc(a + b + 2);
    if (key) {
        memcpy(key, list, a);
        key[a] = '\x1f';
        memcpy(key + a + 1, e->source_id, b + 1);
    }
    return key;
}

static void on_diff(void *ctx, xc__diff_what what, unsigned facets, const xc__entity *old_entity,
                    const xc__entity *new_entity)
{
    (void)facets;
    run *r = ctx;
    if (r->diff_rc != XC_OK)
        return;
    if (new_entity) { /* added or changed: into the subset */
        size_t full_index = r->view_to_full[new_entity - r->view_base];
        if (!r->keep[full_index]) {
            r->keep[full_index] = true;
            r->kept++;
        }
    }
    if (what == XC__DIFF_ADDED) {
        r->diffing->added++;
        return;
    }
    if (what == XC__DIFF_CHANGED)
        r->diffing->changed++;
    else
        r->diffing->removed++;
    if (r->touched_count == r->touched_cap) {
        size_t cap = r->touched_cap ? r->touched_cap * 2 : 256;
        touched *grown = xc__realloc(r->touched, cap * sizeof *grown);
        if (!grown) {
            r->diff_rc = XC_NOMEM;
            return;
        }
        r->touched = grown;
        r->touched_cap = cap;
    }
    char *key = entity_key(r->old_set, old_entity);
    if (!key) {
        r->diff_rc = XC_NOMEM;
        return;
    }
    r->touched[r->touched_count++] = (touched){key, what == XC__DIFF_REMOVED};
}

/* Does path lie inside folder (folder itself, or folder/...)? */
static bool under(const char *path, const char *folder)
{
    size_t n = strlen(folder);
    return n && strncmp(path, folder, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Opens the full engine, diffs every moved source and builds the subset engine. */
static xc_status prepare(run *r, xc_error *err)
{
    const char *paths[MAX_SOURCES + 1];
    for (size_t i = 0; i < r->source_count; i++) {
        if (!is_dir(r->sources[i].active_path))
            return xc__error_set(err, XC_IO, "rescreen: %s: the folder of version %s (%s) is "
                                 "missing", r->sources[i].source, r->sources[i].active_version,
                                 r->sources[i].active_path);
        paths[i] = r->sources[i].active_path;
    }
    paths[r->source_count] = NULL;
    xc_config cfg = {.data_paths = paths, .snapshot_dir = r->opts->snapshot_dir,
                     .allow_incomplete = r->opts->allow_incomplete,
                     .max_age_days = r->opts->max_age_days};
    r->full = xc_engine_open(&cfg, err);
    if (!r->full)
        return err ? err->code : XC_ERROR;
    const xc__listset *set = &r->full->lists;
    r->keep = xc__calloc(set->entity_count + 1, sizeof *r->keep);
    size_t *list_source = xc__calloc(set->list_count + 1, sizeof *list_source);
    size_t *view_to_full = xc__calloc(set->entity_count + 1, sizeof *view_to_full);
    bool *mine = xc__calloc(set->entity_count + 1, sizeof *mine);
    xc_status rc = r->keep && list_source && view_to_full && mine
                       ? XC_OK : xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
    /* Which source each loaded list came from: its files lie in the source's version folder. */
    for (size_t l = 0; rc == XC_OK && l < set->list_count; l++) {
        list_source[l] = SIZE_MAX;
        for (size_t i = 0; i < r->source_count; i++)
            if (set->lists[l].files && under(set->lists[l].files, r->sources[i].active_path))
                list_source[l] = i;
    }
    for (size_t i = 0; rc == XC_OK && i < r->source_count; i++) {
        source_state *s = &r->sources[i];
        if (s->base_id == s->active_id) {
            s->mode = "unchanged";
            continue;
        }
        size_t count = 0;
        for (size_t e = 0; e < set->entity_count; e++) {
            mine[e] = list_source[set->entities[e].list] == i;
            if (mine[e])
                view_to_full[count++] = e;
        }
        if (!s->base_id || !is_dir(s->base_path)) {
            s->mode = "full";
            s->added = (int64_t)count;
            for (size_t e = 0; e < set->entity_count; e++)
                if (mine[e] && !r->keep[e]) {
                    r->keep[e] = true;
                    r->kept++;
                }
            continue;
        }
        s->mode = "delta";
        xc__listset old_set, view;
        if (xc__listset_init(&old_set) != XC_OK) {
            rc = xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
            break;
        }
        const char *old_paths[] = {s->base_path, NULL};
        /* The base of a diff as it was screened, complete or not. */
        rc = xc__load_paths_ex(&old_set, old_paths, XC__LOAD_ALLOW_INCOMPLETE, err);
        if (rc == XC_OK && xc__listset_view(set, mine, &view) != XC_OK)
            rc = xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
        else if (rc == XC_OK) {
            r->old_set = &old_set;
            r->view_to_full = view_to_full;
            r->view_base = view.entities;
            r->diffing = s;
            r->diff_rc = XC_OK;
            rc = xc__diff_each(&old_set, &view, on_diff, r);
            if (rc == XC_OK)
                rc = r->diff_rc;
            if (rc != XC_OK)
                xc__error_set(err, rc, "rescreen: diff of %s: out of memory", s->source);
            xc__listset_free(&view);
        }
        xc__listset_free(&old_set);
    }
    xc__free_mem(list_source);
    xc__free_mem(view_to_full);
    xc__free_mem(mine);
    if (rc != XC_OK)
        return rc;
    if (r->touched_count)
        qsort(r->touched, r->touched_count, sizeof *r->touched, touched_cmp);
    /* Past half of a large list a subset saves nothing: screen everyone in full. */
    r->everyone_full = r->kept * 2 > set->entity_count && set->entity_count > 1000;
    if (r->kept && !r->everyone_full && !(r->subset = xc__engine_subset(r->full, r->keep, err)))
        return err ? err->code : XC_NOMEM;
    return XC_OK;
}

static const touched *find_touched(const run *r, const char *list, const char *sid)
{
    char key[600];
    snprintf(key, sizeof key, "%s\x1f%s", list, sid);
    touched probe = {key, false};
    return r->touched_count ? bsearch(&probe, r->touched, r->touched_count, sizeof probe,
                                      touched_cmp)
                            : NULL;
}

/* ---- parties ---- */

typedef struct hit {
    char list[64], entity_id[128], matched_name[256], band[16], group[192];
    double score;
} hit;

typedef struct party_job {
    int64_t id;
    char *ref, *name, *kind, *country, *dob, *ids, *last_result;
    bool needs_full;      /* never screened, or edited since */
    /* out */
    bool screened_full, reevaluated;
    char *result_json;    /* owned (xc_free) */
    char band[16];
    hit *hits;            /* owned */
    size_t hit_count;
    xc_status rc;
    char message[600];
} party_job;

typedef struct batch {
    run *r;
    party_job *jobs;
    size_t n, next;
    pthread_mutex_t lock;
} batch;

typedef struct old_match {
    const char *list, *entity_id, *band;
} old_match;

/* The matches of a stored result (borrowed from root). */
static size_t old_matches(json_t *root, old_match *out, size_t max)
{
    json_t *matches = root ? json_object_get(root, "matches") : NULL;
    size_t n = 0, i;
    json_t *m;
    json_array_foreach(matches, i, m) {
        if (n == max)
            break;
        const char *list = json_string_value(json_object_get(m, "list"));
        const char *sid = json_string_value(json_object_get(m, "entity_id"));
        const char *band = json_string_value(json_object_get(m, "band"));
        if (list && sid)
            out[n++] = (old_match){list, sid, band ? band : ""};
    }
    return n;
}

static void screen_party(run *r, party_job *job)
{
    xc_party party = {.name = job->name, .id = job->ref};
    xc_kind kind = XC_KIND_ANY;
    if (xc_kind_parse(job->kind, &kind) == XC_OK)
        party.kind = kind;
    party.country = *job->country ? job->country : NULL;
    party.dob = *job->dob ? job->dob : NULL;
    /* "imo:9187629;bic:KDBKKPPY" (checked at import) -> party.ids */
    char ids_buf[2048];
    const char *idv[17];
    size_t nid = 0;
    xc__strlcpy(ids_buf, job->ids, sizeof ids_buf);
    for (char *p = ids_buf; *p && nid < 16;) {
        char *end = p + strcspn(p, ";");
        bool last_one = *end == '\0';
        *end = '\0';
        if (*p)
            idv[nid++] = p;
        p = last_one ? end : end + 1;
    }
    idv[nid] = NULL;
    party.ids = nid ? idv : NULL;
    json_t *last = *job->last_result ? json_loads(job->last_result, 0, NULL) : NULL;
    old_match old[64];
    size_t old_count = old_matches(last, old, 64);
    for (size_t i = 0; !job->reevaluated && i < old_count; i++)
        job->reevaluated = find_touched(r, old[i].list, old[i].entity_id) != NULL;
    bool full = job->needs_full || r->everyone_full || job->reevaluated;
    xc_error err = {0};
    xc_result *res = NULL;
    if (!full && r->subset) {
        if (xc_screen(r->subset, &party, &r->prefilter_opts, &res, &err) != XC_OK)
            goto failed;
        full = xc_result_count(res) > 0;
        xc_result_free(res);
        res = NULL;
    }
    if (!full) {
        json_decref(last);
        return;
    }
    job->screened_full = true;
    if (xc_screen(r->full, &party, &r->screen_opts, &res, &err) != XC_OK)
        goto failed;
    size_t n = xc_result_count(res);
    const xc_match *top = xc_result_match(res, 0);
    xc__strlcpy(job->band, top ? top->band : "none", sizeof job->band);
    job->result_json = xc_result_json(res);
    job->hits = xc__calloc(n + 1, sizeof *job->hits);
    if (!job->result_json || !job->hits) {
        err.code = XC_NOMEM;
        xc__strlcpy(err.message, "rescreen: out of memory", sizeof err.message);
        goto failed;
    }
    for (size_t i = 0; i < n; i++) {
        const xc_match *m = xc_result_match(res, i);
        const old_match *before = NULL;
        for (size_t k = 0; k < old_count && !before; k++)
            if (strcmp(old[k].list, m->list) == 0 && strcmp(old[k].entity_id, m->entity_id) == 0)
                before = &old[k];
        const touched *t = find_touched(r, m->list, m->entity_id);
        bool stronger = before && strcmp(m->band, "strong") == 0 &&
                        strcmp(before->band, "strong") != 0;
        if (before && !(t && !t->removed) && !stronger)
            continue; /* already in the stored result, entity unchanged */
        hit *h = &job->hits[job->hit_count++];
        xc__strlcpy(h->list, m->list, sizeof h->list);
        xc__strlcpy(h->entity_id, m->entity_id, sizeof h->entity_id);
        xc__strlcpy(h->matched_name, m->matched_name, sizeof h->matched_name);
        xc__strlcpy(h->band, m->band, sizeof h->band);
        xc__strlcpy(h->group, m->group ? m->group : "", sizeof h->group);
        h->score = m->score;
    }
    xc_result_free(res);
    json_decref(last);
    return;
failed:
    xc_result_free(res);
    json_decref(last);
    job->screened_full = false;
    job->rc = err.code ? err.code : XC_ERROR;
    snprintf(job->message, sizeof job->message, "party %.80s: %.500s", job->ref, err.message);
}

static void *worker(void *arg)
{
    batch *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        size_t i = b->next++;
        pthread_mutex_unlock(&b->lock);
        if (i >= b->n)
            return NULL;
        screen_party(b->r, &b->jobs[i]);
    }
}

/* Starts the workers on b (none with one thread: finish_workers then screens in this thread);
 * returns how many started. */
static long start_workers(batch *b, long threads, pthread_t *tid)
{
    long started = 0;
    for (long t = 0; t < threads && threads > 1; t++)
        if (pthread_create(&tid[started], NULL, worker, b) == 0)
            started++;
    return started;
}

/* Waits for b's workers; screens b here when none could start. */
static void finish_workers(batch *b, long started, pthread_t *tid)
{
    if (started == 0)
        worker(b);
    for (long t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

static void job_clear(party_job *job)
{
    xc__free_mem(job->ref);
    xc__free_mem(job->name);
    xc__free_mem(job->kind);
    xc__free_mem(job->country);
    xc__free_mem(job->dob);
    xc__free_mem(job->ids);
    xc__free_mem(job->last_result);
    xc_free(job->result_json);
    xc__free_mem(job->hits);
    memset(job, 0, sizeof *job);
}

/* Reads up to BATCH parties with id > after. */
static xc_status read_batch(run *r, int64_t after, party_job *jobs, size_t *count, xc_error *err)
{
    sqlite3_stmt *stmt;
    *count = 0;
    xc_status rc = xc__store_prepare(r->store,
                                     "SELECT id, ref, name, kind, country, dob,"
                                     " last_screened_at = '' OR updated_at > last_screened_at,"
                                     " CASE WHEN last_band IN ('strong', 'possible')"
                                     " THEN last_result ELSE '' END, ids"
                                     " FROM parties WHERE id > ? ORDER BY id LIMIT ?",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, after);
    sqlite3_bind_int(stmt, 2, BATCH);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        party_job *job = &jobs[(*count)++];
        job->id = sqlite3_column_int64(stmt, 0);
        job->ref = xc__strdup(xc__store_col(stmt, 1));
        job->name = xc__strdup(xc__store_col(stmt, 2));
        job->kind = xc__strdup(xc__store_col(stmt, 3));
        job->country = xc__strdup(xc__store_col(stmt, 4));
        job->dob = xc__strdup(xc__store_col(stmt, 5));
        job->needs_full = sqlite3_column_int(stmt, 6) != 0;
        job->last_result = xc__strdup(xc__store_col(stmt, 7));
        job->ids = xc__strdup(xc__store_col(stmt, 8));
        if (!job->ref || !job->name || !job->kind || !job->country || !job->dob ||
            !job->last_result || !job->ids) {
            rc = xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
            break;
        }
    }
    if (rc == XC_OK && step != SQLITE_DONE)
        rc = xc__store_db_error(r->store, "rescreen: parties", err);
    sqlite3_finalize(stmt);
    return rc;
}

static xc_status meta_set(xc_store *store, const char *key, const char *value, xc_error *err)
{
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store, value ? "INSERT OR REPLACE INTO meta(key, value)"
                                                    " VALUES (?1, ?2)"
                                                  : "DELETE FROM meta WHERE key = ?1",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
    if (value)
        sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = xc__store_db_error(store, "rescreen: meta", err);
    sqlite3_finalize(stmt);
    return rc;
}

/* The checkpoint of an interrupted run against the same versions: the last party id it
 * committed, else 0. */
static int64_t resume_point(run *r)
{
    sqlite3_stmt *stmt;
    int64_t after = 0;
    if (xc__store_prepare(r->store, "SELECT value FROM meta WHERE key = 'rescreen.progress'",
                          &stmt, NULL) != XC_OK)
        return 0;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        const char *value = xc__store_col(stmt, 0);
        const char *bar = strrchr(value, '|');
        size_t len = strlen(r->target);
        if (bar && (size_t)(bar - value) == len && strncmp(value, r->target, len) == 0)
            after = strtoll(bar + 1, NULL, 10);
    }
    sqlite3_finalize(stmt);
    return after;
}

/* Is there an open or escalated alert for this party and this entry, or for its real-world
 * entity (the same group, or the entry among the members of an alert)? */
static bool alert_exists(sqlite3_stmt *stmt, const char *ref, const hit *h)
{
    sqlite3_reset(stmt);
    sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, h->list, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, h->entity_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, h->group, -1, SQLITE_STATIC);
    return sqlite3_step(stmt) == SQLITE_ROW;
}

/* The members JSON of the hits of job from `first` on that share its group (the others of the
 * group are marked done). */
static xc_status group_members(xc__buf *buf, const party_job *job, size_t first, bool *done)
{
    xc__buf_reset(buf);
    xc__buf_putc(buf, '[');
    const char *group = job->hits[first].group;
    bool any = false;
    for (size_t k = first; k < job->hit_count; k++) {
        const hit *h = &job->hits[k];
        if (k != first && (!*group || done[k] || strcmp(h->group, group) != 0))
            continue;
        done[k] = true;
        xc__buf_append(buf, any ? ",{\"list\":" : "{\"list\":", any ? 9 : 8);
        xc__store_json_str(buf, h->list);
        xc__buf_append(buf, ",\"entity_id\":", 13);
        xc__store_json_str(buf, h->entity_id);
        xc__buf_append(buf, ",\"matched_name\":", 16);
        xc__store_json_str(buf, h->matched_name);
        xc__buf_printf(buf, ",\"score\":%.4f,\"band\":", h->score);
        xc__store_json_str(buf, h->band);
        xc__buf_putc(buf, '}');
        any = true;
    }
    xc__buf_putc(buf, ']');
    return buf->data ? XC_OK : XC_NOMEM;
}

static xc_status party_query_json(xc__buf *buf, const party_job *job, const char *why)
{
    xc__buf_reset(buf);
    xc__buf_append(buf, "{\"party\":", 9);
    xc__store_json_str(buf, job->ref);
    xc__buf_append(buf, ",\"name\":", 8);
    xc__store_json_str(buf, job->name);
    xc__buf_append(buf, ",\"kind\":", 8);
    xc__store_json_str(buf, job->kind);
    xc__buf_append(buf, ",\"country\":", 11);
    xc__store_json_str(buf, job->country);
    xc__buf_append(buf, ",\"dob\":", 7);
    xc__store_json_str(buf, job->dob);
    xc__buf_printf(buf, ",\"reason\":\"%s\"}", why);
    return buf->data ? XC_OK : XC_NOMEM;
}

/* Writes one screened batch and the checkpoint, in one transaction. */
static xc_status write_batch(run *r, party_job *jobs, size_t n, xc_rescreen_report *report,
                             xc_error *err)
{
    xc_status rc = xc_store_begin(r->store, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_stmt *exists = NULL;
    rc = xc__store_prepare(r->store,
                           "SELECT 1 FROM alerts a WHERE a.party_ref = ?1"
                           " AND a.status IN ('open', 'escalated') AND ((a.list = ?2 AND"
                           " a.entity_id = ?3) OR (?4 != '' AND a.entity_group = ?4) OR EXISTS"
                           " (SELECT 1 FROM alert_members m WHERE m.alert_id = a.id AND"
                           " m.list = ?2 AND m.entity_id = ?3)) LIMIT 1",
                           &exists, err);
    xc__buf query, members;
    xc__buf_init(&query, XC__STORE_TEXT_MAX);
    xc__buf_init(&members, XC__STORE_TEXT_MAX);
    for (size_t i = 0; rc == XC_OK && i < n; i++) {
        party_job *job = &jobs[i];
        if (job->rc != XC_OK) {
            xc__buf answer;
            xc__buf_init(&answer, 0);
            xc__buf_printf(&answer, "{\"error\":{\"code\":\"%s\",\"message\":",
                           xc_status_name(job->rc));
            xc__store_json_str(&answer, job->message);
            xc__buf_append(&answer, "}}", 2);
            rc = party_query_json(&query, job, "error") == XC_OK && answer.data
                     ? xc_store_audit_append(r->store, "rescreen", query.data, answer.data,
                                             r->full->data_version_json, NULL, err)
                     : xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
            xc__buf_free(&answer);
            continue;
        }
        if (!job->screened_full)
            continue;
        const char *why = job->needs_full    ? "new_or_edited"
                          : job->reevaluated ? "reevaluate"
                          : r->everyone_full ? "full"
                                             : "delta_candidate";
        int64_t audit_id = 0;
        if (party_query_json(&query, job, why) != XC_OK) {
            rc = xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
            break;
        }
        rc = xc_store_audit_append(r->store, "rescreen", query.data, job->result_json,
                                   r->full->data_version_json, &audit_id, err);
        if (rc == XC_OK)
            rc = xc_store_party_set_result(r->store, job->ref, job->result_json, job->band,
                                           audit_id, err);
        /* One alert per real-world entity: the hits of one group (best first) share it, and
         * none is raised while an open one covers any of them. */
        bool *done = job->hit_count ? xc__calloc(job->hit_count, sizeof *done) : NULL;
        if (job->hit_count && !done)
            rc = xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
        report->hits += rc == XC_OK ? (int64_t)job->hit_count : 0;
        for (size_t k = 0; rc == XC_OK && k < job->hit_count; k++) {
            const hit *h = &job->hits[k];
            if (done[k])
                continue;
            bool covered = alert_exists(exists, job->ref, h);
            for (size_t j = k + 1; !covered && *h->group && j < job->hit_count; j++)
                covered = !done[j] && strcmp(job->hits[j].group, h->group) == 0 &&
                          alert_exists(exists, job->ref, &job->hits[j]);
            if (group_members(&members, job, k, done) != XC_OK) {
                rc = xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
                break;
            }
            if (covered)
                continue;
            xc_alert alert = {.party_ref = job->ref, .query = query.data, .list = h->list,
                              .entity_id = h->entity_id, .matched_name = h->matched_name,
                              .score = h->score, .band = h->band, .audit_id = audit_id,
                              .group = h->group, .members = members.data};
            rc = xc_store_alert_create(r->store, &alert, NULL, err);
            if (rc == XC_OK)
                report->alerts++;
        }
        xc__free_mem(done);
        report->full++;
        report->reevaluated += job->reevaluated ? 1 : 0;
    }
    xc__buf_free(&query);
    xc__buf_free(&members);
    sqlite3_finalize(exists);
    if (rc == XC_OK && n) {
        char progress[2200];
        snprintf(progress, sizeof progress, "%s|%lld", r->target, (long long)jobs[n - 1].id);
        rc = meta_set(r->store, "rescreen.progress", progress, err);
    }
    if (rc == XC_OK)
        return xc_store_commit(r->store, err);
    xc_error ignored;
    xc_store_rollback(r->store, &ignored);
    return rc;
}

/* Records the versions as screened, clears the checkpoint and audits the run. */
static xc_status finish(run *r, const xc_rescreen_report *report, xc_error *err)
{
    xc_status rc = xc_store_begin(r->store, err);
    if (rc != XC_OK)
        return rc;
    xc__buf answer;
    xc__buf_init(&answer, 0);
    xc__buf_append(&answer, "{\"sources\":[", 12);
    for (size_t i = 0; rc == XC_OK && i < r->source_count; i++) {
        const source_state *s = &r->sources[i];
        char key[128], value[32];
        snprintf(key, sizeof key, "rescreen.base:%s", s->source);
        snprintf(value, sizeof value, "%lld", (long long)s->active_id);
        rc = meta_set(r->store, key, value, err);
        xc__buf_printf(&answer, "%s{\"source\":", i ? "," : "");
        xc__store_json_str(&answer, s->source);
        xc__buf_append(&answer, ",\"from\":", 8);
        xc__store_json_str(&answer, s->base_version);
        xc__buf_append(&answer, ",\"to\":", 6);
        xc__store_json_str(&answer, s->active_version);
        xc__buf_printf(&answer, ",\"mode\":\"%s\",\"added\":%lld,\"changed\":%lld,"
                                "\"removed\":%lld}",
                       s->mode, (long long)s->added, (long long)s->changed,
                       (long long)s->removed);
    }
    xc__buf_printf(&answer, "],\"parties\":%lld,\"screened\":%lld,\"full\":%lld,"
                            "\"reevaluated\":%lld,\"hits\":%lld,\"alerts\":%lld,"
                            "\"resumed_after\":%lld}",
                   (long long)report->parties, (long long)report->screened,
                   (long long)report->full, (long long)report->reevaluated,
                   (long long)report->hits, (long long)report->alerts,
                   (long long)report->resumed_after);
    if (rc == XC_OK)
        rc = meta_set(r->store, "rescreen.progress", NULL, err);
    if (rc == XC_OK)
        rc = answer.data ? xc_store_audit_append(r->store, "rescreen_run", "{}", answer.data,
                                                 r->full->data_version_json, NULL, err)
                         : xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
    xc__buf_free(&answer);
    if (rc == XC_OK)
        return xc_store_commit(r->store, err);
    xc_error ignored;
    xc_store_rollback(r->store, &ignored);
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t party_count(xc_store *store)
{
    sqlite3_stmt *stmt;
    int64_t n = 0;
    if (xc__store_prepare(store, "SELECT count(*) FROM parties", &stmt, NULL) != XC_OK)
        return 0;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

xc_status xc_store_rescreen(xc_store *store, const xc_rescreen_opts *opts,
                            xc_rescreen_report *report_out, xc_error *err)
{
    xc_rescreen_report report = {0};
    if (report_out)
        memset(report_out, 0, sizeof *report_out);
    if (!store)
        return xc__error_set(err, XC_INVALID, "rescreen: no store");
    if (store->user_txn)
        return xc__error_set(err, XC_INVALID, "rescreen: commit the open transaction first");
    xc_rescreen_opts defaults = {0};
    if (!opts)
        opts = &defaults;
    double start = now_seconds();
    run r = {.store = store, .opts = opts};
    r.sources = xc__calloc(MAX_SOURCES, sizeof *r.sources);
    if (!r.sources)
        return xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
    double threshold = opts->threshold > 0 ? opts->threshold : XC_BAND_POSSIBLE;
    r.screen_opts = (xc_screen_opts){.threshold = threshold, .top = opts->top};
    r.prefilter_opts = (xc_screen_opts){
        .threshold = threshold - PREFILTER_MARGIN > 0.5 ? threshold - PREFILTER_MARGIN : 0.5,
        .top = 1};
    long threads = opts->threads > 0 ? opts->threads : sysconf(_SC_NPROCESSORS_ONLN);
    threads = threads < 1 ? 1 : threads > 16 ? 16 : threads;
    /* Two batches in flight: while this thread writes one (SQLite, one connection), the
     * workers screen the next. */
    party_job *jobs = xc__calloc(BATCH, sizeof *jobs);
    party_job *next_jobs = xc__calloc(BATCH, sizeof *next_jobs);
    xc_status rc = jobs && next_jobs ? read_sources(&r, err)
                                     : xc__error_set(err, XC_NOMEM, "rescreen: out of memory");
    /* Looking up a party's open alerts for an entity must not scan every alert (stores of
     * schema 1 were created without this index; it changes no table, so needs no version). */
    if (rc == XC_OK)
        rc = xc__store_exec(store, "CREATE INDEX IF NOT EXISTS alerts_party"
                                   " ON alerts(party_ref, list, entity_id)", err);
    if (rc == XC_OK)
        rc = prepare(&r, err);
    for (size_t i = 0; rc == XC_OK && opts->on_source && i < r.source_count; i++) {
        const source_state *s = &r.sources[i];
        xc_rescreen_source event = {.source = s->source, .from_version = s->base_version,
                                    .to_version = s->active_version, .mode = s->mode,
                                    .added = s->added, .changed = s->changed,
                                    .removed = s->removed};
        opts->on_source(opts->ctx, &event);
    }
    report.parties = party_count(store);
    int64_t after = rc == XC_OK ? resume_point(&r) : 0;
    report.resumed_after = after;
    /* b[cur] is being screened or written, b[1 - cur] is the next batch; the workers hold a
     * pointer to their batch, so batches stay in place and only the index moves. */
    batch b[2] = {{.r = &r, .jobs = jobs, .lock = PTHREAD_MUTEX_INITIALIZER},
                  {.r = &r, .jobs = next_jobs, .lock = PTHREAD_MUTEX_INITIALIZER}};
    int cur = 0;
    pthread_t tid[2][16];
    long started[2] = {0, 0};
    if (rc == XC_OK)
        rc = read_batch(&r, after, b[cur].jobs, &b[cur].n, err);
    if (rc == XC_OK && b[cur].n)
        started[cur] = start_workers(&b[cur], threads, tid[cur]);
    bool running[2] = {rc == XC_OK && b[cur].n > 0, false};
    while (rc == XC_OK && b[cur].n > 0) {
        finish_workers(&b[cur], started[cur], tid[cur]);
        running[cur] = false;
        /* Out of memory stops the run; a party the engine refuses (a name over its limits)
         * is audited with the error and skipped, so one bad row cannot block every run. */
        for (size_t i = 0; i < b[cur].n && rc == XC_OK; i++)
            if (b[cur].jobs[i].rc == XC_NOMEM || b[cur].jobs[i].rc == XC_ERROR)
                rc = xc__error_set(err, b[cur].jobs[i].rc, "rescreen: %s",
                                   b[cur].jobs[i].message);
        if (rc != XC_OK)
            break;
        after = b[cur].jobs[b[cur].n - 1].id;
        int nx = 1 - cur;
        b[nx].n = b[nx].next = 0;
        rc = read_batch(&r, after, b[nx].jobs, &b[nx].n, err);
        if (rc == XC_OK && b[nx].n) {
            started[nx] = start_workers(&b[nx], threads, tid[nx]);
            running[nx] = true;
        }
        report.screened += (int64_t)b[cur].n;
        if (rc == XC_OK)
            rc = write_batch(&r, b[cur].jobs, b[cur].n, &report, err);
        for (size_t i = 0; i < b[cur].n; i++)
            job_clear(&b[cur].jobs[i]);
        b[cur].n = 0;
        cur = nx;
    }
    /* Stopped early: let a batch in flight finish before its memory goes. */
    for (int k = 0; k < 2; k++) {
        if (running[k])
            finish_workers(&b[k], started[k], tid[k]);
        for (size_t i = 0; i < b[k].n; i++)
            job_clear(&b[k].jobs[i]);
    }
    if (rc == XC_OK)
        rc = finish(&r, &report, err);
    report.seconds = now_seconds() - start;
    xc__engine_subset_close(r.subset);
    xc_engine_close(r.full);
    for (size_t i = 0; i < r.touched_count; i++)
        xc__free_mem(r.touched[i].key);
    xc__free_mem(r.touched);
    xc__free_mem(r.keep);
    xc__free_mem(r.sources);
    xc__free_mem(jobs);
    xc__free_mem(next_jobs);
    if (report_out)
        *report_out = report;
    return rc;
}
