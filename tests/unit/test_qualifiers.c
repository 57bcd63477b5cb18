/* test_qualifiers.c — qualifiers never hide a name (issue 11): a strong name is reported whatever
 * a date of birth or country conflict takes off, a bad dob or country is a field error in the
 * result rather than an unscreened party, bands follow the documented thresholds whatever the
 * threshold asked, and screen, parties import and decide read dates with one parser. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "base/base.h"

static xc_engine *sample(void)
{
    static xc_engine *eng;
    if (!eng) {
        const char *paths[] = {"data/samples", NULL};
        xc_config cfg = {.data_paths = paths};
        xc_error err = {0};
        eng = xc_engine_open(&cfg, &err);
        if (!eng)
            fprintf(stderr, "engine: %s\n", err.message);
    }
    return eng;
}

static xc_result *screen(const char *name, const char *dob, const char *country,
                         double threshold, xc_status *rc)
{
    xc_party party = {.name = name, .dob = dob, .country = country};
    xc_screen_opts opts = {.threshold = threshold};
    xc_result *res = NULL;
    xc_error err = {0};
    *rc = xc_screen(sample(), &party, &opts, &res, &err);
    return res;
}

static const xc_match *find(const xc_result *res, const char *entity_id)
{
    for (size_t i = 0; i < xc_result_count(res); i++)
        if (strcmp(xc_result_match(res, i)->entity_id, entity_id) == 0)
            return xc_result_match(res, i);
    return NULL;
}

TEST(strong_name_survives_a_dob_conflict)
{
    CHECK(sample());
    xc_status rc;
    /* KIM, Jong Un (sample 20157) was born in 1984: a wrong year costs 0.2, 1.0 -> 0.8, below
     * the 0.82 threshold. Before, the answer was "0 matches". */
    xc_result *res = screen("Kim Jong Un", "1974", NULL, 0, &rc);
    CHECK_INT(rc, XC_OK);
    const xc_match *m = find(res, "20157");
    CHECK(m != NULL);
    if (m) {
        CHECK_NEAR(m->name_score, 1.0, 1e-9);
        CHECK(m->score < XC_BAND_POSSIBLE);
        CHECK_STR(m->band, "possible"); /* never "weak" for a name strong on its own */
        CHECK_CONTAINS(m->qualifiers, "dob_year_mismatch");
    }
    xc_result_free(res);
    /* A raised threshold is still honoured: the name alone must reach it. */
    res = screen("Kim Jong Un", "1974", NULL, 0.99, &rc);
    CHECK_INT(rc, XC_OK);
    CHECK(find(res, "20157") != NULL);
    xc_result_free(res);
}

TEST(bad_dob_or_country_is_a_field_error_not_a_lost_party)
{
    static const char *const bad_dobs[] = {"1968-13-30", "1968-02-30", "30/12/1968", "19xx", "1968-1-5"};
    for (size_t i = 0; i < sizeof bad_dobs / sizeof bad_dobs[0]; i++) {
        xc_status rc;
        xc_result *res = screen("Kim Jong Un", bad_dobs[i], "QQ", 0, &rc);
        CHECK_INT(rc, XC_OK);
        CHECK(find(res, "20157") != NULL); /* screened by name */
        CHECK_INT(xc_result_warning_count(res) >= 2, 1);
        bool dob_said = false, country_said = false;
        for (size_t w = 0; w < xc_result_warning_count(res); w++) {
            const char *text = xc_result_warning(res, w);
            dob_said |= strncmp(text, "dob:", 4) == 0;
            country_said |= strncmp(text, "country:", 8) == 0;
        }
        CHECK(dob_said);
        CHECK(country_said);
        char *json = xc_result_json(res);
        CHECK_CONTAINS(json, "\"field_errors\":[{\"field\":\"dob\",\"code\":\"XC_INVALID\"");
        CHECK_CONTAINS(json, "{\"field\":\"country\",\"code\":\"XC_INVALID\"");
        xc_free(json);
        xc_result_free(res);
    }
    /* A valid dob and country give no field error. */
    xc_status rc;
    xc_result *res = screen("Kim Jong Un", "1984-01-08", "KP", 0, &rc);
    CHECK_INT(rc, XC_OK);
    char *json = xc_result_json(res);
    CHECK(strstr(json, "field_errors") == NULL);
    xc_free(json);
    xc_result_free(res);
}

TEST(bands_follow_the_documented_thresholds)
{
    xc_status rc;
    xc_result *res = screen("Korea Bank", NULL, NULL, 0.3, &rc);
    CHECK_INT(rc, XC_OK);
    size_t below = 0;
    for (size_t i = 0; i < xc_result_count(res); i++) {
        const xc_match *m = xc_result_match(res, i);
        const char *want = m->score >= XC_BAND_STRONG     ? "strong"
                           : m->score >= XC_BAND_POSSIBLE ? "possible"
                           : m->name_score >= XC_BAND_STRONG ? "possible"
                                                             : "weak";
        CHECK_STR(m->band, want);
        below += m->score < XC_BAND_POSSIBLE;
    }
    CHECK(below > 0); /* the lowered threshold did let weaker matches through */
    xc_result_free(res);
}

/* One parser: the strings xc_screen takes as a dob are the ones parties import takes. */
TEST(one_date_parser_for_screen_and_import)
{
    static const struct {
        const char *text;
        bool ok;
    } cases[] = {{"1968", true},        {"1968-02", true},     {"1968-02-29", true},
                 {"1969-02-29", false}, {"1968-13-30", false}, {"1968-00", false},
                 {"68", false},         {"1968/02/01", false}, {"1968-02-01T00", false},
                 {"1700", false},       {"", false}};
    char dir[] = "/tmp/xc_qual_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[256], db[256];
    snprintf(csv, sizeof csv, "%s/p.csv", dir);
    snprintf(db, sizeof db, "%s/x.db", dir);
    FILE *f = fopen(csv, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "id,name,dob\n");
    size_t want_ok = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!*cases[i].text)
            continue; /* an empty dob in a CSV means "not given" */
        fprintf(f, "p%zu,Somebody %zu,%s\n", i, i, cases[i].text);
        want_ok += cases[i].ok;
        xc__pdate d;
        if (xc__query_date_parse(cases[i].text, &d) != cases[i].ok)
            TH_FAIL("xc__query_date_parse(%s) != %d", cases[i].text, cases[i].ok);
        xc_status rc;
        xc_result *res = screen("Kim Jong Un", cases[i].text, NULL, 0, &rc);
        CHECK_INT(rc, XC_OK);
        char *json = xc_result_json(res);
        if ((strstr(json, "\"field\":\"dob\"") == NULL) != cases[i].ok)
            TH_FAIL("xc_screen dob '%s': field error %s", cases[i].text,
                    cases[i].ok ? "given" : "missing");
        xc_free(json);
        xc_result_free(res);
    }
    fclose(f);
    xc_error err = {0};
    xc_store *store = xc_store_open(db, &err);
    CHECK(store != NULL);
    size_t imported = 0, skipped = 0;
    char *issues = NULL;
    CHECK_INT(xc_store_parties_import_csv(store, csv, &imported, &skipped, &issues, &err), XC_OK);
    CHECK_INT(imported, want_ok);
    xc_free(issues);
    xc_store_close(store);
    unlink(csv);
    unlink(db);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", db);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", db);
    unlink(wal);
    rmdir(dir);
}


