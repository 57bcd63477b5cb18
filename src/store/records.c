/*
 * records.c — the store's business records: counterparties (imported from CSV, each with its
 * latest screening result so that a later "rescreen" can pick who to screen again), alerts with
 * their reviewed dispositions, and the versions of each source list. Every change a reviewer
 * makes is written together with its audit entry, in one transaction.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store.h"
#include "../match/ident.h"

#define PARTIES_FILE_MAX (256u << 20)
#define PARTIES_MAX_ISSUES 1000
#define CSV_MAX_FIELDS 64

/* ---- a small RFC 4180 reader: quoted fields may hold commas, quotes ("") and newlines ---- */
typedef struct csv_reader {
    const char *p, *end;
    size_t line;          /* physical line of the next record */
} csv_reader;

typedef struct csv_record {
    size_t line;          /* physical line where the record starts */
    size_t count;         /* fields */
    int too_many;         /* more than CSV_MAX_FIELDS fields */
    int bad_quote;        /* text after a closing quote, or an unterminated quote */
    int too_long;         /* a field over its 1 MiB limit (kept truncated; the row is refused) */
    xc__buf fields[CSV_MAX_FIELDS];
} csv_record;

/* Reads the next record; returns 0 at the end of input, -1 out of memory, 1 otherwise. */
static int csv_next(csv_reader *reader, csv_record *rec)
{
    if (reader->p >= reader->end)
        return 0;
    rec->line = reader->line;
    rec->count = 0;
    rec->too_many = rec->bad_quote = rec->too_long = 0;
    for (;;) {
        xc__buf scratch;
        xc__buf *field = rec->count < CSV_MAX_FIELDS ? &rec->fields[rec->count] : &scratch;
        if (rec->count < CSV_MAX_FIELDS)
            xc__buf_reset(field);
        else
            xc__buf_init(&scratch, 1 << 20), rec->too_many = 1;
        rec->count++;
        xc_status rc = xc__buf_append(field, "", 0);
        if (reader->p < reader->end && *reader->p == '"') {
            reader->p++;
            for (;;) {
                if (reader->p >= reader->end) {
                    rec->bad_quote = 1;
                    break;
                }
                char c = *reader->p++;
                if (c == '"') {
                    if (reader->p < reader->end && *reader->p == '"') {
                        reader->p++;
                        rc = rc == XC_OK ? xc__buf_putc(field, '"') : rc;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    reader->line++;
                rc = rc == XC_OK ? xc__buf_putc(field, c) : rc;
            }
            while (reader->p < reader->end && *reader->p != ',' && *reader->p != '\n') {
                if (*reader->p != '\r')
                    rec->bad_quote = 1;
                reader->p++;
            }
        } else {
            const char *start = reader->p;
            while (reader->p < reader->end && *reader->p != ',' && *reader->p != '\n')
                reader->p++;
            size_t len = (size_t)(reader->p - start);
            if (len && start[len - 1] == '\r')
                len--;
            rc = rc == XC_OK ? xc__buf_append(field, start, len) : rc;
        }
        if (field == &scratch)
            xc__buf_free(&scratch);
        if (rc == XC_NOMEM)
            return -1;
        if (rc == XC_TOOBIG)
            rec->too_long = 1;
        if (reader->p < reader->end && *reader->p == ',') {
            reader->p++;
            continue;
        }
        if (reader->p < reader->end) /* newline */
            reader->p++;
        reader->line++;
        return 1;
    }
}

/* ---- counterparties ---- */

enum { COL_NAME, COL_ID, COL_KIND, COL_COUNTRY, COL_DOB, COL_IDS, COL_COUNT };
static const char *const column_names[COL_COUNT] = {"name", "id", "kind", "country", "dob",
                                                    "ids"};

/* Checks a party's identifiers ("TYPE:VALUE" or a bare value, ';'-separated, at most 16) as
 * xc_screen will take them: a known type, at least 4 letters or digits. Writes them normalised
 * to "a;b" spacing into out. Returns NULL when good, else the problem (arg the bad value). */
static const char *ids_check(const char *s, char *out, size_t size, const char **arg)
{
    static char bad[128];
    size_t o = 0;
    int n = 0;
    out[0] = '\0';
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ";");
        size_t vlen = len;
        const char *v = xc__trim(p, &vlen);
        p += len + (p[len] == ';');
        if (vlen == 0)
            continue;
        snprintf(bad, sizeof bad, "%.*s", (int)(vlen < 100 ? vlen : 100), v);
        *arg = bad;
        if (++n > 16)
            return "more than 16 identifiers (at '%s')";
        const char *colon = memchr(v, ':', vlen);
        const char *value = v;
        size_t value_len = vlen;
        if (colon) {
            xc__id_class cls;
            if (!xc__id_class_of_query(v, (size_t)(colon - v), &cls))
                return "identifier '%s' has an unknown type";
            value = colon + 1;
            value_len = vlen - (size_t)(colon - v) - 1;
        }
        char norm[256];
        if (xc__id_normalise(value, value_len, norm, sizeof norm) < 4)
            return "identifier '%s' has under 4 letters and digits";
        if (o + vlen + 2 > size)
            return "identifiers too long (at '%s')";
        if (o)
            out[o++] = ';';
        memcpy(out + o, v, vlen);
        o += vlen;
        out[o] = '\0';
    }
    return NULL;
}

static bool dob_valid(const char *s)
{
    xc__pdate date;
    return xc__query_date_parse(s, &date); /* the same parser as xc_screen's */
}

/* The kind column's canonical name, or NULL. (Local rather than xc_kind_parse so the store does
 * not depend on the engine's half of the library.) */
static const char *kind_canonical(const char *text)
{
    static const char *const kinds[][2] = {
        {"person", "person"}, {"individual", "person"}, {"org", "org"},
        {"organisation", "org"}, {"organization", "org"}, {"entity", "org"},
        {"company", "org"}, {"vessel", "vessel"}, {"aircraft", "aircraft"}, {"any", ""},
    };
    for (size_t i = 0; i < XC__ARRAY_LEN(kinds); i++)
        if (xc__str_ieq(text, kinds[i][0]))
            return kinds[i][1];
    return NULL;
}

static void add_issue(xc__buf *issues, size_t *issue_count, size_t line, const char *fmt,
                      const char *arg)
{
    if (++*issue_count > PARTIES_MAX_ISSUES)
        return;
    xc__buf_printf(issues, "line %zu: ", line);
    xc__buf_printf(issues, fmt, arg);
    xc__buf_putc(issues, '\n');
}

static const char upsert_party_sql[] =
    "INSERT INTO parties(ref, name, kind, country, dob, created_at, updated_at, ids)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)"
    " ON CONFLICT(ref) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
    " country = excluded.country, dob = excluded.dob, ids = excluded.ids,"
    " updated_at = excluded.updated_at";

xc_status xc_store_parties_import_csv(xc_store *store, const char *path, size_t *imported,
                                      size_t *skipped, char **issues_out, xc_error *err)
{
    if (imported)
        *imported = 0;
    if (skipped)
        *skipped = 0;
    if (issues_out)
        *issues_out = NULL;
    if (!store || !path)
        return xc__error_set(err, XC_INVALID, "parties: no store or path");
    char *data;
    size_t len;
    xc_status rc = xc__file_read(path, PARTIES_FILE_MAX, &data, &len, err);
    if (rc != XC_OK)
        return rc;
    csv_reader reader = {data, data + len, 1};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        reader.p += 3;
    csv_record *rec = xc__calloc(1, sizeof *rec);
    xc__buf issues;
    xc__buf_init(&issues, 1 << 20);
    size_t issue_count = 0, ok_rows = 0, bad_rows = 0;
    int columns[COL_COUNT] = {-1, -1, -1, -1, -1, -1};
    size_t header_fields = 0;
    sqlite3_stmt *stmt = NULL;
    bool locked = false;
    if (!rec) {
        rc = xc__error_set(err, XC_NOMEM, "parties: out of memory");
        goto done;
    }
    for (int i = 0; i < CSV_MAX_FIELDS; i++)
        xc__buf_init(&rec->fields[i], 1 << 20);

    int got = csv_next(&reader, rec);
    if (got <= 0) {
        rc = xc__error_set(err, got < 0 ? XC_NOMEM : XC_PARSE, "%s: no header row", path);
        goto done;
    }
    header_fields = rec->count;
    for (size_t i = 0; i < rec->count && i < CSV_MAX_FIELDS; i++) {
        size_t flen = rec->fields[i].len;
        const char *name = xc__trim(rec->fields[i].data, &flen);
        for (int c = 0; c < COL_COUNT; c++)
            if (strlen(column_names[c]) == flen && xc__strn_ieq(name, flen, column_names[c]))
                columns[c] = (int)i;
    }
    if (columns[COL_NAME] < 0) {
        rc = xc__error_set(err, XC_PARSE, "%s line 1: no 'name' column in the header", path);
        goto done;
    }

    rc = xc__store_write_begin(store, err);
    if (rc != XC_OK)
        goto done;
    locked = true;
    rc = xc__store_prepare(store, upsert_party_sql, &stmt, err);
    char now[32];
    xc__store_now(now);
    while (rc == XC_OK && (got = csv_next(&reader, rec)) > 0) {
        if (rec->count == 1 && rec->fields[0].len == 0)
            continue; /* blank line */
        const char *values[COL_COUNT];
        char country[3] = "";
        char ref[80];
        const char *problem = NULL, *arg = "";
        if (rec->bad_quote)
            problem = "malformed quoting%s";
        else if (rec->count != header_fields || rec->too_many)
            problem = "wrong number of fields%s";
        else if (rec->too_long)
            problem = "a field is over 1 MiB%s";
        for (int c = 0; c < COL_COUNT; c++) {
            values[c] = "";
            if (columns[c] >= 0 && (size_t)columns[c] < rec->count) {
                xc__buf *field = &rec->fields[columns[c]];
                size_t flen = field->len;
                const char *start = xc__trim(field->data, &flen);
                memmove(field->data, start, flen);
                field->data[flen] = '\0';
                field->len = flen;
                values[c] = field->data;
                if (!problem && xc__utf8_check(field->data, flen) != flen)
                    problem = "invalid UTF-8 in %s", arg = column_names[c];
            }
        }
        const char *kind_name = *values[COL_KIND] ? kind_canonical(values[COL_KIND]) : "";
        if (!problem && !*values[COL_NAME])
            problem = "no name%s";
        else if (!problem && !kind_name)
            problem = "unknown kind '%s'", arg = values[COL_KIND];
        else if (!problem && *values[COL_COUNTRY]) {
            const char *c = values[COL_COUNTRY];
            if (strlen(c) != 2 || !isalpha((unsigned char)c[0]) || !isalpha((unsigned char)c[1]))
                problem = "country '%s' is not an ISO 3166 alpha-2 code", arg = c;
            else
                country[0] = (char)toupper((unsigned char)c[0]),
                country[1] = (char)toupper((unsigned char)c[1]), country[2] = '\0';
        }
        if (!problem && *values[COL_DOB] && !dob_valid(values[COL_DOB]))
            problem = "dob '%s' is not YYYY, YYYY-MM or YYYY-MM-DD", arg = values[COL_DOB];
        if (!problem && strlen(values[COL_ID]) > 200)
            problem = "id longer than 200 bytes%s";
        char ids[2048];
        if (!problem)
            problem = ids_check(values[COL_IDS], ids, sizeof ids, &arg);
        if (problem) {
            bad_rows++;
            add_issue(&issues, &issue_count, rec->line, problem, arg);
            continue;
        }
        if (*values[COL_ID]) {
            xc__strlcpy(ref, values[COL_ID], sizeof ref);
        } else {
            /* No caller id: a stable one from the identifying fields, so a re-import of the
             * same file updates rather than duplicates. */
            xc__buf key;
            char hex[65];
            xc__buf_init(&key, 0);
            xc__buf_printf(&key, "%s\t%s\t%s\t%s", values[COL_NAME], kind_name, country,
                           values[COL_DOB]);
            xc__sha256_hex(key.data ? key.data : "", key.len, hex);
            xc__buf_free(&key);
            snprintf(ref, sizeof ref, "auto:%.16s", hex);
        }
        sqlite3_reset(stmt);
        sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, values[COL_NAME], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 3, kind_name, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, country, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 5, values[COL_DOB], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 7, ids, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = xc__store_db_error(store, "parties: insert", err);
        else
            ok_rows++;
    }
    if (rc == XC_OK && got < 0)
        rc = xc__error_set(err, XC_NOMEM, "parties: out of memory");
    if (issue_count > PARTIES_MAX_ISSUES)
        xc__buf_printf(&issues, "... and %zu more\n", issue_count - PARTIES_MAX_ISSUES);
    if (rc == XC_OK) {
        xc__buf query, answer;
        xc__buf_init(&query, 0);
        xc__buf_init(&answer, 0);
        xc__buf_append(&query, "{\"file\":", 8);
        xc__store_json_str(&query, path);
        xc__buf_putc(&query, '}');
        xc__buf_printf(&answer, "{\"imported\":%zu,\"skipped\":%zu}", ok_rows, bad_rows);
        if (!query.data || !answer.data)
            rc = xc__error_set(err, XC_NOMEM, "parties: out of memory");
        else
            rc = xc__store_audit_append_locked(store, "parties_import", query.data, answer.data,
                                               "", NULL, err);
        xc__buf_free(&query);
        xc__buf_free(&answer);
    }
done:
    sqlite3_finalize(stmt);
    if (locked) {
        xc_status end = xc__store_write_end(store, rc == XC_OK, err);
        if (rc == XC_OK)
            rc = end;
    }
    if (rec)
        for (int i = 0; i < CSV_MAX_FIELDS; i++)
            xc__buf_free(&rec->fields[i]);
    xc__free_mem(rec);
    xc__free_mem(data);
    if (rc == XC_OK) {
        if (imported)
            *imported = ok_rows;
        if (skipped)
            *skipped = bad_rows;
        if (issues_out && issues.len)
            *issues_out = xc__buf_steal(&issues);
    }
    xc__buf_free(&issues);
    return rc;
}

xc_status xc_store_parties_each(xc_store *store, xc_party_fn fn, void *ctx, xc_error *err)
{
    if (!store || !fn)
        return xc__error_set(err, XC_INVALID, "parties: no store or callback");
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store,
                                     "SELECT id, ref, name, kind, country, dob,"
                                     " last_screened_at, last_result_sha256, last_band,"
                                     " last_audit_id, ids FROM parties ORDER BY id",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        xc_stored_party party = {
            .id = sqlite3_column_int64(stmt, 0),
            .ref = xc__store_col(stmt, 1),
            .name = xc__store_col(stmt, 2),
            .kind = xc__store_col(stmt, 3),
            .country = xc__store_col(stmt, 4),
            .dob = xc__store_col(stmt, 5),
            .last_screened_at = xc__store_col(stmt, 6),
            .last_result_sha256 = xc__store_col(stmt, 7),
            .last_band = xc__store_col(stmt, 8),
            .last_audit_id = sqlite3_column_int64(stmt, 9),
            .ids = xc__store_col(stmt, 10),
        };
        if (fn(ctx, &party) != 0) {
            step = SQLITE_DONE;
            break;
        }
    }
    if (step != SQLITE_DONE)
        rc = xc__store_db_error(store, "parties: read", err);
    sqlite3_finalize(stmt);
    return rc;
}

xc_status xc_store_party_set_result(xc_store *store, const char *ref, const char *result_json,
                                    const char *band, int64_t audit_id, xc_error *err)
{
    if (!store || !ref)
        return xc__error_set(err, XC_INVALID, "parties: no store or ref");
    const char *result = result_json ? result_json : "";
    size_t len = strlen(result);
    if (len > XC__STORE_TEXT_MAX)
        return xc__error_set(err, XC_INVALID, "parties: result over %u bytes", XC__STORE_TEXT_MAX);
    char hex[65], now[32];
    xc__sha256_hex(result, len, hex);
    xc__store_now(now);
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store,
                                     "UPDATE parties SET last_screened_at = ?, last_result = ?,"
                                     " last_result_sha256 = ?, last_band = ?,"
                                     " last_audit_id = ? WHERE ref = ?",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, result, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, band ? band : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 5, audit_id);
    sqlite3_bind_text(stmt, 6, ref, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE)
        rc = xc__store_db_error(store, "parties: update", err);
    else if (sqlite3_changes(store->db) == 0)
        rc = xc__error_set(err, XC_NOTFOUND, "parties: no party '%s'", ref);
    sqlite3_finalize(stmt);
    return rc;
}

/* ---- alerts ---- */

static xc_status alert_json(xc__buf *buf, int64_t id, const xc_alert *alert, json_t *members)
{
    xc__buf_printf(buf, "{\"alert\":%lld,\"list\":", (long long)id);
    xc__store_json_str(buf, alert->list);
    xc__buf_append(buf, ",\"entity_id\":", 13);
    xc__store_json_str(buf, alert->entity_id);
    xc__buf_append(buf, ",\"party\":", 9);
    xc__store_json_str(buf, alert->party_ref ? alert->party_ref : "");
    xc__buf_append(buf, ",\"group\":", 9);
    xc__store_json_str(buf, alert->group ? alert->group : "");
    char *text = json_dumps(members, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    if (!text)
        return XC_NOMEM;
    xc__buf_printf(buf, ",\"members\":%s}", text);
    free(text);
    return buf->data ? XC_OK : XC_NOMEM;
}

/* The alert's members as a JSON array: alert->members parsed and checked, or its one entry.
 * The alert's own entry comes first (added when members leaves it out). */
static xc_status alert_members(const xc_alert *alert, json_t **out, xc_error *err)
{
    json_t *own = json_pack("{s:s,s:s,s:s,s:f,s:s}", "list", alert->list, "entity_id",
                            alert->entity_id, "matched_name",
                            alert->matched_name ? alert->matched_name : "", "score", alert->score,
                            "band", alert->band ? alert->band : "");
    json_t *members = json_array();
    if (!own || !members) {
        json_decref(own);
        json_decref(members);
        return xc__error_set(err, XC_NOMEM, "alerts: out of memory");
    }
    json_array_append_new(members, own);
    if (alert->members && *alert->members) {
        json_error_t jerr;
        json_t *given = json_loads(alert->members, JSON_REJECT_DUPLICATES, &jerr);
        if (!json_is_array(given)) {
            json_decref(given);
            json_decref(members);
            return xc__error_set(err, XC_INVALID, "alerts: members is not a JSON array");
        }
        size_t i;
        json_t *m;
        json_array_foreach(given, i, m) {
            const char *list = json_string_value(json_object_get(m, "list"));
            const char *id = json_string_value(json_object_get(m, "entity_id"));
            if (!list || !*list || !id || !*id) {
                json_decref(given);
                json_decref(members);
                return xc__error_set(err, XC_INVALID, "alerts: member %zu has no list or "
                                     "entity_id", i);
            }
            if (strcmp(list, alert->list) == 0 && strcmp(id, alert->entity_id) == 0)
                continue; /* the alert's own entry, first already */
            json_array_append(members, m);
        }
        json_decref(given);
    }
    *out = members;
    return XC_OK;
}

xc_status xc_store_alert_create(xc_store *store, const xc_alert *alert, int64_t *id,
                                xc_error *err)
{
    if (!store || !alert || !alert->list || !*alert->list || !alert->entity_id ||
        !*alert->entity_id)
        return xc__error_set(err, XC_INVALID, "alerts: an alert needs a list and an entity id");
    json_t *members = NULL;
    xc_status rc = alert_members(alert, &members, err);
    if (rc != XC_OK)
        return rc;
    char now[32];
    xc__store_now(now);
    rc = xc__store_write_begin(store, err);
    if (rc != XC_OK) {
        json_decref(members);
        return rc;
    }
    sqlite3_stmt *stmt;
    rc = xc__store_prepare(store,
                           "INSERT INTO alerts(created_at, party_ref, query, list, entity_id,"
                           " matched_name, score, band, audit_id, entity_group)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?)",
                           &stmt, err);
    int64_t new_id = 0;
    if (rc == XC_OK) {
        sqlite3_bind_text(stmt, 1, now, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, alert->party_ref ? alert->party_ref : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, alert->query ? alert->query : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, alert->list, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, alert->entity_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 6, alert->matched_name ? alert->matched_name : "", -1,
                          SQLITE_STATIC);
        sqlite3_bind_double(stmt, 7, alert->score);
        sqlite3_bind_text(stmt, 8, alert->band ? alert->band : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 9, alert->audit_id);
        sqlite3_bind_text(stmt, 10, alert->group ? alert->group : "", -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = xc__store_db_error(store, "alerts: insert", err);
        else
            new_id = sqlite3_last_insert_rowid(store->db);
        sqlite3_finalize(stmt);
    }
    if (rc == XC_OK)
        rc = xc__store_prepare(store,
                               "INSERT OR IGNORE INTO alert_members(alert_id, list, entity_id,"
                               " matched_name, score, band) VALUES (?,?,?,?,?,?)",
                               &stmt, err);
    if (rc == XC_OK) {
        size_t i;
        json_t *m;
        json_array_foreach(members, i, m) {
            const char *name = json_string_value(json_object_get(m, "matched_name"));
            const char *band = json_string_value(json_object_get(m, "band"));
            sqlite3_reset(stmt);
            sqlite3_bind_int64(stmt, 1, new_id);
            sqlite3_bind_text(stmt, 2, json_string_value(json_object_get(m, "list")), -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(stmt, 3, json_string_value(json_object_get(m, "entity_id")), -1,
                              SQLITE_STATIC);
            sqlite3_bind_text(stmt, 4, name ? name : "", -1, SQLITE_STATIC);
            sqlite3_bind_double(stmt, 5, json_number_value(json_object_get(m, "score")));
            sqlite3_bind_text(stmt, 6, band ? band : "", -1, SQLITE_STATIC);
            if (sqlite3_step(stmt) != SQLITE_DONE) {
                rc = xc__store_db_error(store, "alerts: insert member", err);
                break;
            }
        }
        sqlite3_finalize(stmt);
    }
    if (rc == XC_OK) {
        xc__buf answer;
        xc__buf_init(&answer, 0);
        rc = alert_json(&answer, new_id, alert, members) == XC_OK
                 ? xc__store_audit_append_locked(store, "alert_open", alert->query, answer.data,
                                                 "", NULL, err)
                 : xc__error_set(err, XC_NOMEM, "alerts: out of memory");
        xc__buf_free(&answer);
    }
    json_decref(members);
    xc_status end = xc__store_write_end(store, rc == XC_OK, err);
    if (rc == XC_OK)
        rc = end;
    if (rc == XC_OK && id)
        *id = new_id;
    return rc;
}

xc_status xc_store_alerts_each(xc_store *store, const char *status, xc_alert_fn fn, void *ctx,
                               xc_error *err)
{
    if (!store || !fn)
        return xc__error_set(err, XC_INVALID, "alerts: no store or callback");
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store,
                                     "SELECT id, created_at, status, party_ref, query, list,"
                                     " entity_id, matched_name, score, band, audit_id, reviewer,"
                                     " reason, disposed_at, entity_group,"
                                     " (SELECT json_group_array(json_object('list', m.list,"
                                     " 'entity_id', m.entity_id, 'matched_name', m.matched_name,"
                                     " 'score', m.score, 'band', m.band)) FROM (SELECT * FROM"
                                     " alert_members WHERE alert_id = alerts.id ORDER BY rowid)"
                                     " m) FROM alerts"
                                     " WHERE ?1 IS NULL OR status = ?1 ORDER BY id",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    if (status)
        sqlite3_bind_text(stmt, 1, status, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        xc_alert alert = {
            .id = sqlite3_column_int64(stmt, 0),
            .created_at = xc__store_col(stmt, 1),
            .status = xc__store_col(stmt, 2),
            .party_ref = xc__store_col(stmt, 3),
            .query = xc__store_col(stmt, 4),
            .list = xc__store_col(stmt, 5),
            .entity_id = xc__store_col(stmt, 6),
            .matched_name = xc__store_col(stmt, 7),
            .score = sqlite3_column_double(stmt, 8),
            .band = xc__store_col(stmt, 9),
            .audit_id = sqlite3_column_int64(stmt, 10),
            .reviewer = xc__store_col(stmt, 11),
            .reason = xc__store_col(stmt, 12),
            .disposed_at = xc__store_col(stmt, 13),
            .group = xc__store_col(stmt, 14),
            .members = xc__store_col(stmt, 15),
        };
        if (fn(ctx, &alert) != 0) {
            step = SQLITE_DONE;
            break;
        }
    }
    if (step != SQLITE_DONE)
        rc = xc__store_db_error(store, "alerts: read", err);
    sqlite3_finalize(stmt);
    return rc;
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

xc_status xc_store_alert_dispose(xc_store *store, int64_t alert_id, xc_disposition disposition,
                                 const char *reviewer, const char *reason, int64_t *audit_id,
                                 xc_error *err)
{
    if (!store)
        return xc__error_set(err, XC_INVALID, "alerts: no store");
    if (disposition != XC_ALERT_CLEAR && disposition != XC_ALERT_ESCALATE)
        return xc__error_set(err, XC_INVALID, "alerts: unknown disposition %d", (int)disposition);
    if (blank(reviewer))
        return xc__error_set(err, XC_INVALID, "alerts: a disposition needs a reviewer");
    if (blank(reason))
        return xc__error_set(err, XC_INVALID, "alerts: a disposition needs a reason");
    if (strlen(reviewer) > 200 || strlen(reason) > 10000 ||
        xc__utf8_check(reviewer, strlen(reviewer)) != strlen(reviewer) ||
        xc__utf8_check(reason, strlen(reason)) != strlen(reason))
        return xc__error_set(err, XC_INVALID, "alerts: reviewer or reason too long or not UTF-8");
    const char *status = disposition == XC_ALERT_CLEAR ? "cleared" : "escalated";
    xc_status rc = xc__store_write_begin(store, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_stmt *stmt;
    char old_status[16] = "", list[256] = "", entity_id[256] = "", party_ref[256] = "";
    char group[256] = "";
    json_t *members = NULL;
    rc = xc__store_prepare(store, "SELECT status, list, entity_id, party_ref, entity_group,"
                                  " (SELECT json_group_array(json_object('list', m.list,"
                                  " 'entity_id', m.entity_id)) FROM (SELECT * FROM alert_members"
                                  " WHERE alert_id = alerts.id ORDER BY rowid) m)"
                                  " FROM alerts WHERE id = ?", &stmt, err);
    if (rc == XC_OK) {
        sqlite3_bind_int64(stmt, 1, alert_id);
        int step = sqlite3_step(stmt);
        if (step == SQLITE_ROW) {
            xc__strlcpy(old_status, xc__store_col(stmt, 0), sizeof old_status);
            xc__strlcpy(list, xc__store_col(stmt, 1), sizeof list);
            xc__strlcpy(entity_id, xc__store_col(stmt, 2), sizeof entity_id);
            xc__strlcpy(party_ref, xc__store_col(stmt, 3), sizeof party_ref);
            xc__strlcpy(group, xc__store_col(stmt, 4), sizeof group);
            members = json_loads(xc__store_col(stmt, 5), 0, NULL);
            if (!members)
                rc = xc__error_set(err, XC_NOMEM, "alerts: out of memory");
        } else if (step == SQLITE_DONE) {
            rc = xc__error_set(err, XC_NOTFOUND, "alerts: no alert %lld", (long long)alert_id);
        } else {
            rc = xc__store_db_error(store, "alerts: read", err);
        }
        sqlite3_finalize(stmt);
    }
    if (rc == XC_OK && strcmp(old_status, "cleared") == 0)
        rc = xc__error_set(err, XC_INVALID, "alerts: alert %lld is already cleared (final)",
                           (long long)alert_id);
    char now[32];
    xc__store_now(now);
    if (rc == XC_OK)
        rc = xc__store_prepare(store, "UPDATE alerts SET status = ?, reviewer = ?, reason = ?,"
                                      " disposed_at = ? WHERE id = ?", &stmt, err);
    if (rc == XC_OK) {
        sqlite3_bind_text(stmt, 1, status, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, reviewer, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, reason, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 5, alert_id);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = xc__store_db_error(store, "alerts: update", err);
        sqlite3_finalize(stmt);
    }
    if (rc == XC_OK) {
        xc__buf query, answer;
        xc__buf_init(&query, 0);
        xc__buf_init(&answer, 0);
        xc_alert alert = {.list = list, .entity_id = entity_id, .party_ref = party_ref,
                          .group = group};
        if (alert_json(&query, alert_id, &alert, members) != XC_OK)
            xc__buf_free(&query);
        xc__buf_append(&answer, "{\"from\":", 8);
        xc__store_json_str(&answer, old_status);
        xc__buf_append(&answer, ",\"to\":", 6);
        xc__store_json_str(&answer, status);
        xc__buf_append(&answer, ",\"reviewer\":", 12);
        xc__store_json_str(&answer, reviewer);
        xc__buf_append(&answer, ",\"reason\":", 10);
        xc__store_json_str(&answer, reason);
        xc__buf_putc(&answer, '}');
        if (!query.data || !answer.data)
            rc = xc__error_set(err, XC_NOMEM, "alerts: out of memory");
        else
            rc = xc__store_audit_append_locked(store,
                                               disposition == XC_ALERT_CLEAR ? "alert_clear"
                                                                             : "alert_escalate",
                                               query.data, answer.data, "", audit_id, err);
        xc__buf_free(&query);
        xc__buf_free(&answer);
    }
    json_decref(members);
    xc_status end = xc__store_write_end(store, rc == XC_OK, err);
    return rc != XC_OK ? rc : end;
}

/* ---- list versions ---- */

xc_status xc_store_list_version_record(xc_store *store, const xc_list_version *version,
                                       int64_t *id, xc_error *err)
{
    if (!store || !version || blank(version->source) || !version->status ||
        (strcmp(version->status, "active") != 0 && strcmp(version->status, "superseded") != 0 &&
         strcmp(version->status, "rejected") != 0))
        return xc__error_set(err, XC_INVALID,
                             "list versions: a version needs a source and a status of active, "
                             "superseded or rejected");
    char now[32];
    xc__store_now(now);
    xc_status rc = xc__store_write_begin(store, err);
    if (rc != XC_OK)
        return rc;
    sqlite3_stmt *stmt;
    if (strcmp(version->status, "active") == 0) {
        rc = xc__store_prepare(store, "UPDATE list_versions SET status = 'superseded'"
                                      " WHERE source = ? AND status = 'active'", &stmt, err);
        if (rc == XC_OK) {
            sqlite3_bind_text(stmt, 1, version->source, -1, SQLITE_STATIC);
            if (sqlite3_step(stmt) != SQLITE_DONE)
                rc = xc__store_db_error(store, "list versions: update", err);
            sqlite3_finalize(stmt);
        }
    }
    if (rc == XC_OK)
        rc = xc__store_prepare(store,
                               "INSERT INTO list_versions(source, version, url, path, fetched_at,"
                               " size, sha256, entities, status, message)"
                               " VALUES (?,?,?,?,?,?,?,?,?,?)",
                               &stmt, err);
    if (rc == XC_OK) {
        const char *fetched = version->fetched_at && *version->fetched_at ? version->fetched_at
                                                                            : now;
        sqlite3_bind_text(stmt, 1, version->source, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, version->version ? version->version : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, version->url ? version->url : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 4, version->path ? version->path : "", -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, fetched, -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 6, version->size);
        sqlite3_bind_text(stmt, 7, version->sha256 ? version->sha256 : "", -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 8, version->entities);
        sqlite3_bind_text(stmt, 9, version->status, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 10, version->message ? version->message : "", -1, SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_DONE)
            rc = xc__store_db_error(store, "list versions: insert", err);
        else if (id)
            *id = sqlite3_last_insert_rowid(store->db);
        sqlite3_finalize(stmt);
    }
    xc_status end = xc__store_write_end(store, rc == XC_OK, err);
    return rc != XC_OK ? rc : end;
}

xc_status xc_store_list_versions_each(xc_store *store, const char *source,
                                      xc_list_version_fn fn, void *ctx, xc_error *err)
{
    if (!store || !fn)
        return xc__error_set(err, XC_INVALID, "list versions: no store or callback");
    sqlite3_stmt *stmt;
    xc_status rc = xc__store_prepare(store,
                                     "SELECT id, source, version, url, path, fetched_at, size,"
                                     " sha256, entities, status, message FROM list_versions"
                                     " WHERE ?1 IS NULL OR source = ?1 ORDER BY id DESC",
                                     &stmt, err);
    if (rc != XC_OK)
        return rc;
    if (source)
        sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
        xc_list_version version = {
            .id = sqlite3_column_int64(stmt, 0),
            .source = xc__store_col(stmt, 1),
            .version = xc__store_col(stmt, 2),
            .url = xc__store_col(stmt, 3),
            .path = xc__store_col(stmt, 4),
            .fetched_at = xc__store_col(stmt, 5),
            .size = sqlite3_column_int64(stmt, 6),
            .sha256 = xc__store_col(stmt, 7),
            .entities = sqlite3_column_int64(stmt, 8),
            .status = xc__store_col(stmt, 9),
            .message = xc__store_col(stmt, 10),
        };
        if (fn(ctx, &version) != 0) {
            step = SQLITE_DONE;
            break;
        }
    }
    if (step != SQLITE_DONE)
        rc = xc__store_db_error(store, "list versions: read", err);
    sqlite3_finalize(stmt);
    return rc;
}
