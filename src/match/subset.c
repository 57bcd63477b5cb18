/*
 * subset.c — an engine over a filtered copy of another engine's list set (see subset.h). The
 * subset shares the full engine's normaliser (ICU and cross-script tables, the costly part to
 * open) and entity strings, and builds only its own small index, so building one for the few
 * hundred entities a weekly list update touches takes milliseconds.
 */
#include <string.h>

#include "index.h"
#include "subset.h"

xc_status xc__listset_view(const xc__listset *src, const bool *keep, xc__listset *out)
{
    memset(out, 0, sizeof *out);
    size_t kept = 0;
    for (size_t i = 0; i < src->entity_count; i++)
        kept += keep[i] ? 1 : 0;
    out->lists = xc__malloc((src->list_count ? src->list_count : 1) * sizeof *out->lists);
    out->entities = xc__malloc((kept ? kept : 1) * sizeof *out->entities);
    if (!out->lists || !out->entities) {
        xc__listset_free(out);
        return XC_NOMEM;
    }
    if (src->list_count)
        memcpy(out->lists, src->lists, src->list_count * sizeof *out->lists);
    out->list_count = out->list_cap = src->list_count;
    for (size_t i = 0; i < src->entity_count; i++)
        if (keep[i])
            out->entities[out->entity_count++] = src->entities[i];
    out->entity_cap = kept;
    return XC_OK;
}

xc_engine *xc__engine_subset(const xc_engine *full, const bool *keep, xc_error *err)
{
    if (!full || !keep) {
        xc__error_set(err, XC_INVALID, "subset: no engine or selection");
        return NULL;
    }
    xc_engine *sub = xc__calloc(1, sizeof *sub);
    if (!sub) {
        xc__error_set(err, XC_NOMEM, "subset: out of memory");
        return NULL;
    }
    sub->text = full->text;
    sub->roman = full->roman;
    sub->subset = true; /* a delta may hold no entity: screening it finds nothing, rightly */
    sub->sample = full->sample;
    sub->warnings = full->warnings; /* borrowed: the full engine outlives its subsets */
    sub->warning_count = full->warning_count;
    if (xc__listset_view(&full->lists, keep, &sub->lists) != XC_OK) {
        xc__error_set(err, XC_NOMEM, "subset: out of memory");
        xc__engine_subset_close(sub);
        return NULL;
    }
    sub->infos = xc__calloc(sub->lists.list_count + 1, sizeof *sub->infos);
    sub->data_version_json = xc__strdup(full->data_version_json ? full->data_version_json : "{}");
    if (!sub->infos || !sub->data_version_json) {
        xc__error_set(err, XC_NOMEM, "subset: out of memory");
        xc__engine_subset_close(sub);
        return NULL;
    }
    if (full->infos && sub->lists.list_count)
        memcpy(sub->infos, full->infos, sub->lists.list_count * sizeof *sub->infos);
    if (xc__index_build(&sub->index, &sub->lists, sub->text, err) != XC_OK) {
        xc__engine_subset_close(sub);
        return NULL;
    }
    return sub;
}

void xc__engine_subset_close(xc_engine *sub)
{
    if (!sub)
        return;
    xc__index_free(sub->index);
    xc__listset_free(&sub->lists); /* a view: frees its two arrays only */
    xc__free_mem(sub->infos);
    xc__free_mem(sub->data_version_json);
    xc__free_mem(sub);
}
