/*
 * cmd_decide.c — `xcheck decide FILE.json|- [--between D1 D2] [--data DIR]...`: reads a shipment
 * (JSON, see README "decide"), screens its parties with the lists loaded (--data, $XCHECK_DATA,
 * the managed lists, or the bundled sample with --sample; parties without lists are an error)
 * and prints the licence decisions as one JSON line. With --between it prints
 * each interval from D1 to D2 (both included) in which the outcome, licences or reasons differ.
 * Decisions are audited in the store in use (--db, or the managed store with the managed lists).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

#define MAX_INPUT (4u << 20)

static int usage(FILE *out, int code)
{
    fprintf(out, "usage: xcheck decide FILE.json|- [--between YYYY-MM-DD YYYY-MM-DD] "
                 "[--data DIR]... [--sample] [--allow-incomplete] [--db PATH] [--no-audit]\n"
                 "  FILE.json: {\"date\":..,\"exporter\":..,\"destination\":..,\"items\":[..],"
                 "\"parties\":[..],...}\n"
                 "Each decision is audited in the store in use: --db PATH, or the managed store\n"
                 "when the lists are the ones `xcheck update` installed (no --data); not with --data\n"
                 "alone. A shipment with parties needs lists (--data, $XCHECK_DATA, the lists\n"
                 "`xcheck update` installed, or --sample): without them it is an error.\n");
    return code;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!in)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, in);
        n += got;
        if (n < cap)
            break;
        if (cap >= MAX_INPUT) {
            free(buf);
            buf = NULL;
            break;
        }
        cap *= 2;
        char *grown = realloc(buf, cap + 1);
        if (!grown) {
            free(buf);
            buf = NULL;
        } else {
            buf = grown;
        }
    }
    if (in != stdin)
        fclose(in);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

int cmd_decide(int argc, char **argv)
{
    const char *file = NULL, *from = NULL, *to = NULL, *db = NULL;
    bool no_audit = false;
    const char *data[64];
    int ndata = 0;
    cli_open_opts open_opts = {.data = data, .no_lists_ok = true,
                               .max_age_days = cli_max_age_days("decide")};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--between") == 0 && i + 2 < argc) {
            from = argv[++i];
            to = argv[++i];
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc && ndata < 63) {
            data[ndata++] = argv[++i];
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--no-audit") == 0) {
            no_audit = true;
        } else if (strcmp(argv[i], "--sample") == 0) {
            open_opts.sample = true;
        } else if (strcmp(argv[i], "--allow-incomplete") == 0) {
            open_opts.allow_incomplete = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return usage(stdout, 0);
        } else if (!file && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)) {
            file = argv[i];
        } else {
            return usage(stderr, 2);
        }
    }
    if (!file)
        return usage(stderr, 2);
    size_t len;
    char *json = read_all(file, &len);
    if (!json) {
        fprintf(stderr, "xcheck decide: cannot read %s (missing, unreadable or over 4 MiB)\n",
                file);
        return 1;
    }
    const char *managed_paths[64];
    const char *env = getenv("XCHECK_DATA");
    bool managed = ndata == 0 && !open_opts.sample && !(env && *env) &&
                   cli_managed_lists(managed_paths, 64) > 0;
    xc_store *store = NULL;
    if (cli_audit_store(db, managed, no_audit, &store) != 0) {
        free(json);
        return 1;
    }
    open_opts.ndata = ndata;
    xc_engine *eng = cli_open_engine_ex(&open_opts);
    if (!eng) {
        free(json);
        xc_store_close(store);
        return 1;
    }
    xc_error err = {0};
    char *out = NULL;
    xc_status rc = from ? xc_decide_between_json(eng, json, len, from, to, &out, &err)
                        : xc_decide_json(eng, json, len, &out, &err);
    int code = 0;
    if (rc != XC_OK) {
        code = cli_fail(&err);
    } else if (store) {
        /* The query as given (the shipment JSON, with the period when --between). */
        char *data_version = cli_data_version_json(eng);
        char *query = NULL;
        if (from) {
            size_t cap = len + strlen(from) + strlen(to) + 64;
            query = malloc(cap);
            if (query)
                snprintf(query, cap, "{\"between\":[\"%.10s\",\"%.10s\"],\"shipment\":%s}",
                         from, to, json);
        }
        if (!data_version || (from && !query)) {
            fprintf(stderr, "xcheck decide: out of memory\n");
            code = 1;
        } else if (xc_store_audit_append(store, "decide", query ? query : json, out, data_version,
                                         NULL, &err) != XC_OK) {
            code = cli_fail(&err); /* a decision that cannot be audited is not given */
        } else {
            printf("%s\n", out);
        }
        free(query);
        free(data_version);
    } else {
        printf("%s\n", out);
    }
    free(json);
    xc_store_close(store);
    xc_free(out);
    xc_engine_close(eng);
    return code;
}
