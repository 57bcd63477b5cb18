/*
 * load.c — finds the official list files among the paths the caller gives (files, or folders
 * read one level deep) and hands each to its parser.
 *
 * Recognition is TABLE-DRIVEN: `sources[]` below has one row per file a publisher ships, with
 * its file name (case-insensitive), an optional content sniffer for names that clash (OFAC's and
 * the UN's consolidated.xml), and either a single-file parser or the OFAC CSV set it belongs to.
 * To add a source (EU FSF, UK OFSI/FCDO, METI ...), write its parser and add one row.
 *
 * OFAC legacy CSV files are parsed as sets: in one folder, sdn.csv + alt.csv + add.csv +
 * sdn_comments.csv form one us_ofac_sdn set, cons_prim/cons_alt/cons_add/cons_comments one
 * us_ofac_cons set; a primary file named on its own brings the companions found next to it.
 * When a folder holds the same set in several delimited forms (.csv, .del,
 * .pip) only the first in that order is read, and when it also holds the same list as OFAC XML
 * the XML wins (the CSV set is skipped with a note on the list), so no entity is loaded twice.
 * A list's sha256 is that of its file; for a set it is SHA-256 over the members' hex digests
 * concatenated in the order primary, alt, add, comments (see ofac_csv.c).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lists.h"
#include "sources_extra.h"
#include "sources_own.h"

enum { ROLE_NONE = -1, ROLE_PRIMARY = 0, ROLE_ALT, ROLE_ADD, ROLE_COMMENTS };

typedef xc_status (*parse_fn)(xc__listset *set, const char *path, xc_error *err);
typedef bool (*sniff_fn)(const char *path);

typedef struct source_kind {
    const char *name;    /* published file name, matched case-insensitively */
    sniff_fn sniff;      /* content check where names clash; NULL = the name is enough */
    parse_fn parse;      /* single-file parser; NULL for a member of an OFAC CSV set */
    const char *list_id; /* list the file fills */
    int role;            /* for OFAC CSV set members: ROLE_PRIMARY .. ROLE_COMMENTS */
    int format;          /* for OFAC CSV sets: 0 .csv, 1 .del, 2 .pip (lower wins) */
    bool required;       /* for OFAC CSV set members: the set is incomplete without it */
} source_kind;

static bool root_is_sdnlist(const char *path);
static bool root_is_un(const char *path);

/* ---- THE DETECTION TABLE: one row per recognised file. ----
 * The last column says which members of an OFAC CSV set are REQUIRED: the primary records, the
 * aliases (alt: half the names) and the addresses (add). A set loaded without a required member
 * is refused (XC_NOTFOUND naming the file) unless the caller allows incomplete sources. The
 * comments file is optional: it holds only the overflow of Remarks past 1,000 characters (no
 * names), and older distributions lack it or ship it empty (the 2018 consolidated set in
 * ../shared has 0-byte comments files). data/sources.tsv says the same for `xcheck update` (a unit test
 * checks that the two agree). */
static const source_kind sources[] = {
    {"sdn.csv", NULL, NULL, "us_ofac_sdn", ROLE_PRIMARY, 0, true},
    {"alt.csv", NULL, NULL, "us_ofac_sdn", ROLE_ALT, 0, true},
    {"add.csv", NULL, NULL, "us_ofac_sdn", ROLE_ADD, 0, true},
    {"sdn_comments.csv", NULL, NULL, "us_ofac_sdn", ROLE_COMMENTS, 0, false},
    {"cons_prim.csv", NULL, NULL, "us_ofac_cons", ROLE_PRIMARY, 0, true},
    {"cons_alt.csv", NULL, NULL, "us_ofac_cons", ROLE_ALT, 0, true},
    {"cons_add.csv", NULL, NULL, "us_ofac_cons", ROLE_ADD, 0, true},
    {"cons_comments.csv", NULL, NULL, "us_ofac_cons", ROLE_COMMENTS, 0, false},
    {"cons_prim.del", NULL, NULL, "us_ofac_cons", ROLE_PRIMARY, 1, true},
    {"cons_alt.del", NULL, NULL, "us_ofac_cons", ROLE_ALT, 1, true},
    {"cons_add.del", NULL, NULL, "us_ofac_cons", ROLE_ADD, 1, true},
    {"cons_comments.del", NULL, NULL, "us_ofac_cons", ROLE_COMMENTS, 1, false},
    {"cons_prim.pip", NULL, NULL, "us_ofac_cons", ROLE_PRIMARY, 2, true},
    {"cons_alt.pip", NULL, NULL, "us_ofac_cons", ROLE_ALT, 2, true},
    {"cons_add.pip", NULL, NULL, "us_ofac_cons", ROLE_ADD, 2, true},
    {"cons_comments.pip", NULL, NULL, "us_ofac_cons", ROLE_COMMENTS, 2, false},
    {"sdn.xml", NULL, xc__parse_ofac_xml, "us_ofac_sdn", ROLE_NONE, 0, false},
    {"consolidated.xml", root_is_sdnlist, xc__parse_ofac_xml, "us_ofac_cons", ROLE_NONE, 0, false},
    {"consolidated.xml", root_is_un, xc__parse_un_xml, "un_sc", ROLE_NONE, 0, false},
    {"consolidated.csv", NULL, xc__parse_csl_csv, "us_csl", ROLE_NONE, 0, false},
    {"consolidated.json", NULL, xc__parse_csl_json, "us_csl", ROLE_NONE, 0, false},
    {"dpl.txt", NULL, xc__parse_dpl, "us_bis_dpl", ROLE_NONE, 0, false},
};

/* Local name of the first element of an XML file, from its first 8 KiB ("" if none). */
static void xml_root(const char *path, char *out, size_t size)
{
    out[0] = '\0';
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char head[8192];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    for (size_t i = 0; i + 1 < n; i++) {
        if (head[i] != '<' || head[i + 1] == '?' || head[i + 1] == '!')
            continue;
        size_t start = i + 1, end = start;
        while (end < n && !strchr(" \t\r\n/>", head[end]))
            end++;
        const char *colon = memchr(head + start, ':', end - start);
        if (colon)
            start = (size_t)(colon - head) + 1;
        size_t len = end - start < size - 1 ? end - start : size - 1;
        memcpy(out, head + start, len);
        out[len] = '\0';
        return;
    }
}

static bool root_is_sdnlist(const char *path)
{
    char root[64];
    xml_root(path, root, sizeof root);
    return strcmp(root, "sdnList") == 0;
}

static bool root_is_un(const char *path)
{
    char root[64];
    xml_root(path, root, sizeof root);
    return strcmp(root, "CONSOLIDATED_LIST") == 0;
}

/* ---- gathering files ---- */

typedef struct found {
    char *path;                /* owned */
    const source_kind *kind;   /* NULL when not recognised */
    bool explicit_file;        /* named by the caller rather than found in a folder */
    size_t path_index;         /* which of the caller's paths it came from */
    bool done;
    struct found *shadowed_by; /* OFAC CSV primary skipped for this XML file of its list */
} found;

typedef struct found_list {
    found *items;
    size_t count, cap;
} found_list;

static xc_status add_found(found_list *fl, const char *path, bool explicit_file,
                           size_t path_index)
{
    if (fl->count == fl->cap) {
        size_t cap = fl->cap ? fl->cap * 2 : 32;
        found *items = xc__realloc(fl->items, cap * sizeof *items);
        if (!items)
            return XC_NOMEM;
        fl->items = items;
        fl->cap = cap;
    }
    found *f = &fl->items[fl->count];
    memset(f, 0, sizeof *f);
    f->path = xc__strdup(path);
    if (!f->path)
        return XC_NOMEM;
    f->explicit_file = explicit_file;
    f->path_index = path_index;
    fl->count++;
    return XC_OK;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds a folder's regular files, sorted by name so loads are reproducible. */
static xc_status add_folder(found_list *fl, const char *dir_path, size_t path_index,
                            xc_error *err)
{
    DIR *dir = opendir(dir_path);
    if (!dir)
        return xc__error_set(err, XC_IO, "%s: cannot read folder", dir_path);
    char **names = NULL;
    size_t count = 0, cap = 0;
    xc_status rc = XC_OK;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        size_t need = strlen(dir_path) + strlen(entry->d_name) + 2;
        char *full = xc__malloc(need);
        if (!full) {
            rc = XC_NOMEM;
            break;
        }
        snprintf(full, need, "%s/%s", dir_path, entry->d_name);
        struct stat st;
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
            xc__free_mem(full);
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = xc__realloc(names, cap * sizeof *names);
            if (!grown) {
                xc__free_mem(full);
                rc = XC_NOMEM;
                break;
            }
            names = grown;
        }
        names[count++] = full;
    }
    closedir(dir);
    if (rc == XC_OK && count)
        qsort(names, count, sizeof *names, name_cmp);
    for (size_t i = 0; i < count; i++) {
        if (rc == XC_OK)
            rc = add_found(fl, names[i], false, path_index);
        xc__free_mem(names[i]);
    }
    xc__free_mem(names);
    if (rc == XC_NOMEM)
        xc__error_set(err, XC_NOMEM, "out of memory");
    return rc;
}

/* ---- Sources whose file names vary (EU FSF exports, UK, METI): recognised by a sniffer that
 * sees the base name and the first 4 KiB. One row per source. ---- */
typedef bool (*head_sniff_fn)(const char *name, const void *head, size_t len);

typedef struct head_source {
    head_sniff_fn sniff;
    source_kind kind; /* name unused; parse and list_id as in sources[] */
} head_source;

static const head_source head_sources[] = {
    {xc__sniff_eu, {"", NULL, xc__parse_eu, "eu_fsf", ROLE_NONE, 0, false}},
    {xc__sniff_uk_fcdo, {"", NULL, xc__parse_uk_fcdo, "uk_fcdo", ROLE_NONE, 0, false}},
    {xc__sniff_uk_ofsi, {"", NULL, xc__parse_uk_ofsi, "uk_ofsi", ROLE_NONE, 0, false}},
    {xc__sniff_meti, {"", NULL, xc__parse_meti, "jp_meti_eul", ROLE_NONE, 0, false}},
    /* Lists of one's own (sources_own.h): the watch list by its exact header line, whatever
     * the file's name; FollowTheMoney by name (*.ftm.json, *.ftm.jsonl). The list ids come
     * from the files (watch list: its list_id column; FtM: os_<name>). */
    {xc__sniff_watchlist, {"", NULL, xc__parse_watchlist, "watchlist", ROLE_NONE, 0, false}},
    {xc__sniff_ftm, {"", NULL, xc__parse_ftm, "opensanctions", ROLE_NONE, 0, false}},
};

static const source_kind *recognise(const char *path)
{
    const char *base = xc__path_base(path);
    for (size_t i = 0; i < XC__ARRAY_LEN(sources); i++)
        if (xc__str_ieq(base, sources[i].name) && (!sources[i].sniff || sources[i].sniff(path)))
            return &sources[i];
    char head[4096];
    size_t len = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        len = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    for (size_t i = 0; i < XC__ARRAY_LEN(head_sources); i++)
        if (head_sources[i].sniff(base, head, len))
            return &head_sources[i].kind;
    return NULL;
}

/* Length of the folder part of a path (up to the last '/'), 0 for a bare name. */
static size_t dir_len(const char *path)
{
    const char *base = xc__path_base(path);
    return (size_t)(base - path);
}

static bool same_dir(const char *a, const char *b)
{
    size_t la = dir_len(a), lb = dir_len(b);
    return la == lb && memcmp(a, b, la) == 0;
}

/* Parses the OFAC CSV set whose primary file is fl->items[p], with the companions of the same
 * format from the same folder. */
static xc_status load_set(xc__listset *set, found_list *fl, size_t p, unsigned flags,
                          xc_error *err)
{
    found *primary = &fl->items[p];
    const source_kind *k = primary->kind;
    const char *members[4] = {primary->path, NULL, NULL, NULL};
    for (size_t i = 0; i < fl->count; i++) {
        found *f = &fl->items[i];
        if (!f->kind || f->kind->parse || strcmp(f->kind->list_id, k->list_id) != 0 ||
            !same_dir(f->path, primary->path))
            continue;
        if (f->kind->format == k->format && f->kind->role != ROLE_PRIMARY)
            members[f->kind->role] = f->path;
        f->done = true; /* companions, and other formats of the same set */
    }
    /* A primary file named on its own brings its companions from its folder: the set is what
     * OFAC publishes together. */
    char *owned[4] = {NULL, NULL, NULL, NULL};
    if (primary->explicit_file) {
        size_t dlen = dir_len(primary->path);
        for (size_t i = 0; i < XC__ARRAY_LEN(sources); i++) {
            const source_kind *c = &sources[i];
            if (c->parse || c->role <= ROLE_PRIMARY || members[c->role] ||
                c->format != k->format || strcmp(c->list_id, k->list_id) != 0)
                continue;
            size_t need = dlen + strlen(c->name) + 1;
            char *path = xc__malloc(need);
            if (!path) {
                for (int r = 0; r < 4; r++)
                    xc__free_mem(owned[r]);
                return xc__error_set(err, XC_NOMEM, "out of memory");
            }
            snprintf(path, need, "%.*s%s", (int)dlen, primary->path, c->name);
            struct stat st;
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                owned[c->role] = path;
                members[c->role] = path;
            } else {
                xc__free_mem(path);
            }
        }
    }
    /* The same list as OFAC XML in this folder takes precedence over the CSV set. */
    for (size_t i = 0; i < fl->count; i++) {
        found *f = &fl->items[i];
        if (f->kind && f->kind->parse && strcmp(f->kind->list_id, k->list_id) == 0 &&
            same_dir(f->path, primary->path)) {
            primary->shadowed_by = f; /* noted on the list once the XML is loaded */
            for (int r = 0; r < 4; r++)
                xc__free_mem(owned[r]);
            return XC_OK;
        }
    }
    /* Complete sources or none: every required member present and readable. */
    char missing[96] = "";
    size_t dlen = dir_len(primary->path);
    for (size_t i = 0; i < XC__ARRAY_LEN(sources); i++) {
        const source_kind *c = &sources[i];
        if (c->parse || c->role <= ROLE_PRIMARY || !c->required || c->format != k->format ||
            strcmp(c->list_id, k->list_id) != 0)
            continue;
        if (members[c->role] && access(members[c->role], R_OK) == 0)
            continue;
        members[c->role] = NULL; /* unreadable: loaded as missing when allowed */
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s", used ? ";" : "", c->name);
    }
    bool accepted = false;
    if (missing[0]) {
        char marker[4200];
        snprintf(marker, sizeof marker, "%.*s%s", (int)dlen, primary->path, XC__INCOMPLETE_MARKER);
        accepted = access(marker, F_OK) == 0;
        if (!accepted && !(flags & XC__LOAD_ALLOW_INCOMPLETE)) {
            /* Worded as open.c's check of a snapshot-loaded list, so the answer does not
             * depend on the cache: "<list> (<files>): missing required file(s) ...". */
            char files[1024] = "";
            for (int r = 0; r < 4; r++) {
                size_t used = strlen(files);
                if (members[r])
                    snprintf(files + used, sizeof files - used, "%s%s", used ? ";" : "",
                             members[r]);
            }
            for (int r = 0; r < 4; r++)
                xc__free_mem(owned[r]);
            return xc__error_set(err, XC_NOTFOUND,
                                 "%s (%.400s): missing required file(s) %s; refused (allow an "
                                 "incomplete source explicitly to load it)",
                                 k->list_id, files, missing);
        }
    }
    size_t before = set->list_count;
    xc_status rc = xc__parse_ofac_csv(set, k->list_id, members[0], members[1], members[2],
                                      members[3], err);
    for (size_t i = before; rc == XC_OK && missing[0] && i < set->list_count; i++) {
        if (strcmp(set->lists[i].id, k->list_id) != 0)
            continue;
        set->lists[i].incomplete = 1;
        set->lists[i].accepted = accepted;
        xc__strlcpy(set->lists[i].missing, missing, sizeof set->lists[i].missing);
    }
    for (int r = 0; r < 4; r++)
        xc__free_mem(owned[r]);
    return rc;
}

size_t xc__load_required(const char *primary, const char **names, size_t max)
{
    const source_kind *k = NULL;
    for (size_t i = 0; i < XC__ARRAY_LEN(sources) && !k; i++)
        if (!sources[i].parse && sources[i].role == ROLE_PRIMARY &&
            xc__str_ieq(sources[i].name, primary))
            k = &sources[i];
    if (!k)
        return 0;
    size_t n = 0;
    if (n < max)
        names[n++] = k->name;
    for (size_t i = 0; i < XC__ARRAY_LEN(sources); i++) {
        const source_kind *c = &sources[i];
        if (!c->parse && c->role > ROLE_PRIMARY && c->required && c->format == k->format &&
            strcmp(c->list_id, k->list_id) == 0 && n < max)
            names[n++] = c->name;
    }
    return n;
}

xc_status xc__load_paths(xc__listset *set, const char *const *paths, xc_error *err)
{
    return xc__load_paths_ex(set, paths, 0, err);
}

xc_status xc__load_paths_ex(xc__listset *set, const char *const *paths, unsigned flags,
                            xc_error *err)
{
    if (!paths)
        return XC_OK;
    found_list fl = {0};
    xc_status rc = XC_OK;
    for (size_t i = 0; paths[i] && rc == XC_OK; i++) {
        struct stat st;
        if (stat(paths[i], &st) != 0)
            rc = xc__error_set(err, XC_IO, "%s: no such file or folder", paths[i]);
        else if (S_ISDIR(st.st_mode))
            rc = add_folder(&fl, paths[i], i, err);
        else if ((rc = add_found(&fl, paths[i], true, i)) != XC_OK)
            xc__error_set(err, rc, "out of memory");
    }
    for (size_t i = 0; i < fl.count && rc == XC_OK; i++) {
        found *f = &fl.items[i];
        f->kind = recognise(f->path);
        if (!f->kind && f->explicit_file)
            rc = xc__error_set(err, XC_UNSUPPORTED, "%s: not a known list file", f->path);
    }
    for (size_t i = 0; i < fl.count && rc == XC_OK; i++) {
        found *f = &fl.items[i];
        if (!f->kind || f->done)
            continue;
        if (f->kind->parse) {
            f->done = true;
            rc = f->kind->parse(set, f->path, err);
        } else if (f->kind->role == ROLE_PRIMARY) {
            /* Of several formats of one set in one folder, the lowest-ranked primary wins. */
            bool better = false;
            for (size_t j = 0; j < fl.count; j++) {
                found *g = &fl.items[j];
                if (g->kind && !g->kind->parse && g->kind->role == ROLE_PRIMARY &&
                    strcmp(g->kind->list_id, f->kind->list_id) == 0 &&
                    g->kind->format < f->kind->format && same_dir(g->path, f->path))
                    better = true;
            }
            if (better)
                continue;
            f->done = true;
            rc = load_set(set, &fl, i, flags, err);
        }
    }
    /* Companion files whose primary file is missing. */
    for (size_t i = 0; i < fl.count && rc == XC_OK; i++) {
        found *f = &fl.items[i];
        if (f->kind && !f->kind->parse && !f->done && f->kind->role != ROLE_PRIMARY) {
            bool has_primary = false;
            for (size_t j = 0; j < fl.count; j++)
                if (fl.items[j].kind && fl.items[j].kind->role == ROLE_PRIMARY &&
                    strcmp(fl.items[j].kind->list_id, f->kind->list_id) == 0 &&
                    same_dir(fl.items[j].path, f->path))
                    has_primary = true;
            /* In a folder too: alt.csv without sdn.csv is an incomplete source, not nothing
             * (unless the same list is loaded from its XML file in that folder). */
            bool xml_there = false;
            for (size_t j = 0; j < fl.count; j++)
                if (fl.items[j].kind && fl.items[j].kind->parse &&
                    strcmp(fl.items[j].kind->list_id, f->kind->list_id) == 0 &&
                    same_dir(fl.items[j].path, f->path))
                    xml_there = true;
            if (!has_primary && (f->explicit_file || !xml_there))
                rc = xc__error_set(err, XC_UNSUPPORTED,
                                   "%s: an OFAC companion file needs its primary file "
                                   "(sdn.csv or cons_prim.csv) in the same folder",
                                   f->path);
        }
    }
    for (size_t i = 0; i < fl.count && rc == XC_OK; i++) {
        found *f = &fl.items[i];
        if (!f->shadowed_by)
            continue;
        int list = xc__listset_list(set, f->kind->list_id, NULL, f->shadowed_by->path);
        if (list < 0)
            rc = xc__error_set(err, XC_NOMEM, "out of memory");
        else
            xc__list_issue(set, list, "%s: CSV set not loaded, %s of the same list is",
                           xc__path_base(f->path), xc__path_base(f->shadowed_by->path));
    }
    /* Every path given must yield a list: a folder holding none is a wrong folder. A companion
     * file named on its own yields the set its primary file loaded (sdn.csv alt.csv add.csv
     * named one by one). */
    for (size_t p = 0; paths[p] && rc == XC_OK; p++) {
        bool yielded = false;
        for (size_t i = 0; i < fl.count && !yielded; i++) {
            const found *f = &fl.items[i];
            yielded = f->path_index == p && f->kind &&
                      (f->kind->parse || f->kind->role == ROLE_PRIMARY ||
                       (f->explicit_file && f->kind->role > ROLE_PRIMARY)) &&
                      (f->done || f->shadowed_by);
        }
        if (!yielded)
            rc = xc__error_set(err, XC_NODATA,
                               "%s: no list file in this folder (recognised: OFAC sdn.csv with "
                               "alt.csv and add.csv, cons_prim.csv, sdn.xml, consolidated.xml; "
                               "UN consolidated.xml; CSL consolidated.csv/.json; BIS dpl.txt; EU "
                               "FSF, UK and METI exports; sub-folders are not searched)",
                               paths[p]);
    }
    for (size_t i = 0; i < fl.count; i++)
        xc__free_mem(fl.items[i].path);
    xc__free_mem(fl.items);
    return rc;
}
