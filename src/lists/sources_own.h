/*
 * sources_own.h — lists of one's own: the internal watch list (CSV, watchlist.c) and
 * OpenSanctions FollowTheMoney JSON Lines (ftm.c). Both load like the official sources: list
 * records with a version and SHA-256, entities in the one model, malformed lines reported with
 * file and line and skipped (xc__list_skip), never a crash. The formats and the mapping are
 * documented in README.md ("Lists of one's own").
 *
 * Both formats are read one line at a time with a bounded line reader (lines.h): a broken line
 * (an unterminated quote, invalid JSON, a truncated last line, a line over the limit) is an
 * error in its place and costs no other line.
 */
#ifndef XC_LISTS_SOURCES_OWN_H
#define XC_LISTS_SOURCES_OWN_H

#include "lists.h"

/* Longest line kept: a watch-list row, an FtM entity (OpenSanctions' largest are a few hundred
 * KiB). Longer lines are reported and skipped. */
#define XC__WATCHLIST_MAX_LINE ((size_t)1 << 20)
#define XC__FTM_MAX_LINE ((size_t)16 << 20)
/* Lists one watch-list file may hold. */
#define XC__WATCHLIST_MAX_LISTS 64

/* The watch list's mandatory header, exactly (README.md). */
#define XC__WATCHLIST_HEADER "list_id,entity_id,name,aliases,kind,country,date_of_birth,identifiers"

/* ---- internal watch list (CSV) ----
 * First line exactly XC__WATCHLIST_HEADER, optionally followed by the optional columns
 * programs, listed_on, remarks, addresses. One row per entity, one line per row (quoted fields
 * may not span lines); the list_id column says which list (several per file, snake_case,
 * not an official list's id). Version: a date in the file name (YYYY-MM-DD or YYYYMMDD), else "".
 * Errors: XC_IO, XC_NOMEM, XC_UNSUPPORTED (not this header), XC_PARSE (no valid row at all). */
xc_status xc__parse_watchlist(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_watchlist_mem(xc__listset *set, const char *name, const void *data,
                                  size_t len, xc_error *err);
/* The first line is exactly the header (followed by ',', CR, LF or the end). Any file name. */
bool xc__sniff_watchlist(const char *name, const void *head, size_t len);
/* True when id may name an internal list: snake_case ([a-z][a-z0-9_]{1,63}, no "__", no
 * trailing '_'), not an official source's id, not "opensanctions" nor starting "os_". */
bool xc__watchlist_id_ok(const char *id, size_t len);

/* ---- OpenSanctions FollowTheMoney entities (JSON Lines) ----
 * One JSON object per line: id, schema, properties, datasets, first_seen, last_seen,
 * last_change, target. Schemas and properties are mapped by data/lists/ftm.tsv; records of
 * schemas that are not entities to screen (Sanction, Ownership, Address, ...) are counted in
 * xc__list.other_records and lend their facts (programmes, listing dates, addresses, passport
 * numbers) to the entities they point at. List id: "os_<name>" for <name>.entities.ftm.json /
 * <name>.ftm.json(l), "opensanctions" for entities.ftm.json. Version: the newest last_seen
 * date, else the newest last_change date, else a date in the file name.
 * Errors: XC_IO, XC_NOMEM, XC_PARSE (no line is an FtM entity at all). */
xc_status xc__parse_ftm(xc__listset *set, const char *path, xc_error *err);
xc_status xc__parse_ftm_mem(xc__listset *set, const char *name, const void *data, size_t len,
                            xc_error *err);
/* *.ftm.json or *.ftm.jsonl (any case). */
bool xc__sniff_ftm(const char *name, const void *head, size_t len);

/* The date a file name carries ("list-2026-03-01.csv", "list_20260301.csv") as YYYY-MM-DD into
 * out (11 bytes); false when none (a run of digits longer than 8 is no date). */
bool xc__name_date(const char *name, char out[11]);

#endif /* XC_LISTS_SOURCES_OWN_H */
