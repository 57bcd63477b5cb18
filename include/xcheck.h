/*
 * xcheck.h — the public API of xcheck, an export-control and sanctions compliance engine.
 *
 * Two questions, answered with reasons and tied to data versions:
 *   - restricted-party screening: is a party on an official restricted list? (xc_screen)
 *   - licence determination: does a shipment need a licence, which kind, why? (xc_decide)
 *
 * Every front end (CLI, HTTP server, PostgreSQL extension) includes only this header.
 * Conventions:
 *   - Every call returns an xc_status (XC_OK is 0; numbers are stable and never reused), or, for
 *     a constructor, a handle or NULL with the status and message stored in an xc_error.
 *   - Objects returned through an OUT pointer are owned by the caller and released with their
 *     matching _free function; every _free accepts NULL.
 *   - Strings are UTF-8. The library never exits, aborts or prints.
 *   - An xc_engine is immutable once opened and safe to share between threads.
 */
#ifndef XCHECK_H
#define XCHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define XC_VERSION "0.1.0"

/* ---- Status codes: one table, expanded into the enum, xc_status_name() and xc_strerror(). ---- */
#define XC_STATUS_MAP(X)                                                   \
    X(OK, 0, "success")                                                    \
    X(ERROR, 1, "internal error")                                          \
    X(NOMEM, 2, "out of memory")                                           \
    X(INVALID, 3, "invalid argument")                                      \
    X(IO, 4, "input/output error")                                         \
    X(PARSE, 5, "malformed input")                                         \
    X(UTF8, 6, "invalid UTF-8")                                            \
    X(TOOBIG, 7, "input exceeds a size limit")                             \
    X(NOTFOUND, 8, "not found")                                            \
    X(UNSUPPORTED, 9, "unsupported format or feature")                     \
    X(NODATA, 10, "no list or regime data loaded")                         \
    X(DB, 11, "database error")                                            \
    X(NETWORK, 12, "network error")                                        \
    X(CORRUPT, 13, "corrupt or foreign data")

typedef enum xc_status {
#define XC__STATUS_ENUM(name, num, text) XC_##name = num,
    XC_STATUS_MAP(XC__STATUS_ENUM)
#undef XC__STATUS_ENUM
} xc_status;

/* Symbolic name of a status ("XC_PARSE"); "XC_UNKNOWN" for a number not in the table. */
const char *xc_status_name(xc_status status);
/* Short English description of a status; never NULL. */
const char *xc_strerror(xc_status status);

/* Error detail: the status plus a message naming the file, line or field at fault. */
typedef struct xc_error {
    xc_status code;
    char message[512];
} xc_error;

/* Frees memory the library returned as a plain buffer (JSON strings). NULL is a no-op. */
void xc_free(void *ptr);

/* ---- Entities and parties ---- */
typedef enum xc_kind {
    XC_KIND_ANY = 0, /* unknown or not given */
    XC_KIND_PERSON = 1,
    XC_KIND_ORG = 2,
    XC_KIND_VESSEL = 3,
    XC_KIND_AIRCRAFT = 4
} xc_kind;

/* "person", "org", "vessel", "aircraft" or "any". */
const char *xc_kind_name(xc_kind kind);
/* Parses a kind name; returns XC_INVALID for anything else (kind left unchanged). */
xc_status xc_kind_parse(const char *name, xc_kind *kind);

/* ---- Engine ---- */
typedef struct xc_engine xc_engine;

typedef struct xc_config {
    /* Official list files or folders holding them under their published names (folders are not
     * searched recursively). A source is recognised by file name, or by content where names
     * clash. NULL-terminated array; may be NULL for an engine with no lists. */
    const char *const *data_paths;
    /* Folder of the project's regime data files (data/regimes); NULL = no licence rules. */
    const char *regimes_dir;
    /* Worker threads the engine may use for index building; 0 = 1. */
    int threads;
} xc_config;

/* Opens an engine: parses the lists (malformed rows are counted and skipped, never fatal) and
 * builds the index. Returns the engine, or NULL with err set (XC_IO for an unreadable path,
 * XC_UNSUPPORTED for a file that is not a known list, XC_NOMEM). Close with xc_engine_close. */
xc_engine *xc_engine_open(const xc_config *cfg, xc_error *err);
/* Releases an engine; NULL is a no-op. */
void xc_engine_close(xc_engine *eng);

/* One loaded source list and what loading it found. Borrowed: valid until xc_engine_close. */
typedef struct xc_list_info {
    const char *id;          /* stable snake_case source id: "us_ofac_sdn", "un_sc", ... */
    const char *title;       /* human-readable name */
    const char *version;     /* publication date (YYYY-MM-DD) or "" when the file has none */
    const char *sha256;      /* hex SHA-256 of the file(s) it came from (joined in file order) */
    const char *files;       /* the file paths, joined with ';' */
    size_t entities;         /* entities loaded */
    size_t names;            /* names (primary + aliases) loaded */
    size_t rows_skipped;     /* malformed rows reported and skipped */
    const char *const *issues; /* up to 64 skip reasons ("sdn.csv line 12: ..."), NULL-terminated */
} xc_list_info;

/* Number of lists loaded; lists share a source id only when a CSL sub-list repeats one. */
size_t xc_engine_list_count(const xc_engine *eng);
/* The i-th list's information, or NULL when i is out of range. Borrowed. */
const xc_list_info *xc_engine_list(const xc_engine *eng, size_t i);

/* ---- Screening ---- */
typedef struct xc_party {
    const char *name;    /* required, UTF-8 */
    xc_kind kind;        /* XC_KIND_ANY when unknown */
    const char *country; /* ISO 3166 alpha-2 or NULL */
    const char *dob;     /* YYYY, YYYY-MM or YYYY-MM-DD, or NULL */
    const char *id;      /* caller's own reference, echoed in JSON; may be NULL */
} xc_party;

typedef struct xc_screen_opts {
    double threshold;        /* minimum score to report; <= 0 means the default (possible band) */
    int top;                 /* maximum matches; <= 0 means 10 */
    const char *const *lists; /* restrict to these source ids (NULL-terminated); NULL = all */
} xc_screen_opts;

/* Default score bands. A match at or above XC_BAND_STRONG is "strong"; at or above
 * XC_BAND_POSSIBLE it is "possible"; below, it is not reported. */
#define XC_BAND_STRONG 0.90
#define XC_BAND_POSSIBLE 0.75

/* One aligned token pair of a match explanation. */
typedef struct xc_token_pair {
    const char *query;     /* query token (normalised), or "" when a candidate token is unmatched */
    const char *candidate; /* candidate token (normalised), or "" when a query token is unmatched */
    double similarity;     /* [0,1] */
    double weight;         /* weight of the pair in the name score */
    const char *how;       /* "exact", "fuzzy", "phonetic", "romanised", "abbreviation", "unmatched" */
} xc_token_pair;

typedef struct xc_match {
    const char *list;         /* source id */
    const char *entity_id;    /* the source's own id */
    const char *name;         /* the entity's primary name */
    const char *matched_name; /* the name (primary or alias) that matched */
    const char *matched_type; /* "primary", "aka", "weak_aka", "fka", "original_script" ... */
    xc_kind kind;
    double score;             /* [0,1] after qualifiers */
    double name_score;        /* [0,1] before qualifiers */
    const char *band;         /* "strong" or "possible" */
    const xc_token_pair *pairs;
    size_t pair_count;
    const char *qualifiers;   /* human-readable qualifier notes, "" when none applied */
    const char *programs;     /* sanctions programmes, ';'-joined */
    const char *query_form;   /* which reading of the query aligned: "latin", "translit",
                                 or a cross-script label ("ko-rr", "ja-hepburn", ...) */
    const char *candidate_form; /* likewise for the listed name */
} xc_match;

typedef struct xc_result xc_result;

/* Screens one party. On success *out holds the ranked matches (free with xc_result_free).
 * Errors: XC_INVALID (no name, bad dob/country), XC_UTF8, XC_TOOBIG (name over 4 KiB), XC_NOMEM. */
xc_status xc_screen(const xc_engine *eng, const xc_party *party, const xc_screen_opts *opts,
                    xc_result **out, xc_error *err);
size_t xc_result_count(const xc_result *res);
/* The i-th match, best first; NULL when out of range. Borrowed from res. */
const xc_match *xc_result_match(const xc_result *res, size_t i);
/* Renders {"id":..,"query":{..},"matches":[..],"data_version":{..}} as one line (no newline).
 * Owned: free with xc_free. NULL on out of memory. */
char *xc_result_json(const xc_result *res);
void xc_result_free(xc_result *res);

/* Scores two names directly, without lists. *score in [0,1]; pairs/explanation via JSON:
 * *json_out (optional, owned, free with xc_free) gets {"score":..,"band":..,"explanation":{..}}. */
xc_status xc_match_names(const xc_engine *eng, const char *name1, const char *name2, xc_kind kind,
                         double *score, char **json_out, xc_error *err);

/* ---- Licence determination ---- */
/* Decides a shipment given as JSON (see README "decide"). On success *json_out holds the
 * decisions as one JSON object (owned, free with xc_free). Errors name the offending field:
 * XC_PARSE for malformed JSON, XC_INVALID for a bad date, country code or missing field,
 * XC_NODATA when the engine was opened without regime data. */
xc_status xc_decide_json(const xc_engine *eng, const char *json, size_t len, char **json_out,
                         xc_error *err);

/* ==== Licence determination: dated groups, timelines and decisions over a period ==== */
/* Output format of the functions below that offer one: JSON (one line) or plain text lines. */
typedef enum xc_format { XC_FORMAT_JSON = 0, XC_FORMAT_TEXT = 1 } xc_format;

/* Decides the shipment `json` (as xc_decide_json; its "date" is ignored) for every day from `from`
 * to `to` (YYYY-MM-DD, both included) and renders each interval in which the outcome, licences
 * or reasons differ, with the facts that started or ended on its first day:
 * {"from":..,"to":..,"intervals":[{"valid_from":..,"valid_to":..(exclusive),"changed_by":[..],
 * "decisions":[..]}],"parties":[..]}. Owned result (xc_free). Errors as xc_decide_json, plus
 * XC_INVALID naming "from"/"to" for a bad date or to < from. */
xc_status xc_decide_between_json(const xc_engine *eng, const char *json, size_t len,
                                 const char *from, const char *to, char **json_out,
                                 xc_error *err);

/* The groups `country` (ISO 3166 alpha-2) belongs to under `jurisdiction` ("JP", "KR", "US" or
 * "EU") on `date` (YYYY-MM-DD), each with its legal list, confidence, citation and validity
 * window; JP Group C and KR region Na (residual) are named when no listed group applies.
 * Owned result (xc_free). Errors: XC_INVALID naming the argument, XC_NODATA without rules. */
xc_status xc_groups_render(const xc_engine *eng, const char *jurisdiction, const char *country,
                           const char *date, xc_format format, char **out, xc_error *err);

/* Every dated change between countries a and b (either direction; events for all destinations
 * of a's or b's jurisdiction included), oldest first, with the procedural steps (announcement,
 * public_comment, cabinet_decision, promulgation, policy_dialogue) and the steps that changed the
 * law marked ("changed_law": true). Owned result (xc_free). Errors: XC_INVALID naming the
 * argument, XC_NODATA without rules. */
xc_status xc_timeline_render(const xc_engine *eng, const char *a, const char *b, xc_format format,
                             char **out, xc_error *err);
/* ==== end of licence determination ==== */

#ifdef __cplusplus
}
#endif
#endif /* XCHECK_H */
