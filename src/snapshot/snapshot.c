/*
 * snapshot.c — writing, validating and mapping engine snapshots (see snapshot.h).
 *
 * Writing walks the listset and the index and deep-copies every object into one growing image,
 * storing each pointer as the image offset of its target and noting where the pointer sits
 * (the relocation table). Strings are copied once per distinct source pointer, so a token's
 * `raw` that is its `s` stays the same pointer after loading (score.c compares them).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "snapshot.h"

#define HEADER_SIZE 4096
static const char MAGIC[8] = {'X', 'C', 'S', 'N', 'A', 'P', '\r', '\n'};
#define ENDIAN_MARK 0x0102030405060708ULL

typedef struct header {
    char magic[8];
    uint32_t format;
    uint32_t header_size;
    uint64_t endian;
    uint64_t pointer_size;
    char build_id[72];
    char key[72];
    uint64_t file_size;
    uint64_t checksum;     /* XXH3-64 of the file with this field zero */
    uint64_t image_size;   /* image starts at HEADER_SIZE */
    uint64_t split;        /* image [0, split): structures holding pointers; [split, size):
                              strings and the index's pointer-free arrays */
    uint64_t reloc_off;    /* file offset of the relocation table */
    uint64_t reloc_count;
    /* roots, as image offsets */
    uint64_t lists_off, list_count;
    uint64_t entities_off, entity_count;
    uint64_t names_off, name_count;
    uint64_t postings_off, posting_count;
    uint64_t table_off, table_mask, table_slot;
    uint64_t df_off, df_mask, df_slot;
    double log_n;
    /* sizes of the structures laid out in the image: another layout is a foreign snapshot */
    uint64_t sizes[6];
} header;

_Static_assert(sizeof(header) <= HEADER_SIZE, "snapshot header fits its page");

struct xc__snapshot {
    void *map;     /* the whole file, read-only */
    size_t size;
    void *structs; /* private copy of image [0, split), relocated */
    size_t structs_size;
};

/* ---- key ---- */

typedef struct file_id {
    char *path;
    struct stat st;
} file_id;

static int file_id_cmp(const void *a, const void *b)
{
    return strcmp(((const file_id *)a)->path, ((const file_id *)b)->path);
}

static xc_status add_file(file_id **ids, size_t *n, size_t *cap, const char *path,
                          const struct stat *st)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        file_id *grown = xc__realloc(*ids, ncap * sizeof *grown);
        if (!grown)
            return XC_NOMEM;
        *ids = grown;
        *cap = ncap;
    }
    char *real = realpath(path, NULL);
    if (!real)
        return XC_IO;
    (*ids)[*n].path = xc__strdup(real);
    free(real);
    if (!(*ids)[*n].path)
        return XC_NOMEM;
    (*ids)[*n].st = *st;
    (*n)++;
    return XC_OK;
}

xc_status xc__snapshot_key(const char *const *paths, char key[65], xc_error *err)
{
    file_id *ids = NULL;
    size_t n = 0, cap = 0;
    xc_status rc = XC_OK;
    for (size_t i = 0; paths && paths[i] && rc == XC_OK; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0) {
            rc = xc__error_set(err, XC_IO, "%s: %s", paths[i], strerror(errno));
            break;
        }
        if (!S_ISDIR(st.st_mode)) {
            rc = add_file(&ids, &n, &cap, paths[i], &st);
            continue;
        }
        /* The folder itself is part of the key: a folder and the same files named one by one
         * are loaded by different rules (a folder skips what it does not recognise). */
        size_t dir_start = n;
        if ((rc = add_file(&ids, &n, &cap, paths[i], &st)) != XC_OK)
            break;
        DIR *dir = opendir(paths[i]);
        if (!dir) {
            rc = xc__error_set(err, XC_IO, "%s: %s", paths[i], strerror(errno));
            break;
        }
        struct dirent *de;
        while (rc == XC_OK && (de = readdir(dir)) != NULL) {
            /* dot files are not lists, except the marker that accepts an incomplete set */
            if (de->d_name[0] == '.' && strcmp(de->d_name, XC__INCOMPLETE_MARKER) != 0)
                continue;
            char full[PATH_MAX];
            if ((size_t)snprintf(full, sizeof full, "%s/%s", paths[i], de->d_name) >= sizeof full)
                continue;
            struct stat fst;
            if (stat(full, &fst) == 0 && S_ISREG(fst.st_mode))
                rc = add_file(&ids, &n, &cap, full, &fst);
        }
        closedir(dir);
        /* a folder's files in name order; the paths themselves keep the caller's order, which
         * decides the order of the lists in the engine */
        if (n > dir_start)
            qsort(ids + dir_start, n - dir_start, sizeof *ids, file_id_cmp);
    }
    if (rc == XC_NOMEM)
        xc__error_set(err, rc, "out of memory");
    else if (rc == XC_IO && err && err->code != XC_IO)
        xc__error_set(err, rc, "cannot resolve a source path");
    if (rc == XC_OK) {
        xc__sha256 ctx;
        xc__sha256_init(&ctx);
        for (size_t i = 0; i < n; i++) {
            const struct stat *st = &ids[i].st;
            char line[PATH_MAX + 160];
            int len = snprintf(line, sizeof line, "%s\t%lld\t%lld.%09ld\t%lld.%09ld\t%llu\t%llu\n",
                               ids[i].path, (long long)st->st_size,
                               (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
                               (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec,
                               (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
            xc__sha256_update(&ctx, line, (size_t)len < sizeof line ? (size_t)len : sizeof line);
        }
        unsigned char digest[32];
        xc__sha256_final(&ctx, digest);
        for (int i = 0; i < 32; i++)
            snprintf(key + 2 * i, 3, "%02x", digest[i]);
    }
    for (size_t i = 0; i < n; i++)
        xc__free_mem(ids[i].path);
    xc__free_mem(ids);
    return rc;
}

/* ---- writer ---- */

typedef struct pm_slot {
    uintptr_t ptr; /* 0 = empty */
    uint64_t off;
} pm_slot;

typedef struct region {
    char *buf;
    size_t len, cap;
} region;

/* Pointers into the string region are stored with this bit until the region's place is known. */
#define IN_STRINGS (1ULL << 63)

typedef struct writer {
    char *buf; /* structures (region A) */
    size_t len, cap;
    region strs; /* strings and pointer-free arrays (region B) */
    uint32_t *relocs;
    size_t nrel, relcap;
    pm_slot *pm;
    size_t pm_mask, pm_count;
    bool failed;
} writer;

#define IMAGE_MAX ((size_t)UINT32_MAX - 8)

/* Allocates size zeroed bytes in a region, aligned to align; returns the offset, or
 * SIZE_MAX on failure (w->failed set). */
static size_t r_alloc(writer *w, region *r, size_t size, size_t align)
{
    if (w->failed)
        return SIZE_MAX;
    size_t off = (r->len + align - 1) & ~(align - 1);
    if (size > IMAGE_MAX || off > IMAGE_MAX - size) {
        w->failed = true;
        return SIZE_MAX;
    }
    if (off + size > r->cap) {
        size_t cap = r->cap ? r->cap : 1 << 20;
        while (cap < off + size)
            cap *= 2;
        char *grown = xc__realloc(r->buf, cap);
        if (!grown) {
            w->failed = true;
            return SIZE_MAX;
        }
        r->buf = grown;
        r->cap = cap;
    }
    memset(r->buf + r->len, 0, off + size - r->len);
    r->len = off + size;
    return off;
}

/* Allocates size zeroed bytes of structure region, 8-aligned; returns the offset (never 0),
 * 0 on failure. */
static size_t w_alloc(writer *w, size_t size)
{
    region r = {w->buf, w->len, w->cap};
    size_t off = r_alloc(w, &r, size, 8);
    w->buf = r.buf;
    w->len = r.len;
    w->cap = r.cap;
    return off == SIZE_MAX ? 0 : off;
}

/* Copies bytes into the string region; returns the tagged offset, 0 on failure. */
static size_t w_blob(writer *w, const void *src, size_t size, size_t align)
{
    size_t off = r_alloc(w, &w->strs, size, align);
    if (off == SIZE_MAX)
        return 0;
    memcpy(w->strs.buf + off, src, size);
    return off | IN_STRINGS;
}

static size_t w_copy(writer *w, const void *src, size_t size)
{
    size_t off = w_alloc(w, size);
    if (off && size)
        memcpy(w->buf + off, src, size);
    return off;
}

/* Stores a pointer to image offset target in the field at image offset field. */
static void w_set(writer *w, size_t field, size_t target)
{
    if (w->failed)
        return;
    uint64_t value = target;
    memcpy(w->buf + field, &value, sizeof value);
    if (!target)
        return;
    if (w->nrel == w->relcap) {
        size_t cap = w->relcap ? w->relcap * 2 : 1 << 16;
        uint32_t *grown = xc__realloc(w->relocs, cap * sizeof *grown);
        if (!grown) {
            w->failed = true;
            return;
        }
        w->relocs = grown;
        w->relcap = cap;
    }
    w->relocs[w->nrel++] = (uint32_t)field;
}

static bool pm_grow(writer *w)
{
    size_t size = w->pm ? (w->pm_mask + 1) * 2 : 1 << 16;
    pm_slot *table = xc__calloc(size, sizeof *table);
    if (!table)
        return false;
    for (size_t i = 0; w->pm && i <= w->pm_mask; i++) {
        if (!w->pm[i].ptr)
            continue;
        size_t h = (size_t)xc__hash64(&w->pm[i].ptr, sizeof w->pm[i].ptr) & (size - 1);
        while (table[h].ptr)
            h = (h + 1) & (size - 1);
        table[h] = w->pm[i];
    }
    xc__free_mem(w->pm);
    w->pm = table;
    w->pm_mask = size - 1;
    return true;
}

/* Image offset of a copy of the string s (one copy per distinct pointer); 0 for NULL. */
static size_t w_str(writer *w, const char *s)
{
    if (!s || w->failed)
        return 0;
    if ((!w->pm || w->pm_count * 2 >= w->pm_mask) && !pm_grow(w)) {
        w->failed = true;
        return 0;
    }
    uintptr_t key = (uintptr_t)s;
    size_t h = (size_t)xc__hash64(&key, sizeof key) & w->pm_mask;
    while (w->pm[h].ptr) {
        if (w->pm[h].ptr == key)
            return (size_t)w->pm[h].off;
        h = (h + 1) & w->pm_mask;
    }
    size_t off = w_blob(w, s, strlen(s) + 1, 1);
    if (!off)
        return 0;
    w->pm[h].ptr = key;
    w->pm[h].off = off;
    w->pm_count++;
    return off;
}

/* Stores a string pointer field: field at image offset `field` gets a copy of s. */
static void w_str_field(writer *w, size_t field, const char *s)
{
    size_t target = w_str(w, s);
    w_set(w, field, target);
}

#define FIELD(base, type, member) ((base) + offsetof(type, member))

static void write_list(writer *w, size_t off, const xc__list *l)
{
    w_str_field(w, FIELD(off, xc__list, id), l->id);
    w_str_field(w, FIELD(off, xc__list, title), l->title);
    w_str_field(w, FIELD(off, xc__list, files), l->files);
    for (size_t i = 0; i <= XC__LIST_MAX_ISSUES; i++)
        w_str_field(w, FIELD(off, xc__list, issues) + i * sizeof(char *), l->issues[i]);
}

static void write_str_array(writer *w, size_t field, const char *const *items, size_t n)
{
    if (!items || !n) {
        w_set(w, field, 0);
        return;
    }
    size_t arr = w_alloc(w, n * sizeof(char *));
    if (!arr)
        return;
    w_set(w, field, arr);
    for (size_t i = 0; i < n; i++)
        w_str_field(w, arr + i * sizeof(char *), items[i]);
}

static void write_entity(writer *w, size_t off, const xc__entity *e)
{
    w_str_field(w, FIELD(off, xc__entity, source_id), e->source_id);
    w_str_field(w, FIELD(off, xc__entity, programs), e->programs);
    w_str_field(w, FIELD(off, xc__entity, listed_on), e->listed_on);
    w_str_field(w, FIELD(off, xc__entity, remarks), e->remarks);
    size_t names = e->name_count ? w_copy(w, e->names, e->name_count * sizeof *e->names) : 0;
    w_set(w, FIELD(off, xc__entity, names), names);
    for (uint32_t i = 0; names && i < e->name_count; i++)
        w_str_field(w, names + i * sizeof(xc__name) + offsetof(xc__name, text), e->names[i].text);
    size_t dobs = e->dob_count ? w_blob(w, e->dobs, e->dob_count * sizeof *e->dobs, 8) : 0;
    w_set(w, FIELD(off, xc__entity, dobs), dobs);
    write_str_array(w, FIELD(off, xc__entity, countries), e->countries, e->country_count);
    write_str_array(w, FIELD(off, xc__entity, addresses), e->addresses, e->address_count);
    write_str_array(w, FIELD(off, xc__entity, pobs), e->pobs, e->pob_count);
    write_str_array(w, FIELD(off, xc__entity, nationalities), e->nationalities,
                    e->nationality_count);
    size_t ids = e->ident_count ? w_copy(w, e->idents, e->ident_count * sizeof *e->idents) : 0;
    w_set(w, FIELD(off, xc__entity, idents), ids);
    for (uint32_t i = 0; ids && i < e->ident_count; i++) {
        size_t at = ids + i * sizeof(xc__ident);
        w_str_field(w, FIELD(at, xc__ident, type), e->idents[i].type);
        w_str_field(w, FIELD(at, xc__ident, value), e->idents[i].value);
        w_str_field(w, FIELD(at, xc__ident, country), e->idents[i].country);
    }
}

static void write_iname(writer *w, size_t off, const xc__iname *in)
{
    for (int f = 0; f < in->analysis.nforms && f < XC__MAX_FORMS; f++) {
        const xc__form *form = &in->analysis.forms[f];
        size_t at = off + offsetof(xc__iname, analysis) + offsetof(xc__analysis, forms) +
                    (size_t)f * sizeof(xc__form);
        w_str_field(w, FIELD(at, xc__form, label), form->label);
        size_t toks = form->n ? w_copy(w, form->toks, form->n * sizeof *form->toks) : 0;
        w_set(w, FIELD(at, xc__form, toks), toks);
        for (int t = 0; toks && t < form->n; t++) {
            size_t tat = toks + (size_t)t * sizeof(xc__tok);
            w_str_field(w, FIELD(tat, xc__tok, s), form->toks[t].s);
            w_str_field(w, FIELD(tat, xc__tok, raw), form->toks[t].raw);
        }
    }
    /* forms beyond nforms are not read; clear their pointers so nothing dangles */
    for (int f = in->analysis.nforms; f < XC__MAX_FORMS; f++) {
        size_t at = off + offsetof(xc__iname, analysis) + offsetof(xc__analysis, forms) +
                    (size_t)f * sizeof(xc__form);
        w_set(w, FIELD(at, xc__form, label), 0);
        w_set(w, FIELD(at, xc__form, toks), 0);
    }
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void fill_sizes(uint64_t sizes[6])
{
    sizes[0] = sizeof(xc__list);
    sizes[1] = sizeof(xc__entity);
    sizes[2] = sizeof(xc__iname);
    sizes[3] = sizeof(xc__tok);
    sizes[4] = sizeof(xc__name) | (uint64_t)sizeof(xc__ident) << 16 | (uint64_t)sizeof(xc__pdate) << 32;
    sizes[5] = sizeof(xc__form) | (uint64_t)XC__MAX_FORMS << 16 | (uint64_t)XC__LIST_MAX_ISSUES << 32;
}

uint64_t xc__snapshot_checksum(const void *file, size_t size)
{
    XXH3_state_t *st = XXH3_createState();
    if (!st)
        return 0;
    XXH3_64bits_reset(st);
    size_t at = offsetof(header, checksum);
    uint64_t zero = 0;
    XXH3_64bits_update(st, file, at);
    XXH3_64bits_update(st, &zero, sizeof zero);
    XXH3_64bits_update(st, (const char *)file + at + sizeof zero, size - at - sizeof zero);
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

size_t xc__snapshot_checksum_offset(void)
{
    return offsetof(header, checksum);
}

size_t xc__snapshot_build_id_offset(void)
{
    return offsetof(header, build_id);
}

static bool write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

xc_status xc__snapshot_write(const char *path, const char *key, const xc__listset *set,
                             const xc__index *index, xc_error *err)
{
    writer w = {0};
    w_alloc(&w, 8); /* offset 0 stands for NULL */
    /* lists */
    size_t lists = set->list_count ? w_copy(&w, set->lists, set->list_count * sizeof *set->lists) : 0;
    for (size_t i = 0; lists && i < set->list_count; i++)
        write_list(&w, lists + i * sizeof(xc__list), &set->lists[i]);
    /* entities */
    size_t ents = set->entity_count
                      ? w_copy(&w, set->entities, set->entity_count * sizeof *set->entities)
                      : 0;
    for (size_t i = 0; ents && i < set->entity_count; i++)
        write_entity(&w, ents + i * sizeof(xc__entity), &set->entities[i]);
    /* index */
    xc__index_image im;
    xc__index_get_image(index, &im);
    size_t names = im.name_count ? w_copy(&w, im.names, im.name_count * sizeof *im.names) : 0;
    for (size_t i = 0; names && i < im.name_count; i++)
        write_iname(&w, names + i * sizeof(xc__iname), &im.names[i]);
    size_t postings = w_blob(&w, im.postings,
                             (im.posting_count ? im.posting_count : 1) * sizeof(uint32_t), 64);
    size_t table = w_blob(&w, im.table, (im.table_mask + 1) * xc__index_table_slot_size, 64);
    size_t df = w_blob(&w, im.df, (im.df_mask + 1) * xc__index_df_slot_size, 64);
    /* Place the string region after the structures (page-aligned) and resolve the tags. */
    size_t split = (w.len + 4095) & ~(size_t)4095;
    size_t image_size = (split + w.strs.len + 4095) & ~(size_t)4095;
    if (!w.failed && image_size > IMAGE_MAX)
        w.failed = true;
    char *file_head = w.failed ? NULL : xc__calloc(1, HEADER_SIZE);
    char *grown = file_head && image_size > w.cap ? xc__realloc(w.buf, image_size) : w.buf;
    if (grown)
        w.buf = grown;
    if (w.failed || !file_head || !grown) {
        xc__free_mem(file_head);
        xc__free_mem(w.buf);
        xc__free_mem(w.strs.buf);
        xc__free_mem(w.relocs);
        xc__free_mem(w.pm);
        return xc__error_set(err, XC_NOMEM, "snapshot: out of memory (or image over 4 GiB)");
    }
    xc__free_mem(w.pm);
    memset(w.buf + w.len, 0, image_size - w.len);
    memcpy(w.buf + split, w.strs.buf, w.strs.len);
    xc__free_mem(w.strs.buf);
    for (size_t i = 0; i < w.nrel; i++) {
        uint64_t v;
        memcpy(&v, w.buf + w.relocs[i], sizeof v);
        if (v & IN_STRINGS) {
            v = (v & ~IN_STRINGS) + split;
            memcpy(w.buf + w.relocs[i], &v, sizeof v);
        }
    }
    postings = (postings & ~IN_STRINGS) + split;
    table = (table & ~IN_STRINGS) + split;
    df = (df & ~IN_STRINGS) + split;
    qsort(w.relocs, w.nrel, sizeof *w.relocs, u32_cmp);
    header h = {0};
    memcpy(h.magic, MAGIC, sizeof MAGIC);
    h.format = XC__SNAPSHOT_FORMAT;
    h.header_size = HEADER_SIZE;
    h.endian = ENDIAN_MARK;
    h.pointer_size = sizeof(void *);
    xc__strlcpy(h.build_id, xc__build_id, sizeof h.build_id);
    xc__strlcpy(h.key, key, sizeof h.key);
    h.image_size = image_size;
    h.split = split;
    h.reloc_off = HEADER_SIZE + image_size;
    h.reloc_count = w.nrel;
    h.file_size = h.reloc_off + w.nrel * sizeof(uint32_t);
    h.lists_off = lists;
    h.list_count = set->list_count;
    h.entities_off = ents;
    h.entity_count = set->entity_count;
    h.names_off = names;
    h.name_count = im.name_count;
    h.postings_off = postings;
    h.posting_count = im.posting_count;
    h.table_off = table;
    h.table_mask = im.table_mask;
    h.table_slot = xc__index_table_slot_size;
    h.df_off = df;
    h.df_mask = im.df_mask;
    h.df_slot = xc__index_df_slot_size;
    h.log_n = im.log_n;
    fill_sizes(h.sizes);
    memcpy(file_head, &h, sizeof h);
    /* checksum over header (checksum zero) + image + relocs, streamed */
    XXH3_state_t *st = XXH3_createState();
    uint64_t sum = 0;
    if (st) {
        XXH3_64bits_reset(st);
        XXH3_64bits_update(st, file_head, HEADER_SIZE);
        XXH3_64bits_update(st, w.buf, image_size);
        XXH3_64bits_update(st, w.relocs, w.nrel * sizeof(uint32_t));
        sum = XXH3_64bits_digest(st);
        XXH3_freeState(st);
    }
    memcpy(file_head + offsetof(header, checksum), &sum, sizeof sum);

    xc_status rc = xc__mkdirs_parent(path, 0700, err);
    char tmp[PATH_MAX];
    int fd = -1;
    if (rc == XC_OK) {
        if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= sizeof tmp)
            rc = xc__error_set(err, XC_TOOBIG, "snapshot path too long");
        else if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
            rc = xc__error_set(err, XC_IO, "%s: %s", tmp, strerror(errno));
    }
    if (rc == XC_OK) {
        bool ok = write_all(fd, file_head, HEADER_SIZE) && write_all(fd, w.buf, image_size) &&
                  write_all(fd, w.relocs, w.nrel * sizeof(uint32_t));
        if (close(fd) != 0)
            ok = false;
        /* No fsync: a snapshot torn by a power cut fails its checksum and is rebuilt. */
        if (!ok || rename(tmp, path) != 0) {
            rc = xc__error_set(err, XC_IO, "%s: %s", path, strerror(errno));
            unlink(tmp);
        }
    }
    xc__free_mem(file_head);
    xc__free_mem(w.buf);
    xc__free_mem(w.relocs);
    return rc;
}

/* ---- loader ---- */

static bool section_ok(const header *h, uint64_t off, uint64_t count, uint64_t size)
{
    if (count == 0)
        return true;
    if (off == 0 || off % 8 || off >= h->image_size)
        return false;
    if (size && count > (h->image_size - off) / size)
        return false;
    return true;
}

xc_status xc__snapshot_open(xc__snapshot **out, const char *path, const char *key,
                            xc__listset *set, xc__index **index, xc_error *err)
{
    *out = NULL;
    *index = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return xc__error_set(err, XC_NOTFOUND, "%s: no snapshot", path);
        return xc__error_set(err, XC_IO, "%s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return xc__error_set(err, XC_IO, "%s: not a regular file", path);
    }
    if ((uint64_t)st.st_size < HEADER_SIZE) {
        close(fd);
        return xc__error_set(err, XC_CORRUPT, "%s: too short for a snapshot", path);
    }
    size_t size = (size_t)st.st_size;
    char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return xc__error_set(err, XC_IO, "%s: mmap: %s", path, strerror(errno));
    header h;
    memcpy(&h, map, sizeof h);
    const char *why = NULL;
    uint64_t sizes[6];
    fill_sizes(sizes);
    if (memcmp(h.magic, MAGIC, sizeof MAGIC) != 0)
        why = "not an xcheck snapshot";
    else if (h.format != XC__SNAPSHOT_FORMAT || h.header_size != HEADER_SIZE ||
             h.endian != ENDIAN_MARK || h.pointer_size != sizeof(void *) ||
             memcmp(h.sizes, sizes, sizeof sizes) != 0)
        why = "foreign snapshot (another format or machine)";
    else if (h.file_size != size)
        why = "size differs from the header (truncated or extended)";
    else if (strncmp(h.build_id, xc__build_id, sizeof h.build_id) != 0)
        why = "foreign snapshot (built by another build of xcheck)";
    else if (strncmp(h.key, key, sizeof h.key) != 0)
        why = "built from other source files";
    else if (xc__snapshot_checksum(map, size) != h.checksum)
        why = "checksum mismatch (corrupt)";
    else if (h.image_size % 4096 || h.image_size > size - HEADER_SIZE ||
             h.split % 4096 || h.split > h.image_size ||
             h.reloc_off != HEADER_SIZE + h.image_size ||
             h.reloc_count > (size - h.reloc_off) / sizeof(uint32_t) ||
             h.table_slot != xc__index_table_slot_size || h.df_slot != xc__index_df_slot_size ||
             !section_ok(&h, h.lists_off, h.list_count, sizeof(xc__list)) ||
             !section_ok(&h, h.entities_off, h.entity_count, sizeof(xc__entity)) ||
             !section_ok(&h, h.names_off, h.name_count, sizeof(xc__iname)) ||
             !section_ok(&h, h.postings_off, h.posting_count, sizeof(uint32_t)) ||
             !section_ok(&h, h.table_off, h.table_mask + 1, h.table_slot) ||
             !section_ok(&h, h.df_off, h.df_mask + 1, h.df_slot) ||
             ((h.table_mask + 1) & h.table_mask) || ((h.df_mask + 1) & h.df_mask) ||
             h.lists_off + h.list_count * sizeof(xc__list) > h.split ||
             h.entities_off + h.entity_count * sizeof(xc__entity) > h.split ||
             h.names_off + h.name_count * sizeof(xc__iname) > h.split)
        why = "inconsistent sections";
    const char *image = map + HEADER_SIZE;
    /* The structures are copied into private memory (huge pages where the kernel gives them)
     * and relocated there; strings and index arrays stay in the read-only mapping. Copying
     * once is much cheaper than copy-on-write faults page by page. */
    char *structs = NULL;
    size_t structs_size = h.split ? (size_t)h.split : 4096;
    if (!why) {
        structs = mmap(NULL, structs_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (structs == MAP_FAILED) {
            munmap(map, size);
            return xc__error_set(err, XC_NOMEM, "%s: out of memory", path);
        }
#ifdef MADV_HUGEPAGE
        madvise(structs, structs_size, MADV_HUGEPAGE);
#endif
        memcpy(structs, image, (size_t)h.split);
        const uint32_t *relocs = (const uint32_t *)(map + h.reloc_off);
        for (uint64_t i = 0; i < h.reloc_count; i++) {
            uint32_t at = relocs[i];
            uint64_t value;
            if (at % 8 || (uint64_t)at + 8 > h.split) {
                why = "relocation outside the structures";
                break;
            }
            memcpy(&value, structs + at, sizeof value);
            if (value == 0 || value >= h.image_size) {
                why = "pointer outside the image";
                break;
            }
            const char *p = value < h.split ? structs + value : image + value;
            memcpy(structs + at, &p, sizeof p);
        }
    }
    xc__index_image im = {0};
    if (!why) {
        im.names = (xc__iname *)(structs + h.names_off);
        im.name_count = h.name_count;
        for (size_t i = 0; i < im.name_count; i++)
            if (im.names[i].entity >= h.entity_count || im.names[i].analysis.nforms < 0 ||
                im.names[i].analysis.nforms > XC__MAX_FORMS) {
                why = "index names point at no entity";
                break;
            }
        const xc__entity *ents = (const xc__entity *)(structs + h.entities_off);
        for (size_t i = 0; !why && i < h.entity_count; i++)
            if (ents[i].list >= h.list_count)
                why = "entities point at no list";
        const uint32_t *postings = (const uint32_t *)(image + h.postings_off);
        for (size_t i = 0; !why && i < h.posting_count; i++)
            if (postings[i] >= h.name_count)
                why = "postings point at no name";
    }
    if (why) {
        if (structs)
            munmap(structs, structs_size);
        munmap(map, size);
        return xc__error_set(err, XC_CORRUPT, "%s: %s", path, why);
    }
    xc__snapshot *snap = xc__calloc(1, sizeof *snap);
    if (!snap) {
        munmap(structs, structs_size);
        munmap(map, size);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    snap->map = map;
    snap->size = size;
    snap->structs = structs;
    snap->structs_size = structs_size;
    im.postings = (uint32_t *)(image + h.postings_off);
    im.posting_count = h.posting_count;
    im.table = (void *)(image + h.table_off);
    im.table_mask = h.table_mask;
    im.df = (void *)(image + h.df_off);
    im.df_mask = h.df_mask;
    im.log_n = h.log_n;
    xc_status rc = xc__index_from_image(index, &im, err);
    if (rc != XC_OK) {
        xc__snapshot_close(snap);
        return rc;
    }
    set->lists = h.list_count ? (xc__list *)(structs + h.lists_off) : NULL;
    set->list_count = set->list_cap = h.list_count;
    set->entities = h.entity_count ? (xc__entity *)(structs + h.entities_off) : NULL;
    set->entity_count = set->entity_cap = h.entity_count;
    utimensat(AT_FDCWD, path, NULL, 0); /* most recently used, for pruning */
    *out = snap;
    return XC_OK;
}

void xc__snapshot_close(xc__snapshot *snap)
{
    if (!snap)
        return;
    if (snap->structs)
        munmap(snap->structs, snap->structs_size);
    if (snap->map)
        munmap(snap->map, snap->size);
    xc__free_mem(snap);
}

typedef struct snap_file {
    char name[256];
    struct timespec mtime;
} snap_file;

static int snap_file_newest_first(const void *a, const void *b)
{
    const snap_file *x = a, *y = b;
    if (x->mtime.tv_sec != y->mtime.tv_sec)
        return x->mtime.tv_sec > y->mtime.tv_sec ? -1 : 1;
    if (x->mtime.tv_nsec != y->mtime.tv_nsec)
        return x->mtime.tv_nsec > y->mtime.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

void xc__snapshot_prune(const char *dir, const char *current, int keep)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    snap_file files[256];
    size_t n = 0;
    struct dirent *de;
    const char *cur = current ? xc__path_base(current) : "";
    while ((de = readdir(d)) != NULL && n < XC__ARRAY_LEN(files)) {
        size_t len = strlen(de->d_name);
        char full[PATH_MAX];
        struct stat st;
        if (strstr(de->d_name, ".snap.tmp.") &&
            (size_t)snprintf(full, sizeof full, "%s/%s", dir, de->d_name) < sizeof full &&
            stat(full, &st) == 0 && st.st_mtime < time(NULL) - 3600) {
            unlink(full); /* left by a process killed while writing */
            continue;
        }
        if (len < 6 || len >= sizeof files[0].name || strcmp(de->d_name + len - 5, ".snap") != 0 ||
            strcmp(de->d_name, cur) == 0)
            continue;
        if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, de->d_name) >= sizeof full ||
            stat(full, &st) != 0)
            continue;
        memcpy(files[n].name, de->d_name, len + 1);
        files[n].mtime = st.st_mtim;
        n++;
    }
    closedir(d);
    qsort(files, n, sizeof *files, snap_file_newest_first);
    for (size_t i = keep > 1 ? (size_t)keep - 1 : 0; i < n; i++) {
        char full[PATH_MAX];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, files[i].name) < sizeof full)
            unlink(full);
    }
}
