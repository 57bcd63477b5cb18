/* test_ident.c — identifiers screen too: a query id equal (after normalising) to one a list
 * carries is a strong match whatever the name says (IMO of a listed vessel, SWIFT/BIC, an OFAC
 * digital currency address, a UN passport, the CSL's "IMO nnnnnnn" values), a typed id never
 * matches a listed id of another kind, bad ids are errors, and the index works the same from a
 * snapshot. */
#include <stdbool.h>

#include "harness.h"
#include "match/ident.h"
#include "xcheck.h"

static xc_engine *ofac(void)
{
    static xc_engine *eng;
    static bool tried;
    if (!tried) {
        tried = true;
        const char *dir = th_shared("data/lists/ofac");
        if (dir) {
            static char sdn[4200], alt[4200], add[4200];
            snprintf(sdn, sizeof sdn, "%s/sdn.csv", dir);
            snprintf(alt, sizeof alt, "%s/alt.csv", dir);
            snprintf(add, sizeof add, "%s/add.csv", dir);
            const char *paths[] = {sdn, alt, add, NULL};
            eng = th_open_paths(paths, NULL);
        }
    }
    return eng;
}

/* Screens name with the given ids; returns the result (NULL on error, status in *rc). */
static xc_result *screen_ids(const xc_engine *eng, const char *name, const char *const *ids,
                             const char *const *lists, xc_status *rc, xc_error *err)
{
    xc_party party = {.name = name, .ids = ids};
    xc_screen_opts opts = {.lists = lists};
    xc_result *res = NULL;
    *rc = xc_screen(eng, &party, &opts, &res, err);
    return res;
}

/* The one match of name+ids must be entity list:id, strong at 1.0, by identifier. */
static void expect_id_hit(const xc_engine *eng, const char *name, const char *id,
                          const char *list, const char *entity_id, const char *listed_value)
{
    const char *ids[] = {id, NULL};
    xc_status rc;
    xc_error err = {0};
    xc_result *res = screen_ids(eng, name, ids, NULL, &rc, &err);
    CHECK_INT(rc, XC_OK);
    const xc_match *m = xc_result_match(res, 0);
    CHECK(m != NULL);
    if (m) {
        CHECK_STR(m->list, list);
        CHECK_STR(m->entity_id, entity_id);
        CHECK_STR(m->band, "strong");
        CHECK_NEAR(m->score, 1.0, 1e-9);
        CHECK_STR(m->id_query, id);
        CHECK_STR(m->id_value, listed_value);
        CHECK(m->name_score < XC_BAND_POSSIBLE); /* the name alone would not have found it */
    }
    xc_result_free(res);
    /* without the id, the same name finds nothing there */
    res = screen_ids(eng, name, NULL, NULL, &rc, &err);
    for (size_t i = 0; i < xc_result_count(res); i++)
        CHECK(strcmp(xc_result_match(res, i)->entity_id, entity_id) != 0);
    xc_result_free(res);
}

static size_t count_ids(const xc_engine *eng, const char *name, const char *id)
{
    const char *ids[] = {id, NULL};
    xc_status rc;
    xc_error err = {0};
    xc_result *res = screen_ids(eng, name, ids, NULL, &rc, &err);
    CHECK_INT(rc, XC_OK);
    size_t n = 0;
    for (size_t i = 0; i < xc_result_count(res); i++)
        n += xc_result_match(res, i)->id_query != NULL;
    xc_result_free(res);
    return n;
}

TEST(id_normalise_and_classes)
{
    char out[64];
    CHECK_INT(xc__id_normalise(" a-01.81 988/", 13, out, sizeof out), 8);
    CHECK_STR(out, "A0181988");
    CHECK_INT(xc__id_normalise("---", 3, out, sizeof out), 0);
    CHECK_INT(xc__id_normalise("ABCDEFGH", 8, out, 5), 0); /* does not fit: nothing */
    CHECK_INT(xc__id_class_of_listed("Vessel Registration Identification IMO"), XC__ID_IMO);
    CHECK_INT(xc__id_class_of_listed("SWIFT/BIC"), XC__ID_SWIFT);
    CHECK_INT(xc__id_class_of_listed("Digital Currency Address - XBT"), XC__ID_CRYPTO);
    CHECK_INT(xc__id_class_of_listed("Passport"), XC__ID_PASSPORT);
    CHECK_INT(xc__id_class_of_listed("National ID No."), XC__ID_NATIONAL);
    CHECK_INT(xc__id_class_of_listed("Tax ID No."), XC__ID_TAX);
    CHECK_INT(xc__id_class_of_listed("Registration Number"), XC__ID_REGISTRATION);
    CHECK_INT(xc__id_class_of_listed("Continental code"), XC__ID_OTHER); /* no TIN word */
    xc__id_class c;
    CHECK(xc__id_class_of_query("BIC", 3, &c) && c == XC__ID_SWIFT);
    CHECK(xc__id_class_of_query("Call Sign", 9, &c) && c == XC__ID_CALL_SIGN);
    CHECK(!xc__id_class_of_query("shoe_size", 9, &c));
}

TEST(id_bad_query_ids_are_errors)
{
    const char *paths[] = {"data/samples", NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    xc_status rc;
    xc_error err = {0};
    const char *unknown[] = {"shoe:123456", NULL};
    CHECK(screen_ids(eng, "x", unknown, NULL, &rc, &err) == NULL);
    CHECK_INT(rc, XC_INVALID);
    CHECK_CONTAINS(err.message, "ids[0]: unknown identifier type 'shoe'");
    const char *shortid[] = {"imo:9187629", "passport:A-1", NULL};
    CHECK(screen_ids(eng, "x", shortid, NULL, &rc, &err) == NULL);
    CHECK_INT(rc, XC_INVALID);
    CHECK_CONTAINS(err.message, "ids[1]");
    const char *many[18];
    for (int i = 0; i < 17; i++)
        many[i] = "imo:9187629";
    many[17] = NULL;
    CHECK(screen_ids(eng, "x", many, NULL, &rc, &err) == NULL);
    CHECK_INT(rc, XC_TOOBIG);
    const char *bad_utf8[] = {"passport:AB\xC3", NULL};
    CHECK(screen_ids(eng, "x", bad_utf8, NULL, &rc, &err) == NULL);
    CHECK_INT(rc, XC_UTF8);
    xc_engine_close(eng);
}

TEST(id_sample_imo_and_swift)
{
    const char *paths[] = {"data/samples", NULL};
    xc_engine *eng = th_open_paths(paths, NULL);
    CHECK(eng);
    if (!eng)
        return;
    /* the bundled sample's vessel with IMO 9187629, found by its number alone */
    const char *imo[] = {"IMO:918-7629", NULL};
    xc_status rc;
    xc_error err = {0};
    xc_result *res = screen_ids(eng, "Zzyzx Qwerty", imo, NULL, &rc, &err);
    CHECK_INT(rc, XC_OK);
    CHECK_INT(xc_result_count(res), 1);
    char *json = xc_result_json(res);
    CHECK_CONTAINS(json, "\"identifier\":{\"how\":\"identifier\",\"query\":\"IMO:918-7629\","
                         "\"type\":\"IMO\",\"value\":\"9187629\"}");
    CHECK_CONTAINS(json, "\"ids\":[\"IMO:918-7629\"]");
    xc_free(json);
    xc_result_free(res);
    CHECK_INT(count_ids(eng, "Nobody", "swift_bic:ftbd kp py"), 1);
    xc_engine_close(eng);
}

TEST(id_real_ofac_imo_swift_crypto)
{
    xc_engine *eng = ofac();
    if (!eng)
        SKIP("no ../shared/data/lists/ofac");
    /* "Vessel Registration Identification IMO 9187629" of the tanker ARTAVIL */
    expect_id_hit(eng, "Zzyzx Qwerty", "imo:9187629", "us_ofac_sdn", "15036", "9187629");
    /* "SWIFT/BIC KDBKKPPY" of KOREA DAESONG BANK, written with a hyphen, space, lower case */
    expect_id_hit(eng, "Nonsense Name", "bic:kdbk-kp py", "us_ofac_sdn", "12312", "KDBKKPPY");
    /* "Digital Currency Address - XBT 12QtD5BF..." in the remarks, given bare */
    expect_id_hit(eng, "Nobody At All", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h", "us_ofac_sdn",
                  "25308", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h");
    expect_id_hit(eng, "Nobody At All", "wallet:12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h",
                  "us_ofac_sdn", "25308", "12QtD5BFwRsdNsAZY76UVE1xyCGNTojH9h");
}

TEST(id_wrong_type_does_not_match)
{
    xc_engine *eng = ofac();
    if (!eng)
        SKIP("no ../shared/data/lists/ofac");
    CHECK_INT(count_ids(eng, "Zzyzx Qwerty", "passport:9187629"), 0); /* an IMO number */
    CHECK_INT(count_ids(eng, "Zzyzx Qwerty", "imo:KDBKKPPY"), 0);      /* a BIC */
    CHECK_INT(count_ids(eng, "Zzyzx Qwerty", "9187629"), 1);           /* no type: any */
    CHECK_INT(count_ids(eng, "Zzyzx Qwerty", "imo:9187620"), 0);       /* exact, not close */
    /* the list filter applies to identifier matches too */
    const char *ids[] = {"imo:9187629", NULL};
    const char *lists[] = {"un_sc", NULL};
    xc_status rc;
    xc_error err = {0};
    xc_result *res = screen_ids(eng, "Zzyzx Qwerty", ids, lists, &rc, &err);
    CHECK_INT(xc_result_count(res), 0);
    xc_result_free(res);
}

static void expect_un_passport(const xc_engine *eng)
{
    expect_id_hit(eng, "Qqqq Xxxx", "passport:OB0243318", "un_sc", "6908012", "OB 0243318");
}

TEST(id_real_un_passport_and_csl_imo_through_snapshot)
{
    const char *un = th_shared("data/lists/un/consolidated.xml");
    char un_path[4200];
    if (!un)
        SKIP("no ../shared/data/lists/un/consolidated.xml");
    snprintf(un_path, sizeof un_path, "%s", un);
    const char *csl = th_shared("data/lists/us-csl/consolidated.csv");
    if (!csl)
        SKIP("no ../shared/data/lists/us-csl/consolidated.csv");
    const char *paths[] = {un_path, csl, NULL};
    const char *snap = th_tmp_path("snap");
    for (int round = 0; round < 2; round++) { /* parsed and written, then mapped */
        xc_engine *eng = th_open_paths(paths, snap);
        CHECK(eng);
        if (!eng)
            return;
        CHECK_INT(xc_engine_snapshot(eng)->state,
                  round ? XC_SNAPSHOT_LOADED : XC_SNAPSHOT_WRITTEN);
        /* UN 6908012 (FLORIBERT NGABU NJABU): Passport "OB 0243318" */
        expect_un_passport(eng);
        const char *ids[] = {"imo:8898831", NULL}; /* CSL: "IMO 8898831, Vessel Registration" */
        xc_status rc;
        xc_error err = {0};
        xc_result *res = screen_ids(eng, "Qqqq Xxxx", ids, NULL, &rc, &err);
        CHECK_INT(rc, XC_OK);
        const xc_match *m = xc_result_match(res, 0);
        CHECK(m && m->id_query && strcmp(m->list, "us_csl_sdn") == 0);
        xc_result_free(res);
        xc_engine_close(eng);
    }
}

TEST(cleanup)
{
    th_tmp_cleanup();
}
