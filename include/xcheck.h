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
    /* Folder for engine snapshots (created when missing), e.g. $XDG_CACHE_HOME/xcheck; NULL =
     * always parse. With it, the parsed lists and their index are written to a memory-mappable
     * file keyed by the exact source files (path, size, times, inode) and this build, and the
     * next open of the same files maps it instead of parsing (milliseconds, not seconds). A
     * damaged, foreign or stale snapshot is detected (checksum, build id, key) and rebuilt. */
    const char *snapshot_dir;
    /* 1 = an engine with no list is allowed (licence decisions without parties, xc_match_names,
     * groups, timelines); xc_screen on it returns XC_NODATA. 0 (default) = an open that loads
     * no list at all fails with XC_NODATA. Either way, every data path given must yield a list:
     * a folder holding none fails with XC_NODATA naming the folder. */
    int allow_no_lists;
    /* 1 = load a source whose required companion file is missing or unreadable (OFAC CSV set:
     * sdn.csv needs alt.csv and add.csv; see src/lists/load.c); its list is marked incomplete
     * (xc_list_info.incomplete, "incomplete": true in results' data_version, and a warning on
     * every result). 0 (default) = such a source fails the open with XC_NOTFOUND naming the
     * missing file, unless its folder holds the marker `xc_update_lists` writes when it
     * installs an incomplete source on request (.xcheck-incomplete). */
    int allow_incomplete;
    /* 1 = the lists are the bundled sample (data/samples): every result says so ("sample": true
     * in JSON and a warning). */
    int sample;
    /* > 0: every result screened against a list published more than this many days before
     * as_of carries a warning (by the publication date in the list's file; a list whose file
     * carries no date is warned about as of unknown age). 0 = no age check. */
    int max_age_days;
    /* Date the age is measured at, YYYY-MM-DD; NULL = today (UTC). */
    const char *as_of;
} xc_config;

/* Opens an engine: parses the lists (malformed rows are counted and skipped, never fatal) and
 * builds the index. Returns the engine, or NULL with err set: XC_IO for an unreadable path,
 * XC_UNSUPPORTED for a file given directly that is not a known list, XC_NODATA when no list at
 * all is loaded (unless cfg->allow_no_lists) or when a folder given holds no list, or a list
 * holds no entity, XC_NOTFOUND for a source missing a required companion file (unless
 * cfg->allow_incomplete), XC_NOMEM. Close with xc_engine_close. */
xc_engine *xc_engine_open(const xc_config *cfg, xc_error *err);
/* Releases an engine; NULL is a no-op. */
void xc_engine_close(xc_engine *eng);

/* How an engine got its lists (xc_engine_snapshot). */
typedef enum xc_snapshot_state {
    XC_SNAPSHOT_NONE = 0,    /* no snapshot folder configured, or no lists: parsed */
    XC_SNAPSHOT_LOADED = 1,  /* mapped from a valid snapshot */
    XC_SNAPSHOT_WRITTEN = 2, /* parsed, and a new snapshot written (note says why: none yet,
                                or the reason the old one was rejected) */
    XC_SNAPSHOT_FAILED = 3   /* parsed; the snapshot could not be written (note says why) */
} xc_snapshot_state;

typedef struct xc_snapshot_info {
    xc_snapshot_state state;
    const char *path;  /* the snapshot file, or NULL */
    const char *note;  /* "" or why it was rebuilt / not written */
    double open_ms;    /* wall time xc_engine_open took */
} xc_snapshot_info;

/* Snapshot state of an engine. Borrowed: valid until xc_engine_close. */
const xc_snapshot_info *xc_engine_snapshot(const xc_engine *eng);

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
    int incomplete;          /* 1 when loaded without a required companion (allow_incomplete) */
    const char *missing;     /* the required files that were missing, ';'-joined, or "" */
} xc_list_info;

/* The warnings the engine's results carry (sample data, incomplete lists, lists older than
 * xc_config.max_age_days), for every list. Borrowed: valid until xc_engine_close; NULL when i is
 * out of range. */
size_t xc_engine_warning_count(const xc_engine *eng);
const char *xc_engine_warning(const xc_engine *eng, size_t i);

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
    /* Identifiers of the party, "TYPE:VALUE" or bare "VALUE" (at most 16), NULL-terminated;
     * may be NULL. One equal to an identifier a list carries makes that entity a "strong"
     * match whatever the names say. Values compare after normalising (ASCII case, spaces and
     * punctuation ignored: "IMO 918-7629" = "9187629"). TYPE (case-insensitive): imo, mmsi,
     * call_sign, passport, national_id (nid), tax_id (tin, vat), registration (lei, company),
     * swift_bic (bic, swift), crypto (wallet), aircraft; a typed id matches listed ids of the
     * same kind or of a type the engine cannot classify; a bare value matches any type. */
    const char *const *ids;
} xc_party;

typedef struct xc_screen_opts {
    double threshold;        /* minimum score to report; <= 0 means the default (possible band) */
    int top;                 /* maximum matches; <= 0 means 10 */
    const char *const *lists; /* restrict to these source ids (NULL-terminated); NULL = all */
    /* Which scorer gives the score: NULL or "xcheck" = xcheck's own (docs/scoring.md);
     * "ofac" = the score OFAC's Sanctions List Search shows (name only: no qualifiers), for
     * reconciling with the regulator's tool. Candidates come from the same index either way.
     * With "ofac", threshold <= 0 means XC_OFAC_DEFAULT_THRESHOLD. Any other name: XC_INVALID. */
    const char *scorer;
} xc_screen_opts;

/* Default minimum score of the "ofac" scorer: 85 on OFAC's 0-100 scale. OFAC's own slider starts
 * at 100 (exact matches only) and OFAC recommends no threshold (FAQ 250); see docs/scoring.md. */
#define XC_OFAC_DEFAULT_THRESHOLD 0.85

/* Score bands, the same whatever threshold is asked for. A match at or above XC_BAND_STRONG is
 * "strong"; at or above XC_BAND_POSSIBLE it is "possible"; below it is "weak", reported only when
 * the caller lowers the threshold. Qualifiers never hide a name: a name scoring strong on its
 * own (name_score >= XC_BAND_STRONG, and at least the threshold) is reported whatever a date of
 * birth or country conflict takes off its score, and its band is at least "possible". */
#define XC_BAND_STRONG 0.90
#define XC_BAND_POSSIBLE 0.82

/* One aligned token pair of a match explanation. */
typedef struct xc_token_pair {
    const char *query;     /* query token (normalised), or "" when a candidate token is unmatched */
    const char *candidate; /* candidate token (normalised), or "" when a query token is unmatched */
    double similarity;     /* [0,1] */
    double weight;         /* weight of the pair in the name score */
    const char *how;       /* "exact", "fuzzy", "phonetic", "romanised", "skeleton" (an
                              Arabic-script reading aligned letter by letter), "initial",
                              "joined", "unmatched"; with the "ofac" scorer: "whole_string"
                              (the two names' letters run together), "jaro_winkler" (a query
                              part and its best listed part), "short" (a query part of 1-2
                              characters, not counted), "unmatched" */
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
    /* Identifier match (NULL when the match is by name only): the query's id as given, and the
     * listed identifier it equals, type and value as published. The score is then 1.0. */
    const char *id_query;
    const char *id_type;
    const char *id_value;
    /* The real-world entity the match is: matches of one result with the same group are one
     * entity on several lists (the CSL's copy of an SDN entry, a UN listing on the UK list),
     * linked by the lists' own ids (OFAC entity numbers, UN reference numbers) or by the same
     * primary name, kind and (for a person) date of birth. "ofac:<n>", "un:<ref>",
     * "name:<name>", "name:person:<name>:<dob>" or "entry:<list>:<id>"; stable across screenings of the same
     * lists. Re-screening raises one alert per party and group. */
    const char *group;
} xc_match;

typedef struct xc_result xc_result;

/* Screens one party. On success *out holds the ranked matches (free with xc_result_free).
 * A dob or country that is not valid does not stop the screen: the name is screened without
 * it and the result carries the field's error (xc_result_warning, JSON "field_errors").
 * Errors: XC_INVALID (no name, an id of unknown type or under 4 letters and
 * digits), XC_UTF8, XC_TOOBIG (name over 4 KiB, over 16 ids), XC_NOMEM, XC_NOTFOUND for an id in
 * opts->lists that names no loaded list (the message names it and the known ids), XC_NODATA when
 * nothing would be screened (an engine with no list, or lists that hold no entity). */
xc_status xc_screen(const xc_engine *eng, const xc_party *party, const xc_screen_opts *opts,
                    xc_result **out, xc_error *err);
size_t xc_result_count(const xc_result *res);
/* The i-th match, best first; NULL when out of range. Borrowed from res. */
const xc_match *xc_result_match(const xc_result *res, size_t i);
/* Renders {"id":..,"query":{..},"matches":[..],"data_version":{..},"warnings":[..]} as one line
 * (no newline). data_version has one object per list screened (opts->lists applied), keyed by
 * list id: {"date":..,"published":.. (publication date from the file, or null),"sha256":..,
 * "entities":..,"names":..,"incomplete":bool}; "warnings" is always present (maybe empty);
 * "sample": true is added when the lists are the bundled sample. Owned: free with xc_free. NULL
 * on out of memory. */
char *xc_result_json(const xc_result *res);
/* The lists a result was screened against (the engine's lists after opts->lists), in engine
 * order. Borrowed from the engine: valid until xc_engine_close. */
size_t xc_result_list_count(const xc_result *res);
const xc_list_info *xc_result_list(const xc_result *res, size_t i);
/* Warnings that go with a result (sample data, incomplete or old lists), as in its JSON.
 * Borrowed: valid while res and its engine live. NULL when i is out of range. */
size_t xc_result_warning_count(const xc_result *res);
const char *xc_result_warning(const xc_result *res, size_t i);
void xc_result_free(xc_result *res);

/* Renders one listed entity whole, as its list gives it (README "Entity JSON"):
 * {"list":..,"list_version":..,"entity_id":..,"kind":..,"names":[{"name":..,"type":..}],
 *  "dates_of_birth":[..],"places_of_birth":[..],"nationalities":[..],"countries":[..],
 *  "addresses":[..],"identifiers":[{"type":..,"value":..,"country":..}],"programs":[..],
 *  "listed_on":..,"remarks":..}. The same object is every match's "entity" in xc_result_json.
 * list is a source id ("us_ofac_sdn"), entity_id the source's own id ("36", "QDi.001").
 * OUT *json_out: one line, owned (free with xc_free); NULL on error. Errors: XC_INVALID (a NULL
 * argument), XC_NODATA (no lists loaded), XC_NOTFOUND (list not loaded, or no such entity on
 * it: the message says which), XC_NOMEM. */
xc_status xc_entity_json(const xc_engine *eng, const char *list, const char *entity_id,
                         char **json_out, xc_error *err);

/* Scores two names directly, without lists. *score in [0,1]; pairs/explanation via JSON:
 * *json_out (optional, owned, free with xc_free) gets {"score":..,"band":..,"explanation":{..}}. */
xc_status xc_match_names(const xc_engine *eng, const char *name1, const char *name2, xc_kind kind,
                         double *score, char **json_out, xc_error *err);

/* Options of xc_match_names_opts. */
typedef struct xc_match_opts {
    xc_kind kind;       /* as xc_match_names' kind */
    const char *scorer; /* as xc_screen_opts.scorer: NULL or "xcheck", or "ofac" */
} xc_match_opts;

/* xc_match_names with a choice of scorer (opts may be NULL: the default scorer, any kind). With
 * "ofac", *score is OFAC's Sanctions List Search score / 100 and *json_out's explanation holds
 * "scorer":"ofac", "ofac_score" (0-100), "potential_match", "technique" ("whole_string",
 * "name_parts", or "none" when the names fail OFAC's first pass), "whole_string", "name_parts"
 * and the pairs as OFAC's method compares them. Errors: as xc_match_names, plus XC_INVALID for
 * an unknown scorer. */
xc_status xc_match_names_opts(const xc_engine *eng, const char *name1, const char *name2,
                              const xc_match_opts *opts, double *score, char **json_out,
                              xc_error *err);

/* ---- Licence determination ---- */
/* Decides a shipment given as JSON (see README "decide"). On success *json_out holds the
 * decisions as one JSON object (owned, free with xc_free). Errors name the offending field:
 * XC_PARSE for malformed JSON, XC_INVALID for a bad date, country code or missing field,
 * XC_NODATA when the engine was opened without regime data, or when the shipment names parties
 * and the engine has no restricted-party list (they cannot be screened). */
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

/* ==== Store: SQLite persistence for the front ends (list versions, audit log, counterparties,
 * alerts). The engine never touches the store; the CLI and the server record through these
 * calls. One xc_store is one SQLite connection: use it from one thread at a time (open one per
 * thread). Several processes may share a store file; writers wait up to 5 s for each other. ==== */
typedef struct xc_store xc_store;

/* Writes the default store path, $XDG_DATA_HOME/xcheck/xcheck.db (XDG_DATA_HOME defaults to
 * $HOME/.local/share), into out. Errors: XC_INVALID when neither variable is set, XC_TOOBIG
 * when out is too small. */
xc_status xc_store_default_path(char *out, size_t size, xc_error *err);
/* Writes the default data folder, $XDG_DATA_HOME/xcheck, into out (errors as above). */
xc_status xc_data_dir(char *out, size_t size, xc_error *err);

/* Opens the store at path, creating the file (and its parent folder) and the schema when
 * missing; the database runs in WAL mode with synchronous=FULL. Returns the handle, or NULL
 * with err set: XC_DB (cannot open, locked past the timeout), XC_CORRUPT (not an xcheck store,
 * or a schema newer than this library), XC_NOMEM. Close with xc_store_close. */
xc_store *xc_store_open(const char *path, xc_error *err);
/* Closes the store; NULL is a no-op. */
void xc_store_close(xc_store *store);
/* Schema version of an open store (PRAGMA user_version). */
int xc_store_schema_version(xc_store *store);
/* Runs PRAGMA integrity_check; XC_CORRUPT with the first problem in err when it fails. */
xc_status xc_store_integrity_check(xc_store *store, xc_error *err);

/* Groups many writes into one transaction (one disk sync instead of one per entry): for bulk
 * screening. Calls do not nest. xc_store_rollback discards everything since xc_store_begin. */
xc_status xc_store_begin(xc_store *store, xc_error *err);
xc_status xc_store_commit(xc_store *store, xc_error *err);
xc_status xc_store_rollback(xc_store *store, xc_error *err);

/* -- Audit log: append-only and hash-chained. Each entry stores prev_hash (the previous entry's
 * hash; 64 zeros for the first) and hash = SHA-256 over prev_hash and the entry's fields (id,
 * time, kind, query, answer, data_version, each length-prefixed). -- */

/* Appends an entry: kind is a short word ("screen", "decide", "alert_clear", ...); query,
 * answer and data_version are JSON texts (NULL is stored as ""). The time (UTC, ms) is taken
 * by the store. *id (optional) receives the entry id. Errors: XC_INVALID (empty kind, a text
 * over 16 MiB, invalid UTF-8), XC_DB. */
xc_status xc_store_audit_append(xc_store *store, const char *kind, const char *query_json,
                                const char *answer_json, const char *data_version_json,
                                int64_t *id, xc_error *err);
/* Walks the whole chain. Returns XC_OK with *first_bad = 0 when intact, or XC_CORRUPT with
 * *first_bad = the first entry that fails (edited, reordered, or the first entry after a
 * deleted one; for entries deleted from the end, the id of the last entry the store recorded)
 * and the reason in err. *checked (optional) receives the number of entries checked. */
xc_status xc_store_audit_verify(xc_store *store, int64_t *first_bad, int64_t *checked,
                                xc_error *err);

/* One audit entry, borrowed for the duration of a callback. */
typedef struct xc_audit_entry {
    int64_t id;
    const char *time;         /* "YYYY-MM-DDTHH:MM:SS.mmmZ" */
    const char *kind;
    const char *query;        /* JSON */
    const char *answer;       /* JSON */
    const char *data_version; /* JSON */
    const char *prev_hash;    /* hex */
    const char *hash;         /* hex */
} xc_audit_entry;
/* Callback for the _each functions: return 0 to go on, non-zero to stop early. */
typedef int (*xc_audit_fn)(void *ctx, const xc_audit_entry *entry);
/* Calls fn for entries with id > after_id, oldest first, at most limit (0 = all). */
xc_status xc_store_audit_each(xc_store *store, int64_t after_id, int64_t limit, xc_audit_fn fn,
                              void *ctx, xc_error *err);

/* -- Counterparties: the parties a business screens repeatedly, with their latest result. -- */
typedef struct xc_stored_party {
    int64_t id;
    const char *ref;              /* caller's id, or "auto:<hash>" when the import had none */
    const char *name;
    const char *kind;             /* "person", "org", ... or "" */
    const char *country;          /* "" when unknown */
    const char *dob;              /* "" when unknown */
    const char *last_screened_at; /* "" when never screened */
    const char *last_result_sha256; /* SHA-256 of the last result JSON, "" when never screened */
    const char *last_band;        /* "strong", "possible", "none" or "" */
    int64_t last_audit_id;        /* audit entry of the last screening, 0 when none */
    const char *ids;              /* identifiers, ';'-separated ("imo:9187629;bic:KDBKKPPY"),
                                     screened with the name; "" when none */
} xc_stored_party;
typedef int (*xc_party_fn)(void *ctx, const xc_stored_party *party);

/* Imports counterparties from a CSV file with a header row naming its columns: name
 * (required), and optionally id, kind, country, dob, ids (identifiers as xc_party.ids takes
 * them, ';'-separated; any order, case-insensitive; other columns ignored). Rows are upserted by id (by a hash of name, kind, country and dob when id is
 * empty), all in one transaction, and the import is audited. A bad row (no name, unknown kind,
 * bad country or dob, wrong field count, invalid UTF-8) is skipped and reported as
 * "line N: reason" in *issues (owned, newline-separated, NULL when none; free with xc_free).
 * *imported and *skipped (optional) count rows. Errors: XC_IO, XC_PARSE (no header or no name
 * column), XC_TOOBIG (file over 256 MiB), XC_DB. */
xc_status xc_store_parties_import_csv(xc_store *store, const char *path, size_t *imported,
                                      size_t *skipped, char **issues, xc_error *err);
/* Calls fn for each stored party, ordered by id. */
xc_status xc_store_parties_each(xc_store *store, xc_party_fn fn, void *ctx, xc_error *err);
/* Records a party's latest screening result (JSON, as xc_result_json renders it), its band and
 * the audit entry that logged it. Errors: XC_NOTFOUND (no party with that ref), XC_DB. */
xc_status xc_store_party_set_result(xc_store *store, const char *ref, const char *result_json,
                                    const char *band, int64_t audit_id, xc_error *err);

/* -- Alerts: possible matches waiting for a reviewer's disposition. -- */
typedef struct xc_alert {
    int64_t id;
    const char *created_at;
    const char *status;       /* "open", "cleared" or "escalated" */
    const char *party_ref;    /* "" when the alert is not about a stored party */
    const char *query;        /* JSON of the screened party */
    const char *list;         /* source id of the matched entity */
    const char *entity_id;    /* the source's own id */
    const char *matched_name;
    double score;
    const char *band;
    int64_t audit_id;         /* screening entry that raised it, 0 when none */
    const char *reviewer;     /* "" until disposed */
    const char *reason;       /* "" until disposed */
    const char *disposed_at;  /* "" until disposed */
    /* The real-world entity the alert is about (xc_match.group), "" for alerts of schema 1. */
    const char *group;
    /* Every listed entry of that entity the alert covers, as a JSON array of
     * {"list":..,"entity_id":..,"matched_name":..,"score":..,"band":..}, the alert's own list and
     * entity_id first. On create, NULL or "" means that one entry. A disposition covers them all. */
    const char *members;
} xc_alert;
typedef int (*xc_alert_fn)(void *ctx, const xc_alert *alert);

/* Creates an open alert from alert's fields (id, status, reviewer, reason and disposed_at are
 * ignored; NULL strings are stored as ""); the creation is audited with its group and members.
 * *id (optional) gets its id. Errors: XC_INVALID (no list or entity_id; members not a JSON array
 * of objects with list and entity_id), XC_DB. */
xc_status xc_store_alert_create(xc_store *store, const xc_alert *alert, int64_t *id,
                                xc_error *err);
/* Calls fn for each alert with the given status ("open", ...; NULL = all), ordered by id. */
xc_status xc_store_alerts_each(xc_store *store, const char *status, xc_alert_fn fn, void *ctx,
                               xc_error *err);

typedef enum xc_disposition {
    XC_ALERT_CLEAR = 1,   /* a false positive: not the listed entity */
    XC_ALERT_ESCALATE = 2 /* possibly the listed entity: for a senior reviewer */
} xc_disposition;
/* Disposes of an alert: reviewer and reason are required (non-blank). An open or escalated alert
 * may be cleared or escalated; a cleared one is final. The change and an audit entry are
 * written in one transaction; *audit_id (optional) gets the entry's id. Errors: XC_INVALID
 * (missing reviewer or reason, bad disposition, alert already cleared), XC_NOTFOUND, XC_DB. */
xc_status xc_store_alert_dispose(xc_store *store, int64_t alert_id, xc_disposition disposition,
                                 const char *reviewer, const char *reason, int64_t *audit_id,
                                 xc_error *err);

/* -- List versions: every version of a source the store has seen. -- */
typedef struct xc_list_version {
    int64_t id;
    const char *source;     /* source name from data/sources.tsv: "us_ofac_sdn", ... */
    const char *version;    /* publication date, or the first 12 hex digits of sha256 */
    const char *url;        /* where it came from: URL or local path */
    const char *path;       /* folder it was installed in, "" when rejected */
    const char *fetched_at; /* UTC */
    int64_t size;           /* bytes, all files together */
    const char *sha256;     /* hex; for several files, SHA-256 over their digests */
    int64_t entities;       /* entities parsed */
    const char *status;     /* "active" (in service), "superseded" or "rejected" */
    const char *message;    /* why it was rejected, or "" */
} xc_list_version;
typedef int (*xc_list_version_fn)(void *ctx, const xc_list_version *version);

/* Records a version (id ignored). Recording an "active" one marks the source's previous
 * active version "superseded", in the same transaction. Errors: XC_INVALID, XC_DB. */
xc_status xc_store_list_version_record(xc_store *store, const xc_list_version *version,
                                       int64_t *id, xc_error *err);
/* Calls fn for each recorded version of source (NULL = all), newest first. */
xc_status xc_store_list_versions_each(xc_store *store, const char *source,
                                      xc_list_version_fn fn, void *ctx, xc_error *err);

/* -- Updating lists from an offline copy. -- */
/* What happened to one source during an update, borrowed for the duration of the callback. */
typedef struct xc_update_event {
    const char *source;
    const char *outcome;  /* "installed", "unchanged", "rejected", "missing" */
    const char *version;  /* the version now in service for this source, "" when none */
    const char *sha256;   /* of the candidate files, "" when missing */
    int64_t size;
    int64_t entities;     /* entities the candidate parsed into */
    const char *message;  /* reason for "rejected"/"missing", else "" */
} xc_update_event;
typedef void (*xc_update_fn)(void *ctx, const xc_update_event *event);

typedef struct xc_update_opts {
    /* Offline copy to install from. Each source's files are looked for in from_dir/<source>/,
     * then in its conventional folders (ofac/, un/, ... as data/sources.tsv names them), then in
     * from_dir itself when the file name belongs to one source only. NULL = download each file
     * from its URL in the sources table (http/https, TLS verified; see the limits below). */
    const char *from_dir;
    const char *const *sources; /* source names to update (NULL-terminated); NULL = all */
    const char *data_dir;       /* managed data folder; NULL = xc_data_dir() */
    const char *sources_file;   /* sources table (TSV); NULL = the built-in data/sources.tsv */
    xc_update_fn on_event;      /* optional, called once per source */
    void *ctx;                  /* passed to on_event */
    /* Download limits (from_dir NULL); 0 = default. */
    long timeout_seconds;       /* per file, whole transfer; default 300 */
    int64_t max_bytes;          /* per file; default 1 GiB */
    int retries;                /* extra attempts after a timeout, reset, truncation or HTTP 5xx;
                                 * default 2; negative = none */
    long low_speed_seconds;     /* abort a transfer under 512 B/s for this long; default 60 */
    /* Refuse a version with more than this percentage fewer entities, or fewer names (primary
     * names and aliases), than the one in service (a truncated file usually still parses; a
     * missing alias file halves the names); 0 = default 10; 100 = accept any shrink. */
    int max_shrink_percent;
    /* 1 = install a source whose required companion file is missing (see
     * xc_config.allow_incomplete): it is installed with a marker (.xcheck-incomplete naming the
     * missing files) so that engines opened on it load it and mark every answer incomplete.
     * 0 (default) = such a source is rejected naming the missing file. */
    int allow_incomplete;
} xc_update_opts;

/* Installs list versions into data_dir/lists/<source>/<version>/ (version = the publication
 * date the parser found, else the first 12 hex digits of the SHA-256), after checking that the
 * copy holds every required file of its source (data/sources.tsv, "required" column; unless
 * allow_incomplete), parses into at least one entity and has not shrunk (entities or names) by
 * more than max_shrink_percent against the version in service. A source that fails keeps its last good version in service;
 * data_dir/lists/<source>/current always points at the version in service (swapped atomically).
 * Installed and rejected versions are recorded in the store's list versions; every outcome is
 * audited (kind "update"). Returns XC_OK when every source was installed or unchanged (with
 * all sources, ones none of whose files is in from_dir are skipped, but not all of them; a source
 * with some files but a required one missing is rejected), XC_PARSE when one was rejected, XC_NOTFOUND when from_dir holds no source at all, a named source is unknown or
 * missing, or (when downloading) a required file answers HTTP 404, XC_NETWORK when a download
 * failed after its retries; XC_NODATA when no sources table is
 * available, XC_IO, XC_DB. */
xc_status xc_update_lists(xc_store *store, const xc_update_opts *opts, xc_error *err);

/* -- Re-screening the stored counterparties after an update (delta screening). -- */
/* One source's part in a re-screening, borrowed for the duration of the callback. */
typedef struct xc_rescreen_source {
    const char *source;       /* "us_ofac_sdn", ... */
    const char *from_version; /* version the parties were last screened against, "" when none */
    const char *to_version;   /* version in service */
    const char *mode;         /* "unchanged", "delta" (diffed), or "full": no earlier version to
                               * diff against (first run, or its folder is gone) */
    int64_t added, changed, removed; /* entities, in delta mode (full: added = all entities) */
} xc_rescreen_source;
typedef void (*xc_rescreen_fn)(void *ctx, const xc_rescreen_source *source);

typedef struct xc_rescreen_opts {
    double threshold;          /* as xc_screen_opts; <= 0 = the default (possible band) */
    int top;                   /* matches kept per party; <= 0 = 10 */
    int threads;               /* screening threads; <= 0 = the online cores (at most 16) */
    xc_rescreen_fn on_source;  /* optional, once per source in service, before screening */
    void *ctx;
    const char *snapshot_dir;  /* as xc_config.snapshot_dir, for the lists in service; NULL =
                                  parse them */
    int allow_incomplete;      /* as xc_config.allow_incomplete, for the lists in service */
    int max_age_days;          /* as xc_config.max_age_days: stored results warn about old lists */
} xc_rescreen_opts;

typedef struct xc_rescreen_report {
    int64_t parties;       /* stored counterparties */
    int64_t screened;      /* checked in this run (parties an interrupted run finished skipped) */
    int64_t full;          /* of those, screened against the whole current lists and stored */
    int64_t reevaluated;   /* of those, because their stored result named a removed or changed
                            * entity */
    int64_t hits;          /* matches new to a party's result, on a changed entity, or stronger */
    int64_t alerts;        /* alerts created (hits without an open or escalated alert already) */
    int64_t resumed_after; /* last party id an interrupted run had committed, 0 when none */
    double seconds;        /* wall time of the whole run */
} xc_rescreen_report;

/* Screens the stored counterparties against what changed in the lists in service since they
 * were last screened (see docs/rescreen.md). For each source whose version in service (the
 * store's "active" list version) differs from the one recorded by the last completed run, the
 * two versions are diffed by source id; every party is screened against an index of the added
 * and changed entities only, and a party with a candidate there, a stored result naming a
 * removed or changed entity, no result yet, or edited since its last screening is screened
 * against the whole current lists: its result is stored and audited (kind "rescreen") and its
 * hits raise alerts. A source with no earlier version is screened in full. Work is committed in
 * batches with a checkpoint, so a run that is killed resumes where it stopped; the versions
 * are recorded as screened only when the run completes (audited as "rescreen_run").
 * report (optional) receives the counts. Errors: XC_NODATA (no list version in service: run
 * xc_update_lists first), XC_IO/XC_PARSE/XC_UNSUPPORTED (a version in service does not load),
 * XC_DB, XC_NOMEM. */
xc_status xc_store_rescreen(xc_store *store, const xc_rescreen_opts *opts,
                            xc_rescreen_report *report, xc_error *err);

/* ==== List diffs ==== */
/* Compares two versions of the same lists (old_paths and new_paths: files or folders, as in
 * xc_config.data_paths) entity by entity, keyed by (source id, the source's own id). An entity is
 * "changed" when its names (primary and aliases, as a set), identifiers, programmes or kind
 * differ. *json_out (owned, free with xc_free) receives one line:
 * {"added":[ids],"removed":[ids],"changed":[ids],"counts":{..},"old":{list info},
 *  "new":{list info},"details":[{"id":..,"list":..,"change":"changed",
 *  "names":{"added":[..],"removed":[..]},"identifiers":{..},"programs":{..}},..]}
 * with ids ordered numerically where they are numbers. Errors: those of xc_engine_open's
 * loading (XC_IO, XC_UNSUPPORTED, ...), XC_NOMEM. */
xc_status xc_diff_json(const char *const *old_paths, const char *const *new_paths,
                       char **json_out, xc_error *err);
/* The same comparison as readable text: a summary line per list, then one line per added,
 * removed or changed entity with what changed. Owned, free with xc_free. */
xc_status xc_diff_text(const char *const *old_paths, const char *const *new_paths,
                       char **text_out, xc_error *err);
/* ==== end of Store ==== */

#ifdef __cplusplus
}
#endif
#endif /* XCHECK_H */
