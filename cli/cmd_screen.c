/*
 * cmd_screen.c — `xcheck screen NAME` prints the ranked matches as a table (or one JSON
 * object with --json); `xcheck screen --input FILE.csv [--output FILE]` screens every row
 * (columns: name required; id, kind, country, dob, ids optional) and writes JSON Lines in input
 * order, using every core: rows are read in chunks, screened by worker threads, and written
 * in order. A progress bar goes to stderr when it is a terminal. Answers are audited in the
 * store in use (--db, or the managed store when screening against the managed lists), a batch
 * in one transaction per chunk; an answer that cannot be audited is not printed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: xcheck screen [--data DIR]... [--kind K] [--country CC] [--dob DATE]\n"
            "                     [--id TYPE:VALUE]... [--threshold T] [--top N] [--list ID]...\n"
            "                     [--scorer S] [--json] NAME\n"
            "       xcheck screen [--data DIR]... --input FILE.csv [--output FILE]\n"
            "       lists: [--sample] [--allow-incomplete] [--max-age DAYS]\n"
            "       audit: [--db PATH] [--no-audit]\n\n"
            "Lists: --data, else $XCHECK_DATA, else the lists `xcheck update` installed; no list is\n"
            "an error. --sample screens the bundled demonstration sample (answers say so).\n"
            "--allow-incomplete loads a source missing a required file (OFAC alt.csv, add.csv)\n"
            "and marks its answers incomplete. Answers warn about lists published more than\n"
            "--max-age days ago ($XCHECK_MAX_AGE_DAYS, default 7).\n"
            "Each answer is written to the audit log of the store in use: --db PATH, or the\n"
            "managed store when the lists are the ones `xcheck update` installed (no --data).\n"
            "Lists given with --data (or $XCHECK_DATA) are not audited unless --db is given.\n"
            "--scorer xcheck (default) or ofac: the score OFAC's Sanctions List Search shows\n"
            "(name only; default threshold 0.85 = OFAC's slider at 85).\n");
    return 2;
}

typedef struct row {
    long line;
    char *id, *name, *kind, *country, *dob;
    char *ids;  /* identifiers, ';'-separated ("imo:9187629; passport:A0181988") */
    char *json; /* output line */
} row;

typedef struct job {
    const xc_engine *eng;
    const xc_screen_opts *opts;
    row *rows;
    size_t n;
    size_t next; /* guarded by lock */
    pthread_mutex_t lock;
} job;

static char *json_escape_error(long line, const char *id, const xc_error *err)
{
    char buf[900];
    char msg[600];
    size_t k = 0;
    for (const char *p = err->message; *p && k + 7 < sizeof msg; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\') {
            msg[k++] = '\\';
            msg[k++] = (char)c;
        } else if (c < 0x20) {
            k += (size_t)snprintf(msg + k, sizeof msg - k, "\\u%04x", c);
        } else {
            msg[k++] = (char)c;
        }
    }
    msg[k] = '\0';
    (void)id;
    snprintf(buf, sizeof buf, "{\"line\":%ld,\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}",
             line, xc_status_name(err->code), msg);
    return strdup(buf);
}

static void screen_row(const xc_engine *eng, const xc_screen_opts *opts, row *r)
{
    xc_party party = {0};
    party.name = r->name;
    party.country = r->country && *r->country ? r->country : NULL;
    party.dob = r->dob && *r->dob ? r->dob : NULL;
    party.id = r->id && *r->id ? r->id : NULL;
    /* "imo:9187629; bic:KDBKKPPY" -> party.ids (the library checks each and the count) */
    const char *idv[18];
    size_t nid = 0;
    for (char *p = r->ids; p && *p && nid < 17;) {
        char *semi = strchr(p, ';');
        if (semi)
            *semi = '\0';
        while (*p == ' ')
            p++;
        if (*p)
            idv[nid++] = p;
        p = semi ? semi + 1 : p + strlen(p);
    }
    idv[nid] = NULL;
    party.ids = nid ? idv : NULL;
    xc_error err = {0};
    if (r->kind && *r->kind && xc_kind_parse(r->kind, &party.kind) != XC_OK) {
        snprintf(err.message, sizeof err.message, "kind: unknown kind '%.40s'", r->kind);
        err.code = XC_INVALID;
        r->json = json_escape_error(r->line, r->id, &err);
        return;
    }
    xc_result *res = NULL;
    if (xc_screen(eng, &party, opts, &res, &err) != XC_OK) {
        r->json = json_escape_error(r->line, r->id, &err);
        return;
    }
    char *json = xc_result_json(res);
    r->json = json ? strdup(json) : NULL;
    xc_free(json);
    xc_result_free(res);
}

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t i = j->next++;
        pthread_mutex_unlock(&j->lock);
        if (i >= j->n)
            return NULL;
        if (!j->rows[i].json) /* malformed rows were answered while reading */
            screen_row(j->eng, j->opts, &j->rows[i]);
    }
}

static char *dup_field(const cli_csv *csv, int col)
{
    return strdup(col >= 0 && col < csv->nfields ? csv->fields[col] : "");
}

#define CHUNK 8192

static char *query_json(const char *name, const char *kind, const char *country,
                        const char *dob, const char *id, long line);
static int audit_screen(xc_store *store, const char *query, const char *answer,
                        const char *data_version);

/* Audits a chunk's answers in one transaction (one disk sync per chunk, not per row). */
static int audit_chunk(xc_store *store, const char *data_version, const row *rows, size_t n)
{
    xc_error err = {0};
    if (xc_store_begin(store, &err) != XC_OK)
        return cli_fail(&err);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const row *rw = &rows[i];
        char *query = query_json(rw->name, rw->kind, rw->country, rw->dob, rw->id, rw->line);
        rc = audit_screen(store, query, rw->json ? rw->json : "null", data_version);
        free(query);
    }
    if (rc == 0 && xc_store_commit(store, &err) != XC_OK)
        return cli_fail(&err);
    if (rc != 0)
        xc_store_rollback(store, &err);
    return rc;
}

static int screen_file(const xc_engine *eng, const xc_screen_opts *opts, const char *input,
                       const char *output, xc_store *store, const char *data_version)
{
    FILE *in = strcmp(input, "-") == 0 ? stdin : fopen(input, "r");
    if (!in) {
        fprintf(stderr, "xcheck screen: cannot open %s\n", input);
        return 1;
    }
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "xcheck screen: cannot write %s\n", output);
        if (in != stdin)
            fclose(in);
        return 1;
    }
    cli_csv header;
    cli_csv_init(&header, in);
    if (cli_csv_next(&header) != 1) {
        fprintf(stderr, "xcheck screen: %s: no header row\n", input);
        return 1;
    }
    int cname = cli_csv_column(&header, "name"), cid = cli_csv_column(&header, "id");
    int ckind = cli_csv_column(&header, "kind"), ccountry = cli_csv_column(&header, "country");
    int cdob = cli_csv_column(&header, "dob"), cids = cli_csv_column(&header, "ids");
    if (cname < 0) {
        fprintf(stderr, "xcheck screen: %s: column 'name' is required\n", input);
        return 1;
    }
    long threads = sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    bool progress = isatty(2);
    row *rows = calloc(CHUNK, sizeof *rows);
    if (!rows)
        return 1;
    cli_csv csv;
    cli_csv_init(&csv, in);
    csv.line = header.line;
    size_t total = 0, errors = 0;
    int failed = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool eof = false;
    while (!eof) {
        size_t n = 0;
        while (n < CHUNK) {
            int r = cli_csv_next(&csv);
            if (r == 0) {
                eof = true;
                break;
            }
            row *rw = &rows[n++];
            memset(rw, 0, sizeof *rw);
            rw->line = csv.line;
            if (r < 0) {
                xc_error err = {XC_PARSE, ""};
                snprintf(err.message, sizeof err.message, "%s %s", input, csv.error);
                rw->json = json_escape_error(csv.line, NULL, &err);
                continue;
            }
            rw->name = dup_field(&csv, cname);
            rw->id = dup_field(&csv, cid);
            rw->kind = dup_field(&csv, ckind);
            rw->country = dup_field(&csv, ccountry);
            rw->dob = dup_field(&csv, cdob);
            rw->ids = dup_field(&csv, cids);
        }
        job j = {eng, opts, rows, n, 0, PTHREAD_MUTEX_INITIALIZER};
        pthread_t tid[16];
        long started = 0;
        for (long t = 0; t < threads; t++)
            if (pthread_create(&tid[started], NULL, worker, &j) == 0)
                started++;
        if (started == 0)
            worker(&j); /* no thread could start: do the work here */
        for (long t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
        int audit_rc = store ? audit_chunk(store, data_version, rows, n) : 0;
        for (size_t i = 0; i < n; i++) {
            row *rw = &rows[i];
            if (rw->json && audit_rc == 0) {
                fputs(rw->json, out);
                fputc('\n', out);
                if (strncmp(rw->json, "{\"line\"", 7) == 0)
                    errors++;
            }
            free(rw->json);
            free(rw->name);
            free(rw->id);
            free(rw->kind);
            free(rw->country);
            free(rw->dob);
            free(rw->ids);
        }
        total += n;
        if (audit_rc != 0) {
            fprintf(stderr, "xcheck screen: stopped: answers that cannot be audited are not "
                            "given\n");
            failed = 1;
            break;
        }
        if (progress) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
            fprintf(stderr, "\rxcheck screen: %zu rows, %.0f rows/s   ", total,
                    secs > 0 ? (double)total / secs : 0.0);
        }
    }
    if (progress)
        fputc('\n', stderr);
    if (errors)
        fprintf(stderr, "xcheck screen: %zu of %zu rows had errors (reported in the output)\n",
                errors, total);
    free(rows);
    cli_csv_free(&csv);
    cli_csv_free(&header);
    if (in != stdin)
        fclose(in);
    if (out != stdout)
        fclose(out);
    return failed;
}

/* {"name":..,"kind":..,"country":..,"dob":..,"id":..[,"line":N]} of a screened party.
 * Owned (free); NULL on out of memory. */
static char *query_json(const char *name, const char *kind, const char *country,
                        const char *dob, const char *id, long line)
{
    const char *keys[] = {"name", "kind", "country", "dob", "id"};
    const char *values[] = {name, kind, country, dob, id};
    size_t total = 64;
    for (int i = 0; i < 5; i++)
        total += 16 + 6 * strlen(values[i] ? values[i] : "");
    char *out = malloc(total);
    if (!out)
        return NULL;
    size_t used = 0;
    out[used++] = '{';
    for (int i = 0; i < 5; i++) {
        used += (size_t)snprintf(out + used, total - used, "%s\"%s\":", i ? "," : "", keys[i]);
        char *value = NULL;
        size_t vlen = 0, vcap = 0;
        if (!cli_json_append(&value, &vlen, &vcap, values[i] ? values[i] : "")) {
            free(out);
            return NULL;
        }
        memcpy(out + used, value, vlen + 1);
        used += vlen;
        free(value);
    }
    if (line > 0)
        used += (size_t)snprintf(out + used, total - used, ",\"line\":%ld", line);
    snprintf(out + used, total - used, "}");
    return out;
}

/* Appends one screening to the audit log; prints the error and returns 1 when it fails. */
static int audit_screen(xc_store *store, const char *query, const char *answer,
                        const char *data_version)
{
    xc_error err = {0};
    if (!query)
        return fprintf(stderr, "xcheck screen: out of memory\n"), 1;
    if (xc_store_audit_append(store, "screen", query, answer, data_version, NULL, &err) != XC_OK)
        return cli_fail(&err);
    return 0;
}

static void print_table(const xc_result *res, const char *name)
{
    size_t n = xc_result_count(res);
    printf("Screening \"%s\": %zu match%s\n", name, n, n == 1 ? "" : "es");
    for (size_t i = 0; i < n; i++) {
        const xc_match *m = xc_result_match(res, i);
        printf("\n%2zu. %.4f %-8s %s:%s  %s\n", i + 1, m->score, m->band, m->list, m->entity_id,
               m->name);
        if (strcmp(m->matched_name, m->name) != 0)
            printf("    matched %s: %s\n", m->matched_type, m->matched_name);
        if (m->programs && *m->programs)
            printf("    programs: %s\n", m->programs);
        if (!m->query_form) /* matched by identifier; no name token aligned */
            printf("    name score %.4f (no name token aligned)", m->name_score);
        else
            printf("    name score %.4f (%s ~ %s):", m->name_score, m->query_form,
                   m->candidate_form ? m->candidate_form : "");
        for (size_t k = 0; k < m->pair_count; k++) {
            const xc_token_pair *p = &m->pairs[k];
            printf(" %s~%s %.2f(%s)", *p->query ? p->query : "-",
                   *p->candidate ? p->candidate : "-", p->similarity, p->how);
        }
        printf("\n");
        if (m->qualifiers && *m->qualifiers)
            printf("    qualifiers: %s\n", m->qualifiers);
        if (m->id_query)
            printf("    identifier: %s = listed %s %s\n", m->id_query, m->id_type, m->id_value);
    }
    cli_print_screened(res);
}

int cmd_screen(int argc, char **argv)
{
    const char *data[64];
    const char *lists[64];
    int ndata = 0, nlists = 0;
    const char *name = NULL, *input = NULL, *output = NULL, *db = NULL;
    bool json = false, no_audit = false;
    cli_open_opts open_opts = {.data = data, .max_age_days = cli_max_age_days("screen")};
    xc_party party = {0};
    xc_screen_opts opts = {0};
    const char *idv[18];
    int nid = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--data") == 0 && has && ndata < 63) {
            data[ndata++] = argv[++i];
        } else if (strcmp(a, "--list") == 0 && has && nlists < 63) {
            lists[nlists++] = argv[++i];
        } else if (strcmp(a, "--kind") == 0 && has) {
            if (xc_kind_parse(argv[++i], &party.kind) != XC_OK) {
                fprintf(stderr, "xcheck screen: --kind: unknown kind '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(a, "--country") == 0 && has) {
            party.country = argv[++i];
        } else if (strcmp(a, "--dob") == 0 && has) {
            party.dob = argv[++i];
        } else if (strcmp(a, "--id") == 0 && has) {
            if (nid == 16) {
                fprintf(stderr, "xcheck screen: --id: at most 16 identifiers\n");
                return 2;
            }
            idv[nid++] = argv[++i];
        } else if (strcmp(a, "--threshold") == 0 && has) {
            char *end;
            opts.threshold = strtod(argv[++i], &end);
            if (*end || opts.threshold <= 0 || opts.threshold > 1) {
                fprintf(stderr, "xcheck screen: --threshold: a number in (0,1] expected\n");
                return 2;
            }
        } else if (strcmp(a, "--top") == 0 && has) {
            char *end;
            long top = strtol(argv[++i], &end, 10);
            if (*end || top < 1 || top > 1000) {
                fprintf(stderr, "xcheck screen: --top: a number from 1 to 1000 expected\n");
                return 2;
            }
            opts.top = (int)top;
        } else if (strcmp(a, "--scorer") == 0 && has) {
            opts.scorer = argv[++i];
            if (strcmp(opts.scorer, "xcheck") != 0 && strcmp(opts.scorer, "ofac") != 0) {
                fprintf(stderr, "xcheck screen: --scorer: 'xcheck' or 'ofac' expected\n");
                return 2;
            }
        } else if (strcmp(a, "--input") == 0 && has) {
            input = argv[++i];
        } else if (strcmp(a, "--output") == 0 && has) {
            output = argv[++i];
        } else if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--db") == 0 && has) {
            db = argv[++i];
        } else if (strcmp(a, "--no-audit") == 0) {
            no_audit = true;
        } else if (strcmp(a, "--sample") == 0) {
            open_opts.sample = true;
        } else if (strcmp(a, "--allow-incomplete") == 0) {
            open_opts.allow_incomplete = true;
        } else if (strcmp(a, "--max-age") == 0 && has) {
            char *end;
            long days = strtol(argv[++i], &end, 10);
            if (*end || days < 1 || days > 100000) {
                fprintf(stderr, "xcheck screen: --max-age: a number of days expected\n");
                return 2;
            }
            open_opts.max_age_days = (int)days;
        } else if (strcmp(a, "--help") == 0) {
            usage();
            return 0;
        } else if (a[0] == '-' && a[1]) {
            return usage();
        } else if (!name) {
            name = a;
        } else {
            return usage();
        }
    }
    if (!name == !input)
        return usage();
    idv[nid] = NULL;
    if (nid)
        party.ids = idv;
    lists[nlists] = NULL;
    if (nlists)
        opts.lists = lists;
    const char *managed_paths[64];
    const char *env = getenv("XCHECK_DATA");
    bool managed = ndata == 0 && !open_opts.sample && !(env && *env) &&
                   cli_managed_lists(managed_paths, 64) > 0;
    xc_store *store = NULL;
    if (cli_audit_store(db, managed, no_audit, &store) != 0)
        return 1;
    open_opts.ndata = ndata;
    xc_engine *eng = cli_open_engine_ex(&open_opts);
    if (!eng || cli_check_lists(eng, opts.lists) != 0) {
        xc_engine_close(eng);
        xc_store_close(store);
        return 1;
    }
    char *data_version = store ? cli_data_version_json(eng) : NULL;
    int rc = 0;
    if (store && !data_version) {
        fprintf(stderr, "xcheck screen: out of memory\n");
        rc = 1;
    } else if (input) {
        rc = screen_file(eng, &opts, input, output, store, data_version);
    } else {
        party.name = name;
        xc_result *res = NULL;
        xc_error err = {0};
        char *answer = NULL, *query = NULL;
        if (xc_screen(eng, &party, &opts, &res, &err) != XC_OK) {
            rc = cli_fail(&err);
        } else if (store &&
                   (!(answer = xc_result_json(res)) ||
                    (rc = audit_screen(store, query = query_json(name, xc_kind_name(party.kind),
                                                                 party.country, party.dob, NULL, 0),
                                       answer, data_version)) != 0)) {
            rc = rc ? rc : (fprintf(stderr, "xcheck screen: out of memory\n"), 1);
        } else if (json) {
            char *out = xc_result_json(res);
            printf("%s\n", out ? out : "null");
            xc_free(out);
        } else {
            print_table(res, name);
        }
        xc_free(answer);
        free(query);
        xc_result_free(res);
    }
    free(data_version);
    xc_store_close(store);
    xc_engine_close(eng);
    return rc;
}
