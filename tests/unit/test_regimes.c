/*
 * test_regimes.c — licence determination: hand-written expectations for the headline dated
 * changes (the test fails if the data or the code is wrong), a loop generated from the data that
 * decides the day before and the day of every dated change for every jurisdiction, the rule that
 * missing data and unknown codes never give no_licence_required, and input errors naming the
 * field. Uses a hand-built engine with the embedded regime data and no lists.
 */
#include <jansson.h>

#include "harness.h"
#include "match/engine.h"
#include "regimes/tables.h"

static struct xc_engine engine;
static bool engine_ready;

static struct xc_engine *eng(void)
{
    if (!engine_ready) {
        xc_error err = {0};
        memset(&engine, 0, sizeof engine);
        if (xc__regimes_open(&engine.regimes, NULL, &err) != XC_OK) {
            fprintf(stderr, "regimes_open: %s\n", err.message);
            return NULL;
        }
        engine_ready = true;
    }
    return &engine;
}

typedef struct result {
    xc__decision d;
    xc__shipment s;
    xc__arena *arena;
} result;

/* Decides the first item of a shipment written as JSON with '\'' for '"'. */
static bool decide(const char *json_sq, result *r)
{
    char json[2048];
    size_t n = 0;
    for (; json_sq[n] && n < sizeof json - 1; n++)
        json[n] = json_sq[n] == '\'' ? '"' : json_sq[n];
    json[n] = 0;
    xc_error err = {0};
    r->arena = xc__arena_new(4096);
    if (xc__shipment_parse(eng()->regimes, json, n, r->arena, &r->s, &err) != XC_OK) {
        fprintf(stderr, "parse: %s\n", err.message);
        xc__arena_free(r->arena);
        return false;
    }
    xc__decide_item(eng()->regimes, &r->s, &r->s.items[0], &r->d);
    return true;
}

static bool has_rule(const xc__decision *d, const char *rule)
{
    for (int i = 0; i < d->reason_count; i++)
        if (strcmp(d->reasons[i].fact->rule, rule) == 0)
            return true;
    return false;
}

#define L(k) (1u << (k))
#define IND L(XC__LIC_INDIVIDUAL)
#define GB L(XC__LIC_GENERAL_BULK)
#define SGB L(XC__LIC_SPECIAL_GENERAL_BULK)

/* JP -> KR fluorinated polyimide on a date: outcome and licence kinds. */
static void expect_jp(const char *code, const char *dest, const char *date, int outcome,
                      uint32_t licences, const char *rule)
{
    char json[512];
    snprintf(json, sizeof json,
             "{'date':'%s','exporter':'JP','destination':'%s','items':[{'jurisdiction':'JP',"
             "'code':'%s'}],'end_use':'civil'}",
             date, dest, code);
    result r;
    if (!decide(json, &r)) {
        TH_FAIL("decide failed for %s %s %s", code, dest, date);
        return;
    }
    if (r.d.outcome != outcome || r.d.licences != licences)
        TH_FAIL("JP %s -> %s on %s: outcome %s licences 0x%x, expected %s 0x%x", code, dest, date,
                xc__outcome_name(r.d.outcome), r.d.licences, xc__outcome_name(outcome), licences);
    if (rule && !has_rule(&r.d, rule))
        TH_FAIL("JP %s -> %s on %s: no reason %s", code, dest, date, rule);
    xc__arena_free(r.arena);
}

TEST(loads_embedded_data)
{
    CHECK(eng() != NULL);
    if (!eng())
        return;
    const xc__regimes *reg = eng()->regimes;
    CHECK(reg->us_entry_count > 600);
    CHECK(reg->member_count > 500);
    CHECK(reg->event_count >= 20);
    size_t n;
    xc__regimes_boundaries(reg, &n);
    CHECK(n >= 10);
}

TEST(headline_polyimide_to_korea)
{
    const int LR = XC__OUT_LICENCE;
    expect_jp("5(17)", "KR", "2019-07-03", LR, IND | GB | SGB, NULL);
    expect_jp("5(17)", "KR", "2019-07-04", LR, IND, "jp.licence");
    expect_jp("5(17)", "KR", "2019-08-27", LR, IND, NULL);
    expect_jp("5(17)", "KR", "2019-08-28", LR, IND, "jp.group");
    expect_jp("5(17)", "KR", "2023-03-22", LR, IND, NULL);
    expect_jp("5(17)", "KR", "2023-03-23", LR, IND | SGB, NULL);
    expect_jp("5(17)", "KR", "2023-07-20", LR, IND | SGB, NULL);
    expect_jp("5(17)", "KR", "2023-07-21", LR, IND | GB | SGB, NULL);
    /* the other two items follow the same measure */
    expect_jp("3(1)", "KR", "2019-07-04", LR, IND, NULL);
    expect_jp("7(19)", "KR", "2023-03-23", LR, IND | SGB, NULL);
    /* resist: the 2019-12-20 specific bulk report is secondary: a reason, not a licence */
    expect_jp("7(19)", "KR", "2019-12-20", LR, IND, "jp.licence");
    /* a row given without paragraph is treated conservatively during the measure */
    expect_jp("5", "KR", "2020-01-01", LR, IND, "jp.row_without_paragraph");
}

TEST(headline_machine_tool_general_bulk)
{
    const int LR = XC__OUT_LICENCE;
    expect_jp("6", "KR", "2019-08-27", LR, IND | GB | SGB, NULL);
    expect_jp("6", "KR", "2019-08-28", LR, IND | SGB, NULL);
    expect_jp("6", "KR", "2023-07-20", LR, IND | SGB, NULL);
    expect_jp("6", "KR", "2023-07-21", LR, IND | GB | SGB, NULL);
    expect_jp("6", "US", "2020-01-01", LR, IND | GB, NULL);
    expect_jp("6", "CN", "2020-01-01", LR, IND, "jp.group_c");
    /* Group A lists are observed from 2019-08-02 on: earlier membership is uncertain */
    expect_jp("6", "US", "2019-08-01", XC__OUT_INDETERMINATE, IND, "jp.group");
    expect_jp("6", "US", "2019-08-02", LR, IND | GB, "jp.group");
}

TEST(japan_catch_all_and_embargo)
{
    const int NLR = XC__OUT_NLR, LR = XC__OUT_LICENCE;
    expect_jp("16", "KR", "2019-08-27", NLR, 0, "jp.catchall");
    expect_jp("16", "KR", "2019-08-28", NLR, 0, "jp.catchall_use_clear");
    result r;
    CHECK(decide("{'date':'2019-08-28','exporter':'JP','destination':'KR','items':[{"
                 "'jurisdiction':'JP','code':'16'}],'end_use':'military'}", &r));
    CHECK_INT(r.d.outcome, LR);
    CHECK(has_rule(&r.d, "jp.catchall_use"));
    xc__arena_free(r.arena);
    CHECK(decide("{'date':'2023-07-21','exporter':'JP','destination':'KR','items':[{"
                 "'jurisdiction':'JP','code':'16'}],'end_use':'military'}", &r));
    CHECK_INT(r.d.outcome, NLR); /* Group A: objective requirement excluded */
    xc__arena_free(r.arena);
    /* inform requirement for Group A from 2025-10-09 */
    CHECK(decide("{'date':'2025-10-08','exporter':'JP','destination':'US','items':[{"
                 "'jurisdiction':'JP','code':'16'}],'informed':true}", &r));
    CHECK_INT(r.d.outcome, NLR);
    xc__arena_free(r.arena);
    CHECK(decide("{'date':'2025-10-09','exporter':'JP','destination':'US','items':[{"
                 "'jurisdiction':'JP','code':'16'}],'informed':true}", &r));
    CHECK_INT(r.d.outcome, LR);
    CHECK_INT(r.d.licences, IND);
    CHECK(has_rule(&r.d, "jp.catchall_informed"));
    xc__arena_free(r.arena);
    /* North Korea: total ban from 2009-06-16 */
    expect_jp("6", "KP", "2009-06-15", LR, IND, NULL);
    expect_jp("6", "KP", "2009-06-16", XC__OUT_PROHIBITED, 0, "jp.embargo");
    expect_jp("16", "KP", "2020-01-01", XC__OUT_PROHIBITED, 0, "jp.embargo");
}

TEST(korea_regions)
{
    static const struct {
        const char *date, *region;
        bool comprehensive;
    } cases[] = {{"2019-09-17", "Ga", true},
                 {"2019-09-18", "Ga-2", false},
                 {"2023-04-23", "Ga-2", false},
                 {"2023-04-24", "Ga", true}};
    for (size_t i = 0; i < XC__ARRAY_LEN(cases); i++) {
        char json[300];
        snprintf(json, sizeof json,
                 "{'date':'%s','exporter':'KR','destination':'JP','items':[{'jurisdiction':'KR',"
                 "'code':'3C002'}]}", cases[i].date);
        result r;
        CHECK(decide(json, &r));
        CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
        CHECK_INT((r.d.licences & L(XC__LIC_COMPREHENSIVE)) != 0, cases[i].comprehensive);
        bool found = false;
        for (int k = 0; k < r.d.reason_count; k++)
            if (strcmp(r.d.reasons[k].fact->rule, "kr.region") == 0)
                found = strstr(r.d.reasons[k].fact->text, cases[i].region) != NULL;
        if (!found)
            TH_FAIL("KR->JP on %s: region %s not in reasons", cases[i].date, cases[i].region);
        xc__arena_free(r.arena);
    }
    /* another destination: region not verified, Na procedure assumed */
    result r;
    CHECK(decide("{'date':'2024-01-01','exporter':'KR','destination':'DE','items':[{"
                 "'jurisdiction':'KR','code':'2B001'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK_INT(r.d.licences, IND);
    CHECK(has_rule(&r.d, "kr.region_unverified"));
    xc__arena_free(r.arena);
}

TEST(us_ear_rules)
{
    result r;
    CHECK(decide("{'date':'2026-07-23','exporter':'US','destination':'CN','items':[{"
                 "'jurisdiction':'US','code':'3C002.a','value':1000}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK_INT(r.d.licences, L(XC__LIC_BIS_LICENCE)); /* CN not in Country Group B */
    CHECK(!has_rule(&r.d, "us.edition"));
    xc__arena_free(r.arena);
    CHECK(decide("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{"
                 "'jurisdiction':'US','code':'1C009.b'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_NLR);
    CHECK_INT(r.d.licences, L(XC__LIC_NLR));
    CHECK(has_rule(&r.d, "us.reexport"));
    CHECK(has_rule(&r.d, "us.edition"));
    xc__arena_free(r.arena);
    /* NS2 to a Country Group B destination with an X: LVS within the limit, GBS for 3C002.a */
    CHECK(decide("{'date':'2026-07-23','exporter':'US','destination':'IN','items':[{"
                 "'jurisdiction':'US','code':'3C002.a','value':1000,'currency':'USD'}]}", &r));
    if (r.d.outcome == XC__OUT_LICENCE) {
        CHECK(r.d.licences & L(XC__LIC_LVS));
        CHECK(r.d.licences & L(XC__LIC_GBS));
    } else {
        CHECK_INT(r.d.outcome, XC__OUT_NLR); /* India's row without NS2 */
    }
    xc__arena_free(r.arena);
    static const char *const embargoed[] = {"CU", "IR", "KP", "SY"};
    for (size_t i = 0; i < 4; i++) {
        char json[300];
        for (int ear99 = 0; ear99 < 2; ear99++) {
            snprintf(json, sizeof json,
                     "{'date':'2026-07-23','exporter':'US','destination':'%s','items':[{"
                     "'jurisdiction':'US','code':'%s'}]}", embargoed[i], ear99 ? "EAR99" : "3C002");
            CHECK(decide(json, &r));
            if (r.d.outcome != XC__OUT_PROHIBITED && r.d.outcome != XC__OUT_INDETERMINATE)
                TH_FAIL("US -> %s (%s): %s", embargoed[i], ear99 ? "EAR99" : "3C002",
                        xc__outcome_name(r.d.outcome));
            CHECK(!(r.d.licences & L(XC__LIC_NLR)));
            xc__arena_free(r.arena);
        }
    }
    CHECK(decide("{'date':'2026-07-23','exporter':'US','destination':'GB','items':[{"
                 "'jurisdiction':'US','code':'0A983'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK(has_rule(&r.d, "us.all_destinations"));
    xc__arena_free(r.arena);
    /* Hong Kong follows China's row */
    CHECK(decide("{'date':'2026-07-23','exporter':'US','destination':'HK','items':[{"
                 "'jurisdiction':'US','code':'3C002'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    xc__arena_free(r.arena);
}

TEST(eu_rules)
{
    result r;
    CHECK(decide("{'date':'2021-09-08','exporter':'DE','destination':'JP','items':[{"
                 "'jurisdiction':'EU','code':'3C002'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_INDETERMINATE);
    xc__arena_free(r.arena);
    CHECK(decide("{'date':'2021-09-09','exporter':'EU','destination':'JP','items':[{"
                 "'jurisdiction':'EU','code':'1C350'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK_INT(r.d.licences, IND | L(XC__LIC_EU001));
    xc__arena_free(r.arena);
    CHECK(decide("{'date':'2024-01-01','exporter':'FR','destination':'KR','items':[{"
                 "'jurisdiction':'EU','code':'1C009.b'}]}", &r));
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK_INT(r.d.licences, IND); /* KR is not EU001; EU002 uncertain: reason only */
    CHECK(has_rule(&r.d, "eu.ugea"));
    xc__arena_free(r.arena);
}

/* Unknown codes, missing data and unverified facts never give no_licence_required. */
TEST(unknown_and_missing_never_nlr)
{
    static const char *const cases[] = {
        "{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'17'}]}",
        "{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'5(x)'}]}",
        "{'date':'2024-01-01','exporter':'US','destination':'JP','items':[{'jurisdiction':'JP','code':'6'}]}",
        "{'date':'2024-01-01','exporter':'KR','destination':'JP','items':[{'jurisdiction':'KR','code':'EAR99'}]}",
        "{'date':'2024-01-01','exporter':'KR','destination':'JP','items':[{'jurisdiction':'KR','code':'3A991'}]}",
        "{'date':'2024-01-01','exporter':'US','destination':'JP','items':[{'jurisdiction':'US','code':'9Z999'}]}",
        "{'date':'2024-01-01','exporter':'US','destination':'JP','items':[{'jurisdiction':'US','code':'3C999'}]}",
        "{'date':'2024-01-01','exporter':'US','destination':'AQ','items':[{'jurisdiction':'US','code':'EAR99'}]}",
        "{'date':'2024-01-01','exporter':'US','destination':'RU','items':[{'jurisdiction':'US','code':'EAR99'}]}",
        "{'date':'2024-01-01','exporter':'DE','destination':'JP','items':[{'jurisdiction':'EU','code':'2B001'}]}",
        "{'date':'2024-01-01','exporter':'DE','destination':'FR','items':[{'jurisdiction':'EU','code':'3C002'}]}",
        "{'date':'2024-01-01','exporter':'DE','destination':'RU','items':[{'jurisdiction':'EU','code':'3C002'}]}",
        "{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'EU','code':'3C002'}]}",
        "{'date':'2024-01-01','exporter':'JP','destination':'CN','items':[{'jurisdiction':'JP','code':'16'}],'parties':[{'name':'Acme'}]}",
        "{'date':'2024-01-01','exporter':'US','destination':'JP','items':[{'jurisdiction':'US','code':'EAR99'}],'parties':[{'name':'Acme'}]}",
    };
    for (size_t i = 0; i < XC__ARRAY_LEN(cases); i++) {
        result r;
        if (!decide(cases[i], &r)) {
            TH_FAIL("case %zu did not parse", i);
            continue;
        }
        if (r.d.outcome != XC__OUT_INDETERMINATE)
            TH_FAIL("case %zu: %s, expected indeterminate", i, xc__outcome_name(r.d.outcome));
        xc__arena_free(r.arena);
    }
}

static void expect_error(const char *json_sq, xc_status code, const char *field)
{
    char json[1024];
    size_t n = 0;
    for (; json_sq[n] && n < sizeof json - 1; n++)
        json[n] = json_sq[n] == '\'' ? '"' : json_sq[n];
    json[n] = 0;
    xc_error err = {0};
    char *out = NULL;
    xc_status rc = xc_decide_json(eng(), json, n, &out, &err);
    if (rc != code)
        TH_FAIL("%s: status %s, expected %s", json, xc_status_name(rc), xc_status_name(code));
    else if (field && !strstr(err.message, field))
        TH_FAIL("%s: message '%s' does not name %s", json, err.message, field);
    CHECK(out == NULL);
    xc_free(out);
}

TEST(bad_input_names_the_field)
{
    expect_error("{'date':'2024-01-0", XC_PARSE, "line");
    expect_error("[1,2]", XC_PARSE, "object");
    expect_error("{'date':'2024-02-30','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'6'}]}", XC_INVALID, "date");
    expect_error("{'exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'6'}]}", XC_INVALID, "date");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'XX','items':[{'jurisdiction':'JP','code':'6'}]}", XC_INVALID, "destination");
    expect_error("{'date':'2024-01-01','exporter':'ZZ','destination':'KR','items':[{'jurisdiction':'JP','code':'6'}]}", XC_INVALID, "exporter");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[]}", XC_INVALID, "items");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'CN','code':'6'}]}", XC_INVALID, "items[0].jurisdiction");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP'}]}", XC_INVALID, "items[0].code");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'6','value':-1}]}", XC_INVALID, "items[0].value");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'6'}],'licences_held':['gold']}", XC_INVALID, "licences_held[0]");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'6'}],'end_use':'peaceful'}", XC_INVALID, "end_use");
    expect_error("{'date':'2024-01-01','exporter':'JP','destination':'KR','items':[{'jurisdiction':'JP','code':'6'}],'parties':[{'name':'A','country':'QQ'}]}", XC_INVALID, "parties[0].country");
    xc_error err = {0};
    char *out = NULL;
    CHECK_INT(xc_groups_render(eng(), "JP", "KR", "2024-13-01", XC_FORMAT_JSON, &out, &err),
              XC_INVALID);
    CHECK_CONTAINS(err.message, "date");
    CHECK_INT(xc_groups_render(eng(), "CN", "KR", "2024-01-01", XC_FORMAT_JSON, &out, &err),
              XC_INVALID);
    CHECK_CONTAINS(err.message, "jurisdiction");
    CHECK_INT(xc_timeline_render(eng(), "JP", "K1", XC_FORMAT_JSON, &out, &err), XC_INVALID);
    CHECK_CONTAINS(err.message, "b:");
}

TEST(public_json_shapes)
{
    const char *json = "{\"date\":\"2023-07-21\",\"exporter\":\"JP\",\"destination\":\"KR\",\"items\":"
                       "[{\"jurisdiction\":\"JP\",\"code\":\"5(17)\",\"description\":\"fluorinated "
                       "polyimide\"}],\"licences_held\":[\"general_bulk\"]}";
    xc_error err = {0};
    char *out = NULL;
    CHECK_INT(xc_decide_json(eng(), json, strlen(json), &out, &err), XC_OK);
    CHECK_CONTAINS(out, "\"outcome\":\"licence_required\"");
    CHECK_CONTAINS(out, "\"covered_by\":[\"general_bulk\"]");
    CHECK_CONTAINS(out, "\"citation\":\"S-JP-2023-0627;S-JP-2023-0630\"");
    json_error_t jerr;
    json_t *parsed = json_loads(out, 0, &jerr);
    CHECK(parsed != NULL);
    json_decref(parsed);
    xc_free(out);
    /* --between: the four dates of the headline, no others */
    CHECK_INT(xc_decide_between_json(eng(), json, strlen(json), "2019-01-01", "2024-12-31", &out,
                                     &err), XC_OK);
    parsed = json_loads(out ? out : "", 0, &jerr);
    CHECK(parsed != NULL);
    json_t *iv = json_object_get(parsed, "intervals");
    CHECK_INT(json_array_size(iv), 5);
    static const char *const starts[] = {"2019-01-01", "2019-07-04", "2019-08-28", "2023-03-23",
                                         "2023-07-21"};
    for (size_t i = 0; i < 5 && i < json_array_size(iv); i++)
        CHECK_STR(json_string_value(json_object_get(json_array_get(iv, i), "valid_from")),
                  starts[i]);
    json_decref(parsed);
    xc_free(out);
    CHECK_INT(xc_groups_render(eng(), "JP", "KR", "2020-01-01", XC_FORMAT_JSON, &out, &err), XC_OK);
    CHECK_CONTAINS(out, "\"group\":\"B\"");
    xc_free(out);
    CHECK_INT(xc_timeline_render(eng(), "JP", "KR", XC_FORMAT_JSON, &out, &err), XC_OK);
    CHECK_CONTAINS(out, "\"step\":\"cabinet_decision\"");
    CHECK_CONTAINS(out, "\"changed_law\":true");
    xc_free(out);
}

static bool citation_resolves(const xc__regimes *reg, const char *citation)
{
    const char *p = citation;
    while (*p) {
        size_t len = strcspn(p, ";");
        bool found = false;
        for (size_t i = 0; i < reg->source_count && !found; i++)
            found = strlen(reg->sources[i].key) == len && strncmp(reg->sources[i].key, p, len) == 0;
        if (!found)
            return false;
        p += len + (p[len] == ';');
    }
    return true;
}

/* Generated from the data: for every dated fact, decide the day before and the day of each of
 * its boundaries with a shipment that exercises it, and check the fact is among the reasons
 * exactly on the days it is in force, and that every reason's citation resolves. */
TEST(every_dated_change_day_before_and_day_of)
{
    const xc__regimes *reg = eng()->regimes;
    size_t nfacts;
    const xc__fact *const *facts = xc__regimes_facts(reg, &nfacts);
    int covered[XC__JUR_COUNT] = {0}, shadowed = 0, checked = 0;
    for (size_t i = 0; i < nfacts; i++) {
        const xc__fact *f = facts[i];
        if (f->probe_dest == XC__NO_COUNTRY || !f->probe_item)
            continue;
        int32_t bounds[2] = {f->from, f->to};
        for (int k = 0; k < 2; k++) {
            if (bounds[k] == XC__DAY_OPEN_START || bounds[k] == XC__DAY_OPEN_END)
                continue;
            bool seen[2] = {false, false};
            for (int side = 0; side < 2; side++) {
                int32_t day = bounds[k] - 1 + side;
                xc__item item = {0};
                item.jur = f->jur;
                item.code = f->probe_item;
                xc__shipment s = {0};
                s.date = day;
                static const char *const exporters[] = {"JP", "KR", "US", "DE"};
                s.exporter = xc__cidx(exporters[f->jur]);
                s.exporter_eu = f->jur == XC__JUR_EU;
                s.dest = f->probe_dest;
                s.items = &item;
                s.item_count = 1;
                xc__decision d;
                xc__decide_item(reg, &s, &item, &d);
                for (int q = 0; q < d.reason_count; q++) {
                    if (d.reasons[q].fact == f)
                        seen[side] = true;
                    if (*d.reasons[q].fact->citation &&
                        !citation_resolves(reg, d.reasons[q].fact->citation))
                        TH_FAIL("citation '%s' does not resolve", d.reasons[q].fact->citation);
                }
                checked++;
            }
            char day[11];
            xc__date_format(bounds[k], day);
            if (!seen[0] && !seen[1]) {
                /* the fact is hidden by a rule of its jurisdiction on both days (e.g. EU001 for
                 * GB from 2021-01-01 while the data's EU rules start on 2021-09-09) */
                shadowed++;
                if (shadowed > 1)
                    TH_FAIL("%s fact '%s' not exercised around %s", xc__jur_name(f->jur), f->text,
                            day);
                continue;
            }
            bool want_before = xc__fact_on(f, bounds[k] - 1), want_on = xc__fact_on(f, bounds[k]);
            if (seen[0] != want_before || seen[1] != want_on)
                TH_FAIL("%s fact '%.80s' around %s: seen %d/%d, expected %d/%d",
                        xc__jur_name(f->jur), f->text, day, seen[0], seen[1], want_before, want_on);
            covered[f->jur]++;
        }
    }
    /* US: one edition is carried; its date is the only dated change (the edition warning) */
    for (int side = 0; side < 3; side++) {
        char json[300];
        char day[11];
        xc__date_format(xc__regimes_us_edition(reg) - 1 + side, day);
        snprintf(json, sizeof json,
                 "{'date':'%s','exporter':'US','destination':'CN','items':[{'jurisdiction':'US',"
                 "'code':'3C002'}]}", day);
        result r;
        CHECK(decide(json, &r));
        CHECK_INT(has_rule(&r.d, "us.edition"), side != 1);
        CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
        xc__arena_free(r.arena);
    }
    covered[XC__JUR_US] += 2;
    printf("dated boundaries covered (day before + day of): JP %d, KR %d, US %d, EU %d; "
           "shadowed %d; %d decisions\n",
           covered[0], covered[1], covered[2], covered[3], shadowed, checked);
    CHECK(covered[XC__JUR_JP] >= 10);
    CHECK(covered[XC__JUR_KR] >= 4);
    CHECK(covered[XC__JUR_EU] >= 1);
    CHECK(covered[XC__JUR_US] >= 2);
}

TEST(load_from_folder_and_corrupt_data)
{
    xc__regimes *reg = NULL;
    xc_error err = {0};
    if (access("data/regimes/sources.csv", R_OK) != 0)
        SKIP("run from the project root to read data/regimes");
    CHECK_INT(xc__regimes_open(&reg, "data/regimes", &err), XC_OK);
    if (reg)
        CHECK_STR(xc__regimes_version(reg), xc__regimes_version(eng()->regimes));
    xc__regimes_close(reg);
    CHECK_INT(xc__regimes_open(&reg, "/nonexistent-xcheck", &err), XC_IO);
    CHECK(reg == NULL);

    /* A broken file in a regimes folder: refused with the file, line and reason, never cut. */
    char dir[] = "/tmp/xc-regimes-XXXXXX";
    if (!mkdtemp(dir))
        SKIP("no temp dir");
    char cmd[1200], path[512];
    snprintf(cmd, sizeof cmd, "cp data/regimes/*.csv %s/", dir);
    CHECK_INT(system(cmd), 0);
    snprintf(path, sizeof path, "%s/countries.csv", dir);
    FILE *f = fopen(path, "a");
    CHECK(f != NULL);
    if (f) {
        fputs("ZZ,\"", f);
        for (int i = 0; i < 70000; i++)
            fputc('x', f);
        fputs("\"\n", f);
        fclose(f);
    }
    CHECK_INT(xc__regimes_open(&reg, dir, &err), XC_CORRUPT);
    CHECK_CONTAINS(err.message, "countries.csv line");
    CHECK_CONTAINS(err.message, "field longer than 64 KiB");
    snprintf(cmd, sizeof cmd, "cp data/regimes/countries.csv %s/ && printf 'ZZ,\"open' >> %s",
             dir, path);
    CHECK_INT(system(cmd), 0);
    CHECK_INT(xc__regimes_open(&reg, dir, &err), XC_CORRUPT);
    CHECK_CONTAINS(err.message, "quoted field not closed");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK_INT(system(cmd), 0);
}

TEST(allocation_failures_are_clean)
{
    for (long n = 1; n < 20000; n += (n < 400 ? 7 : 331)) {
        xc__regimes *reg = NULL;
        xc_error err = {0};
        xc__alloc_fail_at(n);
        xc_status rc = xc__regimes_open(&reg, NULL, &err);
        xc__alloc_fail_at(0);
        if (rc == XC_OK) {
            xc__regimes_close(reg);
        } else {
            CHECK(reg == NULL);
            if (rc != XC_NOMEM) /* never "corrupt data" for a failed allocation */
                TH_FAIL("allocation %ld: %s (%s)", n, xc_status_name(rc), err.message);
        }
    }
}

TEST(decide_json_allocation_failures_are_clean)
{
    const char *json = "{\"date\":\"2023-07-21\",\"exporter\":\"JP\",\"destination\":\"KR\",\"items\":"
                       "[{\"jurisdiction\":\"JP\",\"code\":\"5(17)\"},{\"jurisdiction\":\"US\","
                       "\"code\":\"3C002.a\"}],\"parties\":[{\"name\":\"Acme\"}]}";
    for (long n = 1; n < 200; n++) {
        xc_error err = {0};
        char *out = NULL;
        xc__alloc_fail_at(n);
        xc_status rc = xc_decide_json(eng(), json, strlen(json), &out, &err);
        xc__alloc_fail_at(0);
        if (rc == XC_OK) {
            json_error_t jerr;
            json_t *parsed = json_loads(out, 0, &jerr);
            if (!parsed)
                TH_FAIL("allocation %ld failed but a broken document was returned", n);
            json_decref(parsed);
        } else {
            CHECK(out == NULL);
        }
        xc_free(out);
    }
}

/* Parties screened, but a list that matters for the jurisdiction is not loaded: indeterminate. */
TEST(relevant_list_missing_is_indeterminate)
{
    result r;
    CHECK(decide("{'date':'2026-07-23','exporter':'US','destination':'JP','items':[{"
                 "'jurisdiction':'US','code':'EAR99'}],'parties':[{'name':'Acme'}]}", &r));
    r.s.lists_loaded = 1;
    r.s.lists_present = L(XC__HIT_UN);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_INDETERMINATE);
    CHECK(has_rule(&r.d, "parties.list_missing"));
    r.s.lists_present = L(XC__HIT_UN) | L(XC__HIT_US_ENTITY) | L(XC__HIT_US_SDN) |
                        L(XC__HIT_US_DPL);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_NLR);
    CHECK(has_rule(&r.d, "parties.screened"));
    r.s.hit_strong = L(XC__HIT_US_ENTITY);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK_INT(r.d.licences, L(XC__LIC_BIS_LICENCE));
    r.s.hit_strong = L(XC__HIT_US_SDN);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_PROHIBITED);
    xc__arena_free(r.arena);
    /* JP catch-all outside Group A needs the End User List for the user test */
    CHECK(decide("{'date':'2024-01-01','exporter':'JP','destination':'CN','items':[{"
                 "'jurisdiction':'JP','code':'16'}],'parties':[{'name':'Acme'}]}", &r));
    r.s.lists_loaded = 1;
    r.s.lists_present = L(XC__HIT_UN);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_INDETERMINATE);
    r.s.lists_present = L(XC__HIT_UN) | L(XC__HIT_JP_EUL);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_NLR);
    r.s.hit_strong = L(XC__HIT_JP_EUL);
    xc__decide_item(eng()->regimes, &r.s, &r.s.items[0], &r.d);
    CHECK_INT(r.d.outcome, XC__OUT_LICENCE);
    CHECK(has_rule(&r.d, "jp.catchall_user"));
    xc__arena_free(r.arena);
}

/* US item given at paragraph level against rows that cover only some paragraphs (issue 17): the
 * paragraph is matched against the row's list; only a code coarser than a listed paragraph is
 * indeterminate. Each case answered "indeterminate" before the rows carried their paragraphs. */
static void expect_us(const char *code, const char *dest, int outcome)
{
    char json[400];
    snprintf(json, sizeof json,
             "{'date':'2026-07-23','exporter':'US','destination':'%s','items':[{"
             "'jurisdiction':'US','code':'%s'}]}", dest, code);
    result r;
    if (!decide(json, &r)) {
        TH_FAIL("US %s -> %s: shipment did not parse", code, dest);
        return;
    }
    if (r.d.outcome != outcome)
        TH_FAIL("US %s -> %s: %s, expected %s", code, dest, xc__outcome_name(r.d.outcome),
                xc__outcome_name(outcome));
    if (outcome != XC__OUT_INDETERMINATE && has_rule(&r.d, "us.partial_scope"))
        TH_FAIL("US %s -> %s: still says it needs its full classification", code, dest);
    xc__arena_free(r.arena);
}

TEST(us_paragraph_level_rows)
{
    expect_us("3A090.a", "CN", XC__OUT_LICENCE);     /* RS, all destinations */
    expect_us("3A090.c", "MO", XC__OUT_LICENCE);     /* RS, Macau and D:5 */
    expect_us("3A090.c", "GB", XC__OUT_NLR);         /* .c outside MO/D:5; AT only */
    expect_us("3A090", "CN", XC__OUT_INDETERMINATE); /* which paragraph decides */
    expect_us("4A090.a", "KR", XC__OUT_LICENCE);
    expect_us("3B001.c.1.a", "JP", XC__OUT_LICENCE); /* NS and RS to every destination */
    expect_us("3B001.f.1", "CN", XC__OUT_LICENCE);   /* D:5 */
    expect_us("3B001.f.1", "NL", XC__OUT_NLR);       /* f.1 is not in the NS2 row's paragraphs */
    expect_us("3B001.f.2", "CN", XC__OUT_LICENCE);   /* NS2 column: X for China */
    expect_us("5A992.c", "CN", XC__OUT_NLR);         /* RS rows cover z.1 and z.2 only */
    expect_us("5A992.z.1", "CN", XC__OUT_LICENCE);
    /* an entire row that excepts a paragraph: the excepted paragraph escapes it, a coarse code
     * cannot be told apart */
    expect_us("0A501.a", "BR", XC__OUT_LICENCE);     /* NS1/RS1/FC1 cover .a */
    expect_us("0A501.y", "BR", XC__OUT_NLR);
    expect_us("0A501", "BR", XC__OUT_INDETERMINATE);
}
