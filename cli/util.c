/*
 * util.c — CSV input, engine opening (from --data, $XCHECK_DATA or the managed data folder;
 * the bundled sample only with --sample), what a result screened, and the audit store of the
 * screening verbs, for the CLI (see util.h).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"

void cli_csv_init(cli_csv *csv, FILE *in)
{
    memset(csv, 0, sizeof *csv);
    csv->in = in;
}

void cli_csv_free(cli_csv *csv)
{
    free(csv->buf);
    csv->buf = NULL;
}

static bool put(cli_csv *csv, size_t *len, char c)
{
    if (*len + 1 >= csv->cap) {
        size_t cap = csv->cap ? csv->cap * 2 : 1024;
        char *buf = realloc(csv->buf, cap);
        if (!buf)
            return false;
        csv->buf = buf;
        csv->cap = cap;
    }
    csv->buf[(*len)++] = c;
    return true;
}

int cli_csv_next(cli_csv *csv)
{
    size_t len = 0, field_start = 0, field_len = 0;
    int starts[CLI_MAX_FIELDS];
    int nfields = 0;
    bool quoted = false, any = false, bad = false;
    int c;
    csv->error[0] = '\0';
    csv->line++;
    long start_line = csv->line;
    starts[nfields++] = 0;
    while ((c = fgetc(csv->in)) != EOF) {
        any = true;
        if (quoted) {
            if (c == '"') {
                int d = fgetc(csv->in);
                if (d == '"') {
                    c = '"';
                } else {
                    quoted = false;
                    if (d != EOF)
                        ungetc(d, csv->in);
                    continue;
                }
            } else if (c == '\n') {
                csv->line++;
            }
        } else if (c == '"' && field_len == 0) {
            quoted = true;
            continue;
        } else if (c == ',' || c == '\n') {
            if (!bad && !put(csv, &len, '\0'))
                return -1;
            if (c == '\n')
                break;
            if (nfields >= CLI_MAX_FIELDS) {
                bad = true;
                snprintf(csv->error, sizeof csv->error, "line %ld: more than %d fields",
                         start_line, CLI_MAX_FIELDS);
            } else {
                starts[nfields++] = (int)len;
            }
            field_start = len;
            field_len = 0;
            continue;
        } else if (c == '\r') {
            continue;
        }
        if (bad)
            continue;
        if (field_len >= CLI_MAX_FIELD) {
            bad = true;
            snprintf(csv->error, sizeof csv->error, "line %ld: field longer than %d bytes",
                     start_line, CLI_MAX_FIELD);
            continue;
        }
        if (!put(csv, &len, (char)c))
            return -1;
        field_len++;
    }
    (void)field_start;
    if (!any)
        return 0;
    if (c == EOF && !bad && !put(csv, &len, '\0'))
        return -1;
    if (bad)
        return -1;
    csv->nfields = nfields;
    for (int i = 0; i < nfields; i++)
        csv->fields[i] = csv->buf + starts[i];
    /* A UTF-8 BOM on the first field of the first line is not data. */
    if (start_line == 1 && strncmp(csv->fields[0], "\xEF\xBB\xBF", 3) == 0)
        csv->fields[0] += 3;
    return 1;
}

int cli_csv_column(const cli_csv *header, const char *name)
{
    for (int i = 0; i < header->nfields; i++)
        if (strcasecmp(header->fields[i], name) == 0)
            return i;
    return -1;
}

const char *cli_snapshot_dir(void)
{
    static char dir[4096];
    const char *off = getenv("XCHECK_SNAPSHOTS");
    if (off && strcmp(off, "0") == 0)
        return NULL;
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && *xdg)
        n = snprintf(dir, sizeof dir, "%s/xcheck", xdg);
    else if (home && *home)
        n = snprintf(dir, sizeof dir, "%s/.cache/xcheck", home);
    else
        return NULL;
    return n > 0 && (size_t)n < sizeof dir ? dir : NULL;
}

int cli_max_age_days(const char *verb)
{
    const char *env = getenv("XCHECK_MAX_AGE_DAYS");
    if (!env || !*env)
        return 7;
    char *end;
    long days = strtol(env, &end, 10);
    if (*end || days <= 0 || days > 100000) {
        fprintf(stderr, "xcheck %s: XCHECK_MAX_AGE_DAYS: a whole number of days expected; "
                        "using 7\n", verb);
        return 7;
    }
    return (int)days;
}

const char *cli_sample_dir(void)
{
    static char dir[4200];
    if (access(CLI_SAMPLE_DIR, R_OK) == 0)
        return CLI_SAMPLE_DIR;
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return NULL;
    exe[len] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    int n = snprintf(dir, sizeof dir, "%.4000s/../share/xcheck/samples", exe);
    if (n <= 0 || (size_t)n >= sizeof dir || access(dir, R_OK) != 0)
        return NULL;
    return dir;
}

xc_engine *cli_open_engine(const char **data_paths, int ndata, bool quiet)
{
    cli_open_opts o = {.data = data_paths, .ndata = ndata, .quiet = quiet};
    return cli_open_engine_ex(&o);
}

xc_engine *cli_open_engine_ex(const cli_open_opts *o)
{
    const char *paths[66];
    int n = 0;
    for (int i = 0; i < o->ndata && n < 64; i++)
        paths[n++] = o->data[i];
    if (o->sample) {
        const char *sample = cli_sample_dir();
        if (!sample) {
            if (!o->quiet)
                fprintf(stderr, "xcheck: --sample: the bundled sample (%s) is not here: run "
                                "from the source tree or install xcheck (make install)\n",
                        CLI_SAMPLE_DIR);
            return NULL;
        }
        if (n < 64)
            paths[n++] = sample;
    } else if (n == 0) {
        const char *env = getenv("XCHECK_DATA");
        if (env && *env)
            paths[n++] = env;
        else
            n = cli_managed_lists(paths, 64); /* the lists `xcheck update` installed */
    }
    paths[n] = NULL;
    xc_config cfg = {0};
    cfg.data_paths = paths;
    cfg.snapshot_dir = cli_snapshot_dir();
    cfg.allow_no_lists = o->no_lists_ok && n == 0;
    cfg.allow_incomplete = o->allow_incomplete;
    cfg.sample = o->sample;
    cfg.max_age_days = o->max_age_days;
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng && !o->quiet) {
        fprintf(stderr, "xcheck: %s (%s)\n", err.message, xc_status_name(err.code));
        if (err.code == XC_NODATA && n == 0)
            fprintf(stderr, "xcheck: no lists: give --data DIR (official list files), install "
                            "them with `xcheck update --from DIR`, set XCHECK_DATA, or pass "
                            "--sample for the bundled demonstration sample\n");
        else if (err.code == XC_NOTFOUND && !o->allow_incomplete)
            fprintf(stderr, "xcheck: --allow-incomplete loads such a source and marks every "
                            "answer from it incomplete\n");
    }
    const xc_snapshot_info *snap = eng ? xc_engine_snapshot(eng) : NULL;
    if (snap && snap->state == XC_SNAPSHOT_FAILED && !o->quiet)
        fprintf(stderr, "xcheck: warning: snapshot %s\n", snap->note);
    return eng;
}

int cli_check_lists(const xc_engine *eng, const char *const *lists)
{
    size_t count = xc_engine_list_count(eng);
    for (size_t k = 0; lists && lists[k]; k++) {
        bool known = false;
        for (size_t i = 0; i < count && !known; i++)
            known = strcmp(xc_engine_list(eng, i)->id, lists[k]) == 0;
        if (known)
            continue;
        fprintf(stderr, "xcheck: --list %s: no such list loaded; loaded:", lists[k]);
        for (size_t i = 0; i < count; i++) {
            const char *id = xc_engine_list(eng, i)->id;
            bool dup = false;
            for (size_t j = 0; j < i; j++)
                dup |= strcmp(xc_engine_list(eng, j)->id, id) == 0;
            if (!dup)
                fprintf(stderr, " %s", id);
        }
        fputc('\n', stderr);
        return 1;
    }
    return 0;
}

void cli_print_screened(const xc_result *res)
{
    size_t n = xc_result_list_count(res);
    printf("\nScreened against:\n");
    for (size_t i = 0; i < n; i++) {
        const xc_list_info *l = xc_result_list(res, i);
        printf("  %-22s published %-10s %8zu entities %8zu names%s\n", l->id,
               *l->version ? l->version : "unknown", l->entities, l->names,
               l->incomplete ? "  INCOMPLETE" : "");
    }
    for (size_t i = 0; i < xc_result_warning_count(res); i++)
        printf("WARNING: %s\n", xc_result_warning(res, i));
}

int cli_managed_lists(const char **paths, int max)
{
    static char storage[64][4200];
    char dir[4096];
    xc_error err = {0};
    if (xc_data_dir(dir, sizeof dir, &err) != XC_OK)
        return 0;
    char lists[4200];
    snprintf(lists, sizeof lists, "%.3900s/lists", dir);
    DIR *d = opendir(lists);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *entry;
    while (n < max && n < 64 && (entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        snprintf(storage[n], sizeof storage[n], "%.4000s/%.100s/current", lists, entry->d_name);
        struct stat st;
        if (stat(storage[n], &st) == 0 && S_ISDIR(st.st_mode)) {
            paths[n] = storage[n];
            n++;
        }
    }
    closedir(d);
    /* readdir order is arbitrary: sort, so that list order (and output) is stable */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(paths[j - 1], paths[j]) > 0; j--) {
            const char *tmp = paths[j];
            paths[j] = paths[j - 1];
            paths[j - 1] = tmp;
        }
    return n;
}

int cli_audit_store(const char *db, bool managed, bool no_audit, xc_store **store)
{
    *store = NULL;
    if (no_audit || (!db && !managed))
        return 0;
    *store = cli_store_open(db);
    return *store ? 0 : 1;
}

bool cli_json_append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t need = *len + 6 * strlen(s ? s : "") + 3;
    if (need > *cap) {
        size_t grown_cap = need * 2;
        char *grown = realloc(*buf, grown_cap);
        if (!grown)
            return false;
        *buf = grown;
        *cap = grown_cap;
    }
    char *out = *buf + *len;
    *out++ = '"';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\') {
            *out++ = '\\';
            *out++ = (char)*p;
        } else if (*p < 0x20) {
            out += snprintf(out, 7, "\\u%04x", *p);
        } else {
            *out++ = (char)*p;
        }
    }
    *out++ = '"';
    *out = '\0';
    *len = (size_t)(out - *buf);
    return true;
}

char *cli_data_version_json(const xc_engine *eng)
{
    size_t count = xc_engine_list_count(eng), len = 0, cap = 3;
    for (size_t i = 0; i < count; i++)
        cap += 6 * strlen(xc_engine_list(eng, i)->id) + 200;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    buf[len++] = '{';
    for (size_t i = 0; i < count; i++) {
        const xc_list_info *l = xc_engine_list(eng, i);
        if (i)
            buf[len++] = ',';
        if (!cli_json_append(&buf, &len, &cap, l->id)) {
            free(buf);
            return NULL;
        }
        len += (size_t)snprintf(buf + len, cap - len,
                                ":{\"version\":\"%.10s\",\"sha256\":\"%.64s\",\"entities\":%zu,"
                                "\"names\":%zu,\"incomplete\":%s}",
                                l->version, l->sha256, l->entities, l->names,
                                l->incomplete ? "true" : "false");
    }
    buf[len++] = '}';
    buf[len] = '\0';
    return buf;
}
