/* test_lists_own.c — lists of one's own: the internal watch list (CSV) and OpenSanctions
 * FollowTheMoney JSON Lines: fields mapped, broken lines reported in their place without
 * losing others, recognition, the real OpenSanctions samples in ../shared (counts computed
 * here independently with jansson), and load + screen + diff + update-from-folder + rescreen
 * through the public API. */
#include <jansson.h>
#include <sys/stat.h>

#include "harness.h"
#include "lists/lists.h"
#include "lists/sources_own.h"
#include "xcheck.h"

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const xc__entity *find(const xc__listset *set, const char *list, const char *id)
{
    for (size_t i = 0; i < set->entity_count; i++)
        if (strcmp(set->entities[i].source_id, id) == 0 &&
            (!list || strcmp(set->lists[set->entities[i].list].id, list) == 0))
            return &set->entities[i];
    return NULL;
}

static int has_name(const xc__entity *e, const char *text, int type)
{
    for (uint32_t i = 0; e && i < e->name_count; i++)
        if (strcmp(e->names[i].text, text) == 0 && (type < 0 || e->names[i].type == type))
            return 1;
    return 0;
}

static int has_country(const xc__entity *e, const char *code)
{
    for (uint32_t i = 0; e && i < e->country_count; i++)
        if (strcmp(e->countries[i], code) == 0)
            return 1;
    return 0;
}

static int has_ident(const xc__entity *e, const char *type, const char *value)
{
    for (uint32_t i = 0; e && i < e->ident_count; i++)
        if (strcmp(e->idents[i].type, type) == 0 && strcmp(e->idents[i].value, value) == 0)
            return 1;
    return 0;
}

static int has_address(const xc__entity *e, const char *text)
{
    for (uint32_t i = 0; e && i < e->address_count; i++)
        if (strcmp(e->addresses[i], text) == 0)
            return 1;
    return 0;
}

static int has_issue(const xc__list *l, const char *fragment)
{
    for (size_t i = 0; l->issues[i]; i++)
        if (strstr(l->issues[i], fragment))
            return 1;
    return 0;
}

static const xc__list *list_named(const xc__listset *set, const char *id)
{
    for (size_t i = 0; i < set->list_count; i++)
        if (strcmp(set->lists[i].id, id) == 0)
            return &set->lists[i];
    return NULL;
}

#define HEADER XC__WATCHLIST_HEADER

/* ---- internal watch list ---- */

TEST(watchlist_fields_mapped)
{
    static const char csv[] =
        HEADER ",programs,remarks,listed_on,addresses\n"
        "acme_blocked,P-1,Ivan Petrovich Sidorov,Ivan Sidorov; I. P. Sidorov,person,"
        "RU;Kazakhstan,1970-05-01;1971,Passport:7701234;NID-55,ACME-RU;ACME-ALL,"
        "\"seen in \"\"Omega\"\" case, 2025\",2025-11-03,\"1 Tverskaya St, Moscow\"\n"
        "acme_blocked,C-2,Blue Lantern Trading LLC,,Organization,AE,,,,,,\r\n"
        "acme_watch,P-1,Red Falcon,,vessel,,,IMO:9123456,,,,\n";
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_watchlist_mem(&set, "acme-2026-01-15.csv", csv, strlen(csv), &err), XC_OK);
    CHECK_INT(set.list_count, 2);
    CHECK_INT(set.entity_count, 3);
    const xc__list *blocked = list_named(&set, "acme_blocked");
    CHECK(blocked != NULL);
    if (!blocked)
        return;
    CHECK_STR(blocked->version, "2026-01-15");
    CHECK_INT(blocked->entities, 2);
    CHECK_INT(blocked->rows_skipped, 0);
    const xc__entity *p = find(&set, "acme_blocked", "P-1");
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK_INT(p->kind, XC_KIND_PERSON);
    CHECK_STR(p->names[0].text, "Ivan Petrovich Sidorov");
    CHECK(has_name(p, "Ivan Sidorov", XC__NAME_AKA));
    CHECK(has_name(p, "I. P. Sidorov", XC__NAME_AKA));
    CHECK(has_country(p, "RU") && has_country(p, "KZ"));
    CHECK_INT(p->dob_count, 2);
    CHECK_INT(p->dobs[0].year, 1970);
    CHECK_INT(p->dobs[0].month, 5);
    CHECK_INT(p->dobs[0].day, 1);
    CHECK_INT(p->dobs[1].year, 1971);
    CHECK(has_ident(p, "Passport", "7701234"));
    CHECK(has_ident(p, "", "NID-55"));
    CHECK_STR(p->programs, "ACME-RU;ACME-ALL");
    CHECK_STR(p->remarks, "seen in \"Omega\" case, 2025");
    CHECK_STR(p->listed_on, "2025-11-03");
    CHECK(has_address(p, "1 Tverskaya St, Moscow"));
    CHECK_INT(find(&set, "acme_blocked", "C-2")->kind, XC_KIND_ORG);
    const xc__entity *v = find(&set, "acme_watch", "P-1"); /* same id, other list: allowed */
    CHECK(v != NULL && v->kind == XC_KIND_VESSEL && has_ident(v, "IMO", "9123456"));
    xc__listset_free(&set);
}

TEST(watchlist_bad_rows_reported_in_their_place)
{
    /* Each broken row costs itself only: an unterminated quote on line 3 does not swallow
     * lines 4-9, and the truncated last line (no newline, too few fields) is refused alone. */
    static const char csv[] =
        HEADER "\n"
        "own_a,1,Alpha One,,person,,,\n"                  /* 2 ok */
        "own_a,2,\"Beta Two,,person,,,\n"                 /* 3 unterminated quote */
        "own_a,3,Gamma Three,,person,,1968-13-30,\n"      /* 4 kept, impossible dob dropped */
        "own_a,4,Delta Four,,person,Atlantis,,\n"         /* 5 kept, unknown country dropped */
        "Own-A,5,Epsilon Five,,person,,,\n"               /* 6 bad list id */
        "us_ofac_sdn,6,Zeta Six,,person,,,\n"             /* 7 official id refused */
        "own_a,1,Alpha Again,,person,,,\n"                /* 8 duplicate id */
        "own_a,7,,,person,,,\n"                           /* 9 no name */
        "own_a,8,Eta Eight,,robot,,,\n"                   /* 10 kept as kind any */
        "\n"                                              /* 11 blank: ignored */
        "own_a,9,Theta Nine,,pers";                       /* 12 truncated */
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_watchlist_mem(&set, "own.csv", csv, strlen(csv), &err), XC_OK);
    CHECK_INT(set.list_count, 1);
    CHECK_INT(set.entity_count, 4);
    const xc__list *l = &set.lists[0];
    CHECK_STR(l->version, "");
    CHECK_INT(l->rows_skipped, 6);
    CHECK(has_issue(l, "own.csv line 3: unterminated quote"));
    CHECK(has_issue(l, "line 4: date of birth '1968-13-30'"));
    CHECK(has_issue(l, "line 5: country 'Atlantis'"));
    CHECK(has_issue(l, "line 6: list id 'Own-A'"));
    CHECK(has_issue(l, "line 7: list id 'us_ofac_sdn'"));
    CHECK(has_issue(l, "line 8: entity id 1 repeats line 2"));
    CHECK(has_issue(l, "line 9: no name"));
    CHECK(has_issue(l, "line 10: kind 'robot'"));
    CHECK(has_issue(l, "line 12: 5 fields, expected 8"));
    CHECK(find(&set, NULL, "3") && find(&set, NULL, "3")->dob_count == 0);
    CHECK(find(&set, NULL, "4") && find(&set, NULL, "4")->country_count == 0);
    CHECK(find(&set, NULL, "8") && find(&set, NULL, "8")->kind == XC_KIND_ANY);
    CHECK_STR(find(&set, NULL, "1")->names[0].text, "Alpha One");
    xc__listset_free(&set);
}

TEST(watchlist_header_is_exact)
{
    static const char *const bad[] = {
        "list_id,entity_id,name,aliases,kind,country,dob,identifiers\nx_y,1,A,,,,,\n",
        "List_Id,entity_id,name,aliases,kind,country,date_of_birth,identifiers\nx_y,1,A,,,,,\n",
        HEADER ",colour\nx_y,1,A,,,,,,red\n",
        HEADER ",remarks,remarks\nx_y,1,A,,,,,,a,b\n",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xc__listset set;
        CHECK_INT(xc__listset_init(&set), XC_OK);
        xc_error err = {0};
        CHECK_INT(xc__parse_watchlist_mem(&set, "w.csv", bad[i], strlen(bad[i]), &err),
                  XC_UNSUPPORTED);
        CHECK_INT(set.list_count, 0);
        CHECK_INT(set.entity_count, 0);
        xc__listset_free(&set);
    }
    CHECK(xc__sniff_watchlist("any.csv", HEADER "\r\n", strlen(HEADER) + 2));
    CHECK(xc__sniff_watchlist("x", "\xEF\xBB\xBF" HEADER ",remarks\n", strlen(HEADER) + 12));
    CHECK(!xc__sniff_watchlist("w.csv", HEADER "x\n", strlen(HEADER) + 2));
    CHECK(!xc__sniff_watchlist("w.csv", "list_id,entity_id\n", 18));
    /* Rows that all fail: an error naming the first problem, nothing added. */
    static const char none[] = HEADER "\nBad Id,1,A,,,,,\n";
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_watchlist_mem(&set, "w.csv", none, strlen(none), &err), XC_PARSE);
    CHECK_CONTAINS(err.message, "line 2: list id 'Bad Id'");
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
    CHECK(xc__watchlist_id_ok("acme_blocked", 12));
    CHECK(!xc__watchlist_id_ok("os_mine", 7));
    CHECK(!xc__watchlist_id_ok("us_bis_entity_list", 18));
    CHECK(!xc__watchlist_id_ok("a__b", 4));
    CHECK(!xc__watchlist_id_ok("ab_", 3));
}

TEST(watchlist_invalid_utf8_and_huge_line)
{
    size_t huge = XC__WATCHLIST_MAX_LINE + 10;
    char *csv = malloc(huge + 512);
    CHECK(csv != NULL);
    if (!csv)
        return;
    size_t n = (size_t)snprintf(csv, 512, "%s\nown_a,1,Caf\xC3 Noir,,organization,,,\nown_a,2,",
                                HEADER);
    memset(csv + n, 'x', huge);
    n += huge;
    n += (size_t)snprintf(csv + n, 400, ",,person,,,\nown_a,3,After Huge,,person,,,\n");
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_watchlist_mem(&set, "own.csv", csv, n, &err), XC_OK);
    CHECK_INT(set.entity_count, 2);
    CHECK_STR(find(&set, NULL, "1")->names[0].text, "Caf\xEF\xBF\xBD Noir");
    CHECK_INT(set.lists[0].utf8_replaced, 1);
    CHECK(has_issue(&set.lists[0], "own.csv line 3: over 1048576 bytes"));
    CHECK(find(&set, NULL, "3") != NULL);
    xc__listset_free(&set);
    free(csv);
}

/* ---- FollowTheMoney ---- */

TEST(ftm_fields_mapped_and_facts_joined)
{
    /* The Sanction comes before its entity, the Address after: both reach it. */
    static const char ftm[] =
        "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"p1\"],"
        "\"programId\":[\"XX-PROG\"],\"listingDate\":[\"2022-03-15\",\"2021-07-01\"]},"
        "\"last_seen\":\"2026-04-01T10:00:00\",\"last_change\":\"2025-01-01T00:00:00\"}\n"
        "{\"id\":\"p1\",\"caption\":\"Ivan Petrov\",\"schema\":\"Person\",\"properties\":{"
        "\"name\":[\"PETROV, Ivan\",\"Ivan Petrov\",\"\\u0418\\u0432\\u0430\\u043d "
        "\\u041f\\u0435\\u0442\\u0440\\u043e\\u0432\"],\"alias\":[\"Vanya\"],\"weakAlias\":"
        "[\"The Bear\"],\"previousName\":[\"Ivan Sidorov\"],\"birthDate\":[\"1970-05-01\","
        "\"1971\"],\"nationality\":[\"ru\"],\"citizenship\":[\"kz\"],\"idNumber\":[\"77-1\"],"
        "\"passportNumber\":[\"P123\"],\"programId\":[\"OWN-1\"],\"notes\":[\"A note\"],"
        "\"addressEntity\":[\"a1\"],\"birthPlace\":[\"Omsk\"]},\"datasets\":[\"us_ofac_sdn\"],"
        "\"last_seen\":\"2026-04-29T12:00:00\",\"last_change\":\"2026-04-29T07:55:02\","
        "\"target\":true}\n"
        "{\"id\":\"a1\",\"schema\":\"Address\",\"properties\":{\"full\":[\"1 Main St, Omsk\"]}}\n"
        "{\"id\":\"pp1\",\"schema\":\"Passport\",\"properties\":{\"holder\":[\"p1\"],"
        "\"number\":[\"P999\"]}}\n"
        "{\"id\":\"o1\",\"schema\":\"Ownership\",\"properties\":{\"owner\":[\"p1\"]}}\n"
        "{\"id\":\"v1\",\"schema\":\"Vessel\",\"properties\":{\"name\":[\"SEA STAR\"],"
        "\"imoNumber\":[\"9123456\"],\"flag\":[\"pa\"]}}\n"
        "{\"id\":\"c1\",\"schema\":\"Company\",\"properties\":{\"name\":[\"Acme LLC\"],"
        "\"country\":[\"ae\"]},\"target\":false}\n"
        "{\"id\":\"l1\",\"schema\":\"LegalEntity\",\"properties\":{\"name\":[\"Someone\"]}}\n"
        "{\"id\":\"w1\",\"schema\":\"Widget\",\"properties\":{\"name\":[\"Gizmo\"]}}\n"
        "{\"id\":\"w2\",\"schema\":\"Widget\",\"properties\":{\"colour\":[\"red\"]}}\n";
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_ftm_mem(&set, "demo.entities.ftm.json", ftm, strlen(ftm), &err), XC_OK);
    CHECK_INT(set.list_count, 1);
    const xc__list *l = &set.lists[0];
    CHECK_STR(l->id, "os_demo");
    CHECK_STR(l->version, "2026-04-29"); /* newest last_seen */
    CHECK_INT(set.entity_count, 5);      /* p1, v1, c1, l1, w1 */
    CHECK_INT(l->other_records, 5);      /* s1, a1, pp1, o1, w2 (no name) */
    CHECK_INT(l->rows_skipped, 0);
    CHECK(has_issue(l, "schema Widget"));
    const xc__entity *p = find(&set, NULL, "p1");
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK_INT(p->kind, XC_KIND_PERSON);
    CHECK_STR(p->names[0].text, "Ivan Petrov");
    CHECK_INT(p->names[0].type, XC__NAME_PRIMARY);
    CHECK(has_name(p, "PETROV, Ivan", XC__NAME_AKA));
    CHECK(has_name(p, "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD \xD0\x9F\xD0\xB5\xD1\x82\xD1\x80\xD0\xBE"
                      "\xD0\xB2", XC__NAME_AKA));
    CHECK(has_name(p, "Vanya", XC__NAME_AKA));
    CHECK(has_name(p, "The Bear", XC__NAME_WEAK_AKA));
    CHECK(has_name(p, "Ivan Sidorov", XC__NAME_FKA));
    for (uint32_t i = 0; i < p->name_count; i++)
        CHECK_INT(p->names[i].reorder, strchr(p->names[i].text, ',') != NULL);
    CHECK_INT(p->dob_count, 2);
    CHECK(has_country(p, "RU") && has_country(p, "KZ"));
    CHECK(has_ident(p, "National ID No.", "77-1"));
    CHECK(has_ident(p, "Passport", "P123"));
    CHECK(has_ident(p, "Passport", "P999")); /* from the Passport record */
    CHECK(has_address(p, "1 Main St, Omsk"));
    CHECK_CONTAINS(p->programs, "OWN-1");
    CHECK_CONTAINS(p->programs, "XX-PROG"); /* from the Sanction */
    CHECK_STR(p->listed_on, "2021-07-01");  /* its earliest listing date */
    CHECK_CONTAINS(p->remarks, "A note");
    CHECK_CONTAINS(p->remarks, "us_ofac_sdn");
    const xc__entity *v = find(&set, NULL, "v1");
    CHECK(v && v->kind == XC_KIND_VESSEL && has_ident(v, "IMO", "9123456") &&
          has_country(v, "PA"));
    const xc__entity *c = find(&set, NULL, "c1");
    CHECK(c && c->kind == XC_KIND_ORG && has_country(c, "AE"));
    if (c)
        CHECK_CONTAINS(c->remarks, "not a sanctions target");
    CHECK(find(&set, NULL, "l1") && find(&set, NULL, "l1")->kind == XC_KIND_ANY);
    CHECK(find(&set, NULL, "w1") && find(&set, NULL, "w1")->kind == XC_KIND_ANY);
    xc__listset_free(&set);
}

TEST(ftm_bad_lines_reported_in_their_place)
{
    static const char ftm[] =
        "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Alpha One\"]}}\n"
        "{\"id\":\"p2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Beta\"\n" /* 2 */
        "[1,2,3]\n"                                                               /* 3 */
        "{\"id\":\"p3\",\"properties\":{\"name\":[\"No Schema\"]}}\n"             /* 4 */
        "{\"id\":\"p4\",\"schema\":\"Person\",\"properties\":[1]}\n"              /* 5 */
        "\n"                                                                      /* 6 */
        "{\"id\":\"p5\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Caf\xC3 Noir\"]}}\n"
        "{\"id\":\"p6\",\"schema\":\"Person\",\"properties\":{}}\n"               /* 8 */
        "{\"id\":\"p7\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Last One\"]}}\n"
        "{\"id\":\"p8\",\"schema\":\"Person\",\"prop";                            /* 10 */
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_ftm_mem(&set, "x.ftm.jsonl", ftm, strlen(ftm), &err), XC_OK);
    const xc__list *l = &set.lists[0];
    CHECK_STR(l->id, "os_x");
    CHECK_STR(l->version, "");
    CHECK_INT(set.entity_count, 3); /* p1, p5, p7 */
    CHECK_INT(l->rows_skipped, 6);  /* lines 2, 3, 4, 5, 10 and p6 (no name) */
    CHECK(has_issue(l, "x.ftm.jsonl line 2: not JSON"));
    CHECK(has_issue(l, "line 3: not an FtM entity"));
    CHECK(has_issue(l, "line 4: not an FtM entity"));
    CHECK(has_issue(l, "line 5: not an FtM entity"));
    CHECK(has_issue(l, "line 7: invalid UTF-8"));
    CHECK(has_issue(l, "entity p6 has no name"));
    CHECK(has_issue(l, "line 10: not JSON"));
    CHECK_INT(l->utf8_replaced, 1);
    CHECK_STR(find(&set, NULL, "p5")->names[0].text, "Caf\xEF\xBF\xBD Noir");
    CHECK(find(&set, NULL, "p7") != NULL);
    xc__listset_free(&set);
    /* Nothing that is FtM at all: an error, nothing added. */
    CHECK_INT(xc__listset_init(&set), XC_OK);
    CHECK_INT(xc__parse_ftm_mem(&set, "y.ftm.json", "hello\nworld\n", 12, &err), XC_PARSE);
    CHECK_CONTAINS(err.message, "y.ftm.json line 1: not JSON");
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
}

TEST(ftm_huge_line_refused_alone)
{
    size_t huge = XC__FTM_MAX_LINE + 1;
    char *ftm = malloc(huge + 512);
    CHECK(ftm != NULL);
    if (!ftm)
        return;
    size_t n = (size_t)snprintf(ftm, 256, "{\"id\":\"big\",\"schema\":\"Person\",\"properties\":"
                                          "{\"name\":[\"");
    memset(ftm + n, 'a', huge);
    n += huge;
    n += (size_t)snprintf(ftm + n, 256, "\"]}}\n{\"id\":\"p2\",\"schema\":\"Person\","
                                        "\"properties\":{\"name\":[\"After Huge\"]}}\n");
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_ftm_mem(&set, "h.ftm.json", ftm, n, &err), XC_OK);
    CHECK_INT(set.entity_count, 1);
    CHECK(has_issue(&set.lists[0], "h.ftm.json line 1: over 16777216 bytes"));
    CHECK(find(&set, NULL, "p2") != NULL);
    xc__listset_free(&set);
    free(ftm);
}

TEST(ftm_list_ids_and_versions_from_names)
{
    static const char one[] = "{\"id\":\"p\",\"schema\":\"Person\",\"properties\":{\"name\":"
                              "[\"A B\"]},\"last_change\":\"2025-02-03T01:02:03\"}";
    static const struct {
        const char *name, *id, *version;
    } cases[] = {
        {"t1.entities.ftm.json", "os_t1", "2025-02-03"},
        {"entities.ftm.json", "opensanctions", "2025-02-03"},
        {"Sanctions-2026-03-01.FTM.JSON", "os_sanctions", "2025-02-03"},
        {"peps_20260301.ftm.jsonl", "os_peps", "2025-02-03"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xc__listset set;
        CHECK_INT(xc__listset_init(&set), XC_OK);
        xc_error err = {0};
        CHECK_INT(xc__parse_ftm_mem(&set, cases[i].name, one, strlen(one), &err), XC_OK);
        CHECK_STR(set.lists[0].id, cases[i].id);
        CHECK_STR(set.lists[0].version, cases[i].version);
        xc__listset_free(&set);
    }
    char date[11];
    CHECK(xc__name_date("x-2026-03-01.csv", date));
    CHECK_STR(date, "2026-03-01");
    CHECK(!xc__name_date("x-202603011.csv", date));
    CHECK(!xc__name_date("x-2026-13-01.csv", date));
    CHECK(xc__sniff_ftm("a.FTM.json", "", 0) && xc__sniff_ftm("b.ftm.jsonl", "", 0));
    CHECK(!xc__sniff_ftm("consolidated.json", "{\"schema\":1,\"properties\":{}}", 28));
}

/* Counts of a real sample computed here, independently of the parser. */
typedef struct ftm_counts {
    size_t screened, other;
    char last_seen[11];
} ftm_counts;

static int count_sample(const char *path, ftm_counts *out)
{
    static const char *const screened[] = {"Person", "Organization", "Company", "PublicBody",
                                           "LegalEntity", "Vessel", "Airplane"};
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char line[1 << 20];
    while (fgets(line, sizeof line, f)) {
        json_t *obj = json_loads(line, 0, NULL);
        if (!obj)
            continue;
        const char *schema = json_string_value(json_object_get(obj, "schema"));
        int is = 0;
        for (size_t i = 0; schema && i < sizeof screened / sizeof screened[0]; i++)
            is |= strcmp(schema, screened[i]) == 0;
        if (is)
            out->screened++;
        else
            out->other++;
        const char *seen = json_string_value(json_object_get(obj, "last_seen"));
        if (seen && strncmp(seen, out->last_seen, 10) > 0)
            snprintf(out->last_seen, sizeof out->last_seen, "%.10s", seen);
        json_decref(obj);
    }
    fclose(f);
    return 1;
}

TEST(ftm_real_opensanctions_samples)
{
    static const char *const files[] = {"t1.entities.ftm.json", "zala.entities.ftm.json"};
    for (size_t k = 0; k < 2; k++) {
        char rel[128];
        snprintf(rel, sizeof rel, "data/lists/opensanctions/%s", files[k]);
        const char *shared = th_shared(rel);
        if (!shared)
            SKIP("OpenSanctions samples missing under ../shared");
        char path[4096];
        snprintf(path, sizeof path, "%s", shared);
        ftm_counts want;
        CHECK(count_sample(path, &want));
        CHECK(want.screened > 0);
        xc__listset set;
        CHECK_INT(xc__listset_init(&set), XC_OK);
        const char *paths[] = {path, NULL};
        xc_error err = {0};
        CHECK_INT(xc__load_paths(&set, paths, &err), XC_OK); /* recognised by name */
        CHECK_INT(set.list_count, 1);
        CHECK_INT(set.entity_count, want.screened);
        CHECK_INT(set.lists[0].other_records, want.other);
        CHECK_INT(set.lists[0].rows_skipped, 0);
        CHECK_STR(set.lists[0].version, want.last_seen);
        CHECK_STR(set.lists[0].id, k == 0 ? "os_t1" : "os_zala");
        if (k == 1) {
            /* A Sanction record lends its programme to the person it names. */
            const xc__entity *e = find(&set, NULL, "NK-abdzbEBkqyT29GyREbiURZ");
            CHECK(e != NULL);
            if (e)
                CHECK_CONTAINS(e->programs, "AU-RUSSIA");
        }
        xc__listset_free(&set);
    }
}

/* ---- through the public API: screen, diff, update from a folder, rescreen ---- */

static xc_engine *open_lists(const char *path)
{
    const char *paths[] = {path, NULL};
    xc_config cfg = {.data_paths = paths};
    xc_error err = {0};
    return xc_engine_open(&cfg, &err);
}

static const char *first_match_list(xc_engine *eng, const char *name, double *score)
{
    static char list[64];
    list[0] = '\0';
    xc_party party = {.name = name};
    xc_result *res = NULL;
    xc_error err = {0};
    if (xc_screen(eng, &party, NULL, &res, &err) == XC_OK && xc_result_count(res) > 0) {
        const xc_match *m = xc_result_match(res, 0);
        snprintf(list, sizeof list, "%s:%s", m->list, m->entity_id);
        *score = m->score;
    }
    xc_result_free(res);
    return list;
}

TEST(own_lists_screen_and_diff)
{
    char dir1[512], dir2[512], cmd[1400];
    snprintf(dir1, sizeof dir1, "%s", th_tmp_path("v1"));
    snprintf(dir2, sizeof dir2, "%s", th_tmp_path("v2"));
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s'", dir1, dir2);
    CHECK_INT(system(cmd), 0);
    char path[700];
    snprintf(path, sizeof path, "%s/internal.csv", dir1);
    write_file(path, HEADER "\nacme_blocked,1,Ivan Petrovich Sidorov,Ivan Sidorov,person,RU,,\n"
                            "acme_blocked,2,Blue Lantern Trading LLC,,organization,AE,,\n");
    snprintf(path, sizeof path, "%s/internal.csv", dir2);
    write_file(path, HEADER "\nacme_blocked,1,Ivan Petrovich Sidorov,Vanya Sidorov,person,RU,,\n"
                            "acme_blocked,3,Red Falcon Shipping,,vessel,,,IMO:9123456\n");
    snprintf(path, sizeof path, "%s/mine.ftm.json", dir1);
    write_file(path, "{\"id\":\"NK-1\",\"schema\":\"Company\",\"properties\":{\"name\":"
                     "[\"Golden Horizon Petroleum\"]}}\n");
    snprintf(path, sizeof path, "%s/mine.ftm.json", dir2);
    write_file(path, "{\"id\":\"NK-1\",\"schema\":\"Company\",\"properties\":{\"name\":"
                     "[\"Golden Horizon Petroleum\"],\"programId\":[\"P-2\"]}}\n");
    xc_engine *eng = open_lists(dir1);
    CHECK(eng != NULL);
    if (!eng)
        return;
    double score = 0;
    CHECK_STR(first_match_list(eng, "Ivan Sidorov", &score), "acme_blocked:1");
    CHECK(score >= 0.9);
    CHECK_STR(first_match_list(eng, "Golden Horizon Petroleum", &score), "os_mine:NK-1");
    xc_engine_close(eng);
    const char *old_paths[] = {dir1, NULL}, *new_paths[] = {dir2, NULL};
    char *json = NULL;
    xc_error err = {0};
    CHECK_INT(xc_diff_json(old_paths, new_paths, &json, &err), XC_OK);
    CHECK_CONTAINS(json, "{\"added\":[\"3\"],\"removed\":[\"2\"],\"changed\":[\"1\",\"NK-1\"],"
                         "\"counts\":{\"added\":1,\"removed\":1,\"changed\":2,\"unchanged\":0}");
    xc_free(json);
}

typedef struct outcomes {
    char text[1024];
} outcomes;

static void on_event(void *ctx, const xc_update_event *e)
{
    outcomes *o = ctx;
    size_t used = strlen(o->text);
    snprintf(o->text + used, sizeof o->text - used, "%s=%s@%s;", e->source, e->outcome,
             e->version ? e->version : "");
}

TEST(own_lists_update_from_folder_and_rescreen)
{
    const char *t1 = th_shared("data/lists/opensanctions/t1.entities.ftm.json");
    if (!t1)
        SKIP("OpenSanctions sample missing under ../shared");
    char from[512], data[512], db[512], cmd[5000];
    snprintf(from, sizeof from, "%s", th_tmp_path("from"));
    snprintf(data, sizeof data, "%s", th_tmp_path("data"));
    snprintf(db, sizeof db, "%s", th_tmp_path("store.db"));
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/watchlist' '%s/opensanctions' && "
             "ln -sf '%s' '%s/opensanctions/t1.entities.ftm.json'", from, from, t1, from);
    CHECK_INT(system(cmd), 0);
    char path[700];
    snprintf(path, sizeof path, "%s/watchlist/acme-2026-01-15.csv", from);
    write_file(path, HEADER "\nacme_blocked,1,Ivan Petrovich Sidorov,,person,RU,,\n"
                            "acme_blocked,2,Blue Lantern Trading LLC,,organization,AE,,\n");
    xc_error err = {0};
    xc_store *store = xc_store_open(db, &err);
    CHECK(store != NULL);
    if (!store)
        return;
    /* The built-in sources table: the two own sources have no download address. */
    outcomes seen = {{0}};
    xc_update_opts opts = {.from_dir = from, .data_dir = data, .on_event = on_event,
                           .ctx = &seen, .max_shrink_percent = 100};
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_CONTAINS(seen.text, "watchlist=installed@2026-01-15;");
    CHECK_CONTAINS(seen.text, "opensanctions=installed@2024-06-01;");
    /* Asked to download them: a clear refusal, before any network use. */
    const char *own[] = {"watchlist", NULL};
    xc_update_opts online = {.data_dir = data, .sources = own};
    CHECK_INT(xc_update_lists(store, &online, &err), XC_INVALID);
    CHECK_CONTAINS(err.message, "watchlist has no download address");
    /* Parties, a first full run, then a new watch-list version: the delta finds the added. */
    char parties[700];
    snprintf(parties, sizeof parties, "%s", th_tmp_path("parties.csv"));
    write_file(parties, "id,name\na,Ivan Sidorov\nb,Red Falcon Shipping\nc,Nobody Particular\n");
    CHECK_INT(xc_store_parties_import_csv(store, parties, NULL, NULL, NULL, &err), XC_OK);
    xc_rescreen_opts ropts = {.threads = 1};
    xc_rescreen_report rep;
    CHECK_INT(xc_store_rescreen(store, &ropts, &rep, &err), XC_OK);
    CHECK_INT(rep.full, 3);
    CHECK_INT(rep.alerts, 1); /* a on acme_blocked:1 */
    snprintf(path, sizeof path, "%s/watchlist/acme-2026-02-01.csv", from);
    write_file(path, HEADER "\nacme_blocked,1,Ivan Petrovich Sidorov,,person,RU,,\n"
                            "acme_blocked,2,Blue Lantern Trading LLC,,organization,AE,,\n"
                            "acme_blocked,3,Red Falcon Shipping,,vessel,,,IMO:9123456\n");
    const char *wl[] = {"watchlist", NULL};
    opts.sources = wl;
    seen.text[0] = '\0';
    CHECK_INT(xc_update_lists(store, &opts, &err), XC_OK);
    CHECK_CONTAINS(seen.text, "watchlist=installed@2026-02-01;");
    CHECK_INT(xc_store_rescreen(store, &ropts, &rep, &err), XC_OK);
    CHECK_INT(rep.alerts, 1); /* b on the added acme_blocked:3 */
    CHECK_INT(rep.hits, 1);
    xc_store_close(store);
    th_tmp_cleanup();
}

TEST(own_parsers_out_of_memory_fail_cleanly)
{
    /* Every allocation failing in turn: a clean XC_NOMEM (or success), nothing half added,
     * no leak (the ASan build checks). */
    static const char csv[] = HEADER "\nown_a,1,Ivan Sidorov,I. Sidorov,person,RU,1970,P:1\n"
                                     "own_b,2,Acme LLC,,organization,AE,,\n";
    static const char ftm[] =
        "{\"id\":\"s1\",\"schema\":\"Sanction\",\"properties\":{\"entity\":[\"p1\"],"
        "\"programId\":[\"X\"]}}\n"
        "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Ivan Petrov\"],"
        "\"addressEntity\":[\"a1\"]}}\n"
        "{\"id\":\"a1\",\"schema\":\"Address\",\"properties\":{\"full\":[\"1 Main St\"]}}\n";
    for (int which = 0; which < 2; which++) {
        int ok = 0;
        for (long n = 1; n < 400 && !ok; n++) {
            xc__listset set;
            if (xc__listset_init(&set) != XC_OK)
                continue;
            xc_error err = {0};
            xc__alloc_fail_at(n);
            xc_status rc = which == 0
                ? xc__parse_watchlist_mem(&set, "w.csv", csv, strlen(csv), &err)
                : xc__parse_ftm_mem(&set, "f.ftm.json", ftm, strlen(ftm), &err);
            xc__alloc_fail_at(0);
            if (rc == XC_OK) {
                ok = 1;
                CHECK_INT(set.entity_count, which == 0 ? 2 : 1);
            } else {
                CHECK_INT(rc, XC_NOMEM);
                CHECK_INT(set.entity_count, 0);
                CHECK_INT(set.list_count, 0);
            }
            xc__listset_free(&set);
        }
        CHECK(ok);
    }
}
