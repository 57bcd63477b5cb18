/*
 * audit.c — the audit log: an append-only table whose entries are hash-chained. Entry n stores
 * prev_hash = hash of entry n-1 (64 zeros for the first) and
 *     hash = SHA-256("xcheck-audit-v1\n" || prev_hash || field...)
 * where the fields (id, time, kind, query, answer, data_version) are each written as
 * "<length>:<bytes>\n" so that no two field lists hash alike. Changing an entry breaks its own
 * hash; deleting or reordering entries breaks the next entry's prev_hash; deleting entries from
 * the end is caught by the head (last id and hash) kept in the meta table and updated in the same
 * transaction as each append. Someone able to rewrite the whole chain and the head can forge it:
 * `xcheck audit verify` prints the head hash so it can be recorded outside the store.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void hash_field(xc__sha256 *ctx, const char *data, size_t len)
{
    char prefix[32];
    int n = snprintf(prefix, sizeof prefix, "%zu:", len);
    xc__sha256_update(ctx, prefix, (size_t)n);
    xc__sha256_update(ctx, data, len);
    xc__sha256_update(ctx, "\n", 1);
}

static void entry_hash(const char *prev_hash, int64_t id, const char *fields[5],
                       const size_t lengths[5], char out[65])
{
    xc__sha256 ctx;
    char id_text[32];
    int n = snprintf(id_text, sizeof id_text, "%lld", (long long)id);
    unsigned char digest[32];
    xc__sha256_init(&ctx);
    xc__sha256_update(&ctx, "xcheck-audit-v1\n", 16);
    xc__sha256_update(&ctx, prev_hash, strlen(prev_hash));
    hash_field(&ctx, id_text, (size_t)n);
    for (int i = 0; i < 5; i++)
        hash_field(&ctx, fields[i], lengths[i]);
    xc__sha256_final(&ctx, digest);
    xc__hex(digest, 32, out);
}

static xc_status check_text(const char *what, const char *text, size_t *len, xc_error *err)
{
    *len = strlen(text);
    if (*len > XC__STORE_TEXT_MAX)
        return xc__error_set(err, XC_INVALID, "audit: %s is over %u bytes", what,
                             XC__STORE_TEXT_MAX);
    if (xc__utf8_check(text, *len) != *len)
        return xc__error_set(err, XC_INVALID, "audit: %s is not valid UTF-8", what);
    return XC_OK;
}

/* Reads the head (last id and hash) from meta; id 0 and zero_hash when the log is empty. */
static xc_status read_head(xc_store *store, int64_t *id, char hash[65], xc_error *err)
{
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(
        store, "SELECT value FROM meta WHERE key = 'audit_head'", &stmt, err);
    if (rc != XC_OK)
        return rc;
    *id = 0;
    memcpy(hash, zero_hash, 65);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        long long head_id;
        char head_hash[65];
        if (sscanf(xc__store_col(stmt, 0), "%lld %64s", &head_id, head_hash) == 2 &&
            strlen(head_hash) == 64) {
            *id = head_id;
            memcpy(hash, head_hash, 65);
        } else {
            rc = xc__error_set(err, XC_CORRUPT, "audit: the recorded head is malformed");
        }
    } else if (step != SQLITE_DONE) {
        rc = xc__store_db_error(store, "audit: read head", err);
    }
    sqlite3_finalize(stmt);
    return rc;
}

xc_status xc__store_audit_append_locked(xc_store *store, const char *kind, const char *query,
                                        const char *answer, const char *data_version,
                                        int64_t *id_out, xc_error *err)
{
    const char *fields[5];
    size_t lengths[5];
    char now[32];
    if (!kind || !*kind)
        return xc__error_set(err, XC_INVALID, "audit: an entry needs a kind");
    xc__store_now(now);
    fields[0] = now;
    fields[1] = kind;
    fields[2] = query ? query : "";
    fields[3] = answer ? answer : "";
    fields[4] = data_version ? data_version : "";
    static const char *const names[5] = {"time", "kind", "query", "answer", "data_version"};
    for (int i = 0; i < 5; i++) {
        xc_status rc = check_text(names[i], fields[i], &lengths[i], err);
        if (rc != XC_OK)
            return rc;
    }

    int64_t head_id;
    char prev_hash[65], hash[65];
    xc_status rc = read_head(store, &head_id, prev_hash, err);
    if (rc != XC_OK)
        return rc;
    /* The id is chosen here, not by SQLite, because it is part of the hashed fields. */
    int64_t id = head_id + 1;
    entry_hash(prev_hash, id, fields, lengths, hash);

    sqlite3_stmt *stmt;
    rc = xc__store_prepare(store,
                           "INSERT INTO audit(id, time, kind, query, answer, data_version,"
                           " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                           &stmt, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, id);
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(stmt, i + 2, fields[i], (int)lengths[i], SQLITE_STATIC);
    sqlite3_bind_text(stmt, 7, prev_hash, 64, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 8, hash, 64, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = xc__store_db_error(store, "audit: insert", err);
    sqlite3_finalize(stmt);
    if (rc != XC_OK)
        return rc;

    char head[96];
    snprintf(head, sizeof head, "%lld %s", (long long)id, hash);
    rc = xc__store_prepare(store,
                           "INSERT INTO meta(key, value) VALUES ('audit_head', ?)"
                           " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           &stmt, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_bind_text(stmt, 1, head, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = xc__store_db_error(store, "audit: update head", err);
    sqlite3_finalize(stmt);
    if (rc == XC_OK && id_out)
        *id_out = id;
    return rc;
}

xc_status xc_store_audit_append(xc_store *store, const char *kind, const char *query_json,
                                const char *answer_json, const char *data_version_json,
                                int64_t *id, xc_error *err)
{
    if (!store)
        return xc__error_set(err, XC_INVALID, "audit: no store");
    xc_status rc = xc__store_write_begin(store, err);
    if (rc != XC_OK)
        return rc;
    rc = xc__store_audit_append_locked(store, kind, query_json, answer_json, data_version_json,
                                       id, err);
    xc_status end = xc__store_write_end(store, rc == XC_OK, err);
    return rc != XC_OK ? rc : end;
}

xc_status xc_store_audit_verify(xc_store *store, int64_t *first_bad, int64_t *checked,
                                xc_error *err)
{
    if (first_bad)
        *first_bad = 0;
    if (checked)
        *checked = 0;
    if (!store)
        return xc__error_set(err, XC_INVALID, "audit: no store");
    /* One read transaction so that the walk sees one consistent snapshot while writers go on. */
    xc_status rc = xc__store_exec(store, store->user_txn ? "SAVEPOINT xc_verify" : "BEGIN", err);
    if (rc != XC_OK)
        return rc;
    int64_t head_id;
    char head_hash[65];
    rc = read_head(store, &head_id, head_hash, err);
    sqlite3_stmt *stmt = NULL;
    if (rc == XC_OK)
        rc = xc__store_prepare(store,
                               "SELECT id, time, kind, query, answer, data_version, prev_hash,"
                               " hash FROM audit ORDER BY id",
                               &stmt, err);
    char expected_prev[65];
    memcpy(expected_prev, zero_hash, 65);
    int64_t previous_id = 0, bad = 0, count = 0;
    int step = SQLITE_DONE;
    while (rc == XC_OK && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(stmt, 0);
        const char *fields[5];
        size_t lengths[5];
        for (int i = 0; i < 5; i++) {
            fields[i] = xc__store_col(stmt, i + 1);
            lengths[i] = (size_t)sqlite3_column_bytes(stmt, i + 1);
        }
        const char *prev_hash = xc__store_col(stmt, 6);
        const char *hash = xc__store_col(stmt, 7);
        count++;
        char computed[65];
        if (strcmp(prev_hash, expected_prev) != 0 || id != previous_id + 1) {
            bad = id;
            if (previous_id == 0)
                rc = xc__error_set(err, XC_CORRUPT,
                                   "audit entry %lld: does not follow the start of the log "
                                   "(earlier entries deleted?)", (long long)id);
            else
                rc = xc__error_set(err, XC_CORRUPT,
                                   "audit entry %lld: does not follow entry %lld (entries "
                                   "deleted, inserted or reordered)",
                                   (long long)id, (long long)previous_id);
            break;
        }
        entry_hash(prev_hash, id, fields, lengths, computed);
        if (strcmp(computed, hash) != 0) {
            bad = id;
            rc = xc__error_set(err, XC_CORRUPT,
                               "audit entry %lld: contents do not match its hash (edited)",
                               (long long)id);
            break;
        }
        memcpy(expected_prev, hash, 65);
        previous_id = id;
    }
    if (rc == XC_OK && step != SQLITE_DONE)
        rc = xc__store_db_error(store, "audit: read", err);
    if (rc == XC_OK && (previous_id != head_id || strcmp(expected_prev, head_hash) != 0)) {
        bad = previous_id < head_id ? previous_id + 1 : head_id + 1;
        rc = xc__error_set(err, XC_CORRUPT,
                           "audit: the log ends at entry %lld but entry %lld was recorded as "
                           "the last (entries removed from the end, or the head altered)",
                           (long long)previous_id, (long long)head_id);
    }
    sqlite3_finalize(stmt);
    xc_error ignored;
    xc__store_exec(store, store->user_txn ? "RELEASE xc_verify" : "COMMIT", &ignored);
    if (first_bad)
        *first_bad = bad;
    if (checked)
        *checked = count;
    return rc;
}

xc_status xc_store_audit_each(xc_store *store, int64_t after_id, int64_t limit, xc_audit_fn fn,
                              void *ctx, xc_error *err)
{
    if (!store || !fn)
        return xc__error_set(err, XC_INVALID, "audit: no store or callback");
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store,
                                     "SELECT id, time, kind, query, answer, data_version,"
                                     " prev_hash, hash FROM audit WHERE id > ? ORDER BY id"
                                     " LIMIT ?",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_bind_int64(stmt, 1, after_id);
    sqlite3_bind_int64(stmt, 2, limit > 0 ? limit : -1);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        xc_audit_entry entry = {
            .id = sqlite3_column_int64(stmt, 0),
            .time = xc__store_col(stmt, 1),
            .kind = xc__store_col(stmt, 2),
            .query = xc__store_col(stmt, 3),
            .answer = xc__store_col(stmt, 4),
            .data_version = xc__store_col(stmt, 5),
            .prev_hash = xc__store_col(stmt, 6),
            .hash = xc__store_col(stmt, 7),
        };
        if (fn(ctx, &entry) != 0) {
            step = SQLITE_DONE;
            break;
        }
    }
    if (step != SQLITE_DONE)
        rc = xc__store_db_error(store, "audit: read", err);
    sqlite3_finalize(stmt);
    return rc;
}
