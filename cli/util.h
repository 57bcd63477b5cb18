/*
 * util.h — small helpers shared by the CLI verbs: a CSV reader for input files (RFC 4180,
 * header row, bounded fields), option parsing helpers and engine opening from --data.
 */
#ifndef XC_CLI_UTIL_H
#define XC_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "xcheck.h"

#define CLI_MAX_FIELDS 64
#define CLI_MAX_FIELD 65536

typedef struct cli_csv {
    FILE *in;
    long line;        /* line where the current record started */
    char *buf;        /* fields stored NUL-separated */
    size_t cap;
    char *fields[CLI_MAX_FIELDS];
    int nfields;
    char error[160];  /* set when a record was malformed (too long, too many fields) */
} cli_csv;

void cli_csv_init(cli_csv *csv, FILE *in);
/* Reads the next record: 1 = record, 0 = end of input, -1 = malformed record (error set;
 * the record is skipped and reading may continue). */
int cli_csv_next(cli_csv *csv);
void cli_csv_free(cli_csv *csv);
/* Index of a header column (case-insensitive), or -1. */
int cli_csv_column(const cli_csv *header, const char *name);

/* The bundled sample, used only with --sample: relative to the source tree. */
#define CLI_SAMPLE_DIR "data/samples"
/* Where --sample finds the bundled sample: CLI_SAMPLE_DIR when the current folder is the source
 * tree, else the copy `make install` puts next to the binary (BINDIR/../share/xcheck/samples),
 * else NULL. Borrowed static storage. */
const char *cli_sample_dir(void);

typedef struct cli_open_opts {
    const char **data;     /* --data PATH options */
    int ndata;
    bool quiet;            /* print no error */
    bool sample;           /* --sample: the bundled sample (added to --data paths) */
    bool allow_incomplete; /* --allow-incomplete */
    bool no_lists_ok;      /* an engine with no list when none is configured (decide, lists) */
    int max_age_days;      /* warn on answers from lists older than this; 0 = no check */
} cli_open_opts;

/* Opens the engine of a verb; returns it or NULL after printing the error. Lists: the --data
 * paths; with none, $XCHECK_DATA, else the managed lists installed by `xcheck update`
 * ($XDG_DATA_HOME/xcheck/lists/<source>/current); the bundled sample only with --sample. No list
 * at all is an error (XC_NODATA) unless no_lists_ok. Engines are opened through the snapshot
 * cache (cli_snapshot_dir). */
xc_engine *cli_open_engine_ex(const cli_open_opts *opts);
/* cli_open_engine_ex with only data paths and quiet set. */
xc_engine *cli_open_engine(const char **data_paths, int ndata, bool quiet);

/* $XCHECK_MAX_AGE_DAYS, or 7 (a warning on stderr for a bad value). */
int cli_max_age_days(const char *verb);

/* 0 when every id in lists (NULL-terminated, may be NULL) names a loaded list; else prints
 * the unknown id and the loaded ones and returns 1. */
int cli_check_lists(const xc_engine *eng, const char *const *lists);

/* Prints the "Screened against:" block of a result: each list, its publication date, entity
 * and name counts, then the result's warnings. */
void cli_print_screened(const xc_result *res);

/* $XDG_CACHE_HOME/xcheck (default ~/.cache/xcheck), or NULL when XCHECK_SNAPSHOTS=0 or neither
 * variable is set. Static storage. */
const char *cli_snapshot_dir(void);

/* The audit store of a screening or decision verb (see README "Audit"): --db PATH when given;
 * else the managed store when the lists come from the managed data folder (no --data and no
 * $XCHECK_DATA, and `xcheck update` installed lists there); else none (official files given
 * with --data are not audited unless --db names a store). no_audit turns it off. Returns 0 with
 * *store set (or NULL when there is none), 1 after printing an error. */
int cli_audit_store(const char *db, bool managed, bool no_audit, xc_store **store);

/* The folders of the lists installed in the managed data folder
 * ($XDG_DATA_HOME/xcheck/lists/<source>/current), written into paths (at most max, in a static
 * buffer); returns how many. */
int cli_managed_lists(const char **paths, int max);

/* {"<list id>":{"version":..,"sha256":..,"entities":..,"names":..,"incomplete":..},...} of the engine's lists, for the
 * audit log. Owned (free). NULL on out of memory. */
char *cli_data_version_json(const xc_engine *eng);

/* Appends s to *buf as a JSON string literal (growing it with realloc); false on out of memory. */
bool cli_json_append(char **buf, size_t *len, size_t *cap, const char *s);

#endif
