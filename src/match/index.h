/*
 * index.h — the inverted index over name keys and the candidate search.
 *
 * Every name of every entity is analysed once (text.h) and kept with its forms. Each name
 * token contributes keys: the token itself, its phonetic key, its romanisation-invariant key,
 * and its single-deletion neighbourhood (SymSpell-style: two tokens within one edit share a
 * deletion key), each mapped to a posting list of name ids. A query looks up its tokens'
 * keys, accumulates evidence per name, and keeps a capped number of candidates for full
 * scoring, so the cost of a query follows the posting lists it touches, not the list size.
 */
#ifndef XC_INDEX_H
#define XC_INDEX_H

#include "../lists/lists.h"
#include "../text/text.h"

typedef struct xc__iname {
    uint32_t entity;       /* index into listset.entities */
    uint16_t name;         /* index into the entity's names */
    xc__analysis analysis; /* forms, in the index arena */
} xc__iname;

typedef struct xc__index xc__index;

xc_status xc__index_build(xc__index **out, const xc__listset *set, const xc__text *text,
                          xc_error *err);
void xc__index_free(xc__index *index);

size_t xc__index_name_count(const xc__index *index);
const xc__iname *xc__index_name(const xc__index *index, uint32_t id);

/* Re-weights the query's tokens by their rarity in the index (in place). */
void xc__index_weigh(const xc__index *index, xc__analysis *query);

/* Finds up to max candidate name ids for the analysed query, best evidence first. Scratch
 * memory comes from arena. Returns the number written to ids; forms (optional) receives for
 * each the query forms worth scoring against it (bit f for query->forms[f]; see index.c). */
size_t xc__index_candidates(const xc__index *index, const xc__analysis *query, xc__arena *arena,
                            uint32_t *ids, uint8_t *forms, size_t max);

/* The index's arrays, for the snapshot (src/snapshot): names (their analyses point into memory
 * the index owns or the snapshot maps), postings, and the two hash tables as raw bytes. */
typedef struct xc__index_image {
    xc__iname *names;
    size_t name_count;
    uint32_t *postings;
    size_t posting_count;
    void *table;         /* table_mask + 1 slots of table_slot_size bytes */
    size_t table_mask;
    void *df;            /* df_mask + 1 slots of df_slot_size bytes */
    size_t df_mask;
    double log_n;
} xc__index_image;

extern const size_t xc__index_table_slot_size, xc__index_df_slot_size;

/* Describes the index's arrays (borrowed). */
void xc__index_get_image(const xc__index *index, xc__index_image *out);
/* An index over arrays someone else owns (a mapped snapshot): they must outlive it, and
 * xc__index_free leaves them alone. */
xc_status xc__index_from_image(xc__index **out, const xc__index_image *image, xc_error *err);

#endif /* XC_INDEX_H */
