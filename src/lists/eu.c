/*
 * eu.c — the EU consolidated financial sanctions list (FSF), list id eu_fsf, in its two
 * published forms. CSV 1.1: ';'-separated, 118 columns, one row per sub-record (a name alias,
 * an address, a birth date, an identification or a citizenship) repeating the entity columns;
 * rows are grouped by Entity_LogicalId. XML 1.1: root `export` (namespace
 * http://eu.europa.eu/fpi/fsd/export, attribute generationDate) holding `sanctionEntity`
 * elements whose facts are attributes of child elements (nameAlias wholeName/strong,
 * birthdate, citizenship, address, identification, regulation). Both stream.
 */
#include <string.h>

#include <libxml/xmlreader.h>

#include "extra.h"
#include "sources_extra.h"

#define EU_NS "http://eu.europa.eu/fpi/fsd/export"
#define EU_TITLE "EU Consolidated Financial Sanctions List"

static xc_kind eu_kind(const char *code)
{
    if (xc__str_ieq(code, "person") || xc__str_ieq(code, "P"))
        return XC_KIND_PERSON;
    if (xc__str_ieq(code, "enterprise") || xc__str_ieq(code, "E"))
        return XC_KIND_ORG;
    return XC_KIND_ANY;
}

/* "2024-10-02", "2024-10-02T..." or "02/10/2024" into version. */
static void eu_version(const char *text, char out[11])
{
    size_t len = strlen(text);
    text = xc__trim(text, &len);
    if (len > 10 && text[10] == 'T')
        len = 10;
    xc__pdate d;
    if (xc__pdate_parse(text, len, true, &d) && d.month && d.day)
        xc__date_format(xc__date_from_ymd(d.year, d.month, d.day), out);
}

/* Joins the non-empty parts with ", " into out. */
static size_t join_parts(char *out, size_t size, const char *const *parts, size_t n)
{
    size_t pos = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && pos < size; i++) {
        size_t len = parts[i] ? strlen(parts[i]) : 0;
        const char *p = len ? xc__trim(parts[i], &len) : "";
        if (!len)
            continue;
        int w = snprintf(out + pos, size - pos, "%s%.*s", pos ? ", " : "", (int)len, p);
        if (w < 0)
            break;
        pos += (size_t)w;
    }
    return pos < size ? pos : size - 1;
}

/* ======================= CSV 1.1 ======================= */

enum {
    C_DATE, C_ID, C_REF, C_REMARK, C_KIND, C_KIND_CODE, C_PUBDATE, C_PROGRAMME, C_LAST, C_FIRST,
    C_MIDDLE, C_WHOLE, C_ALIAS_ID, C_A_STREET, C_A_CITY, C_A_ZIP, C_A_REGION, C_A_PLACE,
    C_A_POBOX, C_A_CC, C_A_COUNTRY, C_B_DATE, C_B_DAY, C_B_MONTH, C_B_YEAR, C_I_NUMBER,
    C_I_TYPE, C_I_TYPE_DESC, C_I_CC, C_C_CC, C_DESIGNATION, C_B_CITY, C_B_REGION, C_B_PLACE,
    C_B_COUNTRY, C_COUNT
};
static const char *const eu_cols[C_COUNT] = {
    "fileGenerationDate", "Entity_LogicalId", "Entity_EU_ReferenceNumber", "Entity_Remark",
    "Entity_SubjectType_ClassificationCode", "Entity_SubjectType",
    "Entity_Regulation_PublicationDate", "Entity_Regulation_Programme", "NameAlias_LastName",
    "NameAlias_FirstName", "NameAlias_MiddleName", "NameAlias_WholeName", "NameAlias_LogicalId",
    "Address_Street", "Address_City", "Address_ZipCode", "Address_Region", "Address_Place",
    "Address_PoBox", "Address_CountryIso2Code", "Address_CountryDescription",
    "BirthDate_BirthDate", "BirthDate_Day", "BirthDate_Month", "BirthDate_Year",
    "Identification_Number", "Identification_TypeCode", "Identification_TypeDescription",
    "Identification_CountryIso2Code", "Citizenship_CountryIso2Code", "Entity_DesignationDate",
    "BirthDate_City", "BirthDate_Region", "BirthDate_Place", "BirthDate_CountryDescription"};

static const char *fld(const xc__csv *csv, const int *col, int which)
{
    int c = col[which];
    return c >= 0 ? xc__csv_field(csv, (size_t)c, NULL) : ""; /* "" past the last field */
}

/* Index of the header cell titled `title`, or -1. */
static int header_col(const xc__csv *csv, const char *title)
{
    for (size_t i = 0; i < xc__csv_count(csv); i++) {
        const char *cell = xc__csv_field(csv, i, NULL);
        if (xc__x_header_index(&cell, 1, title) == 0)
            return (int)i;
    }
    return -1;
}

static int small_int(const char *s)
{
    int n = 0;
    size_t len = strlen(s);
    s = xc__trim(s, &len);
    if (len == 0 || len > 4)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        n = n * 10 + (s[i] - '0');
    }
    return n;
}

static xc_status eu_csv_row(xc__x_coll *coll, xc__x_ent *e, const xc__csv *csv,
                            const int *col)
{
    xc_status rc = XC_OK;
    xc__x_kind(e, eu_kind(fld(csv, col, C_KIND)));
    xc__x_kind(e, eu_kind(fld(csv, col, C_KIND_CODE)));
    const char *whole = fld(csv, col, C_WHOLE);
    char composed[1024];
    if (!*whole) {
        const char *parts[3] = {fld(csv, col, C_FIRST), fld(csv, col, C_MIDDLE),
                                fld(csv, col, C_LAST)};
        size_t pos = 0;
        composed[0] = '\0';
        for (int i = 0; i < 3 && pos < sizeof composed; i++)
            if (*parts[i])
                pos += (size_t)snprintf(composed + pos, sizeof composed - pos, "%s%s",
                                        pos ? " " : "", parts[i]);
        whole = composed;
    }
    if (*whole) {
        /* CSV 1.1 has no strong flag; the entity's first alias becomes its primary name. */
        rc = xc__x_name(coll, e, whole, strlen(whole), XC__NAME_AKA, false);
    }
    const char *addr_parts[] = {fld(csv, col, C_A_STREET), fld(csv, col, C_A_POBOX),
                                fld(csv, col, C_A_CITY),   fld(csv, col, C_A_ZIP),
                                fld(csv, col, C_A_REGION), fld(csv, col, C_A_PLACE),
                                fld(csv, col, C_A_COUNTRY)};
    char address[2048];
    size_t alen = join_parts(address, sizeof address, addr_parts, 6); /* without country */
    if (rc == XC_OK && alen > 0) {
        alen = join_parts(address, sizeof address, addr_parts, 7);
        rc = xc__x_address(coll, e, address, alen);
    }
    if (rc == XC_OK && *fld(csv, col, C_A_CC))
        rc = xc__x_country(coll, e, fld(csv, col, C_A_CC), strlen(fld(csv, col, C_A_CC)));
    if (rc == XC_OK && *fld(csv, col, C_C_CC))
        rc = xc__x_nationality(coll, e, fld(csv, col, C_C_CC), strlen(fld(csv, col, C_C_CC)));
    const char *pob_country = fld(csv, col, C_B_COUNTRY);
    if (xc__str_ieq(pob_country, "UNKNOWN")) /* the EU's placeholder */
        pob_country = "";
    const char *pob_parts[] = {fld(csv, col, C_B_CITY), fld(csv, col, C_B_PLACE),
                               fld(csv, col, C_B_REGION), pob_country};
    char pob[1024];
    size_t plen = join_parts(pob, sizeof pob, pob_parts, 4);
    if (rc == XC_OK && plen > 0)
        rc = xc__x_pob(coll, e, pob, plen);
    xc__pdate d;
    const char *bd = fld(csv, col, C_B_DATE);
    if (*bd && xc__pdate_parse(bd, strlen(bd), true, &d)) {
        if (rc == XC_OK)
            rc = xc__x_dob(coll, e, d);
    } else {
        int y = small_int(fld(csv, col, C_B_YEAR));
        if (y > 0) {
            memset(&d, 0, sizeof d);
            d.year = (int16_t)y;
            int m = small_int(fld(csv, col, C_B_MONTH)), day = small_int(fld(csv, col, C_B_DAY));
            if (m >= 1 && m <= 12) {
                d.month = (int8_t)m;
                if (day >= 1 && day <= 31)
                    d.day = (int8_t)day;
            }
            if (rc == XC_OK)
                rc = xc__x_dob(coll, e, d);
        }
    }
    const char *num = fld(csv, col, C_I_NUMBER);
    if (rc == XC_OK && *num) {
        const char *type = *fld(csv, col, C_I_TYPE_DESC) ? fld(csv, col, C_I_TYPE_DESC)
                                                          : fld(csv, col, C_I_TYPE);
        const char *cc = fld(csv, col, C_I_CC);
        rc = xc__x_ident(coll, e, type, num, strlen(num), strcmp(cc, "00") ? cc : NULL);
    }
    const char *prog = fld(csv, col, C_PROGRAMME);
    if (rc == XC_OK && *prog)
        rc = xc__x_program(coll, e, prog, strlen(prog));
    const char *remark = fld(csv, col, C_REMARK);
    if (rc == XC_OK && *remark)
        rc = xc__x_remark(coll, e, remark, strlen(remark));
    const char *listed = *fld(csv, col, C_DESIGNATION) ? fld(csv, col, C_DESIGNATION)
                                                        : fld(csv, col, C_PUBDATE);
    if (*listed && xc__pdate_parse(listed, strlen(listed), true, &d))
        xc__x_listed(e, d);
    return rc;
}

static xc_status eu_csv(xc__listset *set, const char *path, const void *data, size_t len,
                        xc_error *err)
{
    const char *file = xc__path_base(path);
    xc__csv *csv;
    FILE *in;
    xc_status r = xc__x_csv_open(path, data, len, ';', &csv, &in, err);
    if (r != XC_OK)
        return r;
    int col[C_COUNT];
    r = xc__csv_next(csv);
    if (r != XC_OK || header_col(csv, "Entity_LogicalId") < 0) {
        xc__x_csv_close(csv, in);
        if (r == XC_NOMEM)
            return xc__error_set(err, XC_NOMEM, "%s: out of memory", file);
        return xc__error_set(err, r == XC_IO ? XC_IO : XC_PARSE,
                             "%s: not an EU FSF CSV (no Entity_LogicalId header)", file);
    }
    size_t header_fields = xc__csv_count(csv);
    for (int i = 0; i < C_COUNT; i++)
        col[i] = header_col(csv, eu_cols[i]);
    int list = xc__listset_list(set, "eu_fsf", EU_TITLE, path);
    xc__x_coll *coll = list >= 0 ? xc__x_coll_new(set, list, path) : NULL;
    if (!coll) {
        xc__x_csv_close(csv, in);
        return xc__error_set(err, XC_NOMEM, "%s: out of memory", file);
    }
    xc_status rc = XC_OK;
    bool have_version = false;
    while (rc == XC_OK && ((r = xc__csv_next(csv)) == XC_OK || r == XC_TOOBIG)) {
        size_t line = xc__csv_line(csv);
        xc__x_coll_row(coll, line);
        if (r == XC_TOOBIG) {
            xc__list_skip(set, list, "%s line %zu: record too long", file, line);
            continue;
        }
        size_t fields = xc__csv_count(csv);
        if (fields == 1 && xc__csv_field(csv, 0, NULL)[0] == '\0')
            continue; /* blank line */
        if (fields != header_fields) {
            xc__list_skip(set, list, "%s line %zu: %zu fields, expected %zu", file, line, fields,
                          header_fields);
            continue;
        }
        const char *id = fld(csv, col, C_ID);
        if (!*id || strspn(id, "0123456789") != strlen(id)) {
            xc__list_skip(set, list, "%s line %zu: bad Entity_LogicalId \"%.40s\"", file, line,
                          id);
            continue;
        }
        if (!have_version && *fld(csv, col, C_DATE)) {
            eu_version(fld(csv, col, C_DATE), set->lists[list].version);
            have_version = true;
        }
        xc__x_ent *e = xc__x_get(coll, id, strlen(id));
        if (!e) {
            rc = XC_NOMEM;
            break;
        }
        rc = eu_csv_row(coll, e, csv, col);
    }
    if (rc == XC_OK && r == XC_NOMEM)
        rc = XC_NOMEM;
    else if (rc == XC_OK && r == XC_IO)
        xc__list_skip(set, list, "%s: read error after line %zu; rest skipped", file,
                      xc__csv_line(csv));
    if (rc == XC_OK)
        rc = xc__x_finish(coll);
    xc__x_coll_free(coll);
    xc__source_sha256(data ? NULL : path, data, len, set->lists[list].sha256, NULL);
    xc__x_csv_close(csv, in);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "%s: out of memory", file);
    return XC_OK;
}

xc_status xc__parse_eu_csv(xc__listset *set, const char *path, xc_error *err)
{
    return eu_csv(set, path, NULL, 0, err);
}

xc_status xc__parse_eu_csv_mem(xc__listset *set, const char *name, const void *data, size_t len,
                               xc_error *err)
{
    return eu_csv(set, name, data ? data : "", data ? len : 0, err);
}

/* ======================= XML 1.1 ======================= */

typedef struct xml_state {
    char error[300];
} xml_state;

static void eu_xml_error(void *context, const xmlError *error)
{
    xml_state *s = context;
    if (s->error[0] || !error)
        return;
    const char *msg = error->message ? error->message : "XML error";
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        n--;
    snprintf(s->error, sizeof s->error, "line %d: %.*s", error->line, (int)n, msg);
}

#if LIBXML_VERSION >= 21200
static void eu_xml_error_cb(void *context, const xmlError *error)
#else
static void eu_xml_error_cb(void *context, xmlErrorPtr error)
#endif
{
    eu_xml_error(context, error);
}

/* Attribute value (owned by libxml2, release with xmlFree) or NULL. */
static char *attr(xmlTextReaderPtr xr, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(xr, (const xmlChar *)name);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

static xc_status eu_xml_element(xmlTextReaderPtr xr, xc__x_coll *coll, xc__x_ent *e,
                                bool *have_primary)
{
    const char *local = (const char *)xmlTextReaderConstLocalName(xr);
    xc_status rc = XC_OK;
    if (!local)
        return XC_OK;
    if (strcmp(local, "subjectType") == 0) {
        char *code = attr(xr, "code");
        char *cls = attr(xr, "classificationCode");
        xc__x_kind(e, eu_kind(or_empty(cls)));
        xc__x_kind(e, eu_kind(or_empty(code)));
        xmlFree(code);
        xmlFree(cls);
    } else if (strcmp(local, "nameAlias") == 0) {
        char *whole = attr(xr, "wholeName");
        char *first = attr(xr, "firstName"), *middle = attr(xr, "middleName");
        char *last = attr(xr, "lastName"), *strong = attr(xr, "strong");
        char composed[1024];
        const char *name = or_empty(whole);
        if (!*name) {
            const char *parts[3] = {or_empty(first), or_empty(middle), or_empty(last)};
            size_t pos = 0;
            composed[0] = '\0';
            for (int i = 0; i < 3 && pos < sizeof composed; i++)
                if (*parts[i])
                    pos += (size_t)snprintf(composed + pos, sizeof composed - pos, "%s%s",
                                            pos ? " " : "", parts[i]);
            name = composed;
        }
        bool weak = strong && xc__str_ieq(strong, "false");
        xc__name_type type = weak ? XC__NAME_WEAK_AKA : XC__NAME_AKA;
        size_t nlen = strlen(name);
        xc__trim(name, &nlen);
        if (!*have_primary && !weak && nlen > 0) {
            type = XC__NAME_PRIMARY;
            *have_primary = true;
        }
        rc = xc__x_name(coll, e, name, strlen(name), type, false);
        xmlFree(whole);
        xmlFree(first);
        xmlFree(middle);
        xmlFree(last);
        xmlFree(strong);
    } else if (strcmp(local, "birthdate") == 0) {
        char *date = attr(xr, "birthdate"), *year = attr(xr, "year");
        char *month = attr(xr, "monthOfYear"), *day = attr(xr, "dayOfMonth");
        static const char *const pob_names[] = {"city", "place", "region", "countryDescription"};
        char *pob_parts[4];
        for (int i = 0; i < 4; i++)
            pob_parts[i] = attr(xr, pob_names[i]);
        if (pob_parts[3] && xc__str_ieq(pob_parts[3], "UNKNOWN")) { /* the EU's placeholder */
            xmlFree(pob_parts[3]);
            pob_parts[3] = NULL;
        }
        char pob[1024];
        size_t plen = join_parts(pob, sizeof pob, (const char *const *)pob_parts, 4);
        for (int i = 0; i < 4; i++)
            xmlFree(pob_parts[i]);
        if (plen > 0)
            rc = xc__x_pob(coll, e, pob, plen);
        xc__pdate d;
        memset(&d, 0, sizeof d);
        if (rc != XC_OK) {
            /* out of memory: stop here */
        } else if (date && xc__pdate_parse(date, strlen(date), true, &d)) {
            rc = xc__x_dob(coll, e, d);
        } else if (year && small_int(year) > 0) {
            d.year = (int16_t)small_int(year);
            int m = month ? small_int(month) : 0, dd = day ? small_int(day) : 0;
            if (m >= 1 && m <= 12) {
                d.month = (int8_t)m;
                if (dd >= 1 && dd <= 31)
                    d.day = (int8_t)dd;
            }
            rc = xc__x_dob(coll, e, d);
        }
        xmlFree(date);
        xmlFree(year);
        xmlFree(month);
        xmlFree(day);
    } else if (strcmp(local, "citizenship") == 0) {
        char *cc = attr(xr, "countryIso2Code");
        if (cc)
            rc = xc__x_nationality(coll, e, cc, strlen(cc));
        xmlFree(cc);
    } else if (strcmp(local, "address") == 0) {
        static const char *const names[] = {"street", "poBox", "city", "zipCode",
                                            "region", "place", "countryDescription"};
        char *parts[7];
        for (int i = 0; i < 7; i++)
            parts[i] = attr(xr, names[i]);
        char address[2048];
        size_t alen = join_parts(address, sizeof address, (const char *const *)parts, 6);
        if (alen > 0) {
            alen = join_parts(address, sizeof address, (const char *const *)parts, 7);
            rc = xc__x_address(coll, e, address, alen);
        }
        for (int i = 0; i < 7; i++)
            xmlFree(parts[i]);
        char *cc = attr(xr, "countryIso2Code");
        if (cc && rc == XC_OK)
            rc = xc__x_country(coll, e, cc, strlen(cc));
        xmlFree(cc);
    } else if (strcmp(local, "identification") == 0) {
        char *num = attr(xr, "number"), *type = attr(xr, "identificationTypeDescription");
        char *code = attr(xr, "identificationTypeCode"), *cc = attr(xr, "countryIso2Code");
        if (num && *num)
            rc = xc__x_ident(coll, e, type && *type ? type : or_empty(code), num, strlen(num),
                             cc && strcmp(cc, "00") ? cc : NULL);
        xmlFree(num);
        xmlFree(type);
        xmlFree(code);
        xmlFree(cc);
    } else if (strcmp(local, "regulation") == 0) {
        char *prog = attr(xr, "programme"), *pub = attr(xr, "publicationDate");
        if (prog)
            rc = xc__x_program(coll, e, prog, strlen(prog));
        xc__pdate d;
        if (pub && xc__pdate_parse(pub, strlen(pub), true, &d))
            xc__x_listed(e, d);
        xmlFree(prog);
        xmlFree(pub);
    }
    return rc;
}

static xc_status eu_xml(xc__listset *set, const char *path, const void *data, size_t len,
                        xc_error *err)
{
    const char *file = xc__path_base(path);
    xml_state state;
    state.error[0] = '\0';
    int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT;
    if (data && len > INT32_MAX)
        return xc__error_set(err, XC_TOOBIG, "%s: too large", file);
    xmlTextReaderPtr xr = data ? xmlReaderForMemory(data, (int)len, file, NULL, options)
                               : xmlReaderForFile(path, NULL, options);
    if (!xr)
        return xc__error_set(err, data ? XC_NOMEM : XC_IO, "%s: cannot open", file);
    xmlTextReaderSetStructuredErrorHandler(xr, eu_xml_error_cb, &state);
    int list = -1;
    xc__x_coll *coll = NULL;
    xc__x_ent *e = NULL;
    bool have_primary = false;
    int entity_depth = -1;
    xc_status rc = XC_OK;
    int r;
    size_t entity_line = 0;
    while (rc == XC_OK && (r = xmlTextReaderRead(xr)) == 1) {
        if (xmlTextReaderNodeType(xr) == XML_READER_TYPE_END_ELEMENT) {
            if (e && xmlTextReaderDepth(xr) == entity_depth)
                e = NULL, entity_depth = -1;
            continue;
        }
        if (xmlTextReaderNodeType(xr) != XML_READER_TYPE_ELEMENT)
            continue;
        const char *local = (const char *)xmlTextReaderConstLocalName(xr);
        if (list < 0) {
            const char *ns = (const char *)xmlTextReaderConstNamespaceUri(xr);
            if (!local || strcmp(local, "export") != 0 || !ns || strcmp(ns, EU_NS) != 0) {
                xmlFreeTextReader(xr);
                return xc__error_set(err, XC_PARSE, "%s: root is not the EU FSF <export>",
                                     file);
            }
            list = xc__listset_list(set, "eu_fsf", EU_TITLE, path);
            coll = list >= 0 ? xc__x_coll_new(set, list, path) : NULL;
            if (!coll) {
                rc = XC_NOMEM;
                break;
            }
            char *gen = attr(xr, "generationDate");
            if (gen)
                eu_version(gen, set->lists[list].version);
            xmlFree(gen);
            continue;
        }
        if (strcmp(local, "sanctionEntity") == 0) {
            entity_line = (size_t)xmlTextReaderGetParserLineNumber(xr);
            xc__x_coll_row(coll, entity_line);
            char *id = attr(xr, "logicalId");
            if (!id || !*id || strspn(id, "0123456789") != strlen(id)) {
                xc__list_skip(set, list, "%s line %zu: sanctionEntity without a numeric "
                              "logicalId", file, entity_line);
                xmlFree(id);
                e = NULL; /* its children are ignored */
                continue;
            }
            e = xc__x_get(coll, id, strlen(id));
            xmlFree(id);
            if (!e) {
                rc = XC_NOMEM;
                break;
            }
            have_primary = false;
            entity_depth = xmlTextReaderDepth(xr);
            if (xmlTextReaderIsEmptyElement(xr))
                e = NULL, entity_depth = -1;
            continue;
        }
        if (e) {
            xc__x_coll_row(coll, (size_t)xmlTextReaderGetParserLineNumber(xr));
            if (strcmp(local, "remark") == 0 && xmlTextReaderDepth(xr) == entity_depth + 1) {
                xmlChar *text = xmlTextReaderReadString(xr);
                if (text)
                    rc = xc__x_remark(coll, e, (const char *)text, strlen((const char *)text));
                xmlFree(text);
            } else {
                rc = eu_xml_element(xr, coll, e, &have_primary);
            }
        }
    }
    if (list < 0 && rc == XC_OK) {
        xmlFreeTextReader(xr);
        return xc__error_set(err, XC_PARSE, "%s: %s", file,
                             state.error[0] ? state.error : "empty or not XML");
    }
    if (rc == XC_OK && r < 0)
        xc__list_skip(set, list, "%s %s; rest of the file skipped", file,
                      state.error[0] ? state.error : "malformed XML");
    xmlFreeTextReader(xr);
    if (rc == XC_OK)
        rc = xc__x_finish(coll);
    xc__x_coll_free(coll);
    if (rc != XC_OK)
        return xc__error_set(err, rc, "%s: out of memory", file);
    if (data)
        xc__sha256_hex(data, len, set->lists[list].sha256);
    else if (xc__file_sha256(path, set->lists[list].sha256, NULL) != XC_OK)
        set->lists[list].sha256[0] = '\0';
    return XC_OK;
}

xc_status xc__parse_eu_xml(xc__listset *set, const char *path, xc_error *err)
{
    return eu_xml(set, path, NULL, 0, err);
}

xc_status xc__parse_eu_xml_mem(xc__listset *set, const char *name, const void *data, size_t len,
                               xc_error *err)
{
    return eu_xml(set, name, data ? data : "", data ? len : 0, err);
}

/* ======================= detection ======================= */

static const char *skip_bom_space(const char *h, size_t *len)
{
    if (*len >= 3 && memcmp(h, "\xEF\xBB\xBF", 3) == 0) {
        h += 3;
        *len -= 3;
    }
    while (*len > 0 && (*h == ' ' || *h == '\t' || *h == '\r' || *h == '\n')) {
        h++;
        (*len)--;
    }
    return h;
}

static bool contains(const char *h, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(h + i, needle, n) == 0)
            return true;
    return false;
}

xc_status xc__parse_eu(xc__listset *set, const char *path, xc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xc__error_set(err, XC_IO, "%s: cannot open", path);
    char head[64];
    size_t len = fread(head, 1, sizeof head, f);
    fclose(f);
    const char *h = skip_bom_space(head, &len);
    return len > 0 && *h == '<' ? eu_xml(set, path, NULL, 0, err) : eu_csv(set, path, NULL, 0,
                                                                           err);
}

bool xc__sniff_eu(const char *name, const void *head, size_t len)
{
    const char *base = xc__path_base(name);
    size_t n = strlen(base);
    const char *h = skip_bom_space(head, &len);
    if (n > 4 && xc__str_ieq(base + n - 4, ".xml"))
        return contains(h, len, "<export") && contains(h, len, EU_NS);
    if (n > 4 && xc__str_ieq(base + n - 4, ".csv")) {
        bool named = contains(base, n, "FULL") || contains(base, n, "sanctions") ||
                     contains(base, n, "fsf") || contains(base, n, "FSF");
        return named && len >= 36 && memcmp(h, "fileGenerationDate;Entity_LogicalId;", 36) == 0;
    }
    return false;
}
