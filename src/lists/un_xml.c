/*
 * un_xml.c — the UN Security Council Consolidated List XML (root CONSOLIDATED_LIST, no
 * namespace), streamed with xmlTextReader through xml.c into list un_sc.
 *
 * The version is the date part of the root's dateGenerated attribute. INDIVIDUAL becomes a
 * person and ENTITY an organisation; the source id is DATAID; the primary name is FIRST_NAME to
 * FOURTH_NAME joined by spaces (the UN writes names in their natural order, so no reordering);
 * NAME_ORIGINAL_SCRIPT becomes an original-script name. Aliases with QUALITY Good or a.k.a. are
 * strong, Low are weak, f.k.a. are former names. Dates of birth come from DATE, YEAR or
 * FROM_YEAR/TO_YEAR; NATIONALITY values and address countries become alpha-2 codes;
 * documents become identifiers; programmes are UN_LIST_TYPE and REFERENCE_NUMBER.
 */
#include <stdio.h>
#include <string.h>

#include "lists.h"
#include "xml.h"

typedef struct un_ctx {
    xc__listset *set;
    const char *files;
    const char *sha256;
    int list;
    bool not_un;
    bool in_entry;
    xc__ebuild b;
    xc__arena *scratch;
    const char *parts[4];  /* FIRST_NAME..FOURTH_NAME */
    const char *list_type, *reference;
    const char *alias_quality, *alias_name;
    const char *dob_date, *dob_year, *dob_from, *dob_to;
    const char *doc_type, *doc_type2, *doc_number, *doc_country;
    const char *addr[5];   /* STREET, CITY, STATE_PROVINCE, ZIP_CODE, COUNTRY */
    xc_status status;
} un_ctx;

static const char *const name_parts[4] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                          "FOURTH_NAME"};
static const char *const address_parts[5] = {"STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE",
                                             "COUNTRY"};

static const char *tmp(un_ctx *c, const char *text, size_t len)
{
    text = xc__trim(text, &len);
    const char *s = xc__arena_strndup(c->scratch, text, len);
    if (!s)
        c->status = XC_NOMEM;
    return s && *s ? s : NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool on_start(void *ctx, xc__xml *xml, const char *name)
{
    un_ctx *c = ctx;
    int depth = xc__xml_depth(xml);
    if (depth == 1) {
        if (strcmp(name, "CONSOLIDATED_LIST") != 0) {
            c->not_un = true;
            return false;
        }
        c->list = xc__listset_list(c->set, "un_sc", "UN Security Council Consolidated List",
                                   c->files);
        if (c->list < 0) {
            c->status = XC_NOMEM;
            return false;
        }
        xc__list *list = &c->set->lists[c->list];
        xc__strlcpy(list->sha256, c->sha256, 65);
        char *generated = xc__xml_attr(xml, "dateGenerated");
        int32_t days;
        if (generated && strlen(generated) >= 10) {
            char date[11];
            memcpy(date, generated, 10);
            date[10] = '\0';
            if (xc__date_parse_iso(date, &days))
                memcpy(list->version, date, 11);
        }
        xc__free_mem(generated);
        return true;
    }
    if (c->list < 0)
        return true;
    if (depth == 3 && (strcmp(name, "INDIVIDUAL") == 0 || strcmp(name, "ENTITY") == 0)) {
        xc__arena_reset(c->scratch);
        c->in_entry = true;
        memset(c->parts, 0, sizeof c->parts);
        c->list_type = c->reference = NULL;
        xc__eb_begin(&c->b, c->list, name[0] == 'I' ? XC_KIND_PERSON : XC_KIND_ORG);
        c->b.line = xc__xml_line(xml);
    } else if (ends_with(name, "_ALIAS")) {
        c->alias_quality = c->alias_name = NULL;
    } else if (strcmp(name, "INDIVIDUAL_DATE_OF_BIRTH") == 0) {
        c->dob_date = c->dob_year = c->dob_from = c->dob_to = NULL;
    } else if (strcmp(name, "INDIVIDUAL_DOCUMENT") == 0) {
        c->doc_type = c->doc_type2 = c->doc_number = c->doc_country = NULL;
    } else if (ends_with(name, "_ADDRESS") || strcmp(name, "INDIVIDUAL_PLACE_OF_BIRTH") == 0) {
        memset(c->addr, 0, sizeof c->addr);
    }
    return c->status == XC_OK;
}

static void end_alias(un_ctx *c)
{
    if (!c->alias_name)
        return;
    const char *q = c->alias_quality ? c->alias_quality : "";
    xc__name_type type = XC__NAME_AKA;
    if (xc__str_ieq(q, "Low"))
        type = XC__NAME_WEAK_AKA;
    else if (xc__str_ieq(q, "f.k.a."))
        type = XC__NAME_FKA;
    else if (xc__str_ieq(q, "n.k.a."))
        type = XC__NAME_NKA;
    xc__eb_name(&c->b, c->alias_name, strlen(c->alias_name), type, false);
}

static void end_dob(un_ctx *c)
{
    xc__ebuild *b = &c->b;
    if (c->dob_date)
        xc__eb_dob_text(b, c->dob_date, strlen(c->dob_date), true);
    if (c->dob_year)
        xc__eb_dob_text(b, c->dob_year, strlen(c->dob_year), true);
    if (c->dob_from && c->dob_to) {
        char range[64];
        int n = snprintf(range, sizeof range, "%.20s to %.20s", c->dob_from, c->dob_to);
        xc__eb_dob_text(b, range, (size_t)n, true);
    } else if (c->dob_from || c->dob_to) {
        const char *y = c->dob_from ? c->dob_from : c->dob_to;
        xc__eb_dob_text(b, y, strlen(y), true);
    }
}

/* Joins the address parts collected so far into line ("City, Province, Country"). */
static size_t join_parts(un_ctx *c, char *line, size_t size)
{
    size_t used = 0;
    line[0] = '\0';
    for (int i = 0; i < 5; i++)
        if (c->addr[i] && used < size - 1) {
            int n = snprintf(line + used, size - used, "%s%s", used ? ", " : "", c->addr[i]);
            used = n > 0 ? used + (size_t)n : used;
            if (used > size - 1)
                used = size - 1;
        }
    return used;
}

static void end_pob(un_ctx *c)
{
    char line[1024];
    size_t used = join_parts(c, line, sizeof line);
    xc__eb_pob(&c->b, line, used);
}

static void end_address(un_ctx *c)
{
    char line[4096];
    size_t used = 0;
    line[0] = '\0';
    for (int i = 0; i < 5; i++)
        if (c->addr[i] && used < sizeof line - 1) {
            int n = snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "",
                             c->addr[i]);
            used = n > 0 ? used + (size_t)n : used;
            if (used > sizeof line - 1)
                used = sizeof line - 1;
        }
    xc__eb_address(&c->b, line, used);
    if (c->addr[4])
        xc__eb_country(&c->b, c->addr[4], strlen(c->addr[4]));
}

static void end_entry(un_ctx *c)
{
    xc__ebuild *b = &c->b;
    char name[2048];
    size_t used = 0;
    name[0] = '\0';
    for (int i = 0; i < 4; i++)
        if (c->parts[i] && used < sizeof name - 1) {
            int n = snprintf(name + used, sizeof name - used, "%s%s", used ? " " : "",
                             c->parts[i]);
            used = n > 0 ? used + (size_t)n : used;
            if (used > sizeof name - 1)
                used = sizeof name - 1;
        }
    xc__eb_name(b, name, used, XC__NAME_PRIMARY, false);
    char programs[256];
    int n = snprintf(programs, sizeof programs, "%.100s%s%.100s", c->list_type ? c->list_type : "",
                     c->list_type && c->reference ? ";" : "", c->reference ? c->reference : "");
    b->entity.programs = xc__eb_str(b, programs, (size_t)n);
    c->in_entry = false;
    xc_status rc = xc__eb_commit(b);
    if (rc != XC_OK)
        c->status = rc;
}

static bool on_end(void *ctx, xc__xml *xml, const char *name, const char *text, size_t len)
{
    un_ctx *c = ctx;
    if (c->list < 0 || !c->in_entry)
        return true;
    xc__ebuild *b = &c->b;
    const char *parent = xc__xml_parent(xml, 1);
    bool direct = strcmp(parent, "INDIVIDUAL") == 0 || strcmp(parent, "ENTITY") == 0;
    if (direct) {
        for (int i = 0; i < 4; i++)
            if (strcmp(name, name_parts[i]) == 0)
                c->parts[i] = tmp(c, text, len);
        if (strcmp(name, "DATAID") == 0)
            b->entity.source_id = xc__eb_str(b, text, len);
        else if (strcmp(name, "UN_LIST_TYPE") == 0)
            c->list_type = tmp(c, text, len);
        else if (strcmp(name, "REFERENCE_NUMBER") == 0)
            c->reference = tmp(c, text, len);
        else if (strcmp(name, "LISTED_ON") == 0) {
            const char *t = xc__trim(text, &len);
            int32_t days;
            char date[11];
            if (len >= 10) {
                memcpy(date, t, 10);
                date[10] = '\0';
                if (xc__date_parse_iso(date, &days))
                    b->entity.listed_on = xc__eb_str(b, date, 10);
            }
        } else if (strcmp(name, "NAME_ORIGINAL_SCRIPT") == 0)
            xc__eb_name(b, text, len, XC__NAME_ORIGINAL, false);
        else if (strcmp(name, "COMMENTS1") == 0)
            b->entity.remarks = xc__eb_str(b, text, len);
    }
    if (direct && !ends_with(name, "_ALIAS") && !ends_with(name, "_ADDRESS") &&
        strcmp(name, "INDIVIDUAL_DATE_OF_BIRTH") != 0 && strcmp(name, "INDIVIDUAL_DOCUMENT") != 0 &&
        strcmp(name, "INDIVIDUAL_PLACE_OF_BIRTH") != 0) {
        /* handled above */
    } else if (strcmp(name, "VALUE") == 0 && strcmp(parent, "NATIONALITY") == 0) {
        xc__eb_nationality(b, text, len);
    } else if (strcmp(parent, "INDIVIDUAL_PLACE_OF_BIRTH") == 0) {
        for (int i = 0; i < 5; i++)
            if (strcmp(name, address_parts[i]) == 0)
                c->addr[i] = tmp(c, text, len);
    } else if (strcmp(name, "INDIVIDUAL_PLACE_OF_BIRTH") == 0) {
        end_pob(c);
    } else if (ends_with(parent, "_ALIAS")) {
        if (strcmp(name, "QUALITY") == 0)
            c->alias_quality = tmp(c, text, len);
        else if (strcmp(name, "ALIAS_NAME") == 0)
            c->alias_name = tmp(c, text, len);
    } else if (ends_with(name, "_ALIAS")) {
        end_alias(c);
    } else if (strcmp(parent, "INDIVIDUAL_DATE_OF_BIRTH") == 0) {
        if (strcmp(name, "DATE") == 0)
            c->dob_date = tmp(c, text, len);
        else if (strcmp(name, "YEAR") == 0)
            c->dob_year = tmp(c, text, len);
        else if (strcmp(name, "FROM_YEAR") == 0)
            c->dob_from = tmp(c, text, len);
        else if (strcmp(name, "TO_YEAR") == 0)
            c->dob_to = tmp(c, text, len);
    } else if (strcmp(name, "INDIVIDUAL_DATE_OF_BIRTH") == 0) {
        end_dob(c);
    } else if (strcmp(parent, "INDIVIDUAL_DOCUMENT") == 0) {
        if (strcmp(name, "TYPE_OF_DOCUMENT") == 0)
            c->doc_type = tmp(c, text, len);
        else if (strcmp(name, "TYPE_OF_DOCUMENT2") == 0)
            c->doc_type2 = tmp(c, text, len);
        else if (strcmp(name, "NUMBER") == 0)
            c->doc_number = tmp(c, text, len);
        else if (strcmp(name, "ISSUING_COUNTRY") == 0 || strcmp(name, "COUNTRY_OF_ISSUE") == 0)
            c->doc_country = c->doc_country ? c->doc_country : tmp(c, text, len);
    } else if (strcmp(name, "INDIVIDUAL_DOCUMENT") == 0) {
        if (c->doc_number) {
            const char *type = c->doc_type ? c->doc_type : c->doc_type2 ? c->doc_type2 : "";
            xc__eb_ident(b, type, strlen(type), c->doc_number, strlen(c->doc_number),
                         c->doc_country, c->doc_country ? strlen(c->doc_country) : 0);
        }
    } else if (ends_with(parent, "_ADDRESS")) {
        for (int i = 0; i < 5; i++)
            if (strcmp(name, address_parts[i]) == 0)
                c->addr[i] = tmp(c, text, len);
    } else if (ends_with(name, "_ADDRESS")) {
        end_address(c);
    } else if (strcmp(name, "INDIVIDUAL") == 0 || strcmp(name, "ENTITY") == 0) {
        if (xc__xml_cut_off(xml)) { /* the file ends inside it: drop the partial entry */
            c->in_entry = false;
            xc__list_skip(c->set, c->list, "%s line %zu: entry cut off by the end of the data",
                          c->b.file, c->b.line);
            return true;
        }
        end_entry(c);
    }
    if (b->status != XC_OK)
        c->status = b->status;
    return c->status == XC_OK;
}

static xc_status parse(xc__listset *set, const char *path, const char *data, size_t len,
                       const char *label, xc_error *err)
{
    char sha[65];
    xc_status rc = xc__source_sha256(path, data, len, sha, err);
    if (rc != XC_OK)
        return rc;
    un_ctx c;
    memset(&c, 0, sizeof c);
    c.set = set;
    c.files = path ? path : label;
    c.sha256 = sha;
    c.list = -1;
    size_t lists_before = set->list_count;
    c.scratch = xc__arena_new(1 << 16);
    if (!c.scratch)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__eb_init(&c.b, set, label);
    xc__xml_handler h = {&c, on_start, on_end};
    xc_error xml_err = {0};
    rc = xc__xml_walk(path, data, len, label, &h, &xml_err);
    if (c.status == XC_NOMEM)
        rc = xc__error_set(err, XC_NOMEM, "%s: out of memory", label);
    else if (c.not_un)
        rc = xc__error_set(err, XC_UNSUPPORTED, "%s: root element is not CONSOLIDATED_LIST",
                           label);
    else if (rc == XC_PARSE && c.list >= 0 && set->lists[c.list].entities > 0) {
        xc__list_issue(set, c.list, "%s (entries before the error are kept)", xml_err.message);
        rc = XC_OK;
    } else if (rc != XC_OK) {
        xc__error_set(err, rc, "%s", xml_err.message);
    } else if (c.list < 0) {
        rc = xc__error_set(err, XC_PARSE, "%s: no XML root element", label);
    }
    if (rc != XC_OK && set->list_count > lists_before &&
        set->lists[set->list_count - 1].entities == 0)
        set->list_count--;
    xc__eb_free(&c.b);
    xc__arena_free(c.scratch);
    return rc;
}

xc_status xc__parse_un_xml(xc__listset *set, const char *path, xc_error *err)
{
    return parse(set, path, NULL, 0, xc__path_base(path), err);
}

xc_status xc__parse_un_xml_mem(xc__listset *set, const char *data, size_t len,
                               const char *label, xc_error *err)
{
    return parse(set, NULL, data, len, label ? label : "memory", err);
}
