/*
 * open.c — opening an engine: lists from a snapshot when a valid one exists for the exact
 * source files, else parsed from the files and indexed (and a snapshot written for next time);
 * then the romanisation tables, the normaliser and the regime rules, which are small and built
 * from the embedded data on every open.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "../match/engine.h"
#include "../match/ident.h"
#include "../match/index.h"
#include "../text/roman.h"
#include "../text/text.h"
#include "snapshot.h"

/* Snapshots kept per folder: the current one and a few recent ones (a switch back to a previous
 * data folder stays fast); each is about the size of the parsed lists plus index. */
#define SNAPSHOTS_KEPT 4

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *build_data_version(const xc__listset *set, const uint8_t *wanted)
{
    /* json_pack, not json_object(): a host process may define its own json_object (the
     * PostgreSQL server does, a SQL function), which the dynamic linker would pick for this
     * library's call; jansson's own internal calls bind to jansson. tests/golden/run-pg.sh
     * checks that no symbol this library imports is one the server exports. */
    json_t *obj = json_pack("{}");
    if (!obj)
        return NULL;
    for (size_t i = 0; i < set->list_count; i++) {
        const xc__list *l = &set->lists[i];
        if (wanted && !wanted[i])
            continue;
        const char *date = l->version[0] ? l->version : NULL;
        json_t *v = json_pack("{s:s?,s:s?,s:s,s:I,s:I,s:b}", "date", date, "published", date,
                              "sha256", l->sha256, "entities", (json_int_t)l->entities, "names",
                              (json_int_t)l->names, "incomplete", l->incomplete ? 1 : 0);
        if (!v)
            continue;
        if (!json_object_get(obj, l->id)) {
            json_object_set_new(obj, l->id, v);
            continue;
        }
        /* A second record of the same list from another file (BIS dpl.txt next to the CSL's
         * DPL rows): keyed "id@file" so that neither version is lost. */
        char key[512];
        const char *files = l->files ? l->files : "";
        const char *semi = strchr(files, ';');
        size_t flen = semi ? (size_t)(semi - files) : strlen(files);
        const char *base = files;
        for (const char *p = files; p < files + flen; p++)
            if (*p == '/')
                base = p + 1;
        snprintf(key, sizeof key, "%s@%.*s", l->id, (int)(files + flen - base), base);
        json_object_set_new(obj, key, v);
    }
    char *out = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(obj);
    if (!out)
        return NULL;
    char *copy = xc__strdup(out);
    free(out);
    return copy;
}

char *xc__engine_data_version(const xc_engine *eng, const uint8_t *wanted)
{
    if (!wanted && eng->data_version_json)
        return xc__strdup(eng->data_version_json);
    return build_data_version(&eng->lists, wanted);
}

/* Adds a warning for the results that screen any list flagged in lists (NULL: every result);
 * takes ownership of lists. */
static xc_status add_warning(xc_engine *eng, uint8_t *lists, const char *text)
{
    xc__engine_warning *grown =
        xc__realloc(eng->warnings, (eng->warning_count + 1) * sizeof *eng->warnings);
    char *copy = grown ? xc__strdup(text) : NULL;
    if (grown)
        eng->warnings = grown;
    if (!copy) {
        xc__free_mem(lists);
        return XC_NOMEM;
    }
    eng->warnings[eng->warning_count++] = (xc__engine_warning){lists, copy};
    return XC_OK;
}

/* The age warning of list i and of the lists read from the same file (CSL sub-lists share one
 * date, or none): one warning naming them all. */
static xc_status age_warning(xc_engine *eng, size_t i, uint8_t *done, int32_t today,
                             int max_days)
{
    const xc__listset *set = &eng->lists;
    const xc__list *l = &set->lists[i];
    int32_t published = 0;
    bool dated = l->version[0] && xc__date_parse_iso(l->version, &published);
    if (dated && today - published <= max_days) {
        done[i] = 1;
        return XC_OK;
    }
    uint8_t *lists = xc__calloc(set->list_count, 1);
    if (!lists)
        return XC_NOMEM;
    char ids[300] = "";
    size_t n = 0;
    for (size_t j = i; j < set->list_count; j++) {
        const xc__list *o = &set->lists[j];
        if (done[j] || strcmp(o->files ? o->files : "", l->files ? l->files : "") != 0 ||
            strcmp(o->version, l->version) != 0)
            continue;
        done[j] = lists[j] = 1;
        size_t used = strlen(ids);
        bool dup = strstr(ids, o->id) != NULL;
        if (!dup && n++ < 16)
            snprintf(ids + used, sizeof ids - used, "%s%s", used ? ", " : "", o->id);
    }
    char text[600];
    if (!dated)
        snprintf(text, sizeof text, "%s: no publication date in the file, so the age cannot be "
                 "checked against the %d-day limit", ids, max_days);
    else
        snprintf(text, sizeof text, "%s: published %s, older than the %d-day limit (update the "
                 "list)", ids, l->version, max_days);
    return add_warning(eng, lists, text);
}

/* Nothing screened is an error; incomplete sources only when allowed; and the warnings every
 * result will carry: sample data, incomplete lists, lists older than the age limit. */
static xc_status check_lists(xc_engine *eng, const xc_config *cfg, xc_error *err)
{
    const xc__listset *set = &eng->lists;
    if (set->list_count == 0 && !cfg->allow_no_lists)
        return xc__error_set(err, XC_NODATA,
                             "no restricted-party lists given: nothing would be screened (give "
                             "list files or folders, install them with xcheck update, or ask for "
                             "the bundled sample)");
    for (size_t i = 0; i < set->list_count; i++) {
        const xc__list *l = &set->lists[i];
        if (l->entities == 0)
            return xc__error_set(err, XC_NODATA, "%s (%.400s): no entity loaded (empty or "
                                 "truncated file?)", l->id, l->files ? l->files : "");
        if (l->incomplete && !l->accepted && !cfg->allow_incomplete)
            return xc__error_set(err, XC_NOTFOUND, "%s (%.400s): missing required file(s) %s; "
                                 "refused (allow an incomplete source explicitly to load it)",
                                 l->id, l->files ? l->files : "", l->missing);
    }
    xc_status rc = XC_OK;
    if (cfg->sample)
        rc = add_warning(eng, NULL, "the lists are the bundled sample (a few entities for "
                         "demonstration), not the official lists: a clear here clears nothing");
    int32_t today = 0;
    if (cfg->max_age_days > 0) {
        if (cfg->as_of) {
            if (!xc__date_parse_iso(cfg->as_of, &today))
                return xc__error_set(err, XC_INVALID, "as_of: '%.40s' is not YYYY-MM-DD",
                                     cfg->as_of);
        } else {
            today = (int32_t)(time(NULL) / 86400);
        }
    }
    uint8_t *done = xc__calloc(set->list_count + 1, 1);
    if (!done)
        rc = XC_NOMEM;
    for (size_t i = 0; rc == XC_OK && i < set->list_count; i++) {
        const xc__list *l = &set->lists[i];
        if (l->incomplete) {
            uint8_t *lists = xc__calloc(set->list_count, 1);
            char text[600];
            snprintf(text, sizeof text, "%s is incomplete: loaded without %s (required), so some "
                     "of its names or details were not screened", l->id, l->missing);
            if (!lists)
                rc = XC_NOMEM;
            else {
                lists[i] = 1;
                rc = add_warning(eng, lists, text);
            }
        }
        if (rc == XC_OK && cfg->max_age_days > 0 && !done[i])
            rc = age_warning(eng, i, done, today, cfg->max_age_days);
    }
    xc__free_mem(done);
    if (rc != XC_OK)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    return XC_OK;
}

/* Lists and index: mapped from the snapshot when it is valid for these files, else parsed and
 * indexed, and the snapshot (re)written. A snapshot problem never fails the open: the files
 * are the truth, the snapshot only a cache. */
static xc_status load_lists(xc_engine *eng, const xc_config *cfg, xc_error *err)
{
    bool have_paths = cfg->data_paths && cfg->data_paths[0];
    char key[65];
    bool use_snap = have_paths && cfg->snapshot_dir && cfg->snapshot_dir[0] &&
                    xc__snapshot_key(cfg->data_paths, key, NULL) == XC_OK;
    if (use_snap) {
        int n = snprintf(eng->snap_path, sizeof eng->snap_path, "%s/%.32s.snap",
                         cfg->snapshot_dir, key);
        use_snap = n > 0 && (size_t)n < sizeof eng->snap_path;
    }
    if (use_snap) {
        xc_error serr = {0};
        xc__listset mapped = eng->lists;
        xc_status rc = xc__snapshot_open(&eng->snap, eng->snap_path, key, &mapped, &eng->index,
                                         &serr);
        if (rc == XC_OK) {
            eng->lists = mapped;
            eng->snap_info.state = XC_SNAPSHOT_LOADED;
            eng->snap_info.path = eng->snap_path;
            return check_lists(eng, cfg, err);
        }
        if (rc == XC_NOMEM)
            return xc__error_set(err, rc, "%s", serr.message);
        if (rc != XC_NOTFOUND)
            snprintf(eng->snap_note, sizeof eng->snap_note, "rebuilt: %.480s", serr.message);
        else
            snprintf(eng->snap_note, sizeof eng->snap_note, "no snapshot yet");
    }
    xc_status rc;
    if (have_paths &&
        (rc = xc__load_paths_ex(&eng->lists, cfg->data_paths,
                                cfg->allow_incomplete ? XC__LOAD_ALLOW_INCOMPLETE : 0, err)) !=
            XC_OK)
        return rc;
    if ((rc = check_lists(eng, cfg, err)) != XC_OK)
        return rc; /* before indexing: a refused list costs no index build */
    if ((rc = xc__index_build(&eng->index, &eng->lists, eng->text, err)) != XC_OK)
        return rc;
    if (use_snap) {
        xc_error werr = {0};
        eng->snap_info.path = eng->snap_path;
        if (xc__snapshot_write(eng->snap_path, key, &eng->lists, eng->index, &werr) == XC_OK) {
            eng->snap_info.state = XC_SNAPSHOT_WRITTEN;
            xc__snapshot_prune(cfg->snapshot_dir, eng->snap_path, SNAPSHOTS_KEPT);
        } else {
            eng->snap_info.state = XC_SNAPSHOT_FAILED;
            snprintf(eng->snap_note, sizeof eng->snap_note, "not written: %.480s", werr.message);
        }
    }
    return XC_OK;
}

xc_engine *xc_engine_open(const xc_config *cfg, xc_error *err)
{
    double t0 = now_ms();
    xc_config empty = {0};
    if (!cfg)
        cfg = &empty;
    xc_engine *eng = xc__calloc(1, sizeof *eng);
    if (!eng) {
        xc__error_set(err, XC_NOMEM, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&eng->regimes_lock, NULL);
    xc_status rc = xc__listset_init(&eng->lists);
    if (rc != XC_OK) {
        xc__error_set(err, rc, "out of memory");
        goto fail;
    }
    if ((rc = xc__roman_open(&eng->roman, err)) != XC_OK)
        goto fail;
    if ((rc = xc__text_open(&eng->text, eng->roman, err)) != XC_OK)
        goto fail;
    if ((rc = load_lists(eng, cfg, err)) != XC_OK)
        goto fail;
    /* Built from the entities on every open, snapshot or not: a few milliseconds. */
    if ((rc = xc__idindex_build(&eng->ids, &eng->lists, eng->index, err)) != XC_OK)
        goto fail;
    /* A regimes folder given by the caller is loaded now, so that its errors fail the open;
     * the built-in rules (~7 ms to build) wait for the first decision. */
    if (cfg->regimes_dir) {
        if ((rc = xc__regimes_open(&eng->regimes, cfg->regimes_dir, err)) != XC_OK)
            goto fail;
    } else {
        eng->regimes_lazy = true;
    }
    eng->infos = xc__calloc(eng->lists.list_count + 1, sizeof *eng->infos);
    eng->sample = cfg->sample != 0;
    eng->data_version_json = build_data_version(&eng->lists, NULL);
    if (!eng->infos || !eng->data_version_json) {
        xc__error_set(err, XC_NOMEM, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < eng->lists.list_count; i++) {
        const xc__list *l = &eng->lists.lists[i];
        xc_list_info *info = &eng->infos[i];
        info->id = l->id;
        info->title = l->title;
        info->version = l->version;
        info->sha256 = l->sha256;
        info->files = l->files;
        info->entities = l->entities;
        info->names = l->names;
        info->rows_skipped = l->rows_skipped;
        info->issues = l->issues;
        info->incomplete = l->incomplete;
        info->missing = l->missing;
    }
    eng->snap_info.note = eng->snap_note;
    eng->snap_info.open_ms = now_ms() - t0;
    return eng;
fail:
    xc_engine_close(eng);
    return NULL;
}

void xc_engine_close(xc_engine *eng)
{
    if (!eng)
        return;
    xc__index_free(eng->index);
    xc__idindex_free(eng->ids);
    if (eng->snap) { /* the arrays live in the mapping */
        eng->lists.lists = NULL;
        eng->lists.entities = NULL;
    }
    xc__text_close(eng->text);
    xc__roman_close(eng->roman);
    xc__regimes_close(eng->regimes);
    pthread_mutex_destroy(&eng->regimes_lock);
    xc__listset_free(&eng->lists);
    xc__free_mem(eng->infos);
    xc__free_mem(eng->data_version_json);
    for (size_t i = 0; i < eng->warning_count; i++) {
        xc__free_mem(eng->warnings[i].text);
        xc__free_mem(eng->warnings[i].lists);
    }
    xc__free_mem(eng->warnings);
    xc__snapshot_close(eng->snap);
    xc__free_mem(eng);
}

size_t xc_engine_warning_count(const xc_engine *eng)
{
    return eng ? eng->warning_count : 0;
}

const char *xc_engine_warning(const xc_engine *eng, size_t i)
{
    return eng && i < eng->warning_count ? eng->warnings[i].text : NULL;
}

size_t xc_engine_list_count(const xc_engine *eng)
{
    return eng ? eng->lists.list_count : 0;
}

const xc_list_info *xc_engine_list(const xc_engine *eng, size_t i)
{
    return eng && i < eng->lists.list_count ? &eng->infos[i] : NULL;
}

const xc_snapshot_info *xc_engine_snapshot(const xc_engine *eng)
{
    return eng ? &eng->snap_info : NULL;
}

const xc__regimes *xc__engine_regimes(const xc_engine *eng, xc_error *err)
{
    xc_engine *e = (xc_engine *)eng; /* the lazy load is the only change after open */
    pthread_mutex_lock(&e->regimes_lock);
    if (e->regimes_lazy) {
        xc_error lerr = {0};
        e->regimes_rc = xc__regimes_open(&e->regimes, NULL, &lerr);
        if (e->regimes_rc == XC_NODATA)
            snprintf(e->regimes_msg, sizeof e->regimes_msg, "engine opened without regime data");
        else if (e->regimes_rc != XC_OK)
            snprintf(e->regimes_msg, sizeof e->regimes_msg, "built-in regime data: %.480s",
                     lerr.message);
        if (e->regimes_rc != XC_OK)
            e->regimes = NULL;
        e->regimes_lazy = false;
    } else if (!e->regimes && e->regimes_rc == XC_OK) {
        e->regimes_rc = XC_NODATA;
        snprintf(e->regimes_msg, sizeof e->regimes_msg, "engine opened without regime data");
    }
    const xc__regimes *reg = e->regimes;
    xc_status rc = e->regimes_rc;
    pthread_mutex_unlock(&e->regimes_lock);
    if (!reg)
        xc__error_set(err, rc ? rc : XC_NODATA, "%s", e->regimes_msg);
    return reg;
}
