/*
 * entity.c — the list set that every parser fills: list records with their counters and skip
 * reasons, and the growing entity array. Strings and per-entity arrays live in the set's arena.
 */
#include <stdio.h>
#include <string.h>

#include "lists.h"

const char *xc__name_type_str(xc__name_type type)
{
    switch (type) {
    case XC__NAME_PRIMARY: return "primary";
    case XC__NAME_AKA: return "aka";
    case XC__NAME_WEAK_AKA: return "weak_aka";
    case XC__NAME_FKA: return "fka";
    case XC__NAME_NKA: return "nka";
    case XC__NAME_ORIGINAL: return "original_script";
    case XC__NAME_VARIANT: return "variant";
    }
    return "aka";
}

xc_status xc__listset_init(xc__listset *set)
{
    memset(set, 0, sizeof *set);
    set->arena = xc__arena_new(1 << 20);
    return set->arena ? XC_OK : XC_NOMEM;
}

void xc__listset_free(xc__listset *set)
{
    if (!set)
        return;
    xc__arena_free(set->arena);
    xc__free_mem(set->lists);
    xc__free_mem(set->entities);
    memset(set, 0, sizeof *set);
}

int xc__listset_list(xc__listset *set, const char *id, const char *title, const char *files)
{
    for (size_t i = 0; i < set->list_count; i++)
        if (strcmp(set->lists[i].id, id) == 0)
            return (int)i;
    if (set->list_count == set->list_cap) {
        size_t cap = set->list_cap ? set->list_cap * 2 : 8;
        xc__list *lists = xc__realloc(set->lists, cap * sizeof *lists);
        if (!lists)
            return -1;
        set->lists = lists;
        set->list_cap = cap;
    }
    xc__list *list = &set->lists[set->list_count];
    memset(list, 0, sizeof *list);
    list->id = xc__arena_strdup(set->arena, id);
    list->title = xc__arena_strdup(set->arena, title ? title : id);
    list->files = xc__arena_strdup(set->arena, files ? files : "");
    if (!list->id || !list->title || !list->files)
        return -1;
    return (int)set->list_count++;
}

xc_status xc__listset_add(xc__listset *set, const xc__entity *entity)
{
    if (set->entity_count == set->entity_cap) {
        size_t cap = set->entity_cap ? set->entity_cap * 2 : 1024;
        xc__entity *entities = xc__realloc(set->entities, cap * sizeof *entities);
        if (!entities)
            return XC_NOMEM;
        set->entities = entities;
        set->entity_cap = cap;
    }
    set->entities[set->entity_count++] = *entity;
    xc__list *list = &set->lists[entity->list];
    list->entities++;
    list->names += entity->name_count;
    return XC_OK;
}

void xc__list_skip(xc__listset *set, int list_index, const char *fmt, ...)
{
    if (list_index < 0 || (size_t)list_index >= set->list_count)
        return;
    xc__list *list = &set->lists[list_index];
    list->rows_skipped++;
    if (list->issue_count >= XC__LIST_MAX_ISSUES)
        return;
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    const char *copy = xc__arena_strdup(set->arena, message);
    if (copy) {
        list->issues[list->issue_count++] = copy;
        list->issues[list->issue_count] = NULL;
    }
}
