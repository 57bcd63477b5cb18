/*
 * store.c — the store's connection: open (creating the file, its folder and the schema), WAL
 * mode, the schema version, transactions and the small helpers the other store files share.
 *
 * Durability choice: journal_mode=WAL with synchronous=FULL. WAL keeps readers (a review page,
 * `xcheck audit verify`) from blocking the writer, and with FULL each commit syncs the WAL, so
 * an audit entry reported as written survives a power loss, not only a killed process (NORMAL
 * would survive a kill but could lose the last commits on power loss — unacceptable for an audit
 * trail that must show every answer given). Bulk writers batch with xc_store_begin/commit to
 * pay one sync per batch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store.h"

/* Version 1 schema. The audit table refuses UPDATE and DELETE through triggers (defence in
 * depth: the hash chain is what detects a change made by someone who drops the triggers). */
static const char schema_v1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY, time TEXT NOT NULL, kind TEXT NOT NULL,"
    " query TEXT NOT NULL, answer TEXT NOT NULL, data_version TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TABLE parties("
    " id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " kind TEXT NOT NULL DEFAULT '', country TEXT NOT NULL DEFAULT '',"
    " dob TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " last_screened_at TEXT NOT NULL DEFAULT '', last_result TEXT NOT NULL DEFAULT '',"
    " last_result_sha256 TEXT NOT NULL DEFAULT '', last_band TEXT NOT NULL DEFAULT '',"
    " last_audit_id INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX parties_screened ON parties(last_screened_at);"
    "CREATE TABLE alerts("
    " id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','cleared','escalated')),"
    " party_ref TEXT NOT NULL DEFAULT '', query TEXT NOT NULL DEFAULT '',"
    " list TEXT NOT NULL, entity_id TEXT NOT NULL, matched_name TEXT NOT NULL DEFAULT '',"
    " score REAL NOT NULL DEFAULT 0, band TEXT NOT NULL DEFAULT '',"
    " audit_id INTEGER NOT NULL DEFAULT 0, reviewer TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL DEFAULT '', disposed_at TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX alerts_status ON alerts(status);"
    "CREATE TABLE list_versions("
    " id INTEGER PRIMARY KEY, source TEXT NOT NULL, version TEXT NOT NULL,"
    " url TEXT NOT NULL, path TEXT NOT NULL, fetched_at TEXT NOT NULL, size INTEGER NOT NULL,"
    " sha256 TEXT NOT NULL, entities INTEGER NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL CHECK (status IN ('active','superseded','rejected')),"
    " message TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX list_versions_source ON list_versions(source, status);"
    "INSERT INTO meta(key, value) VALUES ('application', 'xcheck');";

/* Version 2: an alert is about one real-world entity, which may be on several lists (issue 11):
 * its group key and its members (one row per listed entry, the first being the alert's own
 * list and entity_id). Alerts of version 1 become groups of their one entry. Parties carry
 * identifiers ("imo:9187629;bic:KDBKKPPY"), screened with the name. */
static const char migrate_v2[] =
    "ALTER TABLE alerts ADD COLUMN entity_group TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE alert_members("
    " alert_id INTEGER NOT NULL REFERENCES alerts(id), list TEXT NOT NULL,"
    " entity_id TEXT NOT NULL, matched_name TEXT NOT NULL DEFAULT '',"
    " score REAL NOT NULL DEFAULT 0, band TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY (alert_id, list, entity_id));"
    "CREATE INDEX alert_members_entry ON alert_members(list, entity_id);"
    "CREATE INDEX alerts_group ON alerts(party_ref, entity_group);"
    "ALTER TABLE parties ADD COLUMN ids TEXT NOT NULL DEFAULT '';"
    "INSERT INTO alert_members(alert_id, list, entity_id, matched_name, score, band)"
    " SELECT id, list, entity_id, matched_name, score, band FROM alerts;";

xc_status xc__store_db_error(xc_store *store, const char *what, xc_error *err)
{
    return xc__error_set(err, XC_DB, "%s: %s", what,
                         store && store->db ? sqlite3_errmsg(store->db) : "no database");
}

xc_status xc__store_exec(xc_store *store, const char *sql, xc_error *err)
{
    char *message = NULL;
    if (sqlite3_exec(store->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        xc__error_set(err, XC_DB, "store: %s", message ? message : sqlite3_errmsg(store->db));
        sqlite3_free(message);
        return XC_DB;
    }
    return XC_OK;
}

xc_status xc__store_prepare(xc_store *store, const char *sql, sqlite3_stmt **stmt, xc_error *err)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL) != SQLITE_OK) {
        *stmt = NULL;
        return xc__store_db_error(store, "store: prepare", err);
    }
    return XC_OK;
}

const char *xc__store_col(sqlite3_stmt *stmt, int col)
{
    const unsigned char *text = sqlite3_column_text(stmt, col);
    return text ? (const char *)text : "";
}

void xc__store_now(char out[32])
{
    struct timespec now;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    char text[96]; /* wide enough for any int the compiler imagines */
    snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             (int)(now.tv_nsec / 1000000));
    xc__strlcpy(out, text, 32);
}

xc_status xc__store_json_str(xc__buf *buf, const char *s)
{
    xc_status rc = xc__buf_putc(buf, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && rc == XC_OK; p++) {
        switch (*p) {
        case '"': rc = xc__buf_append(buf, "\\\"", 2); break;
        case '\\': rc = xc__buf_append(buf, "\\\\", 2); break;
        case '\n': rc = xc__buf_append(buf, "\\n", 2); break;
        case '\r': rc = xc__buf_append(buf, "\\r", 2); break;
        case '\t': rc = xc__buf_append(buf, "\\t", 2); break;
        default:
            if (*p < 0x20)
                rc = xc__buf_printf(buf, "\\u%04x", *p);
            else
                rc = xc__buf_putc(buf, (char)*p);
        }
    }
    return rc == XC_OK ? xc__buf_putc(buf, '"') : rc;
}

xc_status xc__store_write_begin(xc_store *store, xc_error *err)
{
    return xc__store_exec(store, store->user_txn ? "SAVEPOINT xc_write" : "BEGIN IMMEDIATE", err);
}

xc_status xc__store_write_end(xc_store *store, bool ok, xc_error *err)
{
    if (store->user_txn) {
        if (ok)
            return xc__store_exec(store, "RELEASE xc_write", err);
        xc_error ignored;
        xc__store_exec(store, "ROLLBACK TO xc_write; RELEASE xc_write", &ignored);
        return XC_OK;
    }
    if (ok)
        return xc__store_exec(store, "COMMIT", err);
    if (!sqlite3_get_autocommit(store->db)) {
        xc_error ignored;
        xc__store_exec(store, "ROLLBACK", &ignored);
    }
    return XC_OK;
}

xc_status xc_store_begin(xc_store *store, xc_error *err)
{
    if (!store || store->user_txn)
        return xc__error_set(err, XC_INVALID, "store: transaction already open (calls do not nest)");
    xc_status rc = xc__store_exec(store, "BEGIN IMMEDIATE", err);
    if (rc == XC_OK)
        store->user_txn = 1;
    return rc;
}

xc_status xc_store_commit(xc_store *store, xc_error *err)
{
    if (!store || !store->user_txn)
        return xc__error_set(err, XC_INVALID, "store: no transaction open");
    xc_status rc = xc__store_exec(store, "COMMIT", err);
    if (rc == XC_OK)
        store->user_txn = 0;
    return rc;
}

xc_status xc_store_rollback(xc_store *store, xc_error *err)
{
    if (!store || !store->user_txn)
        return xc__error_set(err, XC_INVALID, "store: no transaction open");
    store->user_txn = 0;
    return xc__store_exec(store, "ROLLBACK", err);
}

static xc_status data_home(char *out, size_t size, const char *suffix, xc_error *err)
{
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && *xdg)
        n = snprintf(out, size, "%s/xcheck%s", xdg, suffix);
    else if (home && *home)
        n = snprintf(out, size, "%s/.local/share/xcheck%s", home, suffix);
    else
        return xc__error_set(err, XC_INVALID, "neither XDG_DATA_HOME nor HOME is set: give --db");
    if (n < 0 || (size_t)n >= size)
        return xc__error_set(err, XC_TOOBIG, "data folder path too long");
    return XC_OK;
}

xc_status xc_data_dir(char *out, size_t size, xc_error *err)
{
    return data_home(out, size, "", err);
}

xc_status xc_store_default_path(char *out, size_t size, xc_error *err)
{
    return data_home(out, size, "/xcheck.db", err);
}

static int pragma_int(xc_store *store, const char *sql)
{
    sqlite3_stmt *stmt;
    int value = -1;
    if (sqlite3_prepare_v2(store->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

int xc_store_schema_version(xc_store *store)
{
    return store ? pragma_int(store, "PRAGMA user_version") : -1;
}

/* Creates the schema in a fresh file, or checks an existing one is ours and not newer. */
static xc_status ensure_schema(xc_store *store, const char *path, xc_error *err)
{
    xc_status rc = xc__store_exec(store, "BEGIN IMMEDIATE", err);
    if (rc != XC_OK)
        return rc;
    int version = pragma_int(store, "PRAGMA user_version");
    if (version == 0) {
        int tables = pragma_int(store, "SELECT count(*) FROM sqlite_master");
        if (tables != 0) {
            xc__store_exec(store, "ROLLBACK", NULL);
            return xc__error_set(err, XC_CORRUPT, "%s: a database, but not an xcheck store", path);
        }
        rc = xc__store_exec(store, schema_v1, err);
        version = 1;
    } else if (version > XC__STORE_SCHEMA || version < 0) {
        rc = xc__error_set(err, XC_CORRUPT, "%s: store schema version %d, this library knows %d",
                           path, version, XC__STORE_SCHEMA);
    }
    /* Migrations from older versions, one step per version, in the same transaction. */
    if (rc == XC_OK && version == 1)
        rc = xc__store_exec(store, migrate_v2, err);
    if (rc == XC_OK && version < XC__STORE_SCHEMA) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", XC__STORE_SCHEMA);
        rc = xc__store_exec(store, sql, err);
    }
    if (rc != XC_OK) {
        xc__store_exec(store, "ROLLBACK", NULL);
        return rc;
    }
    return xc__store_exec(store, "COMMIT", err);
}

xc_store *xc_store_open(const char *path, xc_error *err)
{
    if (!path || !*path) {
        xc__error_set(err, XC_INVALID, "store: no path");
        return NULL;
    }
    if (strcmp(path, ":memory:") != 0 && xc__mkdirs_parent(path, 0700, err) != XC_OK)
        return NULL;
    xc_store *store = xc__calloc(1, sizeof *store);
    if (!store) {
        xc__error_set(err, XC_NOMEM, "store: out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &store->db, flags, NULL) != SQLITE_OK) {
        xc__error_set(err, XC_DB, "%s: %s", path,
                      store->db ? sqlite3_errmsg(store->db) : "cannot open");
        xc_store_close(store);
        return NULL;
    }
    sqlite3_busy_timeout(store->db, 5000);
    sqlite3_extended_result_codes(store->db, 1);
    xc_status rc = xc__store_exec(store, "PRAGMA journal_mode=WAL", err);
    if (rc == XC_OK)
        rc = xc__store_exec(store, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", err);
    if (rc == XC_OK)
        rc = ensure_schema(store, path, err);
    if (rc != XC_OK) {
        if (err && rc == XC_DB && (sqlite3_errcode(store->db) & 0xff) == SQLITE_NOTADB)
            xc__error_set(err, XC_CORRUPT, "%s: not an xcheck store (not a database)", path);
        xc_store_close(store);
        return NULL;
    }
    return store;
}

void xc_store_close(xc_store *store)
{
    if (!store)
        return;
    if (store->user_txn)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(store->db);
    xc__free_mem(store);
}

xc_status xc_store_integrity_check(xc_store *store, xc_error *err)
{
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store, "PRAGMA integrity_check", &stmt, err);
    if (rc != XC_OK)
        return rc;
    int step = sqlite3_step(stmt);
    if (step != SQLITE_ROW)
        rc = xc__store_db_error(store, "integrity_check", err);
    else if (strcmp(xc__store_col(stmt, 0), "ok") != 0)
        rc = xc__error_set(err, XC_CORRUPT, "integrity_check: %s", xc__store_col(stmt, 0));
    sqlite3_finalize(stmt);
    return rc;
}
