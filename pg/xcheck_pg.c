/*
 * xcheck_pg.c — the PostgreSQL extension: xcheck_screen, xcheck_screen_json, xcheck_decide and
 * xcheck_lists over libxcheck's public API (include/xcheck.h, nothing else).
 *
 * Each backend (and each parallel worker) opens one engine lazily, at its first call, from the
 * lists the setting xcheck.data names (comma-separated files or folders, as `xcheck --data`
 * takes them), through the snapshot folder xcheck.snapshot_dir when set, so that backends map
 * the same snapshot file and share its pages through the OS. At the first call of every
 * statement the list files are stat()ed again (the folders' entries too): a changed file, or a
 * changed setting, opens a new engine, so an update is seen without a restart and one statement
 * answers from one list version.
 *
 * Errors: the library never longjmps and never calls back into PostgreSQL; every ereport here
 * happens after the library call has returned, with the library's message and a SQLSTATE mapped
 * from its status. Results of the library (malloc'd) are freed before any error is raised, or in
 * a PG_FINALLY when PostgreSQL itself may raise one (out of memory in the tuplestore).
 */
#include "postgres.h"

#include <dirent.h>
#include <sys/stat.h>

#include "access/xact.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include <xcheck.h>

PG_MODULE_MAGIC;

void _PG_init(void);
PG_FUNCTION_INFO_V1(xcheck_screen);
PG_FUNCTION_INFO_V1(xcheck_screen_json);
PG_FUNCTION_INFO_V1(xcheck_decide);
PG_FUNCTION_INFO_V1(xcheck_lists);

#define MAX_DATA_PATHS 64
#define MAX_TOP 1000

/* Settings. */
static char *setting_data = NULL;         /* xcheck.data */
static char *setting_snapshot_dir = NULL; /* xcheck.snapshot_dir */

/* The backend's engine and what it was opened from (in TopMemoryContext: they outlive
 * transactions). */
static xc_engine *engine = NULL;
static char *engine_data = NULL;         /* xcheck.data it was opened with */
static char *engine_snapshot_dir = NULL; /* xcheck.snapshot_dir it was opened with */
static uint64 engine_signature = 0;      /* of the list files' stat() when opened */
static TimestampTz checked_at = 0;       /* statement start of the last check */
static bool checked = false;

void _PG_init(void)
{
    DefineCustomStringVariable(
        "xcheck.data",
        "Official list files or folders xcheck screens against, comma-separated.",
        "As `xcheck --data` takes them; a changed file is picked up at the next statement.",
        &setting_data, "", PGC_USERSET, 0, NULL, NULL, NULL);
    DefineCustomStringVariable(
        "xcheck.snapshot_dir",
        "Folder of xcheck's engine snapshots (empty: parse the lists in every backend).",
        "Backends map the same snapshot file, so they share its pages; the folder must be "
        "writable by the server.",
        &setting_snapshot_dir, "", PGC_SUSET, 0, NULL, NULL, NULL);
    MarkGUCPrefixReserved("xcheck");
}

/* The SQLSTATE of a library status. */
static int status_sqlstate(xc_status status)
{
    switch (status) {
    case XC_NOMEM:
        return ERRCODE_OUT_OF_MEMORY;
    case XC_INVALID:
        return ERRCODE_INVALID_PARAMETER_VALUE;
    case XC_UTF8:
        return ERRCODE_CHARACTER_NOT_IN_REPERTOIRE;
    case XC_PARSE:
        return ERRCODE_INVALID_TEXT_REPRESENTATION;
    case XC_TOOBIG:
        return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
    case XC_IO:
        return ERRCODE_IO_ERROR;
    case XC_NOTFOUND:
        return ERRCODE_UNDEFINED_OBJECT;
    case XC_UNSUPPORTED:
        return ERRCODE_FEATURE_NOT_SUPPORTED;
    case XC_NODATA:
        return ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE;
    case XC_CORRUPT:
        return ERRCODE_DATA_CORRUPTED;
    default:
        return ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
    }
}

/* Raises the error a library call returned (err is the caller's copy: nothing of the library is
 * still live). */
static void pg_attribute_noreturn() raise_status(const char *function, xc_status status,
                                                 const xc_error *err)
{
    ereport(ERROR, (errcode(status_sqlstate(status)),
                    errmsg("%s: %s", function, err->message[0] ? err->message
                                                               : xc_strerror(status)),
                    errdetail("libxcheck status %s", xc_status_name(status))));
}

static uint64 fnv(uint64 hash, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        hash = (hash ^ p[i]) * UINT64CONST(1099511628211);
    return hash;
}

static uint64 stat_hash(uint64 hash, const char *path)
{
    struct stat st;
    hash = fnv(hash, path, strlen(path) + 1);
    if (stat(path, &st) != 0)
        return fnv(hash, "-", 1);
    int64 fields[5] = {(int64)st.st_size, (int64)st.st_mtim.tv_sec, (int64)st.st_mtim.tv_nsec,
                       (int64)st.st_ino, (int64)st.st_ctim.tv_nsec};
    return fnv(hash, fields, sizeof fields);
}

/* A digest of the paths' stat() (size, times, inode), and of every entry of a folder: any
 * replaced, edited, added or removed list file changes it. */
static uint64 paths_signature(char **paths, int n)
{
    uint64 hash = UINT64CONST(14695981039346656037);
    for (int i = 0; i < n; i++) {
        struct stat st;
        hash = stat_hash(hash, paths[i]);
        if (stat(paths[i], &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        DIR *dir = opendir(paths[i]);
        if (!dir)
            continue;
        struct dirent *de;
        char file[MAXPGPATH];
        while ((de = readdir(dir)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(file, sizeof file, "%s/%s", paths[i], de->d_name);
            hash = stat_hash(hash, file);
        }
        closedir(dir);
    }
    return hash;
}

/* Splits xcheck.data at commas (blanks around each path trimmed) into palloc'd paths. */
static int split_paths(const char *data, char **paths)
{
    int n = 0;
    const char *p = data;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len > 0) {
            if (n == MAX_DATA_PATHS)
                ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                                errmsg("xcheck.data: more than %d paths", MAX_DATA_PATHS)));
            paths[n++] = pnstrdup(p, len);
        }
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

static char *top_strdup(const char *s)
{
    return MemoryContextStrdup(TopMemoryContext, s);
}

/* The backend's engine for the current settings and list files, opened or reopened as needed. */
static const xc_engine *get_engine(const char *function)
{
    TimestampTz statement = GetCurrentStatementStartTimestamp();
    const char *data = setting_data ? setting_data : "";
    const char *snapshot_dir = setting_snapshot_dir ? setting_snapshot_dir : "";
    bool same_settings = engine && strcmp(data, engine_data) == 0 &&
                         strcmp(snapshot_dir, engine_snapshot_dir) == 0;
    if (same_settings && checked && statement == checked_at)
        return engine;

    char *paths[MAX_DATA_PATHS + 1];
    int n = split_paths(data, paths);
    if (n == 0)
        ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                        errmsg("%s: xcheck.data is not set", function),
                        errhint("SET xcheck.data = '/path/to/lists' (official list files or "
                                "folders, comma-separated, as xcheck --data takes them).")));
    paths[n] = NULL;
    uint64 signature = paths_signature(paths, n);
    checked_at = statement;
    checked = true;
    if (same_settings && signature == engine_signature)
        return engine;

    xc_config cfg = {0};
    cfg.data_paths = (const char *const *)paths;
    cfg.snapshot_dir = *snapshot_dir ? snapshot_dir : NULL;
    xc_error err = {0};
    xc_engine *opened = xc_engine_open(&cfg, &err);
    if (!opened) {
        checked = false; /* try again at the next call */
        ereport(ERROR, (errcode(status_sqlstate(err.code)),
                        errmsg("%s: cannot open the lists of xcheck.data: %s", function,
                               err.message),
                        errdetail("xcheck.data = '%s'; libxcheck status %s", data,
                                  xc_status_name(err.code))));
    }
    char *new_data = top_strdup(data);
    char *new_snapshot_dir = top_strdup(snapshot_dir);
    xc_engine_close(engine);
    if (engine_data)
        pfree(engine_data);
    if (engine_snapshot_dir)
        pfree(engine_snapshot_dir);
    engine = opened;
    engine_data = new_data;
    engine_snapshot_dir = new_snapshot_dir;
    engine_signature = signature;
    return engine;
}

/* The arguments of xcheck_screen and xcheck_screen_json, checked. */
typedef struct screen_args {
    xc_party party;
    xc_screen_opts opts;
} screen_args;

static void screen_args_get(FunctionCallInfo fcinfo, const char *function, screen_args *args)
{
    memset(args, 0, sizeof *args);
    args->party.name = text_to_cstring(PG_GETARG_TEXT_PP(0));
    args->party.kind = XC_KIND_ANY;
    if (!PG_ARGISNULL(1)) {
        char *kind = text_to_cstring(PG_GETARG_TEXT_PP(1));
        if (*kind && xc_kind_parse(kind, &args->party.kind) != XC_OK)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s: kind: '%s' is not person, org, vessel, aircraft or any",
                                   function, kind)));
    }
    if (!PG_ARGISNULL(2))
        args->party.country = text_to_cstring(PG_GETARG_TEXT_PP(2));
    if (!PG_ARGISNULL(3))
        args->party.dob = text_to_cstring(PG_GETARG_TEXT_PP(3));
    if (!PG_ARGISNULL(4)) {
        float4 threshold = PG_GETARG_FLOAT4(4);
        if (!(threshold > 0 && threshold <= 1))
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s: threshold: %g is not a score in (0, 1]", function,
                                   (double)threshold)));
        args->opts.threshold = threshold;
    }
    args->opts.top = 10;
    if (!PG_ARGISNULL(5)) {
        int32 top = PG_GETARG_INT32(5);
        if (top < 1 || top > MAX_TOP)
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s: top: %d is not between 1 and %d", function, top,
                                   MAX_TOP)));
        args->opts.top = top;
    }
}

/* Screens; a dob or country the library dropped (a field error in its result) is an error
 * here, naming the argument: in SQL a bad value is the caller's to fix, not to screen around. */
static xc_result *screen(const char *function, const screen_args *args)
{
    const xc_engine *eng = get_engine(function);
    xc_result *res = NULL;
    xc_error err = {0};
    xc_status rc = xc_screen(eng, &args->party, &args->opts, &res, &err);
    if (rc != XC_OK)
        raise_status(function, rc, &err);
    for (size_t i = 0; i < xc_result_warning_count(res); i++) {
        const char *warning = xc_result_warning(res, i);
        if ((args->party.dob && strncmp(warning, "dob: ", 5) == 0) ||
            (args->party.country && strncmp(warning, "country: ", 9) == 0)) {
            char *message = pstrdup(warning);
            char *tail = strstr(message, "; screened without it");
            if (tail)
                *tail = '\0';
            xc_result_free(res);
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("%s: %s", function, message)));
        }
    }
    return res;
}

static void json_number(StringInfo buf, const char *key, double value)
{
    appendStringInfo(buf, "\"%s\":%.6g", key, value);
}

static void json_string_field(StringInfo buf, const char *key, const char *value)
{
    appendStringInfo(buf, "\"%s\":", key);
    if (value)
        escape_json(buf, value);
    else
        appendStringInfoString(buf, "null");
}

/* The explanation of a match, as the CLI's JSON gives it under "explanation". */
static Datum explanation_jsonb(const xc_match *m)
{
    StringInfoData buf;
    initStringInfo(&buf);
    appendStringInfoChar(&buf, '{');
    json_number(&buf, "name_score", m->name_score);
    if (m->query_form) {
        appendStringInfoChar(&buf, ',');
        json_string_field(&buf, "query_form", m->query_form);
    }
    if (m->candidate_form) {
        appendStringInfoChar(&buf, ',');
        json_string_field(&buf, "candidate_form", m->candidate_form);
    }
    appendStringInfoString(&buf, ",\"pairs\":[");
    for (size_t i = 0; i < m->pair_count; i++) {
        const xc_token_pair *p = &m->pairs[i];
        appendStringInfoString(&buf, i ? ",{" : "{");
        json_string_field(&buf, "query", p->query);
        appendStringInfoChar(&buf, ',');
        json_string_field(&buf, "candidate", p->candidate);
        appendStringInfoChar(&buf, ',');
        json_number(&buf, "similarity", p->similarity);
        appendStringInfoChar(&buf, ',');
        json_number(&buf, "weight", p->weight);
        appendStringInfoChar(&buf, ',');
        json_string_field(&buf, "how", p->how);
        appendStringInfoChar(&buf, '}');
    }
    appendStringInfoString(&buf, "],");
    json_string_field(&buf, "qualifiers", m->qualifiers);
    if (m->id_query) {
        appendStringInfoString(&buf, ",\"identifier\":{\"how\":\"identifier\",");
        json_string_field(&buf, "query", m->id_query);
        appendStringInfoChar(&buf, ',');
        json_string_field(&buf, "type", m->id_type);
        appendStringInfoChar(&buf, ',');
        json_string_field(&buf, "value", m->id_value);
        appendStringInfoChar(&buf, '}');
    }
    appendStringInfoChar(&buf, '}');
    Datum jsonb = DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
    pfree(buf.data);
    return jsonb;
}

Datum xcheck_screen(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    InitMaterializedSRF(fcinfo, 0);
    CHECK_FOR_INTERRUPTS();
    if (PG_ARGISNULL(0))
        return (Datum)0;
    screen_args args;
    screen_args_get(fcinfo, "xcheck_screen", &args);
    xc_result *res = screen("xcheck_screen", &args);
    PG_TRY();
    {
        for (size_t i = 0; i < xc_result_count(res); i++) {
            const xc_match *m = xc_result_match(res, i);
            Datum values[7];
            bool nulls[7] = {false};
            values[0] = CStringGetTextDatum(m->list);
            values[1] = CStringGetTextDatum(m->entity_id);
            values[2] = CStringGetTextDatum(m->name);
            values[3] = CStringGetTextDatum(m->matched_name);
            values[4] = Float4GetDatum((float4)m->score);
            values[5] = CStringGetTextDatum(m->band);
            values[6] = explanation_jsonb(m);
            tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
        }
    }
    PG_FINALLY();
    {
        xc_result_free(res);
    }
    PG_END_TRY();
    return (Datum)0;
}

/* A JSON text the library returned (malloc'd, freed here) as jsonb. */
static Datum owned_json_to_jsonb(char *json)
{
    volatile Datum jsonb = (Datum)0;
    PG_TRY();
    {
        jsonb = DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
    }
    PG_FINALLY();
    {
        xc_free(json);
    }
    PG_END_TRY();
    return jsonb;
}

Datum xcheck_screen_json(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    screen_args args;
    screen_args_get(fcinfo, "xcheck_screen_json", &args);
    xc_result *res = screen("xcheck_screen_json", &args);
    char *json = xc_result_json(res);
    xc_result_free(res);
    if (!json)
        ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY),
                        errmsg("xcheck_screen_json: out of memory rendering the result")));
    PG_RETURN_DATUM(owned_json_to_jsonb(json));
}

Datum xcheck_decide(PG_FUNCTION_ARGS)
{
    CHECK_FOR_INTERRUPTS();
    Jsonb *shipment = PG_GETARG_JSONB_P(0);
    char *text = JsonbToCString(NULL, &shipment->root, VARSIZE(shipment));
    const xc_engine *eng = get_engine("xcheck_decide");
    char *json = NULL;
    xc_error err = {0};
    xc_status rc = xc_decide_json(eng, text, strlen(text), &json, &err);
    if (rc != XC_OK)
        raise_status("xcheck_decide", rc, &err);
    PG_RETURN_DATUM(owned_json_to_jsonb(json));
}

Datum xcheck_lists(PG_FUNCTION_ARGS)
{
    ReturnSetInfo *rsinfo = (ReturnSetInfo *)fcinfo->resultinfo;
    InitMaterializedSRF(fcinfo, 0);
    const xc_engine *eng = get_engine("xcheck_lists");
    for (size_t i = 0; i < xc_engine_list_count(eng); i++) {
        const xc_list_info *l = xc_engine_list(eng, i);
        Datum values[7];
        bool nulls[7] = {false};
        values[0] = CStringGetTextDatum(l->id);
        if (l->version[0]) {
            values[1] = CStringGetTextDatum(l->version);
            values[2] = DirectFunctionCall1(date_in, CStringGetDatum(l->version));
        } else {
            /* No date in the file: named as the store names such versions. */
            values[1] = PointerGetDatum(cstring_to_text_with_len(l->sha256, strnlen(l->sha256, 12)));
            nulls[2] = true;
        }
        values[3] = Int64GetDatum((int64)l->entities);
        values[4] = Int64GetDatum((int64)l->names);
        values[5] = CStringGetTextDatum(l->sha256);
        values[6] = BoolGetDatum(l->incomplete != 0);
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return (Datum)0;
}
