/* test_entity.c — the listed entity rendered whole (xc_entity_json, and the "entity" object in
 * every match of xc_result_json): places of birth, nationalities, identifiers and the other
 * facts a reviewer needs, from the bundled sample and the real lists in ../shared, through a
 * snapshot as from the files. */
#include <stdbool.h>

#include <jansson.h>

#include "harness.h"
#include "xcheck.h"

/* The entity's JSON parsed, or NULL (test failed). */
static json_t *entity(const xc_engine *eng, const char *list, const char *id)
{
    char *out = NULL;
    xc_error err = {0};
    xc_status rc = xc_entity_json(eng, list, id, &out, &err);
    if (rc != XC_OK) {
        TH_FAIL("xc_entity_json(%s, %s): %s", list, id, err.message);
        return NULL;
    }
    json_t *obj = json_loads(out, 0, NULL);
    xc_free(out);
    if (!obj)
        TH_FAIL("xc_entity_json(%s, %s): not JSON", list, id);
    return obj;
}

static const char *get_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

/* True when the array under key holds the string s. */
static bool has_string(const json_t *obj, const char *key, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(obj, key), i, v) if (json_is_string(v) &&
                                                            strcmp(json_string_value(v), s) == 0)
        return true;
    return false;
}

static bool has_ident(const json_t *obj, const char *type, const char *value, const char *country)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(obj, "identifiers"), i, v)
    {
        const char *c = get_str(v, "country");
        if (strcmp(get_str(v, "type"), type) == 0 && strcmp(get_str(v, "value"), value) == 0 &&
            (country ? c && strcmp(c, country) == 0 : !c))
            return true;
    }
    return false;
}

TEST(entity_json_sample_whole)
{
    const char *paths[] = {"data/samples", NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    json_t *e = entity(eng, "us_ofac_sdn", "9345");
    if (e) {
        CHECK_STR(get_str(e, "list"), "us_ofac_sdn");
        CHECK_STR(get_str(e, "entity_id"), "9345");
        CHECK_STR(get_str(e, "kind"), "org");
        json_t *first = json_array_get(json_object_get(e, "names"), 0);
        CHECK_STR(get_str(first, "name"), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
        CHECK_STR(get_str(first, "type"), "primary");
        json_t *last = json_array_get(json_object_get(e, "names"),
                                      json_array_size(json_object_get(e, "names")) - 1);
        CHECK_STR(get_str(last, "name"), "KOMID");
        CHECK_STR(get_str(last, "type"), "weak_aka");
        CHECK(has_string(e, "addresses", "Central District, Pyongyang, Korea, North"));
        CHECK(has_string(e, "countries", "KP"));
        CHECK(has_string(e, "programs", "NPWMD"));
        CHECK(has_string(e, "programs", "DPRK2"));
        CHECK_CONTAINS(get_str(e, "remarks"), "Secondary sanctions risk");
        CHECK(json_is_null(json_object_get(e, "listed_on")));
        CHECK(json_is_array(json_object_get(e, "places_of_birth")));
        CHECK(json_is_array(json_object_get(e, "dates_of_birth")));
    }
    json_decref(e);
    xc_engine_close(eng);
}

TEST(entity_json_errors)
{
    const char *paths[] = {"data/samples", NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    char *out = (char *)"unchanged";
    xc_error err = {0};
    CHECK_INT(xc_entity_json(NULL, "us_ofac_sdn", "9345", &out, &err), XC_INVALID);
    CHECK(out == NULL);
    CHECK_INT(xc_entity_json(eng, NULL, "9345", &out, &err), XC_INVALID);
    CHECK_INT(xc_entity_json(eng, "us_ofac_sdn", NULL, &out, &err), XC_INVALID);
    CHECK_INT(xc_entity_json(eng, "us_ofac_sdn", "9345", NULL, &err), XC_INVALID);
    CHECK_INT(xc_entity_json(eng, "us_ofac_sdn", "123456789", &out, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "no entity '123456789'");
    CHECK(out == NULL);
    CHECK_INT(xc_entity_json(eng, "bogus_list", "9345", &out, &err), XC_NOTFOUND);
    CHECK_CONTAINS(err.message, "'bogus_list' is not loaded");
    xc_engine_close(eng);
    /* no lists at all: nothing to show is an error, not an empty object */
    xc_config cfg = {0};
    xc_engine *empty = xc_engine_open(&cfg, &err);
    if (empty) {
        CHECK_INT(xc_entity_json(empty, "us_ofac_sdn", "9345", &out, &err), XC_NODATA);
        xc_engine_close(empty);
    }
}

TEST(entity_json_real_ofac_csv)
{
    const char *dir = th_shared("data/lists/ofac");
    if (!dir)
        SKIP("no ../shared/data/lists/ofac");
    char sdn[4200], alt[4200], add[4200];
    snprintf(sdn, sizeof sdn, "%s/sdn.csv", dir);
    snprintf(alt, sizeof alt, "%s/alt.csv", dir);
    snprintf(add, sizeof add, "%s/add.csv", dir);
    const char *paths[] = {sdn, alt, add, NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    /* "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport 19820215" */
    json_t *e = entity(eng, "us_ofac_sdn", "2676");
    if (e) {
        CHECK(has_string(e, "places_of_birth", "Giza, Egypt"));
        CHECK(has_string(e, "dates_of_birth", "1951-06-19"));
        CHECK(has_ident(e, "Passport", "1084010", "Egypt"));
        CHECK(has_ident(e, "Passport", "19820215", NULL));
        CHECK(has_string(e, "programs", "SDGT"));
    }
    json_decref(e);
    /* "POB Nahia, Giza, Egypt; nationality Egypt": a nationality, not only a country */
    e = entity(eng, "us_ofac_sdn", "2677");
    if (e) {
        CHECK(has_string(e, "places_of_birth", "Nahia, Giza, Egypt"));
        CHECK(has_string(e, "nationalities", "EG"));
        CHECK(has_string(e, "countries", "EG"));
    }
    json_decref(e);
    xc_engine_close(eng);
}

TEST(entity_json_real_ofac_xml)
{
    const char *path = th_shared("data/lists/ofac-consolidated/consolidated.xml");
    if (!path)
        SKIP("no ../shared/data/lists/ofac-consolidated/consolidated.xml");
    const char *paths[] = {path, NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    json_t *e = entity(eng, "us_ofac_cons", "9639"); /* placeOfBirth Shati, dateOfBirth 1962 */
    if (e) {
        CHECK(has_string(e, "places_of_birth", "Shati"));
        CHECK(has_string(e, "dates_of_birth", "1962"));
        CHECK_STR(get_str(e, "list_version"), "2026-01-08");
    }
    json_decref(e);
    xc_engine_close(eng);
}

TEST(entity_json_real_un_and_snapshot)
{
    const char *path = th_shared("data/lists/un/consolidated.xml");
    if (!path)
        SKIP("no ../shared/data/lists/un/consolidated.xml");
    const char *paths[] = {path, NULL};
    const char *snap = th_tmp_path("snap");
    char *from_files = NULL;
    for (int round = 0; round < 3; round++) { /* parsed, written, then mapped from the snapshot */
        xc_engine *eng = th_open_paths(paths, round ? snap : NULL);
        CHECK(eng);
        if (!eng)
            return;
        if (round == 2)
            CHECK_INT(xc_engine_snapshot(eng)->state, XC_SNAPSHOT_LOADED);
        json_t *e = entity(eng, "un_sc", "6907995");
        if (e) {
            CHECK(has_string(e, "places_of_birth", "Musanze District, Northern Province, Rwanda"));
            CHECK(has_string(e, "places_of_birth", "Ruhengeri, Rwanda"));
            CHECK(has_string(e, "nationalities", "RW"));
            CHECK(has_string(e, "dates_of_birth", "1948"));
            CHECK_STR(get_str(e, "listed_on"), "2010-12-01");
        }
        json_decref(e);
        char *out = NULL;
        xc_error err = {0};
        CHECK_INT(xc_entity_json(eng, "un_sc", "6907995", &out, &err), XC_OK);
        if (round == 0)
            from_files = out;
        else {
            CHECK_STR(out, from_files);
            xc_free(out);
        }
        xc_engine_close(eng);
    }
    xc_free(from_files);
}

TEST(entity_json_real_csl)
{
    const char *path = th_shared("data/lists/us-csl/consolidated.csv");
    if (!path)
        SKIP("no ../shared/data/lists/us-csl/consolidated.csv");
    const char *paths[] = {path, NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    json_t *e = entity(eng, "us_csl_sdn", "26095"); /* places_of_birth "Tall 'Afar, Iraq" */
    if (e) {
        CHECK(has_string(e, "places_of_birth", "Tall 'Afar, Iraq"));
        CHECK(has_string(e, "nationalities", "IQ"));
    }
    json_decref(e);
    xc_engine_close(eng);
}

TEST(entity_json_real_eu_and_uk)
{
    const char *eu = th_shared("data/lists/eu-fsf/trimmed");
    if (!eu)
        SKIP("no ../shared/data/lists/eu-fsf/trimmed");
    char eu_path[4200];
    snprintf(eu_path, sizeof eu_path, "%s", eu);
    const char *uk = th_shared("data/lists/uk-ofsi/ConList.xlsx");
    if (!uk)
        SKIP("no ../shared/data/lists/uk-ofsi/ConList.xlsx");
    const char *paths[] = {eu_path, uk, NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    json_t *e = entity(eng, "eu_fsf", "13"); /* BirthDate_City "al-Awja, near Tikrit", IRAQ */
    if (e) {
        CHECK(has_string(e, "places_of_birth", "al-Awja, near Tikrit, IRAQ"));
        CHECK(has_string(e, "nationalities", "IQ"));
    }
    json_decref(e);
    e = entity(eng, "eu_fsf", "20"); /* country "UNKNOWN" is the EU's placeholder, not a place */
    if (e)
        CHECK(has_string(e, "places_of_birth", "Baghdad"));
    json_decref(e);
    e = entity(eng, "uk_ofsi", "13454"); /* Town of Birth, Country of Birth, Nationality */
    if (e) {
        CHECK(has_string(e, "places_of_birth", "Myonchon, North Hamgyong, North Korea"));
        CHECK(has_string(e, "nationalities", "KP"));
    }
    json_decref(e);
    xc_engine_close(eng);
}

TEST(result_json_carries_the_entity)
{
    const char *paths[] = {"data/samples", NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    xc_party party = {.name = "Korea Mining Development Trading Corporation"};
    xc_result *res = NULL;
    xc_error err = {0};
    CHECK_INT(xc_screen(eng, &party, NULL, &res, &err), XC_OK);
    CHECK(xc_result_count(res) >= 1);
    char *json = xc_result_json(res);
    json_t *obj = json ? json_loads(json, 0, NULL) : NULL;
    json_t *m = json_array_get(json_object_get(obj, "matches"), 0);
    json_t *e = json_object_get(m, "entity");
    CHECK(json_is_object(e));
    CHECK_STR(get_str(e, "entity_id"), get_str(m, "entity_id"));
    CHECK_STR(get_str(e, "list"), get_str(m, "list"));
    CHECK(has_string(e, "addresses", "Central District, Pyongyang, Korea, North"));
    /* the same object xc_entity_json gives */
    char *alone = NULL;
    CHECK_INT(xc_entity_json(eng, get_str(m, "list"), get_str(m, "entity_id"), &alone, &err),
              XC_OK);
    json_t *alone_obj = alone ? json_loads(alone, 0, NULL) : NULL;
    CHECK(alone_obj && json_equal(alone_obj, e));
    json_decref(alone_obj);
    xc_free(alone);
    json_decref(obj);
    xc_free(json);
    xc_result_free(res);
    xc_engine_close(eng);
}

TEST(cleanup)
{
    th_tmp_cleanup();
}
