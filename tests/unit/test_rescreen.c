/* test_rescreen.c — delta re-screening of stored counterparties (xc_store_rescreen): the
 * first run screens in full; a later version is screened by its delta (added, changed and
 * removed entities, each with its consequence); the delta finds exactly what a full screen
 * finds on the added entities of a real OFAC update; and crash tests: a process SIGKILLed
 * mid-way through xc_update_lists and mid-way through xc_store_rescreen leaves a store that
 * opens, verifies and serves the last good version, and the rescreen resumes to completion. */
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "base/base.h"
#include "match/engine.h"
#include "harness.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static long long raw_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *stmt;
    long long value = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK) {
        if (sqlite3_step(stmt) == SQLITE_ROW)
            value = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return value;
}

static const char sources_table[] =
    "us_ofac_sdn\tsdn.csv\tyes\tofac\thttp://127.0.0.1:1/sdn.csv\n";

/* Installs DIR/ofac/sdn.csv as the SDN version in service. */
static xc_status install(xc_store *store, const char *from, xc_error *err)
{
    char table[512], data[512];
    xc__strlcpy(table, th_tmp_path("sources.tsv"), sizeof table);
    xc__strlcpy(data, th_tmp_path("data"), sizeof data);
    write_file(table, sources_table);
    /* sdn.csv alone (the archived OFAC history has no alt.csv or add.csv): installed marked
     * incomplete, which the engines opened on it accept. */
    xc_update_opts opts = {.from_dir = from, .data_dir = data, .sources_file = table,
                           .max_shrink_percent = 100, .allow_incomplete = 1};
    return xc_update_lists(store, &opts, err);
}

/* Makes tmp/NAME/ofac/sdn.csv with the given content, or as a link to a shared file. */
static const char *offline(const char *name, const char *content, const char *link_to)
{
    static char dir[512];
    char cmd[1600], file[700];
    xc__strlcpy(dir, th_tmp_path(name), sizeof dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/ofac'", dir);
    if (system(cmd) != 0)
        return dir;
    snprintf(file, sizeof file, "%s/ofac/sdn.csv", dir);
    if (content)
        write_file(file, content);
    else if (symlink(link_to, file) != 0)
        fprintf(stderr, "symlink %s: failed\n", file);
    return dir;
}

static const char sdn_v1[] =
    "1,\"IVANOV, Sergei Petrovich\",individual,\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- ,-0- ,-0- \n"
    "2,\"ACME HOLDINGS TRADING LLC\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n"
    "3,\"ZHANG, Weiming\",individual,\"CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
/* 2 changes programme, 3 is removed, 4 is added. */
static const char sdn_v2[] =
    "1,\"IVANOV, Sergei Petrovich\",individual,\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- ,-0- ,-0- \n"
    "2,\"ACME HOLDINGS TRADING LLC\",-0- ,\"SDGT] [IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- \n"
    "4,\"KOVALENKO, Dmytro\",individual,\"UKRAINE-EO13660\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
    "-0- ,-0- \n";

typedef struct alert_seen {
    int count;
    int64_t last_id;
    char keys[64][96]; /* "party list:entity" */
} alert_seen;

static int remember_alert(void *ctx, const xc_alert *a)
{
    alert_seen *seen = ctx;
    if (seen->count < 64)
        snprintf(seen->keys[seen->count], sizeof seen->keys[0], "%s %s:%s", a->party_ref,
                 a->list, a->entity_id);
    seen->count++;
    seen->last_id = a->id;
    return 0;
}

static bool has_alert(const alert_seen *seen, const char *key)
{
    for (int i = 0; i < seen->count && i < 64; i++)
        if (strcmp(seen->keys[i], key) == 0)
            return true;
    return false;
}

typedef struct band_seen {
    const char *ref;
    char band[16];
} band_seen;

static int remember_band(void *ctx, const xc_stored_party *p)
{
    band_seen *seen = ctx;
    if (strcmp(p->ref, seen->ref) == 0)
        xc__strlcpy(seen->band, p->last_band, sizeof seen->band);
    return 0;
}

static const char *band_of(xc_store *store, const char *ref)
{
    static band_seen seen;
    xc_error err = {0};
    seen.ref = ref;
    seen.band[0] = '\0';
    xc_store_parties_each(store, remember_band, &seen, &err);
    return seen.band;
}

TEST(rescreen_first_run_full_then_delta)
{
    xc_error err = {0};
    xc_store *store = xc_store_open(th_tmp_path("r.db"), &err);
    CHECK(store != NULL);
    xc_rescreen_report rep;
    /* Nothing installed yet: no data, nothing recorded. */
    CHECK_INT(xc_store_rescreen(store, NULL, &rep, &err), XC_NODATA);
    CHECK_INT(install(store, offline("v1", sdn_v1, NULL), &err), XC_OK);
    char parties[512];
    xc__strlcpy(parties, th_tmp_path("parties.csv"), sizeof parties);
    write_file(parties, "id,name,kind\n"
                        "a,Sergei Petrovich Ivanov,person\n"
                        "b,Acme Holdings Trading,org\n"
                        "c,Weiming Zhang,person\n"
                        "d,Dmytro Kovalenko,person\n"
                        "e,Philippa Worthington-Smythe,person\n");
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);

    /* First run: no previous version, everyone screened in full against v1. */
    xc_rescreen_opts opts = {.threads = 2};
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    CHECK_INT(rep.parties, 5);
    CHECK_INT(rep.screened, 5);
    CHECK_INT(rep.full, 5);
    CHECK_INT(rep.hits, 3);
    CHECK_INT(rep.alerts, 3);
    alert_seen alerts = {0};
    CHECK_INT(xc_store_alerts_each(store, "open", remember_alert, &alerts, &err), XC_OK);
    CHECK_INT(alerts.count, 3);
    CHECK(has_alert(&alerts, "a us_ofac_sdn:1"));
    CHECK(has_alert(&alerts, "b us_ofac_sdn:2"));
    CHECK(has_alert(&alerts, "c us_ofac_sdn:3"));
    CHECK_STR(band_of(store, "e"), "none");
    /* b's alert was reviewed and cleared; a's stays open. */
    int64_t b_alert = 0;
    for (int i = 0; i < alerts.count; i++)
        if (strncmp(alerts.keys[i], "b ", 2) == 0)
            b_alert = alerts.last_id - (alerts.count - 1 - i);
    CHECK_INT(xc_store_alert_dispose(store, b_alert, XC_ALERT_CLEAR, "r", "another Acme", NULL,
                                     &err), XC_OK);

    /* Again with nothing changed: nobody needs a full screen. */
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    CHECK_INT(rep.full, 0);
    CHECK_INT(rep.alerts, 0);

    /* v2: 2 changed (programme), 3 removed, 4 added. */
    CHECK_INT(install(store, offline("v2", sdn_v2, NULL), &err), XC_OK);
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    CHECK_INT(rep.screened, 5);
    CHECK_INT(rep.full, 3);        /* b (names changed 2), c (named removed 3), d (candidate) */
    CHECK_INT(rep.reevaluated, 2); /* b and c */
    CHECK_INT(rep.hits, 2);        /* b on changed 2, d on added 4 */
    CHECK_INT(rep.alerts, 2);
    memset(&alerts, 0, sizeof alerts);
    CHECK_INT(xc_store_alerts_each(store, "open", remember_alert, &alerts, &err), XC_OK);
    CHECK_INT(alerts.count, 4); /* a's and c's stay open for their reviewer, b's and d's new */
    CHECK(has_alert(&alerts, "b us_ofac_sdn:2"));
    CHECK(has_alert(&alerts, "d us_ofac_sdn:4"));
    CHECK(has_alert(&alerts, "c us_ofac_sdn:3"));
    CHECK_STR(band_of(store, "c"), "none"); /* 3 left the list: c's result no longer names it */
    CHECK(strcmp(band_of(store, "d"), "none") != 0);

    /* An edited party is screened in full on the next run. */
    write_file(parties, "id,name\ne,Sergei Ivanov\n");
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    CHECK_INT(rep.full, 1);
    CHECK_INT(rep.alerts, 1);
    int64_t bad = -1;
    CHECK_INT(xc_store_audit_verify(store, &bad, NULL, &err), XC_OK);
    xc_store_close(store);
    th_tmp_cleanup();
}

/* ---- real OFAC history: parties from list names and yente negatives ---- */

/* Writes a parties CSV: every step-th primary name of the SDN file, then count negatives. */
static int make_parties(const char *path, const char *sdn, int step, const char *negatives,
                        int count)
{
    FILE *out = fopen(path, "w"), *in = fopen(sdn, "r");
    char line[65536];
    int n = 0, k = 0;
    if (!out || !in) {
        if (out)
            fclose(out);
        if (in)
            fclose(in);
        return 0;
    }
    fprintf(out, "id,name\n");
    while (fgets(line, sizeof line, in)) {
        char *q = strchr(line, '"'), *end = q ? strchr(q + 1, '"') : NULL;
        if (!end || k++ % step)
            continue;
        *end = '\0';
        fprintf(out, "l%d,\"%s\"\n", n++, q + 1);
    }
    fclose(in);
    in = negatives ? fopen(negatives, "r") : NULL;
    for (int i = 0; in && i <= count && fgets(line, sizeof line, in); i++) {
        char *comma = strchr(line, ',');
        if (i == 0 || !comma || line[0] == '"')
            continue;
        *comma = '\0';
        fprintf(out, "n%d,\"%s\"\n", n++, line);
    }
    if (in)
        fclose(in);
    fclose(out);
    return n;
}

typedef struct alert_keys {
    char (*keys)[96];
    int count, cap;
} alert_keys;

static int collect_alert(void *ctx, const xc_alert *a)
{
    alert_keys *seen = ctx;
    if (seen->count < seen->cap)
        snprintf(seen->keys[seen->count++], 96, "%s %s", a->party_ref, a->entity_id);
    return 0;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Reads the parties CSV back (id, name) for screening by hand. */
typedef struct party_row {
    char id[16], name[256];
} party_row;

static int read_parties(const char *path, party_row *rows, int max)
{
    FILE *in = fopen(path, "r");
    char line[1024];
    int n = 0;
    while (in && n < max && fgets(line, sizeof line, in)) {
        char *comma = strchr(line, ','), *q = comma ? strchr(comma, '"') : NULL;
        char *end = q ? strrchr(q + 1, '"') : NULL;
        if (!end)
            continue;
        *comma = *end = '\0';
        xc__strlcpy(rows[n].id, line, sizeof rows[n].id);
        xc__strlcpy(rows[n].name, q + 1, sizeof rows[n].name);
        n++;
    }
    if (in)
        fclose(in);
    return n;
}

/* Is there an entity with this source id in the engine's lists? */
static bool has_entity(const xc_engine *eng, const char *id)
{
    for (size_t i = 0; i < eng->lists.entity_count; i++)
        if (strcmp(eng->lists.entities[i].source_id, id) == 0)
            return true;
    return false;
}

TEST(rescreen_delta_finds_what_a_full_screen_finds)
{
    const char *p1 = th_shared("data/lists/ofac/history/sdn-2024-04-26.csv");
    char old_file[600], new_file[600], neg_file[600];
    if (!p1)
        SKIP("OFAC history not available");
    xc__strlcpy(old_file, p1, sizeof old_file);
    const char *p2 = th_shared("data/lists/ofac/history/sdn-2024-05-01.csv");
    if (!p2)
        SKIP("OFAC history not available");
    xc__strlcpy(new_file, p2, sizeof new_file);
    const char *neg = th_shared("data/eval/yente/negatives_global.csv");
    xc__strlcpy(neg_file, neg ? neg : "", sizeof neg_file);

    xc_error err = {0};
    xc_store *store = xc_store_open(th_tmp_path("h.db"), &err);
    char parties[512];
    xc__strlcpy(parties, th_tmp_path("parties.csv"), sizeof parties);
    int nparties = make_parties(parties, new_file, 7, neg ? neg_file : NULL, 1500);
    CHECK(nparties > 3000);
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);
    char old_dir[512], new_dir[512];
    xc__strlcpy(old_dir, offline("h1", NULL, old_file), sizeof old_dir);
    xc__strlcpy(new_dir, offline("h2", NULL, new_file), sizeof new_dir);
    CHECK_INT(install(store, old_dir, &err), XC_OK);
    xc_rescreen_report rep;
    CHECK_INT(xc_store_rescreen(store, NULL, &rep, &err), XC_OK);
    CHECK_INT(rep.full, nparties);
    alert_keys before = {xc__calloc(4096, 96), 0, 4096};
    CHECK_INT(xc_store_alerts_each(store, NULL, collect_alert, &before, &err), XC_OK);
    CHECK_INT(install(store, new_dir, &err), XC_OK);
    CHECK_INT(xc_store_rescreen(store, NULL, &rep, &err), XC_OK);
    CHECK(rep.full < nparties / 10); /* a delta, not a full screen */
    alert_keys after = {xc__calloc(4096, 96), 0, 4096};
    CHECK_INT(xc_store_alerts_each(store, NULL, collect_alert, &after, &err), XC_OK);
    CHECK_INT(after.count - before.count, rep.alerts);
    CHECK(rep.alerts > 10);

    /* The expected alerts, by brute force: screen every party against both versions in full;
     * a match on an entity absent from the old version must have raised an alert. */
    const char *old_paths[] = {old_dir, NULL}, *new_paths[] = {new_dir, NULL};
    char old_sdn[600], new_sdn[600];
    snprintf(old_sdn, sizeof old_sdn, "%s/ofac", old_dir);
    snprintf(new_sdn, sizeof new_sdn, "%s/ofac", new_dir);
    old_paths[0] = old_sdn;
    new_paths[0] = new_sdn;
    xc_config old_cfg = {.data_paths = old_paths, .allow_incomplete = 1},
              new_cfg = {.data_paths = new_paths, .allow_incomplete = 1}; /* sdn.csv alone */
    xc_engine *old_eng = xc_engine_open(&old_cfg, &err), *new_eng = xc_engine_open(&new_cfg, &err);
    CHECK(old_eng && new_eng);
    party_row *rows = xc__calloc((size_t)nparties + 1, sizeof *rows);
    int n = read_parties(parties, rows, nparties);
    CHECK_INT(n, nparties);
    /* required: matches on entities the update added; allowed: any match new to the party
     * (an old entity can also come up when a party with a candidate is screened in full,
     * because token rarity weights move with the list). */
    alert_keys required = {xc__calloc(4096, 96), 0, 4096}, allowed = {xc__calloc(4096, 96), 0, 4096};
    for (int i = 0; old_eng && new_eng && i < n; i++) {
        xc_party party = {.name = rows[i].name};
        xc_result *res_new = NULL, *res_old = NULL;
        if (xc_screen(new_eng, &party, NULL, &res_new, &err) != XC_OK ||
            xc_screen(old_eng, &party, NULL, &res_old, &err) != XC_OK) {
            TH_FAIL("screen %s: %s", rows[i].name, err.message);
            break;
        }
        for (size_t k = 0; k < xc_result_count(res_new); k++) {
            const xc_match *m = xc_result_match(res_new, k);
            bool old_had = false;
            for (size_t j = 0; j < xc_result_count(res_old); j++)
                old_had |= strcmp(xc_result_match(res_old, j)->entity_id, m->entity_id) == 0;
            if (!old_had && allowed.count < allowed.cap)
                snprintf(allowed.keys[allowed.count++], 96, "%s %s", rows[i].id, m->entity_id);
            if (!has_entity(old_eng, m->entity_id) && required.count < required.cap)
                snprintf(required.keys[required.count++], 96, "%s %s", rows[i].id,
                         m->entity_id);
        }
        xc_result_free(res_new);
        xc_result_free(res_old);
    }
    alert_keys raised = {after.keys + before.count, after.count - before.count, 0};
    qsort(raised.keys, (size_t)raised.count, 96, key_cmp);
    qsort(allowed.keys, (size_t)allowed.count, 96, key_cmp);
    for (int i = 0; i < required.count; i++)
        if (!bsearch(required.keys[i], raised.keys, (size_t)raised.count, 96, key_cmp))
            TH_FAIL("no alert for %s (an added entity a full screen matches)", required.keys[i]);
    for (int i = 0; i < raised.count; i++)
        if (!bsearch(raised.keys[i], allowed.keys, (size_t)allowed.count, 96, key_cmp))
            TH_FAIL("alert %s is not a match new to the party", raised.keys[i]);
    fprintf(stderr, "delta alerts %d; matches on added entities %d; new matches %d\n",
            raised.count, required.count, allowed.count);
    CHECK(required.count > 10);
    xc__free_mem(required.keys);
    xc__free_mem(allowed.keys);
    xc__free_mem(rows);
    xc__free_mem(before.keys);
    xc__free_mem(after.keys);
    xc_engine_close(old_eng);
    xc_engine_close(new_eng);
    xc_store_close(store);
    th_tmp_cleanup();
}

/* ---- crash tests ---- */

static void pause_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

/* The store after a kill: opens, passes integrity_check, its audit chain verifies. */
static xc_store *reopen_checked(const char *path)
{
    xc_error err = {0};
    xc_store *store = xc_store_open(path, &err);
    CHECK(store != NULL);
    if (!store)
        return NULL;
    int64_t bad = -1;
    CHECK_INT(xc_store_integrity_check(store, &err), XC_OK);
    CHECK_INT(xc_store_audit_verify(store, &bad, NULL, &err), XC_OK);
    CHECK_INT(bad, 0);
    return store;
}

typedef struct active_seen {
    int active;
    char path[4096];
} active_seen;

static int remember_active(void *ctx, const xc_list_version *v)
{
    active_seen *seen = ctx;
    if (strcmp(v->status, "active") == 0 && !seen->active++)
        xc__strlcpy(seen->path, v->path, sizeof seen->path);
    return 0;
}

/* Entities of the SDN version in a folder, 0 when it does not load. */
static size_t entities_in(const char *folder)
{
    const char *paths[] = {folder, NULL};
    xc_config cfg = {.data_paths = paths};
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    size_t n = eng && xc_engine_list_count(eng) ? xc_engine_list(eng, 0)->entities : 0;
    xc_engine_close(eng);
    return n;
}

typedef struct alert_group_seen {
    const char *party; /* the party whose alerts are kept */
    int count, party_count;
    int64_t id;
    char group[192], members[1024];
} alert_group_seen;

static int remember_group(void *ctx, const xc_alert *a)
{
    alert_group_seen *seen = ctx;
    seen->count++;
    if (strcmp(a->party_ref, seen->party) != 0)
        return 0;
    seen->party_count++;
    seen->id = a->id;
    xc__strlcpy(seen->group, a->group, sizeof seen->group);
    xc__strlcpy(seen->members, a->members, sizeof seen->members);
    return 0;
}

/* One alert per party and real-world entity (issue 11): the CSL's copy of an SDN entry (same
 * OFAC entity number) and the SDN entry itself raise one alert naming both; an open alert on
 * the SDN entry covers the copy when it appears later; one disposition covers the group,
 * audited once. */
TEST(rescreen_one_alert_per_real_world_entity)
{
    xc_error err = {0};
    xc_store *store = xc_store_open(th_tmp_path("g.db"), &err);
    CHECK(store != NULL);
    if (!store)
        return;
    char from[512], cmd[1200], table[512], data[512];
    xc__strlcpy(from, th_tmp_path("grouped"), sizeof from);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/ofac'", from);
    CHECK_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/ofac/sdn.csv", from);
    write_file(cmd, sdn_v1);
    xc__strlcpy(table, th_tmp_path("sources2.tsv"), sizeof table);
    xc__strlcpy(data, th_tmp_path("data2"), sizeof data);
    write_file(table, "us_ofac_sdn\tsdn.csv\tyes\tofac\thttp://127.0.0.1:1/sdn.csv\n"
                      "us_csl\tconsolidated.csv\tyes\tus-csl\thttp://127.0.0.1:1/c.csv\n");
    xc_update_opts uopts = {.from_dir = from, .data_dir = data, .sources_file = table,
                            .max_shrink_percent = 100, .allow_incomplete = 1};
    CHECK_INT(xc_update_lists(store, &uopts, &err), XC_OK); /* the SDN only */
    char parties[512];
    xc__strlcpy(parties, th_tmp_path("parties2.csv"), sizeof parties);
    write_file(parties, "id,name,kind\nb,Acme Holdings Trading,org\nz,Zenith Optics,org\n");
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);
    xc_rescreen_opts opts = {.threads = 1};
    xc_rescreen_report rep;
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    CHECK_INT(rep.hits, 1); /* b: us_ofac_sdn:2 */
    CHECK_INT(rep.alerts, 1);

    /* The CSL arrives, with its copy of SDN entry 2 and an Entity List entry. */
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/us-csl'", from);
    CHECK_INT(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/us-csl/consolidated.csv", from);
    write_file(cmd,
               "_id,source,entity_number,type,programs,name,title,addresses,"
               "federal_register_notice,start_date,end_date,standard_order,license_requirement,"
               "license_policy,call_sign,vessel_type,gross_tonnage,gross_registered_tonnage,"
               "vessel_flag,vessel_owner,remarks,source_list_url,alt_names,citizenships,"
               "dates_of_birth,nationalities,places_of_birth,source_information_url,ids\n"
               "2,Specially Designated Nationals (SDN) - Treasury Department,2,Entity,SDGT,"
               "ACME HOLDINGS TRADING LLC,,,,,,,,,,,,,,,,,,,,,,,\n"
               "c2,Entity List (EL) - Bureau of Industry and Security,,Entity,,"
               "ZENITH OPTICS,,,,,,,,,,,,,,,,,,,,,,,\n");
    CHECK_INT(xc_update_lists(store, &uopts, &err), XC_OK);
    /* And a new party for the same company. */
    write_file(parties, "id,name,kind\nb2,ACME Holdings Trading L.L.C.,org\n");
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    /* b: us_csl_sdn:2 (covered by b's open alert); z: the Entity List entry; b2: both copies */
    CHECK_INT(rep.hits, 4);
    CHECK_INT(rep.alerts, 2);
    alert_group_seen b = {.party = "b"}, b2 = {.party = "b2"}, z = {.party = "z"};
    CHECK_INT(xc_store_alerts_each(store, "open", remember_group, &b, &err), XC_OK);
    CHECK_INT(xc_store_alerts_each(store, "open", remember_group, &b2, &err), XC_OK);
    CHECK_INT(xc_store_alerts_each(store, "open", remember_group, &z, &err), XC_OK);
    CHECK_INT(b.count, 3);
    CHECK_INT(b.party_count, 1);
    CHECK_INT(z.party_count, 1);
    CHECK_INT(b2.party_count, 1);
    CHECK_STR(b.group, "ofac:2");
    CHECK_STR(b2.group, "ofac:2");
    CHECK_CONTAINS(b2.members, "\"list\":\"us_ofac_sdn\",\"entity_id\":\"2\"");
    CHECK_CONTAINS(b2.members, "\"list\":\"us_csl_sdn\",\"entity_id\":\"2\"");
    /* One disposition covers the group, audited once with both entries. */
    int64_t audit_id = 0;
    CHECK_INT(xc_store_alert_dispose(store, b2.id, XC_ALERT_ESCALATE, "ana", "same company",
                                     &audit_id, &err), XC_OK);
    char db[512], sql[300];
    xc__strlcpy(db, th_tmp_path("g.db"), sizeof db);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE kind = 'alert_escalate' AND "
                              "instr(query, 'us_csl_sdn') > 0 AND instr(query, 'us_ofac_sdn') > 0"
                              " AND id = %lld", (long long)audit_id);
    CHECK_INT((int)raw_int(db, sql), 1);
    xc_store_close(store);
}

typedef struct ids_seen {
    int count;
    char ids[256];
} ids_seen;

static int remember_ids(void *ctx, const xc_stored_party *p)
{
    ids_seen *seen = ctx;
    if (strcmp(p->ref, "v") == 0)
        xc__strlcpy(seen->ids, p->ids, sizeof seen->ids);
    seen->count++;
    return 0;
}

/* Stored parties carry identifiers (an `ids` column), checked at import as screen checks them,
 * and re-screening screens them: a vessel under a name the list does not know is found by its
 * IMO number. */
TEST(rescreen_screens_party_identifiers)
{
    xc_error err = {0};
    xc_store *store = xc_store_open(th_tmp_path("ids.db"), &err);
    CHECK(store != NULL);
    if (!store)
        return;
    char from[512], cmd[1400], table[512], data[512];
    xc__strlcpy(from, th_tmp_path("idsfrom"), sizeof from);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/ofac' && cp data/samples/sdn.csv data/samples/alt.csv "
                              "data/samples/add.csv '%s/ofac/'", from, from);
    if (system(cmd) != 0)
        SKIP("data/samples not found (run from the repository root)");
    xc__strlcpy(table, th_tmp_path("sources3.tsv"), sizeof table);
    xc__strlcpy(data, th_tmp_path("data3"), sizeof data);
    write_file(table, sources_table);
    xc_update_opts uopts = {.from_dir = from, .data_dir = data, .sources_file = table,
                            .max_shrink_percent = 100, .allow_incomplete = 1};
    CHECK_INT(xc_update_lists(store, &uopts, &err), XC_OK);
    char parties[512];
    xc__strlcpy(parties, th_tmp_path("parties3.csv"), sizeof parties);
    write_file(parties, "id,name,kind,ids\n"
                        "v,Blue Horizon Carrier,vessel,imo:9187629\n"
                        "w,Green Meadow Shipping,vessel,\"imo:9187629; fax:12345\"\n"
                        "x,Quiet Harbour Lines,vessel,imo:12\n"
                        "y,Plain Name Only,org,\n");
    size_t imported = 0, skipped = 0;
    char *issues = NULL;
    CHECK_INT(xc_store_parties_import_csv(store, parties, &imported, &skipped, &issues, &err),
              XC_OK);
    CHECK_INT((int)imported, 2);
    CHECK_INT((int)skipped, 2);
    CHECK_CONTAINS(issues, "line 3: identifier 'fax:12345' has an unknown type");
    CHECK_CONTAINS(issues, "line 4: identifier 'imo:12' has under 4 letters and digits");
    xc_free(issues);
    ids_seen seen = {0};
    CHECK_INT(xc_store_parties_each(store, remember_ids, &seen, &err), XC_OK);
    CHECK_STR(seen.ids, "imo:9187629");
    xc_rescreen_opts opts = {.threads = 1};
    xc_rescreen_report rep;
    CHECK_INT(xc_store_rescreen(store, &opts, &rep, &err), XC_OK);
    CHECK_INT(rep.alerts, 1);
    alert_group_seen v = {.party = "v"};
    CHECK_INT(xc_store_alerts_each(store, "open", remember_group, &v, &err), XC_OK);
    CHECK_INT(v.party_count, 1);
    CHECK_STR(v.group, "ofac:15036"); /* ARTAVIL, IMO 9187629 */
    xc_store_close(store);
}

/* A store of schema 1 opens as schema 2: its alerts become groups of their one entry. */
TEST(store_schema_1_migrates)
{
    char path[512];
    xc__strlcpy(path, th_tmp_path("v1.db"), sizeof path);
    sqlite3 *db;
    CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db,
                           "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                           "CREATE TABLE parties(id INTEGER PRIMARY KEY, ref TEXT NOT NULL"
                           " UNIQUE, name TEXT NOT NULL);"
                           "CREATE TABLE alerts(id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
                           " status TEXT NOT NULL DEFAULT 'open', party_ref TEXT NOT NULL"
                           " DEFAULT '', query TEXT NOT NULL DEFAULT '', list TEXT NOT NULL,"
                           " entity_id TEXT NOT NULL, matched_name TEXT NOT NULL DEFAULT '',"
                           " score REAL NOT NULL DEFAULT 0, band TEXT NOT NULL DEFAULT '',"
                           " audit_id INTEGER NOT NULL DEFAULT 0, reviewer TEXT NOT NULL"
                           " DEFAULT '', reason TEXT NOT NULL DEFAULT '', disposed_at TEXT NOT"
                           " NULL DEFAULT '');"
                           "INSERT INTO alerts(created_at, party_ref, list, entity_id,"
                           " matched_name, score, band) VALUES ('2026-01-01T00:00:00Z', 'p',"
                           " 'us_ofac_sdn', '36', 'AEROCARIBBEAN AIRLINES', 1.0, 'strong');"
                           "PRAGMA user_version = 1;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_close(db);
    xc_error err = {0};
    xc_store *store = xc_store_open(path, &err);
    CHECK(store != NULL);
    if (!store)
        return;
    CHECK_INT(xc_store_schema_version(store), 2);
    alert_group_seen p = {.party = "p"};
    CHECK_INT(xc_store_alerts_each(store, NULL, remember_group, &p, &err), XC_OK);
    CHECK_INT(p.party_count, 1);
    CHECK_STR(p.group, "");
    CHECK_CONTAINS(p.members, "\"entity_id\":\"36\"");
    xc_store_close(store);
}

TEST(crash_during_update_keeps_the_last_good_version)
{
    const char *a = th_shared("data/lists/ofac/history/sdn-2024-04-26.csv");
    char fa[600], fb[600], db[512], va[512], vb[512], current[600];
    if (!a)
        SKIP("OFAC history not available");
    xc__strlcpy(fa, a, sizeof fa);
    const char *b = th_shared("data/lists/ofac/history/sdn-2024-05-02.csv");
    if (!b)
        SKIP("OFAC history not available");
    xc__strlcpy(fb, b, sizeof fb);
    xc__strlcpy(db, th_tmp_path("u.db"), sizeof db);
    xc__strlcpy(va, offline("ua", NULL, fa), sizeof va);
    xc__strlcpy(vb, offline("ub", NULL, fb), sizeof vb);
    snprintf(current, sizeof current, "%s/lists/us_ofac_sdn/current", th_tmp_path("data"));
    xc_error err = {0};
    xc_store *store = xc_store_open(db, &err);
    CHECK_INT(install(store, va, &err), XC_OK); /* a good version in service before the kills */
    xc_store_close(store);
    /* Kill a child that installs the two versions in turn, at different points in its work. */
    static const long delays[] = {40, 170, 310, 520, 800};
    for (size_t round = 0; round < XC__ARRAY_LEN(delays); round++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            xc_store *mine = xc_store_open(db, &err);
            for (int i = 0; mine; i++)
                install(mine, i % 2 ? va : vb, &err);
            _exit(3);
        }
        pause_ms(delays[round]);
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        store = reopen_checked(db);
        if (!store)
            return;
        /* The version the store has in service is on disk and loads; so does current's. */
        active_seen seen = {0};
        CHECK_INT(xc_store_list_versions_each(store, "us_ofac_sdn", remember_active, &seen,
                                              &err), XC_OK);
        CHECK_INT(seen.active, 1);
        CHECK(entities_in(seen.path) > 14000);
        CHECK(entities_in(current) > 14000);
        xc_store_close(store);
    }
    /* The next update puts store and current back in step, and leaves no staging behind. */
    store = reopen_checked(db);
    CHECK_INT(install(store, va, &err), XC_OK);
    active_seen seen = {0};
    xc_store_list_versions_each(store, "us_ofac_sdn", remember_active, &seen, &err);
    char target[4096] = "";
    ssize_t n = readlink(current, target, sizeof target - 1);
    CHECK(n > 0);
    CHECK_STR(target, xc__path_base(seen.path));
    char cmd[800];
    snprintf(cmd, sizeof cmd, "ls -a '%s/lists/us_ofac_sdn' | grep -q staging", th_tmp_path("data"));
    CHECK(system(cmd) != 0);
    /* Rescreening works on what survived. */
    xc_rescreen_report rep;
    CHECK_INT(xc_store_rescreen(store, NULL, &rep, &err), XC_OK);
    xc_store_close(store);
    th_tmp_cleanup();
}

typedef struct alert_set {
    int count;
    char (*keys)[96];
} alert_set;

static int add_alert(void *ctx, const xc_alert *a)
{
    alert_set *set = ctx;
    if (set->count < 8192)
        snprintf(set->keys[set->count++], 96, "%s %s:%s", a->party_ref, a->list, a->entity_id);
    return 0;
}

static void sorted_alerts(xc_store *store, alert_set *set)
{
    xc_error err = {0};
    set->count = 0;
    CHECK_INT(xc_store_alerts_each(store, NULL, add_alert, set, &err), XC_OK);
    qsort(set->keys, (size_t)set->count, 96, key_cmp);
}

TEST(crash_during_rescreen_resumes_without_loss_or_duplicates)
{
    const char *a = th_shared("data/lists/ofac/history/sdn-2024-05-01.csv");
    char fa[600], neg[600] = "", parties[512], db[512], ref_db[512], va[512];
    if (!a)
        SKIP("OFAC history not available");
    xc__strlcpy(fa, a, sizeof fa);
    const char *negatives = th_shared("data/eval/yente/negatives_global.csv");
    if (negatives)
        xc__strlcpy(neg, negatives, sizeof neg);
    xc__strlcpy(parties, th_tmp_path("parties.csv"), sizeof parties);
    int nparties = make_parties(parties, fa, 4, *neg ? neg : NULL, 4000);
    CHECK(nparties > 6500); /* several batches of 2048 */
    xc__strlcpy(va, offline("ra", NULL, fa), sizeof va);
    xc__strlcpy(db, th_tmp_path("c.db"), sizeof db);
    xc__strlcpy(ref_db, th_tmp_path("ref.db"), sizeof ref_db);
    xc_error err = {0};
    /* The reference: the same run, not interrupted. */
    xc_store *ref = xc_store_open(ref_db, &err);
    CHECK_INT(install(ref, va, &err), XC_OK);
    CHECK_INT(xc_store_parties_import_csv(ref, parties, NULL, NULL, NULL, &err), XC_OK);
    xc_rescreen_report rep;
    CHECK_INT(xc_store_rescreen(ref, NULL, &rep, &err), XC_OK);
    CHECK_INT(rep.full, nparties);
    alert_set want = {0, xc__calloc(8192, 96)}, got = {0, xc__calloc(8192, 96)};
    sorted_alerts(ref, &want);
    xc_store_close(ref);

    xc_store *store = xc_store_open(db, &err);
    CHECK_INT(install(store, va, &err), XC_OK);
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);
    xc_store_close(store);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        xc_store *mine = xc_store_open(db, &err);
        xc_rescreen_opts opts = {.threads = 1}; /* slow enough to be caught mid-way */
        _exit(mine && xc_store_rescreen(mine, &opts, NULL, &err) == XC_OK ? 0 : 4);
    }
    /* Kill it once its first batch is committed (bounded wait: 60 s). */
    long long progress = -1;
    for (int waited = 0; waited < 60000 && progress <= 0; waited++) {
        pause_ms(1);
        progress = raw_int(db, "SELECT count(*) FROM meta WHERE key = 'rescreen.progress'");
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    CHECK_INT(progress, 1);
    store = reopen_checked(db);
    if (!store)
        return;
    /* Part done, not recorded as complete. */
    long long screened = raw_int(db, "SELECT count(*) FROM parties WHERE last_screened_at != ''");
    CHECK(screened > 0 && screened < nparties);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM meta WHERE key LIKE 'rescreen.base:%'"), 0);
    /* Rerun: resumes after the checkpoint and completes. */
    CHECK_INT(xc_store_rescreen(store, NULL, &rep, &err), XC_OK);
    CHECK(rep.resumed_after > 0);
    CHECK_INT(rep.full + screened, nparties);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM parties WHERE last_screened_at = ''"), 0);
    CHECK_INT(raw_int(db, "SELECT count(*) FROM meta WHERE key = 'rescreen.progress'"), 0);
    /* The same alerts as the uninterrupted run: none lost, none twice. */
    sorted_alerts(store, &got);
    CHECK_INT(got.count, want.count);
    for (int i = 0; i < got.count && i < want.count; i++)
        if (strcmp(got.keys[i], want.keys[i]) != 0) {
            TH_FAIL("alert %s, expected %s", got.keys[i], want.keys[i]);
            break;
        }
    int64_t bad = -1;
    CHECK_INT(xc_store_audit_verify(store, &bad, NULL, &err), XC_OK);
    xc_store_close(store);
    xc__free_mem(want.keys);
    xc__free_mem(got.keys);
    th_tmp_cleanup();
}
