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

/* Collects repeated --data PATH options; returns an engine or NULL after printing the error.
 * With no --data, uses $XCHECK_DATA, else the managed lists installed by `xcheck update`
 * ($XDG_DATA_HOME/xcheck/lists/<source>/current), else the bundled sample (data/samples).
 * Engines are opened through the snapshot cache (cli_snapshot_dir). */
xc_engine *cli_open_engine(const char **data_paths, int ndata, bool quiet);

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

/* {"<list id>":{"version":..,"sha256":..,"entities":..},...} of the engine's lists, for the
 * audit log. Owned (free). NULL on out of memory. */
char *cli_data_version_json(const xc_engine *eng);

/* Appends s to *buf as a JSON string literal (growing it with realloc); false on out of memory. */
bool cli_json_append(char **buf, size_t *len, size_t *cap, const char *s);

#endif
