/*
 * entity_json.h — one listed entity rendered whole as JSON (entity_json.c): the object that
 * xc_entity_json returns and that every match of xc_result_json carries under "entity".
 */
#ifndef XC_ENTITY_JSON_H
#define XC_ENTITY_JSON_H

#include <jansson.h>

#include "engine.h"

/* The entity as a new JSON object (owned reference), or NULL on out of memory. */
json_t *xc__entity_json_obj(const struct xc_engine *eng, const xc__entity *ent);

#endif /* XC_ENTITY_JSON_H */
