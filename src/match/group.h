/*
 * group.h — matches of one result that are one real-world entity on several lists (group.c).
 */
#ifndef XC_GROUP_H
#define XC_GROUP_H

#include "../lists/lists.h"

#define XC__GROUP_KEY_MAX 192

/* The entity's group keys ("ofac:..", "un:..", "name:.."), at most 3; returns how many. */
size_t xc__group_keys(const xc_engine *eng, const xc__entity *ent,
                      char keys[3][XC__GROUP_KEY_MAX]);

/* Sets matches[i].group (an arena string) for the n matches of one result, entities[i] being
 * each match's entity. XC_NOMEM on out of memory. */
xc_status xc__group_matches(const xc_engine *eng, const xc__entity *const *entities,
                            xc_match *matches, size_t n, xc__arena *arena);

#endif /* XC_GROUP_H */
