/*
 * diff.h — comparing two loads of the same lists entity by entity (list diff.c). The public
 * entry points are xc_diff_json and xc_diff_text in xcheck.h; this one takes list sets already
 * loaded, so tests can build them by hand.
 */
#ifndef XC_DIFF_H
#define XC_DIFF_H

#include "lists.h"

/* What changed in an entity present in both versions (bits). */
#define XC__DIFF_NAMES 1u
#define XC__DIFF_IDENTS 2u
#define XC__DIFF_PROGRAMS 4u
#define XC__DIFF_KIND 8u

/* Renders the differences between old_set and new_set into out, as one line of JSON (json true)
 * or as readable text (see xc_diff_json / xc_diff_text). Entities are keyed by (list id,
 * source_id); a source_id repeated within one list keeps its first entity. Errors: XC_NOMEM,
 * XC_TOOBIG (out's limit). */
xc_status xc__diff_render(const xc__listset *old_set, const xc__listset *new_set, bool json,
                          xc__buf *out);

/* What happened to an entity between two versions (xc__diff_each). */
typedef enum xc__diff_what { XC__DIFF_ADDED = 1, XC__DIFF_REMOVED = 2, XC__DIFF_CHANGED = 3 } xc__diff_what;

/* Called once per added, removed or changed entity, in (list id, source id) order: old_entity
 * is NULL for an added one, new_entity NULL for a removed one; facets (XC__DIFF_NAMES ...) is
 * set for a changed one. The entities are borrowed from the two sets. */
typedef void (*xc__diff_fn)(void *ctx, xc__diff_what what, unsigned facets,
                            const xc__entity *old_entity, const xc__entity *new_entity);

/* The same comparison as xc__diff_render, handed to fn instead of rendered: for re-screening,
 * which needs the entities themselves. Errors: XC_NOMEM. */
xc_status xc__diff_each(const xc__listset *old_set, const xc__listset *new_set,
                        xc__diff_fn fn, void *ctx);

#endif /* XC_DIFF_H */
