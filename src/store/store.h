/*
 * store.h — internals shared by the store's files (store.c: connection, schema, transactions;
 * audit.c: the hash chain; records.c: counterparties, alerts, list versions; update.c: offline
 * list updates). The public side is the "Store" section of xcheck.h.
 */
#ifndef XC_STORE_H
#define XC_STORE_H

#include <sqlite3.h>

#include "../base/base.h"

/* Current schema version (PRAGMA user_version). Bump it with a migration step in store.c. */
#define XC__STORE_SCHEMA 2
/* Largest text (query, answer, data version, result) the store accepts in one field. */
#define XC__STORE_TEXT_MAX (16u << 20)

struct xc_store {
    sqlite3 *db;
    int user_txn; /* 1 between xc_store_begin and xc_store_commit/rollback */
};

/* Sets err from the connection's last error ("what: sqlite message"); returns XC_DB. */
xc_status xc__store_db_error(xc_store *store, const char *what, xc_error *err);
/* Runs SQL without results. */
xc_status xc__store_exec(xc_store *store, const char *sql, xc_error *err);
/* Prepares a statement; XC_DB on failure. */
xc_status xc__store_prepare(xc_store *store, const char *sql, sqlite3_stmt **stmt, xc_error *err);

/* A write: takes the write lock (BEGIN IMMEDIATE) or, inside a user transaction, a savepoint.
 * Every write_begin is paired with write_end(ok): commit/release when ok, else roll back. */
xc_status xc__store_write_begin(xc_store *store, xc_error *err);
xc_status xc__store_write_end(xc_store *store, bool ok, xc_error *err);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ". */
void xc__store_now(char out[32]);

/* Appends an audit entry; the caller holds the write lock (inside write_begin/write_end). */
xc_status xc__store_audit_append_locked(xc_store *store, const char *kind, const char *query,
                                        const char *answer, const char *data_version,
                                        int64_t *id, xc_error *err);

/* Appends s as a JSON string literal (quoted, escaped); NULL is written as "". */
xc_status xc__store_json_str(xc__buf *buf, const char *s);

/* Column text or "" (never NULL). */
const char *xc__store_col(sqlite3_stmt *stmt, int col);

/* Limits of one download (fetch.c). */
typedef struct xc__fetch_limits {
    long timeout_seconds;   /* whole transfer */
    long low_speed_seconds; /* abort when under 512 B/s for this long */
    int64_t max_bytes;      /* size ceiling */
    int retries;            /* extra attempts after a transient failure */
    long retry_pause_ms;    /* pause before retry n is n times this */
} xc__fetch_limits;

/* Downloads url (http/https only; TLS verified) into dst, hashing it. *absent is set for HTTP
 * 404/410 (XC_NOTFOUND). Errors: XC_NETWORK (after the retries), XC_TOOBIG, XC_IO. dst is
 * removed on failure. */
xc_status xc__store_fetch(const char *url, const char *dst, const xc__fetch_limits *limits,
                          unsigned char digest[32], int64_t *size, bool *absent, xc_error *err);

/* Finds a file's address on a publisher's page: spec is "PAGE-URL REGEX". The page is
 * downloaded to tmp (same limits, at most 8 MiB), and the first href whose value matches the
 * POSIX extended REGEX (case-insensitive) is resolved against the page's URL into url.
 * XC_NOTFOUND when no link matches (or the page is 404), else as xc__store_fetch. */
xc_status xc__store_discover(const char *spec, const char *tmp, const xc__fetch_limits *limits,
                             char *url, size_t url_size, xc_error *err);

#endif /* XC_STORE_H */
