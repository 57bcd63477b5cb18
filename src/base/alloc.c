/*
 * alloc.c — the library's allocation wrappers and arenas. Every allocation goes through
 * xc__malloc/xc__realloc so a test can make the Nth one fail and check that the caller returns
 * XC_NOMEM and leaks nothing (the SQLite/Lua fault-injection idea). Arenas hold the many small
 * strings of a loaded list or of one query, freed in one go.
 */
#include <stdlib.h>
#include <string.h>

#include "base.h"

/* Fault injection: test-only and process-wide, documented in base.h. */
static long fail_at;
static long alloc_count;

void xc__alloc_fail_at(long n)
{
    fail_at = n;
    alloc_count = 0;
}

long xc__alloc_count(void)
{
    return alloc_count;
}

static bool should_fail(void)
{
    if (fail_at <= 0)
        return false;
    return ++alloc_count == fail_at;
}

void *xc__malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *xc__calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *xc__realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void xc__free_mem(void *ptr)
{
    free(ptr);
}

char *xc__strndup(const char *s, size_t len)
{
    char *copy = xc__malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *xc__strdup(const char *s)
{
    return xc__strndup(s, strlen(s));
}

/* ---- arena ---- */

typedef struct chunk {
    struct chunk *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    /* data follows, 16-byte aligned */
} chunk;

struct xc__arena {
    chunk *head;       /* current chunk (most recent) */
    size_t chunk_size; /* default size of new chunks */
    size_t total;      /* bytes handed out */
};

#define CHUNK_HEADER ((sizeof(chunk) + 15) & ~(size_t)15)

static chunk *chunk_new(size_t size)
{
    chunk *c = xc__malloc(CHUNK_HEADER + size);
    if (!c)
        return NULL;
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

xc__arena *xc__arena_new(size_t chunk_size)
{
    xc__arena *arena = xc__malloc(sizeof *arena);
    if (!arena)
        return NULL;
    arena->chunk_size = chunk_size < 256 ? 256 : chunk_size;
    arena->total = 0;
    arena->head = chunk_new(arena->chunk_size);
    if (!arena->head) {
        xc__free_mem(arena);
        return NULL;
    }
    return arena;
}

void *xc__arena_alloc(xc__arena *arena, size_t size)
{
    size_t need = (size + 7) & ~(size_t)7;
    chunk *c = arena->head;
    if (need < size)
        return NULL;
    if (c->size - c->used < need) {
        size_t want = need > arena->chunk_size / 4 ? need : arena->chunk_size;
        chunk *fresh = chunk_new(want);
        if (!fresh)
            return NULL;
        if (want == arena->chunk_size || c->size - c->used < 64) {
            fresh->next = c;
            arena->head = fresh;
        } else {
            /* A large one-off block: keep the current chunk in front for small requests. */
            fresh->next = c->next;
            c->next = fresh;
            fresh->used = need;
            arena->total += need;
            return (char *)fresh + CHUNK_HEADER;
        }
        c = fresh;
    }
    void *p = (char *)c + CHUNK_HEADER + c->used;
    c->used += need;
    arena->total += need;
    return p;
}

char *xc__arena_strndup(xc__arena *arena, const char *s, size_t len)
{
    char *copy = xc__arena_alloc(arena, len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *xc__arena_strdup(xc__arena *arena, const char *s)
{
    return xc__arena_strndup(arena, s, strlen(s));
}

void xc__arena_reset(xc__arena *arena)
{
    chunk *c = arena->head;
    /* Keep the oldest chunk (the first allocated, at the end of the list). */
    while (c->next) {
        chunk *next = c->next;
        xc__free_mem(c);
        c = next;
    }
    c->used = 0;
    arena->head = c;
    arena->total = 0;
}

size_t xc__arena_used(const xc__arena *arena)
{
    return arena->total;
}

void xc__arena_free(xc__arena *arena)
{
    if (!arena)
        return;
    chunk *c = arena->head;
    while (c) {
        chunk *next = c->next;
        xc__free_mem(c);
        c = next;
    }
    xc__free_mem(arena);
}
