/*
 * test_update_sources.c — the sources whose file names change (METI's End User List, the FCDO
 * file on gov.uk, the EU download behind a token): found on the publisher's page by a link
 * pattern, or offline by a wildcard name; tested against a local HTTP server on 127.0.0.1 that
 * serves a folder, never the internet.
 */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness.h"
#include "local_server.h"
#include "xcheck.h"

static char root[64];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Serves folder `dir` on 127.0.0.1 (any free port, printed first); returns the pid. */
static pid_t serve_folder(const char *dir, int *port)
{
    static const char py[] =
        "import functools, http.server, os, socketserver, sys\n"
        "class Q(http.server.SimpleHTTPRequestHandler):\n"
        "    def log_message(self, *a): pass\n"
        "H = functools.partial(Q, directory=sys.argv[1])\n"
        "class S(socketserver.ThreadingMixIn, http.server.HTTPServer):\n"
        "    daemon_threads = True\n"
        "s = S(('127.0.0.1', 0), H)\n"
        "print(s.server_address[1], flush=True)\n"
        "os.dup2(os.open(os.devnull, os.O_WRONLY), 1)\n"
        "s.serve_forever()\n";
    return th_server_start(py, dir, port);
}

typedef struct seen {
    char outcome[32], version[64], message[1024];
} seen;

static void on_event(void *ctx, const xc_update_event *e)
{
    seen *s = ctx;
    snprintf(s->outcome, sizeof s->outcome, "%s", e->outcome);
    snprintf(s->version, sizeof s->version, "%s", e->version ? e->version : "");
    snprintf(s->message, sizeof s->message, "%s", e->message ? e->message : "");
}

TEST(meti_found_on_its_page)
{
    const char *json = th_shared("data/lists/jp-meti/derived/jp.json");
    if (!json)
        SKIP("jp.json missing");
    const char *py = th_python_with_openpyxl();
    if (!py) {
        if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
            TH_FAIL("python3-openpyxl missing under CI (scripts/install-deps installs it)");
        SKIP("python3-openpyxl not available");
    }
    snprintf(root, sizeof root, "/tmp/xc-upd-XXXXXX");
    if (!mkdtemp(root))
        SKIP("no temp dir");
    char site[128], cmd[8192], path[512];
    snprintf(site, sizeof site, "%s/site", root);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/policy/anpo/2025 && %s tests/tools/make_meti_xlsx.py '%s' "
             "%s/policy/anpo/2025/enduserlist20250929.xlsx en", site, py, json, site);
    CHECK_INT(system(cmd), 0);
    /* The page links other files first, with relative and absolute addresses and &amp;. */
    snprintf(path, sizeof path, "%s/policy/anpo/law05.html", site);
    write_text(path, "<html><body><a href=\"/policy/anpo/law05_guide.pdf\">guide</a>\n"
                     "<a class=x HREF = '2025/enduserlist20250929.xlsx?v=1&amp;x=2'>End User List"
                     " (Excel)</a>\n<a href=2025/enduserlist20250929.pdf>PDF</a></body></html>\n");
    int port = 0;
    pid_t server = serve_folder(site, &port);
    if (server < 0)
        SKIP("python3 not available for the local test server");
    char table[256], data[256], db[256];
    snprintf(table, sizeof table, "%s/sources.tsv", root);
    snprintf(data, sizeof data, "%s/data", root);
    snprintf(db, sizeof db, "%s/store.db", root);
    char row[1024];
    snprintf(row, sizeof row,
             "jp_meti_eul\t*.xlsx\tyes\tjp-meti\tpage:http://127.0.0.1:%d/policy/anpo/law05.html "
             "(end_?user|eul)[^/]*\\.xlsx(\\?|$)\n", port);
    write_text(table, row);
    xc_error err = {0};
    xc_store *store = NULL;
    store = xc_store_open(db, &err);
    CHECK(store != NULL);
    seen s = {0};
    xc_update_opts opts = {.data_dir = data, .sources_file = table, .on_event = on_event,
                           .ctx = &s, .retries = -1, .timeout_seconds = 20};
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_STR(s.outcome, "installed");
    CHECK_STR(s.version, "2025-09-29");
    /* installed under the publisher's own file name (the query string dropped) */
    snprintf(path, sizeof path, "%s/lists/jp_meti_eul/current/enduserlist20250929.xlsx", data);
    CHECK(access(path, R_OK) == 0);
    /* and an engine over the managed folder finds the METI entries */
    snprintf(path, sizeof path, "%s/lists/jp_meti_eul/current", data);
    const char *paths[] = {path, NULL};
    xc_config cfg = {.data_paths = paths};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    CHECK(eng != NULL);
    if (eng) {
        CHECK_INT(xc_engine_list_count(eng), 1);
        CHECK_STR(xc_engine_list(eng, 0)->id, "jp_meti_eul");
        CHECK_INT(xc_engine_list(eng, 0)->entities, 835);
    }
    xc_engine_close(eng);

    /* A page without a matching link: the required file is missing, the version stays. */
    snprintf(path, sizeof path, "%s/policy/anpo/law05.html", site);
    write_text(path, "<html><a href=\"news.html\">news</a></html>");
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK); /* all sources: missing is not fatal */
    CHECK_STR(s.outcome, "missing");
    CHECK_CONTAINS(s.message, "no link matching");
    snprintf(path, sizeof path, "%s/lists/jp_meti_eul/current/enduserlist20250929.xlsx", data);
    CHECK(access(path, R_OK) == 0);
    const char *only[] = {"jp_meti_eul", NULL};
    opts.sources = only; /* named: missing is an error */
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_NOTFOUND);

    /* A page that is not there at all */
    snprintf(row, sizeof row,
             "jp_meti_eul\t*.xlsx\tyes\tjp-meti\tpage:http://127.0.0.1:%d/gone.html x\\.xlsx$\n",
             port);
    write_text(table, row);
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_NOTFOUND);
    CHECK_STR(s.outcome, "missing");
    xc_store_close(store);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    CHECK_INT(system(cmd), 0);
}

TEST(offline_wildcards_take_the_latest_revision)
{
    /* Offline copies keep the publisher's dated names: the greatest matching name wins, and
     * a name the pattern does not fit is ignored. */
    const char *eu = th_shared("data/lists/eu-fsf/trimmed/fsf-1_1-csv-head-2024-10-02.csv");
    if (!eu)
        SKIP("EU excerpt missing");
    snprintf(root, sizeof root, "/tmp/xc-upd-XXXXXX");
    if (!mkdtemp(root))
        SKIP("no temp dir");
    char cmd[8192], table[256], data[256], db[256], from[256];
    snprintf(from, sizeof from, "%s/from", root);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/eu-fsf && cp '%s' %s/eu-fsf/fsf-2024-10-02.csv && "
             "printf 'not a list' > %s/eu-fsf/fsf-2023-01-01.csv && "
             "printf 'not a list' > %s/eu-fsf/readme.csv", from, eu, from, from, from);
    CHECK_INT(system(cmd), 0);
    snprintf(table, sizeof table, "%s/sources.tsv", root);
    snprintf(data, sizeof data, "%s/data", root);
    snprintf(db, sizeof db, "%s/store.db", root);
    write_text(table, "eu_fsf\tfsf*.csv\tyes\teu-fsf\thttps://example.invalid/content?token=x\n");
    xc_error err = {0};
    xc_store *store = NULL;
    store = xc_store_open(db, &err);
    CHECK(store != NULL);
    seen s = {0};
    xc_update_opts opts = {.from_dir = from, .data_dir = data, .sources_file = table,
                           .on_event = on_event, .ctx = &s};
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_STR(s.outcome, "installed");
    CHECK_STR(s.version, "2024-10-02");
    char path[512];
    snprintf(path, sizeof path, "%s/lists/eu_fsf/current/fsf-2024-10-02.csv", data);
    CHECK(access(path, R_OK) == 0);
    xc_store_close(store);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    CHECK_INT(system(cmd), 0);
}

TEST(csl_sub_list_id_names_the_csl)
{
    /* --source takes the list ids of screening: a CSL sub-list (the Entity List) comes in the
     * CSL file, so naming it updates us_csl; an id nobody publishes is refused before any work. */
    const char *csl = th_shared("data/lists/us-csl/consolidated.csv");
    if (!csl)
        SKIP("CSL missing");
    char from[4096];
    snprintf(from, sizeof from, "%s", csl);
    *strrchr(from, '/') = '\0';
    *strrchr(from, '/') = '\0'; /* data/lists */
    snprintf(root, sizeof root, "/tmp/xc-upd-XXXXXX");
    if (!mkdtemp(root))
        SKIP("no temp dir");
    char table[256], data[256], db[256], cmd[512];
    snprintf(table, sizeof table, "%s/sources.tsv", root);
    snprintf(data, sizeof data, "%s/data", root);
    snprintf(db, sizeof db, "%s/store.db", root);
    write_text(table, "us_csl\tconsolidated.csv\tyes\tus-csl\thttps://example.invalid/c.csv\n"
                      "un_sc\tconsolidated.xml\tyes\tun\thttps://example.invalid/u.xml\n");
    xc_error err = {0};
    xc_store *store = xc_store_open(db, &err);
    CHECK(store != NULL);
    seen s = {0};
    const char *only[] = {"us_bis_entity_list", NULL};
    xc_update_opts opts = {.from_dir = from, .data_dir = data, .sources_file = table,
                           .sources = only, .on_event = on_event, .ctx = &s};
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_STR(s.outcome, "installed");
    char path[512];
    snprintf(path, sizeof path, "%s/lists/us_csl/current/consolidated.csv", data);
    CHECK(access(path, R_OK) == 0);
    snprintf(path, sizeof path, "%s/lists/un_sc", data);
    CHECK(access(path, F_OK) != 0); /* only the named source */
    const char *unknown[] = {"us_bis_entity_list", "no_such_list", NULL};
    opts.sources = unknown;
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "no_such_list");
    xc_store_close(store);
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    CHECK_INT(system(cmd), 0);
}
