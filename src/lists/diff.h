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

#endif /* XC_DIFF_H */
