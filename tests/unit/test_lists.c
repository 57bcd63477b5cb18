/* test_lists.c — CSV reader, country codes, every list parser on the real files in ../shared,
 * the loader's detection, malformed input (truncated XML, ragged rows, invalid UTF-8, a 100 MB
 * field) and the bundled sample in data/samples. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "lists/csv.h"
#include "lists/lists.h"

/* ---- helpers ---- */

static const xc__list *find_list(const xc__listset *set, const char *id)
{
    for (size_t i = 0; i < set->list_count; i++)
        if (strcmp(set->lists[i].id, id) == 0)
            return &set->lists[i];
    return NULL;
}

static const xc__entity *find_entity(const xc__listset *set, const char *list_id,
                                     const char *source_id)
{
    for (size_t i = 0; i < set->entity_count; i++) {
        const xc__entity *e = &set->entities[i];
        if (strcmp(e->source_id, source_id) == 0 &&
            (!list_id || strcmp(set->lists[e->list].id, list_id) == 0))
            return e;
    }
    return NULL;
}

static const xc__entity *find_by_name(const xc__listset *set, const char *name)
{
    for (size_t i = 0; i < set->entity_count; i++)
        for (uint32_t k = 0; k < set->entities[i].name_count; k++)
            if (strcmp(set->entities[i].names[k].text, name) == 0)
                return &set->entities[i];
    return NULL;
}

static int name_type_of(const xc__entity *e, const char *name)
{
    for (uint32_t k = 0; e && k < e->name_count; k++)
        if (strcmp(e->names[k].text, name) == 0)
            return e->names[k].type;
    return -1;
}

static bool has_dob(const xc__entity *e, int y, int m, int d)
{
    for (uint32_t k = 0; e && k < e->dob_count; k++)
        if (e->dobs[k].year == y && e->dobs[k].month == m && e->dobs[k].day == d)
            return true;
    return false;
}

static bool has_country(const xc__entity *e, const char *code)
{
    for (uint32_t k = 0; e && k < e->country_count; k++)
        if (strcmp(e->countries[k], code) == 0)
            return true;
    return false;
}

static const xc__ident *find_ident(const xc__entity *e, const char *type)
{
    for (uint32_t k = 0; e && k < e->ident_count; k++)
        if (strcmp(e->idents[k].type, type) == 0)
            return &e->idents[k];
    return NULL;
}

static size_t count_kind(const xc__listset *set, xc_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < set->entity_count; i++)
        n += set->entities[i].kind == kind;
    return n;
}

static bool issue_contains(const xc__list *list, const char *needle)
{
    for (size_t i = 0; list && i < list->issue_count; i++)
        if (strstr(list->issues[i], needle))
            return true;
    return false;
}

/* Loads one path (file or folder) into a fresh set. */
static xc_status load1(xc__listset *set, const char *path, xc_error *err)
{
    const char *paths[2] = {path, NULL};
    xc__listset_init(set);
    memset(err, 0, sizeof *err);
    return xc__load_paths(set, paths, err);
}

static char tmp_dir[256];

static const char *make_tmp_dir(void)
{
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/xc_lists_XXXXXX");
    return mkdtemp(tmp_dir);
}

static const char *write_file(const char *dir, const char *name, const char *data, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return NULL;
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}

static void remove_tmp_dir(const char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (strncmp(dir, "/tmp/xc_lists_", 14) == 0 && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* ---- CSV reader ---- */

TEST(csv_quotes_newlines_crlf_bom_ctrlz)
{
    const char data[] = "\xEF\xBB\xBF" "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
                        "\r\n"
                        "1,\"two\nlines\",3\r\n"
                        "x,,\r\n\x1A";
    xc__csv *csv = xc__csv_open_mem(data, sizeof data - 1, NULL);
    CHECK(csv != NULL);
    size_t len;
    CHECK_INT(xc__csv_next(csv), XC_OK);
    CHECK_INT(xc__csv_count(csv), 3);
    CHECK_STR(xc__csv_field(csv, 0, &len), "a");
    CHECK_STR(xc__csv_field(csv, 1, &len), "b,c");
    CHECK_STR(xc__csv_field(csv, 2, &len), "say \"hi\"");
    CHECK_INT(xc__csv_line(csv), 1);
    CHECK_INT(xc__csv_next(csv), XC_OK);
    CHECK_INT(xc__csv_line(csv), 3);
    CHECK_STR(xc__csv_field(csv, 1, &len), "two\nlines");
    CHECK_INT(xc__csv_next(csv), XC_OK);
    CHECK_INT(xc__csv_line(csv), 5);
    CHECK_INT(xc__csv_count(csv), 3);
    CHECK_STR(xc__csv_field(csv, 2, &len), "");
    CHECK_INT(xc__csv_next(csv), XC_NOTFOUND);
    xc__csv_close(csv);
}

TEST(csv_other_delimiters)
{
    const char *cases[][2] = {{"@", "1@\"A@B\"@-0- \n"}, {"|", "1|\"A|B\"|-0- \n"},
                              {";", "1;\"A;B\";-0- \n"}, {"\t", "1\t\"A\tB\"\t-0- \n"}};
    for (size_t i = 0; i < 4; i++) {
        xc__csv_opts opts = {.delim = cases[i][0][0]};
        xc__csv *csv = xc__csv_open_mem(cases[i][1], strlen(cases[i][1]), &opts);
        CHECK_INT(xc__csv_next(csv), XC_OK);
        CHECK_INT(xc__csv_count(csv), 3);
        CHECK_INT(strlen(xc__csv_field(csv, 1, NULL)), 3);
        CHECK_STR(xc__csv_field(csv, 2, NULL), "-0- ");
        xc__csv_close(csv);
    }
}

TEST(csv_field_limit_skips_one_record)
{
    const char data[] = "a,b\n1,\"0123456789012345678901234567890123\nstill\",3\nok,fine\n";
    xc__csv_opts opts = {.max_field = 16};
    xc__csv *csv = xc__csv_open_mem(data, sizeof data - 1, &opts);
    CHECK_INT(xc__csv_next(csv), XC_OK);
    CHECK_INT(xc__csv_next(csv), XC_TOOBIG);
    CHECK_INT(xc__csv_line(csv), 2);
    CHECK_CONTAINS(xc__csv_error(csv), "16");
    CHECK_INT(xc__csv_next(csv), XC_OK);
    CHECK_STR(xc__csv_field(csv, 0, NULL), "ok");
    CHECK_INT(xc__csv_line(csv), 4);
    CHECK_INT(xc__csv_next(csv), XC_NOTFOUND);
    xc__csv_close(csv);
}

TEST(csv_unterminated_quote_and_empty_input)
{
    xc__csv *csv = xc__csv_open_mem("a,\"open", 7, NULL);
    CHECK_INT(xc__csv_next(csv), XC_OK);
    CHECK_STR(xc__csv_field(csv, 1, NULL), "open");
    CHECK_INT(xc__csv_next(csv), XC_NOTFOUND);
    xc__csv_close(csv);
    csv = xc__csv_open_mem("", 0, NULL);
    CHECK_INT(xc__csv_next(csv), XC_NOTFOUND);
    xc__csv_close(csv);
}

/* ---- countries ---- */

TEST(country_names_to_alpha2)
{
    const char *cases[][2] = {
        {"Korea, North", "KP"}, {"North Korea", "KP"}, {"DPRK", "KP"},
        {"Korea, Democratic People's Republic of", "KP"},
        {"Democratic People's Republic of Korea", "KP"}, {"Iran, Islamic Republic of", "IR"},
        {"Iran (Islamic Republic of)", "IR"}, {"Russian Federation", "RU"}, {"Russia", "RU"},
        {"Burma", "MM"}, {"Syria", "SY"}, {"Syrian Arab Republic", "SY"},
        {"Congo, Democratic Republic of the", "CD"}, {"Democratic Republic of the Congo", "CD"},
        {"Hong Kong", "HK"}, {"Macau", "MO"}, {"Taiwan", "TW"}, {"china", "CN"}, {"RU", "RU"},
        {"  United Arab Emirates ", "AE"}, {"Korea, South", "KR"}, {"Türkiye", "TR"},
        {"Republic of Lebanon", "LB"}, {"Crimea", "UA"}};
    for (size_t i = 0; i < XC__ARRAY_LEN(cases); i++) {
        const char *code = xc__country_code(cases[i][0], strlen(cases[i][0]));
        if (!code || strcmp(code, cases[i][1]) != 0)
            TH_FAIL("%s -> %s, expected %s", cases[i][0], code ? code : "NULL", cases[i][1]);
    }
    CHECK(xc__country_code("Atlantis", 8) == NULL);
    CHECK(xc__country_code("", 0) == NULL);
    CHECK(xc__country_code("Korea", 5) == NULL); /* ambiguous: neither KP nor KR */
}

/* ---- OFAC legacy CSV ---- */

TEST(ofac_sdn_csv_mixed_dates_set)
{
    const char *dir = th_shared("data/lists/ofac/sdn.csv");
    if (!dir)
        SKIP("ofac/sdn.csv not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, th_shared("data/lists/ofac"), &err), XC_OK);
    const xc__list *l = find_list(&set, "us_ofac_sdn");
    CHECK(l != NULL);
    if (!l) {
        xc__listset_free(&set);
        return;
    }
    CHECK_INT(l->entities, 14965);
    CHECK_INT(set.entity_count, 14965);
    CHECK_INT(count_kind(&set, XC_KIND_PERSON), 6854);
    CHECK_INT(count_kind(&set, XC_KIND_VESSEL), 851);
    CHECK_INT(count_kind(&set, XC_KIND_AIRCRAFT), 376);
    CHECK_INT(count_kind(&set, XC_KIND_ORG), 6884);
    CHECK_INT(l->rows_skipped, 0);
    CHECK_STR(l->version, "");
    CHECK_INT(strlen(l->sha256), 64);
    CHECK_CONTAINS(l->files, "sdn_comments.csv");
    /* Orphans: counted, one issue per file with the distinct ent_num counts from PROVENANCE. */
    CHECK(l->orphan_rows > 7000);
    CHECK(issue_contains(l, "alt.csv: 2861 alias rows (1810 ent_nums)"));
    CHECK(issue_contains(l, "(5213 ent_nums)"));
    CHECK(issue_contains(l, "sdn_comments.csv: 9 comments rows"));
    CHECK_INT(l->issue_count, 3);

    const xc__entity *kim = find_entity(&set, "us_ofac_sdn", "20157");
    CHECK(kim != NULL);
    if (kim) {
        CHECK_STR(kim->names[0].text, "KIM, Jong Un");
        CHECK_INT(kim->names[0].type, XC__NAME_PRIMARY);
        CHECK_INT(kim->names[0].reorder, 1);
        CHECK_INT(kim->kind, XC_KIND_PERSON);
        CHECK(has_dob(kim, 1984, 1, 8));
        CHECK(has_country(kim, "KP"));
        CHECK_STR(kim->programs, "DPRK3");
    }
    const xc__entity *putin = find_entity(&set, NULL, "35096");
    CHECK(putin && has_dob(putin, 1952, 10, 7) && has_country(putin, "RU"));
    CHECK_INT(name_type_of(putin, "PUTIN, Vladimir"), XC__NAME_AKA);
    const xc__entity *bnc = find_entity(&set, NULL, "306");
    CHECK_INT(name_type_of(bnc, "BNC"), XC__NAME_WEAK_AKA); /* from Remarks a.k.a. 'BNC' */
    CHECK_INT(name_type_of(bnc, "NATIONAL BANK OF CUBA"), XC__NAME_AKA);
    CHECK(bnc && bnc->address_count == 4 && has_country(bnc, "JP"));
    const xc__entity *yacht = find_entity(&set, NULL, "37444");
    const xc__ident *imo = find_ident(yacht, "IMO");
    CHECK(imo && strcmp(imo->value, "1011551") == 0);
    CHECK(yacht && yacht->kind == XC_KIND_VESSEL);
    /* The leading apostrophe is part of the published name. */
    CHECK(find_by_name(&set, "'NDRANGHETA ORGANIZATION") != NULL);
    /* Remarks continued in sdn_comments.csv are appended. */
    const xc__entity *cont = find_entity(&set, NULL, "17016");
    if (cont)
        CHECK_CONTAINS(cont->remarks, "Registration Number 1027700167110");
    xc__listset_free(&set);
}

TEST(ofac_consistent_set_has_no_orphans)
{
    const char *dir = th_shared("data/lists/ofac/consistent-2021-07-07");
    if (!dir)
        SKIP("consistent-2021-07-07 not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, dir, &err), XC_OK);
    const xc__list *l = find_list(&set, "us_ofac_sdn");
    CHECK(l && l->entities == 8976 && l->orphan_rows == 0 && l->rows_skipped == 0);
    CHECK(l && l->issue_count == 0);
    /* A person with a passport in Remarks: the ident keeps number and issuing country. */
    size_t passports = 0;
    for (size_t i = 0; i < set.entity_count; i++)
        for (uint32_t k = 0; k < set.entities[i].ident_count; k++)
            passports += strcmp(set.entities[i].idents[k].type, "Passport") == 0;
    CHECK(passports > 500);
    xc__listset_free(&set);
}

TEST(ofac_consolidated_csv_and_legacy_delimiters)
{
    const char *prim = th_shared("data/lists/ofac-consolidated/cons_prim.csv");
    if (!prim)
        SKIP("cons_prim.csv not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, prim, &err), XC_OK);
    CHECK_INT(set.entity_count, 442);
    const xc__list *cons = find_list(&set, "us_ofac_cons");
    /* Named alone, cons_prim.csv brings cons_alt/cons_add/cons_comments from its folder. */
    CHECK(cons && strstr(cons->files, "cons_alt.csv") && strstr(cons->files, "cons_comments.csv"));
    CHECK(cons && cons->orphan_rows == 0 && cons->names > 1000);
    xc__listset_free(&set);

    const char *variants[] = {"cons_prim.csv", "cons_prim.del", "cons_prim.pip"};
    for (size_t i = 0; i < 3; i++) {
        char rel[200];
        snprintf(rel, sizeof rel, "data/lists/ofac-consolidated/legacy-2018-04-06/%s",
                 variants[i]);
        const char *path = th_shared(rel);
        if (!path)
            SKIP("%s not available", rel);
        CHECK_INT(load1(&set, path, &err), XC_OK);
        if (set.entity_count != 639)
            TH_FAIL("%s: %zu entities, expected 639", variants[i], set.entity_count);
        CHECK(set.list_count == 1 && set.lists[0].rows_skipped == 0);
        xc__listset_free(&set);
    }
}

/* ---- OFAC XML ---- */

TEST(ofac_xml_consolidated_2026)
{
    const char *path = th_shared("data/lists/ofac-consolidated/consolidated.xml");
    if (!path)
        SKIP("consolidated.xml not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    const xc__list *l = find_list(&set, "us_ofac_cons");
    CHECK(l && l->entities == 442);
    CHECK_STR(l ? l->version : NULL, "2026-01-08");
    CHECK(l && l->rows_skipped == 0);
    const xc__entity *haniya = find_entity(&set, NULL, "9639");
    CHECK(haniya && strcmp(haniya->names[0].text, "HANIYA, Ismail Abdul Salah") == 0);
    CHECK(haniya && haniya->names[0].reorder == 1 && has_dob(haniya, 1962, 0, 0));
    CHECK_INT(name_type_of(haniya, "HANIYYA, Ismaeel"), XC__NAME_AKA);
    CHECK_STR(haniya ? haniya->programs : NULL, "NS-PLC");
    xc__listset_free(&set);
}

TEST(ofac_xml_legacy_namespace_and_trimmed_sdn)
{
    const char *path = th_shared("data/lists/ofac-consolidated/legacy-2018-04-06/consolidated.xml");
    if (!path)
        SKIP("legacy consolidated.xml not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    CHECK_INT(set.entity_count, 639);
    CHECK_STR(set.list_count ? set.lists[0].version : NULL, "2018-04-06");
    CHECK_INT(count_kind(&set, XC_KIND_VESSEL), 74);
    xc__listset_free(&set);

    path = th_shared("data/lists/ofac/trimmed/sdn.xml");
    if (!path)
        SKIP("trimmed sdn.xml not available");
    CHECK_INT(load1(&set, path, &err), XC_OK);
    const xc__list *l = find_list(&set, "us_ofac_sdn");
    CHECK(l && l->entities == 4); /* Record_Count says 5704: the file was trimmed */
    CHECK_STR(l ? l->version : NULL, "2014-07-16");
    const xc__entity *bnc = find_entity(&set, NULL, "306");
    CHECK_INT(name_type_of(bnc, "BNC"), XC__NAME_WEAK_AKA);
    CHECK_INT(name_type_of(bnc, "NATIONAL BANK OF CUBA"), XC__NAME_AKA);
    CHECK(bnc && bnc->kind == XC_KIND_ORG && bnc->address_count == 4 && has_country(bnc, "PA"));
    const xc__entity *jimale = find_entity(&set, NULL, "6982");
    const xc__ident *pp = find_ident(jimale, "Passport");
    CHECK(pp && strcmp(pp->value, "A0181988") == 0 && pp->country &&
          strcmp(pp->country, "Somalia") == 0);
    CHECK(jimale && strcmp(jimale->names[0].text, "JIM'ALE, Ahmed Nur Ali") == 0);
    xc__listset_free(&set);
}

/* ---- UN ---- */

TEST(un_consolidated_xml)
{
    const char *path = th_shared("data/lists/un/consolidated.xml");
    if (!path)
        SKIP("un/consolidated.xml not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    const xc__list *l = find_list(&set, "un_sc");
    CHECK(l && l->entities == 1011 && l->rows_skipped == 0);
    CHECK_STR(l ? l->version : NULL, "2026-08-01");
    CHECK_INT(count_kind(&set, XC_KIND_PERSON), 736);
    CHECK_INT(count_kind(&set, XC_KIND_ORG), 275);
    /* Saddam Hussein: original-script name, Iraqi nationality, programme IQ list. */
    const xc__entity *saddam = find_by_name(&set, "صدام حسين التكريتي");
    CHECK(saddam != NULL);
    CHECK_INT(name_type_of(saddam, "صدام حسين التكريتي"), XC__NAME_ORIGINAL);
    CHECK(saddam && saddam->names[0].type == XC__NAME_PRIMARY);
    CHECK(saddam && has_country(saddam, "IQ"));
    CHECK(saddam && strstr(saddam->programs, "Iraq;IQi.001") != NULL);
    CHECK(saddam && strcmp(saddam->listed_on, "2003-06-27") == 0);
    const xc__entity *kakolele = find_entity(&set, "un_sc", "6907994");
    CHECK(kakolele && strcmp(kakolele->names[0].text, "FRANK KAKOLELE BWAMBALE") == 0);
    CHECK_INT(name_type_of(kakolele, "AIGLE BLANC"), XC__NAME_AKA);
    CHECK(kakolele && has_country(kakolele, "CD"));
    size_t weak = 0, original = 0, docs = 0;
    for (size_t i = 0; i < set.entity_count; i++) {
        for (uint32_t k = 0; k < set.entities[i].name_count; k++) {
            weak += set.entities[i].names[k].type == XC__NAME_WEAK_AKA;
            original += set.entities[i].names[k].type == XC__NAME_ORIGINAL;
        }
        docs += set.entities[i].ident_count;
    }
    CHECK(weak > 500);       /* 623 QUALITY Low, a few duplicates of other names */
    CHECK(original >= 370);  /* 378 NAME_ORIGINAL_SCRIPT values */
    CHECK(docs > 400);
    xc__listset_free(&set);
}

/* ---- CSL ---- */

TEST(csl_csv_per_source_counts)
{
    const char *path = th_shared("data/lists/us-csl/consolidated.csv");
    if (!path)
        SKIP("us-csl/consolidated.csv not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    CHECK_INT(set.entity_count, 14160);
    static const struct {
        const char *id;
        size_t count;
    } expect[] = {{"us_csl_sdn", 10026},      {"us_bis_entity_list", 2001},
                  {"us_state_dtc", 727},      {"us_bis_dpl", 462},
                  {"us_treas_ssi", 290},      {"us_bis_uvl", 201},
                  {"us_state_isn", 163},      {"us_treas_plc", 78},
                  {"us_bis_meu", 71},         {"us_treas_cmic", 68},
                  {"us_treas_capta", 53},     {"us_treas_nsmbs", 17},
                  {"us_treas_fse", 3}};
    CHECK_INT(set.list_count, 13);
    for (size_t i = 0; i < XC__ARRAY_LEN(expect); i++) {
        const xc__list *l = find_list(&set, expect[i].id);
        if (!l || l->entities != expect[i].count)
            TH_FAIL("%s: %zu entities, expected %zu", expect[i].id, l ? l->entities : 0,
                    expect[i].count);
        if (l && l->rows_skipped)
            TH_FAIL("%s: %zu rows skipped", expect[i].id, l->rows_skipped);
    }
    const xc__list *el = find_list(&set, "us_bis_entity_list");
    CHECK_STR(el ? el->title : NULL, "Entity List (EL) - Bureau of Industry and Security");
    const xc__entity *abbas = find_entity(&set, "us_csl_sdn", "21944");
    CHECK(abbas && strcmp(abbas->names[0].text, "'ABBAS, Rim") == 0);
    CHECK(abbas && abbas->kind == XC_KIND_PERSON && has_dob(abbas, 1973, 3, 25));
    CHECK(abbas && has_country(abbas, "SY"));
    const xc__entity *abadigga = find_entity(&set, "us_csl_sdn", "35064");
    const xc__ident *pp = find_ident(abadigga, "Passport");
    CHECK(pp && strcmp(pp->value, "T00043812") == 0 && pp->country &&
          strcmp(pp->country, "ZA") == 0);
    CHECK(find_ident(abadigga, "Gender") == NULL);
    CHECK(abadigga && has_country(abadigga, "ET") && has_country(abadigga, "ZA"));
    const xc__entity *spaceon = find_entity(&set, NULL, "ac8e87ed69fa7253cf3b721e12e28786c8fd2722");
    CHECK_INT(name_type_of(spaceon, "Tianao Electronics Co., Ltd."), XC__NAME_AKA);
    CHECK(spaceon && spaceon->address_count == 3 && has_country(spaceon, "CN"));
    CHECK(spaceon && spaceon->kind == XC_KIND_ANY);
    xc__listset_free(&set);
}

TEST(csl_json_results_and_bare_array)
{
    const char *json =
        "{\"results\":[{\"_id\":\"abc\",\"source\":\"Entity List (EL) - Bureau of Industry and "
        "Security\",\"name\":\"Huawei Technologies Co., Ltd.\",\"type\":\"Entity\","
        "\"alt_names\":[\"Huawei\",\"HW\"],\"addresses\":[{\"address\":\"Bantian\",\"city\":"
        "\"Shenzhen\",\"country\":\"CN\"}],\"programs\":[\"EAR\"],\"start_date\":\"2019-05-21\","
        "\"ids\":[{\"type\":\"Registration\",\"number\":\"123\",\"country\":\"CN\"}]},"
        "{\"_id\":\"7\",\"source\":\"Specially Designated Nationals (SDN) - Treasury Department\","
        "\"name\":\"KIM, Jong Un\",\"type\":\"Individual\",\"dates_of_birth\":\"1984-01-08\","
        "\"nationalities\":[\"KP\"]}, 5]}";
    xc__listset set;
    xc__listset_init(&set);
    xc_error err = {0};
    CHECK_INT(xc__parse_csl_json_mem(&set, json, strlen(json), "consolidated.json", &err), XC_OK);
    CHECK_INT(set.entity_count, 2);
    const xc__entity *hw = find_entity(&set, "us_bis_entity_list", "abc");
    CHECK(hw && hw->name_count == 3 && has_country(hw, "CN") && hw->address_count == 1);
    CHECK(hw && strcmp(hw->listed_on, "2019-05-21") == 0 && strcmp(hw->programs, "EAR") == 0);
    CHECK(hw && hw->ident_count == 1);
    const xc__entity *kim = find_entity(&set, "us_csl_sdn", "7");
    CHECK(kim && has_dob(kim, 1984, 1, 8) && has_country(kim, "KP") && kim->names[0].reorder);
    const xc__list *junk = find_list(&set, "csl_unknown_source");
    CHECK(junk && junk->rows_skipped == 1);
    xc__listset_free(&set);

    xc__listset_init(&set);
    const char *bare = "[{\"source\":\"Some New List - Agency\",\"name\":\"X\"}]";
    CHECK_INT(xc__parse_csl_json_mem(&set, bare, strlen(bare), "x.json", &err), XC_OK);
    CHECK(find_list(&set, "some_new_list_agency") != NULL);
    xc__listset_free(&set);

    /* Forty made-up sources: 32 lists, then one pool, not a list per row. */
    char many[8192];
    size_t used = (size_t)snprintf(many, sizeof many, "_id,source,name\n");
    for (int i = 0; i < 40; i++)
        used += (size_t)snprintf(many + used, sizeof many - used, "%d,Source %d,N%d\n", i, i, i);
    xc__listset_init(&set);
    CHECK_INT(xc__parse_csl_csv_mem(&set, many, used, "c.csv", &err), XC_OK);
    CHECK_INT(set.list_count, 33);
    CHECK_INT(set.entity_count, 40);
    const xc__list *pool = find_list(&set, "csl_other_sources");
    CHECK(pool && pool->entities == 8);
    xc__listset_free(&set);

    xc__listset_init(&set);
    CHECK_INT(xc__parse_csl_json_mem(&set, "{\"results\":[", 12, "bad.json", &err), XC_PARSE);
    CHECK_CONTAINS(err.message, "bad.json line 1");
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
}

/* ---- BIS DPL ---- */

TEST(bis_dpl_txt)
{
    const char *path = th_shared("data/lists/bis-dpl/dpl.txt");
    if (!path)
        SKIP("bis-dpl/dpl.txt not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    const xc__list *l = find_list(&set, "us_bis_dpl");
    CHECK(l && l->entities == 665 && l->rows_skipped == 0);
    const xc__entity *ash = find_by_name(&set, "I. ASH"); /* published with a leading space */
    CHECK(ash != NULL);
    CHECK(ash && strlen(ash->source_id) == 16 && strcmp(ash->listed_on, "2003-06-19") == 0);
    CHECK(ash && has_country(ash, "US"));
    /* The id is a pure function of name and date: a second load gives the same one. */
    char first_id[17];
    xc__strlcpy(first_id, ash ? ash->source_id : "", sizeof first_id);
    xc__listset_free(&set);
    CHECK_INT(load1(&set, path, &err), XC_OK);
    ash = find_by_name(&set, "I. ASH");
    CHECK(ash && strcmp(ash->source_id, first_id) == 0);
    xc__listset_free(&set);

    /* Next to the CSL, dpl.txt keeps its own list record under the same source id. */
    char csl[4096];
    const char *found = th_shared("data/lists/us-csl/consolidated.csv");
    if (!found)
        SKIP("us-csl/consolidated.csv not available");
    xc__strlcpy(csl, found, sizeof csl);
    const char *paths[] = {csl, th_shared("data/lists/bis-dpl/dpl.txt"), NULL};
    xc__listset_init(&set);
    CHECK_INT(xc__load_paths(&set, paths, &err), XC_OK);
    size_t dpl_lists = 0, dpl_entities = 0;
    for (size_t i = 0; i < set.list_count; i++)
        if (strcmp(set.lists[i].id, "us_bis_dpl") == 0) {
            dpl_lists++;
            dpl_entities += set.lists[i].entities;
        }
    CHECK_INT(dpl_lists, 2);
    CHECK_INT(dpl_entities, 462 + 665);
    xc__listset_free(&set);

    /* The other order (dpl.txt parsed first, as with installed lists: us_bis_dpl/ sorts before
     * us_csl/): the CSL's DPL rows must not join dpl.txt's record, or one file's version and
     * digest would stand for the other's entities. */
    const char *reversed[] = {paths[1], csl, NULL};
    xc__listset_init(&set);
    CHECK_INT(xc__load_paths(&set, reversed, &err), XC_OK);
    const xc__list *first = NULL, *second = NULL;
    for (size_t i = 0; i < set.list_count; i++)
        if (strcmp(set.lists[i].id, "us_bis_dpl") == 0) {
            if (!first)
                first = &set.lists[i];
            else
                second = &set.lists[i];
        }
    CHECK(first && second);
    if (first && second) {
        CHECK_INT(first->entities, 665);
        CHECK_INT(second->entities, 462);
        CHECK(strcmp(first->sha256, second->sha256) != 0);
        CHECK_CONTAINS(first->files, "dpl.txt");
        CHECK_CONTAINS(second->files, "consolidated.csv");
    }
    xc__listset_free(&set);
}

/* ---- loader ---- */

TEST(loader_tells_ofac_and_un_consolidated_xml_apart)
{
    char ofac[4096], un[4096]; /* th_shared returns one static buffer */
    const char *found = th_shared("data/lists/ofac/trimmed/sdn.xml");
    if (!found)
        SKIP("shared XML files not available");
    xc__strlcpy(ofac, found, sizeof ofac);
    found = th_shared("data/lists/un/consolidated.xml");
    if (!found)
        SKIP("shared XML files not available");
    xc__strlcpy(un, found, sizeof un);
    char *un_data = NULL, *ofac_data = NULL;
    size_t un_len = 0, ofac_len = 0;
    CHECK_INT(xc__file_read(un, 64 << 20, &un_data, &un_len, NULL), XC_OK);
    CHECK_INT(xc__file_read(ofac, 64 << 20, &ofac_data, &ofac_len, NULL), XC_OK);
    const char *dir = make_tmp_dir();
    CHECK(dir != NULL);
    if (!dir || !un_data || !ofac_data)
        return;
    char a[300], b[300];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    mkdir(a, 0700);
    mkdir(b, 0700);
    write_file(a, "consolidated.xml", un_data, un_len);
    write_file(b, "CONSOLIDATED.XML", ofac_data, ofac_len);
    write_file(b, "readme.txt", "not a list", 10); /* ignored in a folder */
    const char *paths[] = {a, b, NULL};
    xc__listset set;
    xc__listset_init(&set);
    xc_error err = {0};
    CHECK_INT(xc__load_paths(&set, paths, &err), XC_OK);
    CHECK(find_list(&set, "un_sc") && find_list(&set, "un_sc")->entities == 1011);
    CHECK(find_list(&set, "us_ofac_cons") && find_list(&set, "us_ofac_cons")->entities == 4);
    xc__listset_free(&set);

    /* A file named explicitly that is not a known list is an error naming it. */
    char named[400];
    snprintf(named, sizeof named, "%s/readme.txt", b);
    CHECK_INT(load1(&set, named, &err), XC_UNSUPPORTED);
    CHECK_CONTAINS(err.message, "readme.txt");
    xc__listset_free(&set);
    CHECK_INT(load1(&set, "/nonexistent/xcheck/sdn.csv", &err), XC_IO);
    xc__listset_free(&set);
    xc__free_mem(un_data);
    xc__free_mem(ofac_data);
    remove_tmp_dir(dir);
}

TEST(loader_prefers_xml_over_csv_set_in_one_folder)
{
    const char *dir = th_shared("data/lists/ofac-consolidated/legacy-2018-04-06");
    if (!dir)
        SKIP("legacy folder not available");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, dir, &err), XC_OK);
    /* .csv/.del/.pip sets and the XML all hold the same 639 records: loaded once. */
    CHECK_INT(set.entity_count, 639);
    CHECK_INT(set.list_count, 1);
    CHECK(set.list_count && issue_contains(&set.lists[0], "CSV set not loaded"));
    xc__listset_free(&set);
}

/* ---- malformed input ---- */

TEST(truncated_xml_keeps_complete_entries)
{
    const char *un = th_shared("data/lists/un/consolidated.xml");
    if (!un)
        SKIP("un/consolidated.xml not available");
    char *data = NULL;
    size_t len = 0;
    CHECK_INT(xc__file_read(un, 64 << 20, &data, &len, NULL), XC_OK);
    if (!data)
        return;
    const char *dir = make_tmp_dir();
    /* Cut in the middle of the 101st INDIVIDUAL. */
    const char *p = data;
    for (int i = 0; i < 101 && p; i++)
        p = strstr(p + 1, "<INDIVIDUAL>");
    size_t cut = p ? (size_t)(p - data) + 200 : len / 2;
    write_file(dir, "consolidated.xml", data, cut);
    char path[400];
    snprintf(path, sizeof path, "%s/consolidated.xml", dir);
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    const xc__list *l = find_list(&set, "un_sc");
    CHECK(l && l->entities == 100);
    CHECK(l && l->rows_skipped == 1); /* the 101st, cut in the middle */
    CHECK(l && l->issue_count == 2);
    if (l && l->issue_count == 2) {
        CHECK_CONTAINS(l->issues[0], "consolidated.xml line ");
        CHECK_CONTAINS(l->issues[0], "entry cut off");
        CHECK_CONTAINS(l->issues[1], "consolidated.xml line ");
        CHECK_CONTAINS(l->issues[1], "entries before the error are kept");
    }
    xc__listset_free(&set);

    /* Truncated OFAC XML too; and one cut before any entry is a load error. */
    const char *ofac_xml = "<?xml version=\"1.0\"?>\n<sdnList xmlns=\"urn:x\"><publshInformation>"
                           "<Publish_Date>01/08/2026</Publish_Date></publshInformation>\n"
                           "<sdnEntry><uid>1</uid><lastName>ALPHA</lastName><sdnType>Entity"
                           "</sdnType></sdnEntry>\n<sdnEntry><uid>2</uid><lastNa";
    xc__listset_init(&set);
    CHECK_INT(xc__parse_ofac_xml_mem(&set, "us_ofac_cons", ofac_xml, strlen(ofac_xml),
                                     "consolidated.xml", &err),
              XC_OK);
    CHECK_INT(set.entity_count, 1);
    CHECK(set.list_count == 1 && set.lists[0].issue_count == 2);
    CHECK_STR(set.list_count ? set.lists[0].version : NULL, "2026-01-08");
    if (set.list_count && set.lists[0].issue_count == 2)
        CHECK_CONTAINS(set.lists[0].issues[1], "consolidated.xml line ");
    xc__listset_free(&set);
    xc__listset_init(&set);
    CHECK_INT(xc__parse_un_xml_mem(&set, "<CONSOLIDATED_LIST><INDIV", 25, "un.xml", &err),
              XC_PARSE);
    CHECK_CONTAINS(err.message, "un.xml line 1");
    CHECK_INT(set.list_count, 0);
    CHECK_INT(xc__parse_un_xml_mem(&set, "<other/>", 8, "un.xml", &err), XC_UNSUPPORTED);
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
    xc__free_mem(data);
    remove_tmp_dir(dir);
}

TEST(ragged_rows_and_invalid_utf8_are_reported_and_skipped)
{
    const char *dir = make_tmp_dir();
    CHECK(dir != NULL);
    if (!dir)
        return;
    const char sdn[] =
        "1,\"GOOD ONE\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB 1960.\"\r\n"
        "2,\"SHORT\",-0- ,\"SDGT\",-0- ,-0- ,-0- \r\n"
        "3,\"BAD \xFF\xFE UTF\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"nationality Iran\"\r\n"
        "x4,\"NOT A NUMBER\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "5,\"LAST, Good\",\"individual\",\"SDGT] [IRGC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"DOB 1958 to 1960; Passport X123 (Iran); a.k.a. 'GOODIE'.\"\r\n\x1A";
    const char alt[] = "1,10,\"aka\",\"GOOD TWO\",-0- \r\n1,11,\"aka\"\r\n99,12,\"fka\",\"ORPHAN\","
                       "-0- \r\n5,13,\"nka\",\"LAST, New\",-0- \r\n";
    write_file(dir, "alt.csv", alt, sizeof alt - 1);
    write_file(dir, "add.csv", "", 0); /* present (a complete set), no address rows */
    write_file(dir, "sdn.csv", sdn, sizeof sdn - 1);
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, dir, &err), XC_OK);
    const xc__list *l = find_list(&set, "us_ofac_sdn");
    CHECK(l != NULL);
    if (!l) {
        xc__listset_free(&set);
        remove_tmp_dir(dir);
        return;
    }
    CHECK_INT(l->entities, 3);
    CHECK_INT(l->rows_skipped, 3); /* short row, bad ent_num, short alt row */
    CHECK(issue_contains(l, "sdn.csv line 2: 7 fields, expected 12"));
    CHECK(issue_contains(l, "sdn.csv line 4: ent_num is not a number"));
    CHECK(issue_contains(l, "alt.csv line 2: 3 fields, expected 5"));
    CHECK(issue_contains(l, "sdn.csv line 3: invalid UTF-8"));
    CHECK(issue_contains(l, "alt.csv: 1 alias rows (1 ent_nums) have no primary record"));
    CHECK_INT(l->utf8_replaced, 1);
    CHECK_INT(l->orphan_rows, 1);
    const xc__entity *bad = find_entity(&set, NULL, "3");
    CHECK(bad && strcmp(bad->names[0].text, "BAD \xEF\xBF\xBD\xEF\xBF\xBD UTF") == 0);
    CHECK(bad && has_country(bad, "IR"));
    const xc__entity *good = find_entity(&set, NULL, "1");
    CHECK(good && good->name_count == 2 && has_dob(good, 1960, 0, 0));
    const xc__entity *five = find_entity(&set, NULL, "5");
    CHECK(five && has_dob(five, 1958, 0, 0) && has_dob(five, 1959, 0, 0) &&
          has_dob(five, 1960, 0, 0));
    CHECK_STR(five ? five->programs : NULL, "SDGT;IRGC");
    CHECK_INT(name_type_of(five, "LAST, New"), XC__NAME_NKA);
    CHECK_INT(name_type_of(five, "GOODIE"), XC__NAME_WEAK_AKA);
    const xc__ident *pp = find_ident(five, "Passport");
    CHECK(pp && strcmp(pp->value, "X123") == 0 && pp->country && !strcmp(pp->country, "Iran"));
    xc__listset_free(&set);

    /* CSL: a ragged row in the middle; the rows around it load. */
    const char csl[] = "_id,source,name,type,alt_names\n"
                       "a1,Entity List (EL) - Bureau of Industry and Security,ONE,,\n"
                       "a2,Entity List (EL) - Bureau of Industry and Security,TWO\n"
                       "a3,Entity List (EL) - Bureau of Industry and Security,\"THREE\nLINES\",,"
                       "\"X; Y\"\n";
    xc__listset_init(&set);
    CHECK_INT(xc__parse_csl_csv_mem(&set, csl, sizeof csl - 1, "consolidated.csv", &err), XC_OK);
    CHECK_INT(set.entity_count, 2);
    l = find_list(&set, "us_bis_entity_list");
    CHECK(l && l->rows_skipped == 1 &&
          issue_contains(l, "consolidated.csv line 3: 3 fields, expected 5"));
    const xc__entity *three = find_entity(&set, NULL, "a3");
    CHECK(three && three->name_count == 3);
    xc__listset_free(&set);
    remove_tmp_dir(dir);
}

TEST(hundred_megabyte_field_is_skipped_and_parsing_goes_on)
{
    const char *dir = make_tmp_dir();
    CHECK(dir != NULL);
    if (!dir)
        return;
    char path[400];
    snprintf(path, sizeof path, "%s/sdn.csv", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("1,\"BEFORE\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", f);
    fputs("2,\"HUGE\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"", f);
    static char block[1 << 20];
    memset(block, 'A', sizeof block);
    for (int i = 0; i < 100; i++)
        fwrite(block, 1, sizeof block, f);
    fputs("\"\r\n3,\"AFTER\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", f);
    fclose(f);
    write_file(dir, "alt.csv", "", 0); /* the set's required companions, empty */
    write_file(dir, "add.csv", "", 0);
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, path, &err), XC_OK);
    const xc__list *l = find_list(&set, "us_ofac_sdn");
    CHECK(l && l->entities == 2 && l->rows_skipped == 1);
    CHECK(l && issue_contains(l, "sdn.csv line 2: field bytes over 1048576"));
    CHECK(find_entity(&set, NULL, "3") != NULL);
    xc__listset_free(&set);
    remove_tmp_dir(dir);
}

TEST(out_of_memory_is_reported_cleanly)
{
    const char sdn[] = "1,\"ALPHA, Beta\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
                       "-0- ,\"DOB 1960; nationality Iran.\"\r\n";
    const char alt[] = "1,10,\"aka\",\"GAMMA\",-0- \r\n";
    /* Fail each allocation in turn: every run ends in XC_OK or XC_NOMEM, never a crash or a
     * leak (ASan checks the latter). */
    int nomem = 0;
    for (long n = 1; n < 200; n++) {
        xc__listset set;
        if (xc__listset_init(&set) != XC_OK)
            continue;
        xc_error err = {0};
        xc__alloc_fail_at(n);
        xc_status rc = xc__parse_ofac_csv_mem(&set, "us_ofac_sdn", sdn, sizeof sdn - 1, alt,
                                              sizeof alt - 1, NULL, 0, &err);
        xc__alloc_fail_at(0);
        if (rc != XC_OK && rc != XC_NOMEM)
            TH_FAIL("allocation %ld: status %d", n, (int)rc);
        nomem += rc == XC_NOMEM;
        xc__listset_free(&set);
    }
    CHECK(nomem > 0);

    /* The same for the XML and CSL parsers (libxml2's and jansson's own allocations are not
     * hooked; ours are). */
    const char un[] = "<CONSOLIDATED_LIST dateGenerated=\"2026-08-01T00:00:00Z\"><INDIVIDUALS>"
                      "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><INDIVIDUAL_ALIAS>"
                      "<QUALITY>Low</QUALITY><ALIAS_NAME>B</ALIAS_NAME></INDIVIDUAL_ALIAS>"
                      "<NATIONALITY><VALUE>Iran</VALUE></NATIONALITY></INDIVIDUAL></INDIVIDUALS>"
                      "</CONSOLIDATED_LIST>";
    const char csl[] = "_id,source,name,type,alt_names,addresses\n1,Entity List,\"A, B\","
                       "Individual,\"C; D\",\"x, CN\"\n";
    const char json[] = "[{\"_id\":\"1\",\"source\":\"Capta List\",\"name\":\"N\","
                        "\"alt_names\":[\"M\"]}]";
    for (int which = 0; which < 3; which++) {
        int failed = 0;
        for (long n = 1; n < 120; n++) {
            xc__listset set;
            if (xc__listset_init(&set) != XC_OK)
                continue;
            xc_error err = {0};
            xc__alloc_fail_at(n);
            xc_status rc =
                which == 0   ? xc__parse_un_xml_mem(&set, un, sizeof un - 1, "un.xml", &err)
                : which == 1 ? xc__parse_csl_csv_mem(&set, csl, sizeof csl - 1, "c.csv", &err)
                             : xc__parse_csl_json_mem(&set, json, sizeof json - 1, "c.json", &err);
            xc__alloc_fail_at(0);
            if (rc != XC_OK && rc != XC_NOMEM)
                TH_FAIL("parser %d, allocation %ld: status %d", which, n, (int)rc);
            failed += rc == XC_NOMEM;
            xc__listset_free(&set);
        }
        if (!failed)
            TH_FAIL("parser %d never reported XC_NOMEM", which);
    }
}

static void *country_worker(void *arg)
{
    int *bad = arg;
    for (int i = 0; i < 2000; i++) {
        const char *code = xc__country_code("Korea, North", 12);
        if (!code || strcmp(code, "KP") != 0)
            (*bad)++;
    }
    return NULL;
}

TEST(country_lookup_from_many_threads)
{
    pthread_t threads[8];
    int bad[8] = {0};
    for (int i = 0; i < 8; i++)
        pthread_create(&threads[i], NULL, country_worker, &bad[i]);
    for (int i = 0; i < 8; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < 8; i++)
        CHECK_INT(bad[i], 0);
}

/* ---- the bundled sample ---- */

TEST(samples_load_with_their_counts)
{
    if (access("data/samples/sdn.csv", R_OK) != 0)
        SKIP("run from the repository root");
    xc__listset set;
    xc_error err;
    CHECK_INT(load1(&set, "data/samples", &err), XC_OK);
    const xc__list *sdn = find_list(&set, "us_ofac_sdn");
    CHECK(sdn && sdn->entities == 30 && sdn->rows_skipped == 0 && sdn->orphan_rows == 0);
    CHECK_INT(count_kind(&set, XC_KIND_VESSEL), 2);
    CHECK_INT(count_kind(&set, XC_KIND_AIRCRAFT), 1);
    const xc__entity *kim = find_entity(&set, "us_ofac_sdn", "20157");
    CHECK(kim && has_dob(kim, 1984, 1, 8) && has_country(kim, "KP"));
    size_t bis = 0;
    const char *bis_lists[] = {"us_bis_entity_list", "us_bis_uvl", "us_bis_meu"};
    for (size_t i = 0; i < 3; i++) {
        const xc__list *l = find_list(&set, bis_lists[i]);
        CHECK(l != NULL);
        bis += l ? l->entities : 0;
        CHECK(!l || l->rows_skipped == 0);
    }
    CHECK_INT(bis, 10);
    CHECK(find_by_name(&set, "Huawei Technologies Co., Ltd. (Huawei)") != NULL);
    xc__listset_free(&set);
}
