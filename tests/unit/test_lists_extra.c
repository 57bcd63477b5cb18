/* test_lists_extra.c — EU, UK and METI parsers and the xlsx/ods sheet reader, on the real files
 * in ../shared and on small broken inputs built here. */
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "harness.h"
#include "lists/extra.h"
#include "lists/lists.h"
#include "lists/sheet.h"
#include "lists/sources_extra.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void report_load(const char *what, double t0, const xc__listset *set)
{
    fprintf(stderr, "  [load] %-28s %8.1f ms  peak RSS %ld KiB  entities %zu\n", what,
            now_ms() - t0, peak_rss_kb(), set->entity_count);
}

static const xc__entity *find_entity(const xc__listset *set, const char *source_id)
{
    for (size_t i = 0; i < set->entity_count; i++)
        if (strcmp(set->entities[i].source_id, source_id) == 0)
            return &set->entities[i];
    return NULL;
}

static int has_name(const xc__entity *e, const char *text, int type)
{
    if (!e)
        return 0;
    for (uint32_t i = 0; i < e->name_count; i++)
        if (strcmp(e->names[i].text, text) == 0 && (type < 0 || e->names[i].type == type))
            return 1;
    return 0;
}

static int has_country(const xc__entity *e, const char *code)
{
    if (!e)
        return 0;
    for (uint32_t i = 0; i < e->country_count; i++)
        if (strcmp(e->countries[i], code) == 0)
            return 1;
    return 0;
}

static size_t count_kind(const xc__listset *set, int kind)
{
    size_t n = 0;
    for (size_t i = 0; i < set->entity_count; i++)
        if (set->entities[i].kind == kind)
            n++;
    return n;
}

static int issues_contain(const xc__list *list, const char *needle)
{
    for (size_t i = 0; i < list->issue_count; i++)
        if (strstr(list->issues[i], needle))
            return 1;
    return 0;
}

/* ---------------- UK ---------------- */

TEST(uk_fcdo_ods_real)
{
    const char *path = th_shared("data/lists/uk-fcdo/FCDO_SL_Mon_Aug_11_2025.ods");
    if (!path)
        SKIP("FCDO ODS not available");
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    double t0 = now_ms();
    const xc__entity *e;
    xc_status st = xc__parse_uk_fcdo(&set, path, &err);
    report_load("FCDO ODS (5,302)", t0, &set);
    CHECK_INT(st, XC_OK);
    if (st != XC_OK)
        fprintf(stderr, "  %s\n", err.message);
    CHECK_INT(set.list_count, 1);
    /* 5,302 designations, of which two (BEL0174, RUS1467) have an empty Name cell in the
     * published file: those are reported and skipped, not invented. */
    CHECK_INT(set.entity_count, 5300);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].id, "uk_fcdo");
        CHECK_STR(set.lists[0].version, "2025-08-11");
        CHECK_INT(strlen(set.lists[0].sha256), 64);
        CHECK_INT(set.lists[0].rows_skipped, 2);
        CHECK(issues_contain(&set.lists[0], "row 649: no Name"));
        CHECK(issues_contain(&set.lists[0], "row 3524: no Name"));
    }
    CHECK(find_entity(&set, "BEL0174") == NULL);
    e = find_entity(&set, "RUS1466");
    CHECK(e != NULL);
    if (e) {
        CHECK_STR(e->names[0].text, "POTANIN Vladimir Olegovich");
        CHECK_INT(e->kind, XC_KIND_PERSON);
    }
    e = find_entity(&set, "AFG0001");
    CHECK(e != NULL);
    if (e) {
        CHECK_STR(e->names[0].text, "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE");
        CHECK_INT(e->kind, XC_KIND_ORG);
        CHECK_STR(e->listed_on, "2012-06-29");
        CHECK_STR(e->programs, "Afghanistan");
        CHECK_CONTAINS(e->remarks, "Designation source: UN");
    }
    xc__listset_free(&set);
}

TEST(uk_ofsi_xlsx_real)
{
    const char *path = th_shared("data/lists/uk-ofsi/ConList.xlsx");
    if (!path)
        SKIP("ConList.xlsx not available");
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    double t0 = now_ms();
    xc_status st = xc__parse_uk_ofsi(&set, path, &err);
    report_load("OFSI ConList.xlsx (4,688)", t0, &set);
    CHECK_INT(st, XC_OK);
    if (st != XC_OK)
        fprintf(stderr, "  %s\n", err.message);
    CHECK_INT(set.entity_count, 4688);
    CHECK_INT(count_kind(&set, XC_KIND_PERSON), 3663);
    CHECK_INT(count_kind(&set, XC_KIND_ORG), 1010);
    CHECK_INT(count_kind(&set, XC_KIND_VESSEL), 15);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].id, "uk_ofsi");
        CHECK_STR(set.lists[0].version, "2025-04-14");
        CHECK_INT(set.lists[0].rows_skipped, 0);
        CHECK_INT(strlen(set.lists[0].sha256), 64);
    }
    const xc__entity *e = find_entity(&set, "14241");
    CHECK(e != NULL);
    if (e) {
        CHECK(has_name(e, "Хизри Магомедович Абакаров", XC__NAME_ORIGINAL));
        CHECK(e->names[0].type == XC__NAME_PRIMARY);
        CHECK_CONTAINS(e->names[0].text, "ABAKAROV, Khizri");
        CHECK(e->names[0].reorder == 1);
        CHECK(e->dob_count >= 1);
        if (e->dob_count) {
            CHECK_INT(e->dobs[0].year, 1960);
            CHECK_INT(e->dobs[0].month, 6);
            CHECK_INT(e->dobs[0].day, 28);
        }
        CHECK_INT(e->kind, XC_KIND_PERSON);
    }
    e = find_entity(&set, "15672");
    CHECK(e != NULL);
    if (e) {
        CHECK(has_name(e, "MITHOO, Mian", XC__NAME_VARIANT));
        CHECK(has_country(e, "PK"));
        CHECK_STR(e->listed_on, "2022-12-09");
    }
    /* weak aliases come from Alias Quality "Low quality" */
    size_t weak = 0;
    for (size_t i = 0; i < set.entity_count; i++)
        for (uint32_t k = 0; k < set.entities[i].name_count; k++)
            if (set.entities[i].names[k].type == XC__NAME_WEAK_AKA)
                weak++;
    CHECK(weak > 500);
    xc__listset_free(&set);
}

TEST(uk_ofsi_csv_2018_real)
{
    const char *path = th_shared("data/lists/uk-ofsi/legacy-2018-04-13/ConList.csv");
    if (!path)
        SKIP("2018 ConList.csv not available");
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    double t0 = now_ms();
    xc_status st = xc__parse_uk_ofsi(&set, path, &err);
    report_load("OFSI ConList.csv 2018 (2,106)", t0, &set);
    CHECK_INT(st, XC_OK);
    CHECK_INT(set.entity_count, 2106);
    CHECK_INT(count_kind(&set, XC_KIND_PERSON), 1426);
    CHECK_INT(count_kind(&set, XC_KIND_ORG), 680);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].version, "2018-04-13");
        CHECK_INT(set.lists[0].rows_skipped, 0);
    }
    const xc__entity *e = find_entity(&set, "13349");
    CHECK(e != NULL);
    if (e) {
        /* leading space in Name 6 trimmed; 00/00/1980 gives a year only */
        CHECK(has_name(e, "AL-QAHTANI, Sheikh Farooq", -1));
        CHECK(e->dob_count == 2);
        if (e->dob_count) {
            CHECK_INT(e->dobs[0].year, 1980);
            CHECK_INT(e->dobs[0].month, 0);
        }
        CHECK(has_country(e, "SA"));
        CHECK(has_country(e, "QA"));
    }
    xc__listset_free(&set);
}

/* ---------------- EU ---------------- */

TEST(eu_csv_real_fixture)
{
    const char *path = th_shared("data/lists/eu-fsf/trimmed/fsf-1_1-csv-head-2024-10-02.csv");
    if (!path)
        SKIP("EU CSV fixture not available");
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    double t0 = now_ms();
    CHECK_INT(xc__parse_eu(&set, path, &err), XC_OK);
    report_load("EU FSF CSV head (4)", t0, &set);
    CHECK_INT(set.entity_count, 4);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].id, "eu_fsf");
        CHECK_STR(set.lists[0].version, "2024-10-02");
        CHECK_INT(set.lists[0].rows_skipped, 0);
        CHECK_INT(strlen(set.lists[0].sha256), 64);
    }
    const xc__entity *e = find_entity(&set, "13");
    CHECK(e != NULL);
    if (e) {
        CHECK_STR(e->names[0].text, "Saddam Hussein Al-Tikriti");
        CHECK_INT(e->names[0].type, XC__NAME_PRIMARY);
        CHECK(has_name(e, "Abu Ali", XC__NAME_AKA));
        CHECK(has_name(e, "Abou Ali", XC__NAME_AKA));
        CHECK_INT(e->kind, XC_KIND_PERSON);
        CHECK_INT(e->dob_count, 1);
        if (e->dob_count) {
            CHECK_INT(e->dobs[0].year, 1937);
            CHECK_INT(e->dobs[0].month, 4);
            CHECK_INT(e->dobs[0].day, 28);
        }
        CHECK(has_country(e, "IQ"));
        CHECK_STR(e->programs, "IRQ");
        CHECK_STR(e->listed_on, "2003-07-08");
    }
    e = find_entity(&set, "20");
    CHECK(e != NULL);
    if (e) {
        CHECK(has_name(e, "Qoussaï Saddam Hussein Al-Tikriti", XC__NAME_AKA));
        CHECK_INT(e->dob_count, 2); /* 1965 and 1966, year only */
    }
    CHECK(find_entity(&set, "23") != NULL);
    CHECK(find_entity(&set, "25") != NULL);
    xc__listset_free(&set);
}

TEST(eu_xml_sample)
{
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_eu(&set, "tests/data/eu/fsf-1_1-sample.xml", &err), XC_OK);
    CHECK_INT(set.entity_count, 4);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].version, "2024-10-02");
        CHECK_INT(set.lists[0].rows_skipped, 1); /* the sanctionEntity without logicalId */
        CHECK(issues_contain(&set.lists[0], "line 47"));
        CHECK_INT(strlen(set.lists[0].sha256), 64);
    }
    const xc__entity *e = find_entity(&set, "13");
    if (e) {
        CHECK_STR(e->names[0].text, "Saddam Hussein Al-Tikriti");
        CHECK_STR(e->remarks, "(UNSC RESOLUTION 1483)");
        CHECK_INT(e->dob_count, 1);
    } else
        CHECK(e != NULL);
    e = find_entity(&set, "900001");
    if (e) {
        CHECK_INT(e->kind, XC_KIND_ORG);
        CHECK(has_name(e, "STC", XC__NAME_WEAK_AKA));
        CHECK(has_name(e, "АО Образец Торговая Компания", XC__NAME_AKA));
        CHECK_INT(e->ident_count, 1);
        if (e->ident_count) {
            CHECK_STR(e->idents[0].value, "1027700000000");
            CHECK_STR(e->idents[0].country, "RU");
        }
        CHECK_INT(e->address_count, 1);
    } else
        CHECK(e != NULL);
    e = find_entity(&set, "900002");
    if (e) {
        CHECK_STR(e->names[0].text, "Sample Ahmad Example"); /* from name parts */
        CHECK(has_name(e, "Abu Sample", XC__NAME_WEAK_AKA));
        CHECK_INT(e->dob_count, 1);
        if (e->dob_count) {
            CHECK_INT(e->dobs[0].year, 1965);
            CHECK_INT(e->dobs[0].month, 0);
        }
    } else
        CHECK(e != NULL);
    CHECK(has_name(find_entity(&set, "900004"), "조선례시해운회사", XC__NAME_AKA));
    xc__listset_free(&set);
}

TEST(eu_csv_malformed_rows_and_bad_utf8)
{
    static const char header[] = "fileGenerationDate;Entity_LogicalId;Entity_SubjectType;"
                                 "Entity_SubjectType_ClassificationCode;NameAlias_WholeName\n";
    char data[1024];
    snprintf(data, sizeof data,
             "\xEF\xBB\xBF%s"
             "02/10/2024;101;P;person;Good Name\n"
             "02/10/2024;101;P;person;Bad \xFF\xFE Name\n"
             "02/10/2024;102;E;enterprise\n"            /* 4 fields: malformed */
             "02/10/2024;abc;E;enterprise;Bad Id\n"    /* non-numeric id */
             "02/10/2024;103;E;enterprise;\"Quoted; Name\"\r\n",
             header);
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_eu_csv_mem(&set, "test.csv", data, strlen(data), &err), XC_OK);
    CHECK_INT(set.entity_count, 2);
    if (set.list_count == 1) {
        CHECK_INT(set.lists[0].rows_skipped, 2);
        CHECK(issues_contain(&set.lists[0], "line 4: 4 fields, expected 5"));
        CHECK(issues_contain(&set.lists[0], "line 5: bad Entity_LogicalId"));
        CHECK(issues_contain(&set.lists[0], "row 3: invalid UTF-8"));
    }
    const xc__entity *e = find_entity(&set, "101");
    CHECK(has_name(e, "Bad \xEF\xBF\xBD\xEF\xBF\xBD Name", XC__NAME_AKA));
    CHECK(has_name(find_entity(&set, "103"), "Quoted; Name", XC__NAME_PRIMARY));
    xc__listset_free(&set);
    /* not an EU file at all: an error, nothing added */
    CHECK_INT(xc__listset_init(&set), XC_OK);
    CHECK_INT(xc__parse_eu_csv_mem(&set, "x.csv", "a;b;c\n1;2;3\n", 12, &err), XC_PARSE);
    CHECK_INT(set.list_count, 0);
    CHECK_INT(xc__parse_eu_xml_mem(&set, "x.xml", "<export/>", 9, &err), XC_PARSE);
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
}

/* ---------------- METI ---------------- */

static int make_meti(const char *out, const char *lang)
{
    const char *json = th_shared("data/lists/jp-meti/derived/jp.json");
    const char *py = th_python_with_openpyxl();
    if (!json || !py)
        return -1;
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s tests/tools/make_meti_xlsx.py '%s' '%s' %s", py, json, out,
             lang);
    return system(cmd) == 0 ? 0 : -2;
}

static void meti_check(const char *lang)
{
    char dir[] = "/tmp/xcheck-meti-XXXXXX";
    if (!mkdtemp(dir))
        SKIP("no temp dir");
    char path[256];
    snprintf(path, sizeof path, "%s/enduserlist.xlsx", dir);
    int made = make_meti(path, lang);
    if (made == -1)
        SKIP("jp.json or python3-openpyxl not available");
    CHECK_INT(made, 0);
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    double t0 = now_ms();
    CHECK_INT(xc__parse_meti(&set, path, &err), XC_OK);
    report_load(strcmp(lang, "en") ? "METI xlsx, ja header (835)" : "METI xlsx (835)", t0, &set);
    CHECK_INT(set.entity_count, 835);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].id, "jp_meti_eul");
        CHECK_STR(set.lists[0].version, "2025-09-29");
        CHECK_INT(set.lists[0].rows_skipped, 0);
        CHECK_INT(strlen(set.lists[0].sha256), 64);
    }
    const xc__entity *e = find_entity(&set, "1");
    if (e) {
        CHECK_STR(e->names[0].text, "Al Qa'ida/Islamic Army");
        CHECK(has_name(e, "Usama Bin Laden Organisation", XC__NAME_AKA));
        CHECK(has_country(e, "AF"));
        CHECK_STR(e->programs, "B;C;M;N;CW");
    } else
        CHECK(e != NULL);
    /* CJK in parentheses becomes a name of its own */
    e = find_entity(&set, "327");
    if (e) {
        CHECK_STR(e->names[0].text, "Kim Chaek Iron Works");
        CHECK(has_name(e, "金策製鉄所", XC__NAME_ORIGINAL));
        CHECK(has_name(e, "Kim Chaek Steel Union Corp.", XC__NAME_AKA));
        CHECK(has_name(e, "金策製鉄連合企業所", XC__NAME_AKA));
        CHECK(has_country(e, "KP"));
    } else
        CHECK(e != NULL);
    e = find_entity(&set, "318"); /* full-width parentheses （青松連合） */
    CHECK(has_name(e, "Green Pine Associated Corporation", XC__NAME_PRIMARY));
    CHECK(has_name(e, "青松連合", XC__NAME_ORIGINAL));
    CHECK(has_name(e, "総合貴金属連合体", XC__NAME_AKA));
    /* a non-CJK parenthesis stays in the name */
    CHECK(has_name(find_entity(&set, "125"), "Iranian Composites Institute (ICI)", XC__NAME_AKA));
    xc__listset_free(&set);
    unlink(path);
    rmdir(dir);
}

TEST(meti_generated_xlsx_english_header)
{
    meti_check("en");
}

TEST(meti_generated_xlsx_japanese_header)
{
    meti_check("ja");
}

/* ---------------- broken spreadsheets ---------------- */

#include <zip.h>

/* Writes a zip of (name, content) pairs to a temp file and reads it back into *out (owned). */
static size_t make_zip(const char *const *names, const char *const *contents, size_t n,
                       char **out)
{
    char path[] = "/tmp/xcheck-zip-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    close(fd);
    int code = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    if (!z)
        return 0;
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(z, contents[i], strlen(contents[i]), 0);
        if (!src || zip_file_add(z, names[i], src, ZIP_FL_ENC_UTF_8) < 0)
            return 0;
    }
    if (zip_close(z) != 0)
        return 0;
    size_t len = 0;
    if (xc__file_read(path, 1 << 26, out, &len, NULL) != XC_OK)
        len = 0;
    unlink(path);
    return len;
}

#define ODS_HEAD                                                                             \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                                            \
    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"" \
    " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""                       \
    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body>"            \
    "<office:spreadsheet><table:table table:name=\"UK_Sanction_List\">"
#define ODS_ROW(id, name)                                                                    \
    "<table:table-row><table:table-cell><text:p>" id "</text:p></table:table-cell>"          \
    "<table:table-cell><text:p>1</text:p></table:table-cell>"                               \
    "<table:table-cell><text:p>" name "</text:p></table:table-cell>"                        \
    "<table:table-cell><text:p>Russia</text:p></table:table-cell>"                          \
    "<table:table-cell><text:p>Entity</text:p></table:table-cell></table:table-row>"
#define ODS_HEADER_ROW ODS_ROW("Unique ID", "Name")
#define ODS_TAIL "</table:table></office:spreadsheet></office:body></office:document-content>"

static size_t make_ods(const char *content, char **out)
{
    const char *names[] = {"mimetype", "content.xml"};
    const char *contents[] = {"application/vnd.oasis.opendocument.spreadsheet", content};
    return make_zip(names, contents, 2, out);
}

TEST(ods_huge_repeat_counts_are_capped)
{
    const char *content =
        ODS_HEAD ODS_HEADER_ROW ODS_ROW("RUS0001", "FIRST GOOD")
        "<table:table-row><table:table-cell><text:p>RUS0002</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"1000000000\"><text:p>X</text:p>"
        "</table:table-cell></table:table-row>"
        "<table:table-row table:number-rows-repeated=\"1000000000\"><table:table-cell>"
        "<text:p>RUS0003</text:p></table:table-cell><table:table-cell/>"
        "<table:table-cell><text:p>REPEATED</text:p></table:table-cell></table:table-row>"
        ODS_ROW("RUS0004", "LAST GOOD")
        "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell "
        "table:number-columns-repeated=\"16384\"/></table:table-row>" ODS_TAIL;
    char *zip = NULL;
    size_t len = make_ods(content, &zip);
    CHECK(len > 0);
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    double t0 = now_ms();
    CHECK_INT(xc__parse_uk_fcdo_mem(&set, "FCDO_SL_test.ods", zip, len, &err), XC_OK);
    CHECK(now_ms() - t0 < 5000); /* bounded work, not 10^9 cells; generous for ASan */
    CHECK(find_entity(&set, "RUS0001") != NULL);
    CHECK(find_entity(&set, "RUS0004") != NULL);
    CHECK(find_entity(&set, "RUS0002") != NULL); /* name "X" from the capped repeat */
    CHECK(find_entity(&set, "RUS0003") != NULL);
    if (set.list_count == 1) {
        CHECK(issues_contain(&set.lists[0], "repeated 1000000000 times, capped at 1024"));
        CHECK(issues_contain(&set.lists[0], "row repeated 1000000000 times, capped at 1000"));
    }
    xc__listset_free(&set);
    xc__free_mem(zip);
}

TEST(ods_bad_utf8_and_truncated_xml_keep_earlier_rows)
{
    const char *content = ODS_HEAD ODS_HEADER_ROW ODS_ROW("A1", "GOOD ONE") ODS_ROW(
        "A2", "GOOD TWO") ODS_ROW("A3", "BAD \xC3\x28 UTF8") ODS_ROW("A4", "NEVER") ODS_TAIL;
    char *zip = NULL;
    size_t len = make_ods(content, &zip);
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_uk_fcdo_mem(&set, "FCDO_SL_test.ods", zip, len, &err), XC_OK);
    CHECK_INT(set.entity_count, 2);
    if (set.list_count == 1) {
        CHECK_INT(set.lists[0].rows_skipped, 1);
        CHECK(issues_contain(&set.lists[0], "content.xml line"));
        CHECK(issues_contain(&set.lists[0], "rest of the file skipped"));
    }
    xc__listset_free(&set);
    xc__free_mem(zip);
    /* XML cut mid-row: the rows before the cut are kept */
    char cut[4096];
    snprintf(cut, sizeof cut, "%s", ODS_HEAD ODS_HEADER_ROW ODS_ROW("B1", "KEPT") ODS_ROW("B2", "ALSO KEPT"));
    size_t clen = strlen(cut);
    snprintf(cut + clen, sizeof cut - clen, "%.60s", ODS_ROW("B3", "CUT OFF"));
    len = make_ods(cut, &zip);
    CHECK_INT(xc__listset_init(&set), XC_OK);
    CHECK_INT(xc__parse_uk_fcdo_mem(&set, "FCDO_SL_cut.ods", zip, len, &err), XC_OK);
    CHECK_INT(set.entity_count, 2);
    CHECK(set.list_count == 1 && set.lists[0].rows_skipped == 1);
    xc__listset_free(&set);
    xc__free_mem(zip);
}

TEST(truncated_zip_is_an_error)
{
    const char *content = ODS_HEAD ODS_HEADER_ROW ODS_ROW("C1", "NAME") ODS_TAIL;
    char *zip = NULL;
    size_t len = make_ods(content, &zip);
    CHECK(len > 100);
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_uk_fcdo_mem(&set, "FCDO_SL_t.ods", zip, len / 2, &err), XC_CORRUPT);
    CHECK_CONTAINS(err.message, "FCDO_SL_t.ods");
    CHECK_INT(set.list_count, 0);
    CHECK_INT(set.entity_count, 0);
    /* and an OFSI xlsx cut short */
    const char *path = th_shared("data/lists/uk-ofsi/ConList.xlsx");
    if (path) {
        char *data = NULL;
        size_t dlen = 0;
        CHECK_INT(xc__file_read(path, 1 << 26, &data, &dlen, NULL), XC_OK);
        CHECK(xc__parse_uk_ofsi_xlsx_mem(&set, "ConList.xlsx", data, dlen - 1000, &err) != XC_OK);
        CHECK_INT(set.entity_count, 0);
        xc__free_mem(data);
    }
    /* not a zip at all */
    CHECK_INT(xc__parse_meti_mem(&set, "x.xlsx", "hello", 5, &err), XC_CORRUPT);
    xc__listset_free(&set);
    xc__free_mem(zip);
}

/* Sets the uncompressed size of every entry in the central directory (a zip bomb's claim). */
static void patch_declared_size(char *zip, size_t len, uint32_t size)
{
    for (size_t i = 0; i + 46 <= len; i++)
        if (memcmp(zip + i, "PK\x01\x02", 4) == 0) {
            zip[i + 24] = (char)(size & 0xFF);
            zip[i + 25] = (char)((size >> 8) & 0xFF);
            zip[i + 26] = (char)((size >> 16) & 0xFF);
            zip[i + 27] = (char)((size >> 24) & 0xFF);
        }
}

TEST(zip_bomb_entry_limits)
{
    const char *content = ODS_HEAD ODS_HEADER_ROW ODS_ROW("D1", "NAME") ODS_TAIL;
    char *zip = NULL;
    size_t len = make_ods(content, &zip);
    patch_declared_size(zip, len, 0xFFFFFFF0u);
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_uk_fcdo_mem(&set, "FCDO_SL_bomb.ods", zip, len, &err), XC_TOOBIG);
    CHECK_CONTAINS(err.message, "declares 4294967280 bytes");
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
    xc__free_mem(zip);
    /* an entry that really inflates past the limit: 4 MiB of spaces compress to a few KiB */
    size_t big = (size_t)4 << 20;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big);
    huge[big] = '\0';
    memcpy(huge, ODS_HEAD, strlen(ODS_HEAD));
    len = make_ods(huge, &zip);
    free(huge);
    CHECK(len > 0 && len < big / 100);
    xc__sheet_opts opts = {0};
    opts.max_entry = 1 << 20;
    CHECK_INT(xc__sheet_read_mem(zip, len, XC__SHEET_AUTO, &opts, NULL, NULL, &err), XC_TOOBIG);
    CHECK_CONTAINS(err.message, "content.xml");
    xc__free_mem(zip);
}

static xc_status count_rows(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
    (void)row;
    (void)cells;
    (void)ncells;
    (*(size_t *)ctx)++;
    return XC_OK;
}

TEST(xlsx_inline_strings_sparse_rows_and_numbers)
{
    const char *names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml"};
    const char *contents[] = {
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>",
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> hi "
        "</t></is></c><c r=\"D3\"><v>42</v></c></row><row r=\"7\"><c r=\"AA7\" t=\"str\"><v>x"
        "</v></c></row><row r=\"8\"/></sheetData></worksheet>"};
    char *zip = NULL;
    size_t len = make_zip(names, contents, 2, &zip);
    size_t rows = 0;
    xc_error err = {0};
    CHECK_INT(xc__sheet_read_mem(zip, len, XC__SHEET_AUTO, NULL, count_rows, &rows, &err), XC_OK);
    CHECK_INT(rows, 2);
    xc__free_mem(zip);
}

/* ---------------- detection ---------------- */

TEST(sniffers)
{
    static const char eu_csv[] = "fileGenerationDate;Entity_LogicalId;Entity_EU_ReferenceNumber";
    static const char eu_xml[] = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<export "
                                 "xmlns=\"http://eu.europa.eu/fpi/fsd/export\" generationDate=\"x\">";
    CHECK(xc__sniff_eu("/d/20250801-FULL-1_1.csv", eu_csv, sizeof eu_csv - 1));
    CHECK(xc__sniff_eu("eu_sanctions.csv", eu_csv, sizeof eu_csv - 1));
    CHECK(!xc__sniff_eu("other.csv", eu_csv, sizeof eu_csv - 1));
    CHECK(!xc__sniff_eu("FULL.csv", "a;b;c", 5));
    CHECK(xc__sniff_eu("anything.xml", eu_xml, sizeof eu_xml - 1));
    CHECK(!xc__sniff_eu("sdn.xml", "<sdnList xmlns=\"http://tempuri.org/sdnList.xsd\">", 48));
    CHECK(xc__sniff_uk_fcdo("x/FCDO_SL_Mon_Aug_11_2025.ods", "PK\x03\x04", 4));
    CHECK(xc__sniff_uk_fcdo("UK_Sanctions_List.ods", "PK\x03\x04", 4));
    CHECK(!xc__sniff_uk_fcdo("UK_Sanctions_List.ods", "<?xml", 5));
    CHECK(xc__sniff_uk_ofsi("a/ConList.xlsx", "PK\x03\x04", 4));
    CHECK(xc__sniff_uk_ofsi("conlist.csv", "Last Updated,", 13));
    CHECK(xc__sniff_uk_ofsi("renamed.csv", "Last Updated,13/04/2018\nName 6,Group ID", 39));
    CHECK(!xc__sniff_uk_ofsi("renamed.csv", "Name,Address", 12));
    CHECK(xc__sniff_meti("enduserlist_20250929.xlsx", "PK\x03\x04", 4));
    CHECK(!xc__sniff_meti("ConList.xlsx", "PK\x03\x04", 4));
}

TEST(uk_fcdo_csv_layout)
{
    /* Column titles as a third-party reader of UK_Sanctions_List.csv uses them; the official
     * file was not at hand, so this checks the mapping, not the real layout. */
    static const char data[] =
        "Report Date: 11-Aug-2025\n"
        "Unique ID,OFSI Group ID,UN Reference Number,Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,"
        "Name type,Alias strength,Title,Name non-latin script,Non-latin script type,"
        "Non-latin script language,Regime Name,Designation Type,Designation source,"
        "Sanctions Imposed,Other Information,UK Statement of Reasons,Address Line 1,"
        "Address Line 2,Address Line 3,Address Line 4,Address Line 5,Address Line 6,"
        "Address Postal Code,Address Country,D.O.B,Nationality(/ies),Passport number,"
        "Date Designated,Last Updated\n"
        "RUS1466,15417,,POTANIN,Vladimir,Olegovich,,,,Primary Name,,,Владимир Олегович Потанин,"
        "Cyrillic,Russian,Russia,Individual,UK,Asset freeze|Travel Ban,,,,,,,,,,Russia,"
        "03/01/1961,Russia,,29/06/2022,29/06/2022\n"
        "RUS1466,15417,,POTANIN,Vladimir,,,,,Alias,Low,,,,,Russia,Individual,UK,,,,,,,,,,,,"
        ",,,29/06/2022,29/06/2022\n"
        ",1,,NOBODY,,,,,,Primary Name,,,,,,Russia,Individual,UK,,,,,,,,,,,,,,,,\n";
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_uk_fcdo_csv_mem(&set, "UK_Sanctions_List.csv", data, sizeof data - 1,
                                        &err), XC_OK);
    CHECK_INT(set.entity_count, 1);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].id, "uk_fcdo");
        CHECK_STR(set.lists[0].version, "2025-08-11");
        CHECK_INT(set.lists[0].rows_skipped, 1);
        CHECK(issues_contain(&set.lists[0], "row 5: no Unique ID"));
    }
    const xc__entity *e = find_entity(&set, "RUS1466");
    if (e) {
        CHECK_STR(e->names[0].text, "POTANIN, Vladimir Olegovich");
        CHECK(has_name(e, "POTANIN, Vladimir", XC__NAME_WEAK_AKA));
        CHECK(has_name(e, "Владимир Олегович Потанин", XC__NAME_ORIGINAL));
        CHECK_INT(e->kind, XC_KIND_PERSON);
        CHECK(has_country(e, "RU"));
        CHECK_STR(e->listed_on, "2022-06-29");
    } else
        CHECK(e != NULL);
    CHECK(xc__sniff_uk_fcdo("UK_Sanctions_List.csv", "Report", 6));
    xc__listset_free(&set);
}

/* ---------------- fault injection ---------------- */

typedef xc_status (*mem_parser)(xc__listset *, const char *, const void *, size_t, xc_error *);

/* Fails each allocation in turn: every run must end in XC_OK or XC_NOMEM, leaving a set that
 * frees cleanly (ASan reports leaks). */
static void fail_each_allocation(mem_parser parse, const char *name, const void *data,
                                 size_t len)
{
    xc__listset set;
    xc_error err;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc__alloc_fail_at(1L << 40);
    CHECK_INT(parse(&set, name, data, len, &err), XC_OK);
    long total = xc__alloc_count();
    xc__alloc_fail_at(0);
    xc__listset_free(&set);
    CHECK(total > 5);
    for (long n = 1; n <= total; n++) {
        CHECK_INT(xc__listset_init(&set), XC_OK);
        xc__alloc_fail_at(n);
        xc_status st = parse(&set, name, data, len, &err);
        xc__alloc_fail_at(0);
        if (st != XC_OK && st != XC_NOMEM)
            TH_FAIL("%s: allocation %ld failed gave %s (%s)", name, n, xc_status_name(st),
                    err.message);
        xc__listset_free(&set);
    }
}

TEST(fault_injection_every_allocation)
{
    char *xml = NULL;
    size_t xml_len = 0;
    CHECK_INT(xc__file_read("tests/data/eu/fsf-1_1-sample.xml", 1 << 20, &xml, &xml_len, NULL),
              XC_OK);
    fail_each_allocation(xc__parse_eu_xml_mem, "sample.xml", xml, xml_len);
    xc__free_mem(xml);
    static const char csv[] =
        "fileGenerationDate;Entity_LogicalId;Entity_SubjectType;NameAlias_WholeName;"
        "Citizenship_CountryIso2Code\n02/10/2024;1;P;A B;IQ\n02/10/2024;1;P;C \xFF;\n"
        "02/10/2024;2;E;D;\n02/10/2024;x;E;D;\n";
    fail_each_allocation(xc__parse_eu_csv_mem, "t.csv", csv, sizeof csv - 1);
    char *zip = NULL;
    size_t len = make_ods(ODS_HEAD ODS_HEADER_ROW ODS_ROW("A1", "ONE") ODS_ROW("A2", "TWO")
                              ODS_ROW("", "NO ID") ODS_TAIL,
                          &zip);
    fail_each_allocation(xc__parse_uk_fcdo_mem, "FCDO_SL_t.ods", zip, len);
    xc__free_mem(zip);
    static const char ofsi[] = "Last Updated,13/04/2018\nName 6,Name 1,DOB,Nationality,Group "
                               "Type,Alias Type,Regime,Listed On,Group ID\nX,Y,00/00/1980,1) "
                               "Iran 2) Iraq,Individual,Prime Alias,R,01/02/2003,7\n";
    fail_each_allocation(xc__parse_uk_ofsi_csv_mem, "ConList.csv", ofsi, sizeof ofsi - 1);
    char *xlsx = NULL;
    size_t xlen = 0;
    if (xc__file_read("tests/fuzz/corpus/fuzz_sheet/seed_ofsi.xlsx", 1 << 20, &xlsx, &xlen,
                      NULL) == XC_OK) {
        fail_each_allocation(xc__parse_uk_ofsi_xlsx_mem, "ConList.xlsx", xlsx, xlen);
        xc__free_mem(xlsx);
    } else
        CHECK(!"seed_ofsi.xlsx missing");
    if (xc__file_read("tests/fuzz/corpus/fuzz_sheet/seed_meti.xlsx", 1 << 20, &xlsx, &xlen,
                      NULL) == XC_OK) {
        fail_each_allocation(xc__parse_meti_mem, "enduser.xlsx", xlsx, xlen);
        xc__free_mem(xlsx);
    } else
        CHECK(!"seed_meti.xlsx missing");
}

TEST(uk_fcdo_xml_layout)
{
    /* Element names as a third-party reader of UK_Sanctions_List.xml uses them (unverified). */
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Designations>\n"
        "<DateGenerated>2025-08-11T09:00:00</DateGenerated>\n"
        "<Designation><LastUpdated>29/06/2022</LastUpdated><DateDesignated>29/06/2022"
        "</DateDesignated><UniqueID>RUS1466</UniqueID><OFSIGroupID>15417</OFSIGroupID>"
        "<RegimeName>Russia</RegimeName><IndividualEntityShip>Individual</IndividualEntityShip>"
        "<Names><Name><Name1>Vladimir</Name1><Name2>Olegovich</Name2><Name6>POTANIN</Name6>"
        "<NameType>Primary Name</NameType></Name><Name><Name6>POTANINE</Name6><NameType>Alias"
        "</NameType><AliasStrength>Low</AliasStrength></Name></Names>"
        "<NonLatinNames><NonLatinName><NameNonLatinScript>Владимир Потанин</NameNonLatinScript>"
        "</NonLatinName></NonLatinNames><Addresses><Address><AddressLine1>Moscow</AddressLine1>"
        "<AddressCountry>Russia</AddressCountry></Address></Addresses><IndividualDetails>"
        "<Individual><DOBs><DOB>03/01/1961</DOB></DOBs><Nationalities><Nationality>Russia"
        "</Nationality></Nationalities></Individual></IndividualDetails></Designation>\n"
        "<Designation><Names><Name><Name6>NO ID</Name6><NameType>Primary Name</NameType></Name>"
        "</Names></Designation>\n"
        "<Designation><UniqueID>RUS9999</UniqueID><IndividualEntityShip>Ship</IndividualEntityShip>"
        "<Names><Name><Name6>SAMPLE SHIP</Name6><NameType>Primary Name</NameType></Name></Names>"
        "<ShipDetails><Ship><IMONumbers><IMONumber>9123456</IMONumber></IMONumbers></Ship>"
        "</ShipDetails></Designation>\n</Designations>\n";
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__parse_uk_fcdo_xml_mem(&set, "UK_Sanctions_List.xml", xml, sizeof xml - 1, &err),
              XC_OK);
    CHECK_INT(set.entity_count, 2);
    if (set.list_count == 1) {
        CHECK_STR(set.lists[0].version, "2025-08-11");
        CHECK_INT(set.lists[0].rows_skipped, 1);
        CHECK(issues_contain(&set.lists[0], "Designation without UniqueID"));
    }
    const xc__entity *e = find_entity(&set, "RUS1466");
    if (e) {
        CHECK_STR(e->names[0].text, "POTANIN, Vladimir Olegovich");
        CHECK(has_name(e, "POTANINE", XC__NAME_WEAK_AKA));
        CHECK(has_name(e, "Владимир Потанин", XC__NAME_ORIGINAL));
        CHECK(has_country(e, "RU"));
        CHECK_INT(e->dob_count, 1);
        CHECK_STR(e->listed_on, "2022-06-29");
        CHECK_INT(e->address_count, 1);
    } else
        CHECK(e != NULL);
    e = find_entity(&set, "RUS9999");
    if (e) {
        CHECK_INT(e->kind, XC_KIND_VESSEL);
        CHECK(e->ident_count == 1 && strcmp(e->idents[0].type, "IMO") == 0);
    } else
        CHECK(e != NULL);
    xc__listset_free(&set);
    fail_each_allocation(xc__parse_uk_fcdo_xml_mem, "UK_Sanctions_List.xml", xml, sizeof xml - 1);
    CHECK_INT(xc__listset_init(&set), XC_OK);
    CHECK_INT(xc__parse_uk_fcdo_xml_mem(&set, "x.xml", "<sdnList/>", 10, &err), XC_PARSE);
    CHECK_INT(set.list_count, 0);
    xc__listset_free(&set);
}

/* load.c recognises the EU, UK and METI files by name and content, without being told. */
TEST(load_paths_recognises_extra_sources)
{
    const char *ofsi = th_shared("data/lists/uk-ofsi/ConList.xlsx");
    const char *fcdo_dir = th_shared("data/lists/uk-fcdo");
    if (!ofsi || !fcdo_dir)
        SKIP("UK files missing under ../shared");
    char ofsi_path[4096], fcdo_path[4096], eu_path[4096];
    snprintf(ofsi_path, sizeof ofsi_path, "%s", th_shared("data/lists/uk-ofsi/ConList.xlsx"));
    snprintf(fcdo_path, sizeof fcdo_path, "%s", th_shared("data/lists/uk-fcdo"));
    const char *eu = th_shared("data/lists/eu-fsf/trimmed");
    if (!eu)
        SKIP("EU excerpt missing under ../shared");
    snprintf(eu_path, sizeof eu_path, "%s", eu);
    const char *paths[] = {ofsi_path, fcdo_path, eu_path, NULL};
    xc__listset set;
    CHECK_INT(xc__listset_init(&set), XC_OK);
    xc_error err = {0};
    CHECK_INT(xc__load_paths(&set, paths, &err), XC_OK);
    int seen = 0;
    for (size_t i = 0; i < set.list_count; i++) {
        if (strcmp(set.lists[i].id, "uk_ofsi") == 0) {
            CHECK_INT(set.lists[i].entities, 4688);
            seen |= 1;
        } else if (strcmp(set.lists[i].id, "uk_fcdo") == 0) {
            CHECK(set.lists[i].entities >= 5290);
            seen |= 2;
        } else if (strcmp(set.lists[i].id, "eu_fsf") == 0) {
            CHECK_INT(set.lists[i].entities, 4);
            seen |= 4;
        }
    }
    CHECK_INT(seen, 7);
    xc__listset_free(&set);
}
