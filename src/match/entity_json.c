/*
 * entity_json.c — renders one listed entity whole, as the list gives it: names with their
 * types, dates and places of birth, nationalities and other countries, addresses, identifiers,
 * programmes, listing date and remarks, with the list id and version it came from. A reviewer
 * deciding an alert needs these facts next to the score; `xcheck show` and the server print the
 * same object. The shape is documented in README.md ("Entity JSON").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entity_json.h"

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *str_array(const char *const *items, uint32_t n)
{
    json_t *arr = json_array();
    for (uint32_t i = 0; arr && i < n; i++)
        if (items[i] && *items[i])
            json_array_append_new(arr, json_string(items[i]));
    return arr;
}

/* "1958", "1958-01" or "1958-01-18". */
static json_t *pdate_json(xc__pdate d)
{
    char buf[32];
    if (d.month && d.day)
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    else if (d.month)
        snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
    else
        snprintf(buf, sizeof buf, "%04d", d.year);
    return json_string(buf);
}

/* Programmes are stored ';'-joined; they are shown as an array. */
static json_t *programs_json(const char *programs)
{
    json_t *arr = json_array();
    const char *p = programs ? programs : "";
    while (arr && *p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        const char *item = xc__trim(p, &len);
        if (len)
            json_array_append_new(arr, json_stringn(item, len));
        p = semi ? semi + 1 : p + strlen(p);
    }
    return arr;
}

json_t *xc__entity_json_obj(const struct xc_engine *eng, const xc__entity *ent)
{
    const xc__list *list = &eng->lists.lists[ent->list];
    json_t *names = json_array();
    for (uint32_t i = 0; names && i < ent->name_count; i++)
        json_array_append_new(names,
                              json_pack("{s:s,s:s}", "name", ent->names[i].text, "type",
                                        xc__name_type_str(ent->names[i].type)));
    json_t *dobs = json_array();
    for (uint32_t i = 0; dobs && i < ent->dob_count; i++)
        json_array_append_new(dobs, pdate_json(ent->dobs[i]));
    json_t *idents = json_array();
    for (uint32_t i = 0; idents && i < ent->ident_count; i++)
        json_array_append_new(idents, json_pack("{s:s,s:s,s:o}", "type",
                                                ent->idents[i].type ? ent->idents[i].type : "",
                                                "value", ent->idents[i].value, "country",
                                                str_or_null(ent->idents[i].country)));
    return json_pack("{s:s,s:o,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "list",
                     list->id, "list_version", str_or_null(list->version), "entity_id",
                     ent->source_id ? ent->source_id : "", "kind",
                     xc_kind_name((xc_kind)ent->kind), "names", names, "dates_of_birth", dobs,
                     "places_of_birth", str_array(ent->pobs, ent->pob_count), "nationalities",
                     str_array(ent->nationalities, ent->nationality_count), "countries",
                     str_array(ent->countries, ent->country_count), "addresses",
                     str_array(ent->addresses, ent->address_count), "identifiers", idents,
                     "programs", programs_json(ent->programs), "listed_on",
                     str_or_null(ent->listed_on), "remarks", str_or_null(ent->remarks));
}

xc_status xc_entity_json(const xc_engine *eng, const char *list, const char *entity_id,
                         char **json_out, xc_error *err)
{
    if (json_out)
        *json_out = NULL;
    if (!eng || !list || !entity_id || !json_out)
        return xc__error_set(err, XC_INVALID, "xc_entity_json: engine, list, entity id and "
                                              "output are required");
    if (eng->lists.list_count == 0)
        return xc__error_set(err, XC_NODATA, "no lists loaded");
    bool list_known = false;
    for (size_t i = 0; i < eng->lists.list_count && !list_known; i++)
        list_known = strcmp(eng->lists.lists[i].id, list) == 0;
    const xc__entity *found = NULL;
    for (size_t i = 0; list_known && i < eng->lists.entity_count && !found; i++) {
        const xc__entity *ent = &eng->lists.entities[i];
        if (ent->source_id && strcmp(ent->source_id, entity_id) == 0 &&
            strcmp(eng->lists.lists[ent->list].id, list) == 0)
            found = ent;
    }
    if (!found) {
        if (!list_known)
            return xc__error_set(err, XC_NOTFOUND, "list '%.100s' is not loaded", list);
        return xc__error_set(err, XC_NOTFOUND, "list '%.100s' has no entity '%.100s'", list,
                             entity_id);
    }
    json_t *obj = xc__entity_json_obj(eng, found);
    char *s = obj ? json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(obj);
    if (!s)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    *json_out = xc__strdup(s);
    free(s);
    if (!*json_out)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    return XC_OK;
}
