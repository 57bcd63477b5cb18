/*
 * subset.h — engines over part of another engine's entities (subset.c), for delta
 * re-screening: an index of only the entities a list update added or changed is small, so
 * screening every stored counterparty against it costs little.
 */
#ifndef XC_SUBSET_H
#define XC_SUBSET_H

#include "engine.h"

/* A view of src holding only the entities with keep[i] set (keep has src->entity_count
 * entries): the list records are copied (so entity->list indexes stay valid), the entities are
 * shallow copies whose strings and arrays still live in src's arena. The view must not outlive
 * src; free it with xc__listset_free (it has no arena of its own). Errors: XC_NOMEM. */
xc_status xc__listset_view(const xc__listset *src, const bool *keep, xc__listset *out);

/* Opens an engine over the entities of full with keep[i] set (keep has one entry per entity of
 * full's list set). It borrows full's normaliser and entity data and must be closed with
 * xc__engine_subset_close before full is closed. Token rarity weights are those of the subset,
 * so scores may differ from full's: use it to find candidates, score them with full. Returns
 * NULL with err set on out of memory. */
xc_engine *xc__engine_subset(const xc_engine *full, const bool *keep, xc_error *err);
void xc__engine_subset_close(xc_engine *sub);

#endif /* XC_SUBSET_H */
