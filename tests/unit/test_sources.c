/*
 * test_sources.c — a clear that can be trusted (issue 11): nothing screened is an error, never
 * "0 matches"; a source missing a required companion file is refused naming it, or loaded
 * marked incomplete when the caller allows it; every result names the lists it screened (dates,
 * counts, completeness) and carries the warnings that go with them.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lists/lists.h"
#include "match/engine.h"
#include "match/subset.h"
#include "xcheck.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const char sdn[] =
    "1,\"IVANOV, Sergei Petrovich\",individual,\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- ,-0- ,-0- \r\n"
    "2,\"ACME HOLDINGS TRADING LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
static const char alt[] = "1,10,\"aka\",\"IVANOV, Sergey\",-0- \r\n";
static const char add[] = "2,20,-0- ,\"Moscow\",\"Russia\",-0- \r\n";

/* tmp/NAME/ holding the SDN CSV set members named in `which` ("sdn alt add"). */
static const char *ofac_dir(const char *name, const char *which)
{
    static char dir[512];
    char file[700];
    xc__strlcpy(dir, th_tmp_path(name), sizeof dir);
    mkdir(dir, 0755);
    if (strstr(which, "sdn")) {
        snprintf(file, sizeof file, "%s/sdn.csv", dir);
        write_text(file, sdn);
    }
    if (strstr(which, "alt")) {
        snprintf(file, sizeof file, "%s/alt.csv", dir);
        write_text(file, alt);
    }
    if (strstr(which, "add")) {
        snprintf(file, sizeof file, "%s/add.csv", dir);
        write_text(file, add);
    }
    return dir;
}

/* Does table[0..len) contain needle? */
static bool contains(const char *table, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(table + i, needle, n) == 0)
            return true;
    return false;
}

static xc_status load(const char *path, unsigned flags, xc__listset *set, xc_error *err)
{
    const char *paths[] = {path, NULL};
    xc__listset_init(set);
    memset(err, 0, sizeof *err);
    return xc__load_paths_ex(set, paths, flags, err);
}

TEST(required_files_agree_with_the_sources_table)
{
    /* load.c's table and data/sources.tsv must say the same: a file required to load is
     * required to install, and the optional comments file is optional in both. */
    size_t len = 0;
    const char *table = xc__data_file("sources.tsv", &len);
    CHECK(table != NULL);
    if (!table)
        return;
    struct {
        const char *primary, *source;
    } sets[] = {{"sdn.csv", "us_ofac_sdn"}, {"cons_prim.csv", "us_ofac_cons"}};
    for (size_t s = 0; s < 2; s++) {
        const char *names[8];
        size_t n = xc__load_required(sets[s].primary, names, 8);
        CHECK_INT(n, 3); /* primary, alt, add */
        for (size_t i = 0; i < n; i++) {
            char row[160];
            snprintf(row, sizeof row, "\n%s\t%s\tyes\t", sets[s].source, names[i]);
            if (!contains(table, len, row))
                TH_FAIL("sources.tsv does not require %s for %s", names[i], sets[s].source);
        }
    }
    CHECK(contains(table, len, "\nus_ofac_sdn\tsdn_comments.csv\tno\t"));
    CHECK_INT(xc__load_required("alt.csv", (const char *[4]){0}, 4), 0);
}

TEST(sdn_without_alt_is_refused_naming_it)
{
    xc__listset set;
    xc_error err;
    const char *dir = ofac_dir("no_alt", "sdn add");
    CHECK_INT(load(dir, 0, &set, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "alt.csv");
    CHECK_CONTAINS(err.message, "us_ofac_sdn");
    xc__listset_free(&set);
    /* sdn.csv named on its own: the same refusal. */
    char file[700];
    snprintf(file, sizeof file, "%s/sdn.csv", dir);
    CHECK_INT(load(file, 0, &set, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "alt.csv");
    xc__listset_free(&set);
    /* Both companions missing: both named. */
    CHECK_INT(load(ofac_dir("alone", "sdn"), 0, &set, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "alt.csv;add.csv");
    xc__listset_free(&set);
    /* Unreadable counts as missing: a dangling link, a folder under the file's name. */
    const char *odd = ofac_dir("odd_alt", "sdn add");
    char link[700];
    snprintf(link, sizeof link, "%s/alt.csv", odd);
    CHECK(symlink("/nonexistent/alt.csv", link) == 0);
    CHECK_INT(load(odd, 0, &set, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "missing required file(s) alt.csv");
    xc__listset_free(&set);
    odd = ofac_dir("dir_alt", "sdn add");
    snprintf(link, sizeof link, "%s/alt.csv", odd);
    mkdir(link, 0755);
    snprintf(link, sizeof link, "%s/sdn.csv", odd);
    CHECK_INT(load(link, 0, &set, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "missing required file(s) alt.csv");
    xc__listset_free(&set);
    /* Complete: loads, not marked. */
    CHECK_INT(load(ofac_dir("full", "sdn alt add"), 0, &set, &err), XC_OK);
    CHECK(set.list_count == 1 && !set.lists[0].incomplete && set.lists[0].names == 3);
    xc__listset_free(&set);
}

TEST(allowed_incomplete_source_is_marked)
{
    xc__listset set;
    xc_error err;
    CHECK_INT(load(ofac_dir("no_alt2", "sdn add"), XC__LOAD_ALLOW_INCOMPLETE, &set, &err), XC_OK);
    CHECK(set.list_count == 1);
    if (set.list_count == 1) {
        CHECK_INT(set.lists[0].incomplete, 1);
        CHECK_INT(set.lists[0].accepted, 0);
        CHECK_STR(set.lists[0].missing, "alt.csv");
        CHECK_INT(set.lists[0].entities, 2);
    }
    xc__listset_free(&set);
    /* The marker xcheck update writes accepts it without the flag. */
    const char *dir = ofac_dir("marked", "sdn");
    char marker[700];
    snprintf(marker, sizeof marker, "%s/%s", dir, XC__INCOMPLETE_MARKER);
    write_text(marker, "installed without required file(s): alt.csv;add.csv\n");
    CHECK_INT(load(dir, 0, &set, &err), XC_OK);
    CHECK(set.list_count == 1 && set.lists[0].incomplete && set.lists[0].accepted);
    xc__listset_free(&set);
}

TEST(a_path_that_yields_no_list_is_an_error)
{
    xc__listset set;
    xc_error err;
    char empty[512];
    xc__strlcpy(empty, th_tmp_path("no_list"), sizeof empty);
    mkdir(empty, 0755);
    char readme[600];
    snprintf(readme, sizeof readme, "%s/README.md", empty);
    write_text(readme, "not a list\n");
    CHECK_INT(load(empty, 0, &set, &err), XC_NODATA);
    CHECK_CONTAINS(err.message, "no_list: no list file in this folder");
    xc__listset_free(&set);
    /* A good folder next to an empty one: the empty one is still named. */
    char good[512];
    xc__strlcpy(good, ofac_dir("good", "sdn alt add"), sizeof good);
    const char *both[] = {good, empty, NULL};
    xc__listset_init(&set);
    CHECK_INT(xc__load_paths_ex(&set, both, 0, &err), XC_NODATA);
    CHECK_CONTAINS(err.message, "no_list");
    xc__listset_free(&set);
    /* A file given directly that is not a list. */
    CHECK_INT(load(readme, 0, &set, &err), XC_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "README.md: not a known list file");
    xc__listset_free(&set);
    /* A companion without its primary, in a folder: an incomplete source, not nothing. */
    CHECK_INT(load(ofac_dir("only_alt", "alt add"), 0, &set, &err), XC_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "needs its primary file");
    xc__listset_free(&set);
}

TEST(folder_and_file_never_share_an_empty_answer)
{
    /* Today's silent path: jp-meti/derived/ (one unrecognised jp.json) then the file itself,
     * through the snapshot cache; each must fail on its own terms, also on a second open. */
    char dir[512], file[600], snaps[512];
    xc__strlcpy(dir, th_tmp_path("derived"), sizeof dir);
    xc__strlcpy(snaps, th_tmp_path("snaps"), sizeof snaps);
    mkdir(dir, 0755);
    snprintf(file, sizeof file, "%s/jp.json", dir);
    write_text(file, "[{\"name\": \"not a list format\"}]\n");
    const char *as_dir[] = {dir, NULL}, *as_file[] = {file, NULL};
    for (int round = 0; round < 2; round++) {
        xc_error err = {0};
        xc_config cfg = {.data_paths = as_dir, .snapshot_dir = snaps};
        CHECK(xc_engine_open(&cfg, &err) == NULL);
        CHECK_INT(err.code, XC_NODATA);
        CHECK_CONTAINS(err.message, "derived: no list file in this folder");
        cfg.data_paths = as_file;
        CHECK(xc_engine_open(&cfg, &err) == NULL);
        CHECK_INT(err.code, XC_UNSUPPORTED);
        CHECK_CONTAINS(err.message, "jp.json: not a known list file");
    }
}

TEST(engine_with_nothing_loaded_fails)
{
    xc_error err = {0};
    xc_config cfg = {0};
    CHECK(xc_engine_open(&cfg, &err) == NULL);
    CHECK_INT(err.code, XC_NODATA);
    CHECK(xc_engine_open(NULL, &err) == NULL);
    CHECK_INT(err.code, XC_NODATA);
    /* An empty sdn.csv with empty companions: a list with no entity screens nothing. */
    const char *dir = th_tmp_path("empty_set");
    mkdir(dir, 0755);
    const char *names[] = {"sdn.csv", "alt.csv", "add.csv"};
    for (int i = 0; i < 3; i++) {
        char file[700];
        snprintf(file, sizeof file, "%s/%s", dir, names[i]);
        write_text(file, "");
    }
    const char *paths[] = {dir, NULL};
    cfg.data_paths = paths;
    CHECK(xc_engine_open(&cfg, &err) == NULL);
    CHECK_INT(err.code, XC_NODATA);
    CHECK_CONTAINS(err.message, "no entity loaded");
    /* Allowed for engines that need no list; screening on one is an error. */
    xc_config none = {.allow_no_lists = 1};
    xc_engine *eng = xc_engine_open(&none, &err);
    CHECK(eng != NULL);
    xc_party party = {.name = "Kim Jong Un"};
    xc_result *res = NULL;
    CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_NODATA);
    CHECK(res == NULL);
    /* A shipment with parties cannot be decided clear without lists. */
    const char ship[] = "{\"date\":\"2024-01-01\",\"exporter\":\"JP\",\"destination\":\"CN\","
                        "\"items\":[{\"jurisdiction\":\"JP\",\"code\":\"16\"}],"
                        "\"parties\":[{\"role\":\"consignee\",\"name\":\"Acme\"}]}";
    char *out = NULL;
    CHECK_INT(xc_decide_json(eng, ship, sizeof ship - 1, &out, &err), XC_NODATA);
    CHECK_CONTAINS(err.message, "parties");
    xc_free(out);
    xc_engine_close(eng);
}

TEST(list_filter_names_unknown_ids_and_results_name_what_they_screened)
{
    const char *paths[] = {"data/samples", NULL};
    xc_config cfg = {.data_paths = paths};
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        SKIP("data/samples not found (run from the repository root)");
    xc_party party = {.name = "Kim Jong Un"};
    const char *bogus[] = {"us_ofac_sdn", "bogus_id", NULL};
    xc_screen_opts opts = {.lists = bogus};
    xc_result *res = NULL;
    CHECK_INT(xc_screen(eng, &party, &opts, &res, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "'bogus_id'");
    CHECK_CONTAINS(err.message, "(loaded: us_bis_meu, us_bis_uvl, us_bis_entity_list, us_ofac_sdn)");
    CHECK(res == NULL);
    const char *sdn_only[] = {"us_ofac_sdn", NULL};
    opts.lists = sdn_only;
    CHECK_INT(xc_screen(eng, &party, &opts, &res, &err), XC_OK);
    CHECK_INT(xc_result_list_count(res), 1);
    const xc_list_info *l = xc_result_list(res, 0);
    CHECK(l && strcmp(l->id, "us_ofac_sdn") == 0 && l->entities == 30 && l->names == 124);
    CHECK(xc_result_list(res, 1) == NULL);
    CHECK_INT(xc_result_warning_count(res), 0);
    char *json = xc_result_json(res);
    CHECK_CONTAINS(json, "\"data_version\":{\"us_ofac_sdn\":{\"date\":null,\"published\":null,");
    CHECK_CONTAINS(json, "\"entities\":30,\"names\":124,\"incomplete\":false}},\"warnings\":[]}");
    CHECK(json && !strstr(json, "us_bis_entity_list") && !strstr(json, "\"sample\""));
    xc_free(json);
    xc_result_free(res);
    /* Without a filter: every list. */
    CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_OK);
    CHECK_INT(xc_result_list_count(res), 4);
    xc_result_free(res);
    xc_engine_close(eng);
}

TEST(sample_incomplete_and_old_lists_warn_on_every_result)
{
    const char *paths[] = {"data/samples", NULL};
    xc_config cfg = {.data_paths = paths, .sample = 1};
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        SKIP("data/samples not found (run from the repository root)");
    CHECK_INT(xc_engine_warning_count(eng), 1);
    CHECK_CONTAINS(xc_engine_warning(eng, 0), "bundled sample");
    CHECK(xc_engine_warning(eng, 1) == NULL);
    xc_party party = {.name = "Nobody At All"};
    xc_result *res = NULL;
    CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_OK);
    CHECK_INT(xc_result_count(res), 0);
    CHECK_INT(xc_result_warning_count(res), 1);
    CHECK_CONTAINS(xc_result_warning(res, 0), "bundled sample");
    char *json = xc_result_json(res);
    CHECK_CONTAINS(json, "\"sample\":true");
    xc_free(json);
    xc_result_free(res);
    xc_engine_close(eng);

    /* Incomplete on request: the list info, the data version and a warning say so. */
    char dir[512];
    xc__strlcpy(dir, ofac_dir("inc_engine", "sdn add"), sizeof dir);
    const char *inc_paths[] = {dir, NULL};
    xc_config inc = {.data_paths = inc_paths};
    CHECK(xc_engine_open(&inc, &err) == NULL);
    CHECK_INT(err.code, XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "missing required file(s) alt.csv");
    inc.allow_incomplete = 1;
    eng = xc_engine_open(&inc, &err);
    CHECK(eng != NULL);
    if (eng) {
        const xc_list_info *l = xc_engine_list(eng, 0);
        CHECK(l && l->incomplete == 1 && strcmp(l->missing, "alt.csv") == 0);
        party.name = "Acme Holdings Trading";
        CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_OK);
        CHECK_INT(xc_result_count(res), 1);
        json = xc_result_json(res);
        CHECK_CONTAINS(json, "\"incomplete\":true");
        CHECK_CONTAINS(json, "us_ofac_sdn is incomplete: loaded without alt.csv");
        xc_free(json);
        xc_result_free(res);
        xc_engine_close(eng);
    }

    /* Age by the file's publication date (the EU sample says 2024-10-02). */
    const char *eu[] = {"tests/data/eu/fsf-1_1-sample.xml", NULL};
    xc_config aged = {.data_paths = eu, .max_age_days = 7, .as_of = "2024-10-05"};
    eng = xc_engine_open(&aged, &err);
    CHECK(eng != NULL);
    party.name = "Nobody At All";
    if (eng) {
        CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_OK);
        CHECK_INT(xc_result_warning_count(res), 0);
        xc_result_free(res);
        xc_engine_close(eng);
    }
    aged.as_of = "2024-11-05";
    eng = xc_engine_open(&aged, &err);
    CHECK(eng != NULL);
    if (eng) {
        CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_OK);
        CHECK_INT(xc_result_warning_count(res), 1);
        CHECK_CONTAINS(xc_result_warning(res, 0),
                       "eu_fsf: published 2024-10-02, older than the 7-day limit");
        json = xc_result_json(res);
        CHECK_CONTAINS(json, "\"published\":\"2024-10-02\"");
        xc_free(json);
        xc_result_free(res);
        xc_engine_close(eng);
    }
    /* A list whose file has no date is warned about, not silently passed. */
    const char *undated[] = {"data/samples", NULL};
    xc_config unknown = {.data_paths = undated, .max_age_days = 7, .as_of = "2024-10-05"};
    eng = xc_engine_open(&unknown, &err);
    if (eng) {
        const char *sdn_only[] = {"us_ofac_sdn", NULL};
        xc_screen_opts opts = {.lists = sdn_only};
        CHECK_INT(xc_screen(eng, &party, &opts, &res, &err), XC_OK);
        CHECK_INT(xc_result_warning_count(res), 1); /* not the CSL file's warning */
        CHECK_CONTAINS(xc_result_warning(res, 0), "us_ofac_sdn: no publication date");
        xc_result_free(res);
        xc_engine_close(eng);
    }
}

TEST(subset_engines_may_be_empty)
{
    /* Delta re-screening builds engines over the changed entities: none changed is no error. */
    const char *paths[] = {"data/samples", NULL};
    xc_config cfg = {.data_paths = paths};
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        SKIP("data/samples not found (run from the repository root)");
    bool *keep = xc__calloc(eng->lists.entity_count, sizeof *keep);
    xc_engine *sub = keep ? xc__engine_subset(eng, keep, &err) : NULL;
    CHECK(sub != NULL);
    if (sub) {
        xc_party party = {.name = "Kim Jong Un"};
        xc_result *res = NULL;
        CHECK_INT(xc_screen(sub, &party, NULL, &res, &err), XC_OK);
        CHECK_INT(xc_result_count(res), 0);
        xc_result_free(res);
        xc__engine_subset_close(sub);
    }
    xc__free_mem(keep);
    xc_engine_close(eng);
}

typedef struct seen_event {
    char outcome[32];
    char message[800];
} seen_event;

static void remember(void *ctx, const xc_update_event *e)
{
    seen_event *seen = ctx;
    xc__strlcpy(seen->outcome, e->outcome, sizeof seen->outcome);
    xc__strlcpy(seen->message, e->message, sizeof seen->message);
}

TEST(update_refuses_incomplete_copies_and_shrunk_names)
{
    char table[512], data[512], db[512], from[512], link[700];
    xc__strlcpy(table, th_tmp_path("sources.tsv"), sizeof table);
    xc__strlcpy(data, th_tmp_path("managed"), sizeof data);
    xc__strlcpy(db, th_tmp_path("u.db"), sizeof db);
    write_text(table, "us_ofac_sdn\tsdn.csv\tyes\tofac\thttp://127.0.0.1:1/sdn.csv\n"
                      "us_ofac_sdn\talt.csv\tyes\tofac\thttp://127.0.0.1:1/alt.csv\n"
                      "us_ofac_sdn\tadd.csv\tyes\tofac\thttp://127.0.0.1:1/add.csv\n"
                      "us_ofac_sdn\tsdn_comments.csv\tno\tofac\thttp://127.0.0.1:1/c.csv\n");
    xc_error err = {0};
    xc_store *store = xc_store_open(db, &err);
    CHECK(store != NULL);
    if (!store)
        return;
    seen_event seen = {0};
    const char *only[] = {"us_ofac_sdn", NULL};
    xc_update_opts opts = {.data_dir = data, .sources_file = table, .sources = only,
                           .on_event = remember, .ctx = &seen};
    /* Some files but not alt.csv: refused naming it, nothing in service. */
    xc__strlcpy(from, ofac_dir("copy_no_alt", "sdn add"), sizeof from);
    opts.from_dir = from;
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_NOTFOUND);
    CHECK_STR(seen.outcome, "rejected");
    CHECK_CONTAINS(seen.message, "alt.csv not found in");
    snprintf(link, sizeof link, "%s/lists/us_ofac_sdn/current", data);
    CHECK(access(link, F_OK) != 0);
    /* Allowed: installed with the marker, and engines opened on it load it marked. */
    opts.allow_incomplete = 1;
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_STR(seen.outcome, "installed");
    CHECK_CONTAINS(seen.message, "INCOMPLETE: installed without alt.csv");
    char marker[800];
    snprintf(marker, sizeof marker, "%s/%s", link, XC__INCOMPLETE_MARKER);
    CHECK(access(marker, R_OK) == 0);
    const char *paths[] = {link, NULL};
    xc_config cfg = {.data_paths = paths};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    CHECK(eng != NULL);
    if (eng) {
        CHECK_INT(xc_engine_list(eng, 0)->incomplete, 1);
        xc_engine_close(eng);
    }
    /* A complete copy replaces it; then one whose alt.csv is empty keeps the entities but
     * loses the names: refused by the shrink check, the complete version kept. */
    opts.allow_incomplete = 0;
    xc__strlcpy(from, ofac_dir("copy_full", "sdn alt add"), sizeof from);
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_STR(seen.outcome, "installed");
    xc__strlcpy(from, ofac_dir("copy_empty_alt", "sdn add"), sizeof from);
    char empty_alt[700];
    snprintf(empty_alt, sizeof empty_alt, "%s/alt.csv", from);
    write_text(empty_alt, "");
    opts.max_shrink_percent = 20; /* 3 names -> 2: a third fewer */
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_PARSE);
    CHECK_STR(seen.outcome, "rejected");
    CHECK_CONTAINS(seen.message, "2 names and aliases, more than 20% fewer than the 3 in service");
    CHECK_CONTAINS(seen.message, "the version in service is kept");
    eng = xc_engine_open(&cfg, &err);
    CHECK(eng != NULL);
    if (eng) {
        CHECK_INT(xc_engine_list(eng, 0)->names, 3);
        CHECK_INT(xc_engine_list(eng, 0)->incomplete, 0);
        xc_engine_close(eng);
    }
    xc_store_close(store);
    th_tmp_cleanup();
}
