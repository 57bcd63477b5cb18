/*
 * lists.h — the entity model shared by every official list, and the parsers that fill it.
 *
 * A parser streams one official file (or file set) into an xc__listset: each source list gets an
 * xc__list record (id, title, version date, SHA-256, counts, skip reasons) and its entities are
 * appended to the set's entity array. All strings live in the set's arena. A malformed row is
 * reported (file and line) through xc__list_skip(), counted and skipped; it never stops the
 * load. Invalid UTF-8 is replaced (U+FFFD) and reported, never propagated.
 */
#ifndef XC_LISTS_H
#define XC_LISTS_H

#include "../base/base.h"

/* Kinds of name an entity carries. */
typedef enum xc__name_type {
    XC__NAME_PRIMARY = 0,
    XC__NAME_AKA = 1,        /* strong a.k.a. */
    XC__NAME_WEAK_AKA = 2,   /* weak / low-quality a.k.a. (OFAC "weak", UN "Low") */
    XC__NAME_FKA = 3,        /* formerly known as */
    XC__NAME_NKA = 4,        /* now known as */
    XC__NAME_ORIGINAL = 5,   /* original script (UN NAME_ORIGINAL_SCRIPT) */
    XC__NAME_VARIANT = 6     /* primary-name variation (UK) */
} xc__name_type;

const char *xc__name_type_str(xc__name_type type); /* "primary", "aka", "weak_aka", ... */

typedef struct xc__name {
    const char *text;  /* as published (UTF-8), e.g. "KIM, Jong Un" */
    uint8_t type;      /* xc__name_type */
    uint8_t reorder;   /* 1 when the name is a person's "SURNAME, Given" and may be reordered */
} xc__name;

typedef struct xc__ident {
    const char *type;    /* "Passport", "IMO", "National ID No.", ... as published */
    const char *value;
    const char *country; /* issuing country as published, may be NULL */
} xc__ident;

typedef struct xc__entity {
    uint32_t list;          /* index into xc__listset.lists */
    uint8_t kind;           /* xc_kind */
    const char *source_id;  /* the source's own id (OFAC ent_num, UN DATAID, CSL _id) */
    xc__name *names;        /* names[0] is the primary name */
    uint32_t name_count;
    xc__pdate *dobs;
    uint32_t dob_count;
    const char **countries; /* ISO alpha-2 where known (nationality, citizenship, address) */
    uint32_t country_count;
    const char **addresses; /* one line per address */
    uint32_t address_count;
    xc__ident *idents;
    uint32_t ident_count;
    const char *programs;   /* ';'-joined programme codes ("SDGT;IRGC") or "" */
    const char *listed_on;  /* YYYY-MM-DD or "" */
    const char *remarks;    /* free text or "" */
    const char **pobs;      /* places of birth as published ("Tehran, Iran") */
    uint32_t pob_count;
    const char **nationalities; /* alpha-2 codes the list gives as nationality or citizenship
                                   (also in countries[]); empty when it does not say */
    uint32_t nationality_count;
} xc__entity;

#define XC__LIST_MAX_ISSUES 64

typedef struct xc__list {
    const char *id;       /* stable snake_case source id: us_ofac_sdn, us_ofac_cons, un_sc, ... */
    const char *title;
    char version[11];     /* publication date YYYY-MM-DD, or "" when unknown */
    char sha256[65];      /* of the file; for a file set, SHA-256 over the files' digests */
    const char *files;    /* ';'-joined paths */
    size_t entities;
    size_t names;
    size_t rows_skipped;
    const char *issues[XC__LIST_MAX_ISSUES + 1]; /* first skip reasons, NULL-terminated */
    size_t issue_count;
    size_t utf8_replaced; /* fields in which invalid UTF-8 was replaced with U+FFFD */
    size_t orphan_rows;   /* alias/address/comment rows naming no primary record (OFAC CSV) */
    uint8_t incomplete;   /* loaded without a required companion file (see load.c) */
    uint8_t accepted;     /* ... by the folder's .xcheck-incomplete marker (xcheck update) */
    char missing[96];     /* the missing required files, ';'-joined, or "" */
    size_t other_records; /* records that are no entity to screen (FtM Sanction, Address, ...) */
} xc__list;

typedef struct xc__listset {
    xc__arena *arena;      /* owns every string and array below except the two arrays */
    xc__list *lists;       /* owned (xc__realloc) */
    size_t list_count, list_cap;
    xc__entity *entities;  /* owned (xc__realloc) */
    size_t entity_count, entity_cap;
} xc__listset;

xc_status xc__listset_init(xc__listset *set);
void xc__listset_free(xc__listset *set);

/* Finds the list with this id read from the same files (files NULL: any), or creates it (title, files as given). Returns its index, or -1
 * on out of memory. CSL sub-lists are created on first sight of their source. */
int xc__listset_list(xc__listset *set, const char *id, const char *title, const char *files);

/* Always appends a new list record, even when one with this id exists: for a second file of
 * the same source list that has its own version and digest (BIS dpl.txt next to the CSL's DPL
 * rows). Returns its index, or -1 on out of memory. */
int xc__listset_list_new(xc__listset *set, const char *id, const char *title, const char *files);

/* Appends an entity (copied shallowly: its arrays and strings must already live in the set's
 * arena). Updates the list's counters. */
xc_status xc__listset_add(xc__listset *set, const xc__entity *entity);

/* Records a skipped row on list index `list`: counts it and keeps the first 64 reasons. */
void xc__list_skip(xc__listset *set, int list, const char *fmt, ...) XC__PRINTF(3, 4);

/* Records an issue on list index `list` (kept among the first 64) without counting a skipped
 * row: for problems that lose no row, e.g. replaced invalid UTF-8 or a truncated file. */
void xc__list_issue(xc__listset *set, int list, const char *fmt, ...) XC__PRINTF(3, 4);

/* ---- entity builder shared by the parsers (entity.c) ----
 * Collects one entity's names, dates, countries, addresses and identifiers in scratch arrays,
 * then copies them into the set's arena on commit. Strings given to it are trimmed, checked for
 * UTF-8 (invalid bytes become U+FFFD, counted on the list and reported once per row with
 * file and line) and copied into the arena. Errors are sticky: after out of memory every call is
 * a no-op and commit returns XC_NOMEM. */
#define XC__EB_MAX_ITEMS 10000 /* per array per entity; more are ignored and reported */

typedef struct xc__ebuild {
    xc__listset *set;
    int list;              /* list index of the entity being built */
    const char *file;      /* for messages: base name of the file being parsed */
    size_t line;           /* for messages: line of the current row or element */
    xc_status status;      /* first error (XC_NOMEM), else XC_OK */
    bool reported_utf8;    /* invalid UTF-8 already reported for this row */
    bool reported_cap;     /* XC__EB_MAX_ITEMS already reported for this entity */
    xc__entity entity;     /* scalars (kind, source_id, programs, listed_on, remarks) */
    xc__name *names;
    uint32_t name_cap;
    xc__pdate *dobs;
    uint32_t dob_cap;
    const char **countries;
    uint32_t country_cap;
    const char **addresses;
    uint32_t address_cap;
    xc__ident *idents;
    uint32_t ident_cap;
    const char **pobs;
    uint32_t pob_cap;
    const char **nationalities;
    uint32_t nationality_cap;
} xc__ebuild;

void xc__eb_init(xc__ebuild *b, xc__listset *set, const char *file);
void xc__eb_free(xc__ebuild *b);
/* Starts a new entity on list index `list` of kind `kind`, forgetting any uncommitted one. */
void xc__eb_begin(xc__ebuild *b, int list, xc_kind kind);
/* Trimmed, UTF-8-checked arena copy of s[0..len); "" for an empty or OFAC null ("-0-") field,
 * NULL only on out of memory. */
const char *xc__eb_str(xc__ebuild *b, const char *s, size_t len);
/* Adds a name (ignored when empty or a duplicate of one already there). */
void xc__eb_name(xc__ebuild *b, const char *s, size_t len, xc__name_type type, bool reorder);
void xc__eb_dob(xc__ebuild *b, xc__pdate date);
/* Parses a date of birth as lists write it: "1958", "18 Jan 1958", "Jan 1958", "1958-01-18",
 * "circa 1960", "1958 to 1960" (each year of a range up to 12 years), "01/18/1958"
 * (dayfirst=false). Returns the number of dates added. */
int xc__eb_dob_text(xc__ebuild *b, const char *s, size_t len, bool dayfirst);
/* Adds an alpha-2 code (static string; duplicates ignored). */
void xc__eb_country_code(xc__ebuild *b, const char *code);
/* Adds the country named s (via xc__country_code); returns false when unknown. */
bool xc__eb_country(xc__ebuild *b, const char *s, size_t len);
void xc__eb_address(xc__ebuild *b, const char *s, size_t len);
/* Adds a place of birth as published (trimmed; empty and duplicates ignored). */
void xc__eb_pob(xc__ebuild *b, const char *s, size_t len);
/* Adds the country named s as a nationality or citizenship: to countries[] and to
 * nationalities[]; returns false when unknown. */
bool xc__eb_nationality(xc__ebuild *b, const char *s, size_t len);
/* Adds an alpha-2 code (static string) as a nationality (and a country). */
void xc__eb_nationality_code(xc__ebuild *b, const char *code);
/* type/value/country as published; empty value ignored; country may be NULL. */
void xc__eb_ident(xc__ebuild *b, const char *type, size_t type_len, const char *value,
                  size_t value_len, const char *country, size_t country_len);
/* Appends the entity to the set. An entity without any name is not added: the row is reported
 * as skipped ("<file> line N: no name"). Returns XC_NOMEM or XC_OK. */
xc_status xc__eb_commit(xc__ebuild *b);

/* SHA-256 (hex) of a whole file, read in blocks. */
xc_status xc__file_sha256(const char *path, char out[65], xc_error *err);
/* SHA-256 of a source given either as a file (path) or as bytes (data, len; data may be NULL). */
xc_status xc__source_sha256(const char *path, const char *data, size_t len, char out[65],
                            xc_error *err);

/* ---- parsers: each returns XC_OK even when rows were skipped; an error only when the file
 * cannot be read or is not of the expected format at all (then nothing is added). ---- */

/* OFAC legacy CSV set: sdn_path (sdn.csv or cons_prim.csv) plus the optional alt/add/comments
 * files (NULL when absent). list_id is "us_ofac_sdn" or "us_ofac_cons". */
xc_status xc__parse_ofac_csv(xc__listset *set, const char *list_id, const char *sdn_path,
                             const char *alt_path, const char *add_path,
                             const char *comments_path, xc_error *err);
/* OFAC XML (sdn.xml / consolidated.xml schema, either namespace). */
xc_status xc__parse_ofac_xml(xc__listset *set, const char *path, xc_error *err);
/* UN Security Council consolidated list XML. */
xc_status xc__parse_un_xml(xc__listset *set, const char *path, xc_error *err);
/* trade.gov Consolidated Screening List CSV; one list per source column value. */
xc_status xc__parse_csl_csv(xc__listset *set, const char *path, xc_error *err);
/* trade.gov CSL JSON ({"results":[...]}). */
xc_status xc__parse_csl_json(xc__listset *set, const char *path, xc_error *err);

/* True when id is the list id of one of the CSL's sub-lists (us_bis_entity_list, ...). */
bool xc__csl_list_id(const char *id);

/* BIS Denied Persons List dpl.txt (tab-separated, quoted, header row). */
xc_status xc__parse_dpl(xc__listset *set, const char *path, xc_error *err);

/* Memory-buffer forms of the parsers (for the fuzz targets and tests): data[0..len) is the
 * whole file, label names it in messages and stands in for the file path. Same results and
 * errors as the file forms. */
xc_status xc__parse_ofac_csv_mem(xc__listset *set, const char *list_id, const char *sdn,
                                 size_t sdn_len, const char *alt, size_t alt_len,
                                 const char *add, size_t add_len, xc_error *err);
xc_status xc__parse_ofac_xml_mem(xc__listset *set, const char *list_id, const char *data,
                                 size_t len, const char *label, xc_error *err);
xc_status xc__parse_un_xml_mem(xc__listset *set, const char *data, size_t len,
                               const char *label, xc_error *err);
xc_status xc__parse_csl_csv_mem(xc__listset *set, const char *data, size_t len,
                                const char *label, xc_error *err);
xc_status xc__parse_csl_json_mem(xc__listset *set, const char *data, size_t len,
                                 const char *label, xc_error *err);

/* Loads every recognised file among paths (files or folders, not recursive): recognises each
 * source by file name, or by content where names clash (OFAC vs UN consolidated.xml), groups
 * OFAC CSV sets, and parses them. Unknown files in a folder are ignored; a named file that is
 * not a known list is an error (XC_UNSUPPORTED). Recognition is one table, `sources[]` at the
 * top of load.c: a new source (EU, UK, METI ...) is its parser plus one row there. */
xc_status xc__load_paths(xc__listset *set, const char *const *paths, xc_error *err);

/* Flags of xc__load_paths_ex. */
#define XC__LOAD_ALLOW_INCOMPLETE 1u /* load a source missing a required companion (marked) */

/* xc__load_paths with flags. Every path must yield a list: a folder holding no recognised
 * list fails with XC_NODATA naming it. A source missing a required companion file (the
 * `required` column of load.c's table: OFAC's sdn.csv needs alt.csv and add.csv) fails with
 * XC_NOTFOUND naming the file, unless XC__LOAD_ALLOW_INCOMPLETE is given or the folder holds
 * the marker file INCOMPLETE_MARKER; then its list is marked incomplete. */
xc_status xc__load_paths_ex(xc__listset *set, const char *const *paths, unsigned flags,
                            xc_error *err);

/* Marker file xcheck update writes in a version folder it installed without a required
 * companion (on request); its text names the missing files. */
#define XC__INCOMPLETE_MARKER ".xcheck-incomplete"

/* The required files of the OFAC CSV set whose primary file is `primary` (e.g. "sdn.csv"):
 * writes up to max names into names (static strings) and returns how many, the primary
 * first; 0 for a file that is no set's primary. From load.c's table (for unit tests and
 * the sources table check). */
size_t xc__load_required(const char *primary, const char **names, size_t max);

/* Parses an ISO-3166 country name or code as lists write it ("Korea, North", "Iran",
 * "DPRK", "RU") into an alpha-2 code; NULL when unknown. Returned pointer is static. */
const char *xc__country_code(const char *name, size_t len);

#endif /* XC_LISTS_H */
