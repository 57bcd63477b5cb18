/*
 * ofac_xml.c — OFAC's sdn.xml schema (root sdnList), used by sdn.xml and by the non-SDN
 * consolidated.xml. Streamed with xmlTextReader through xml.c, matching local names only: the
 * 2018 files use the namespace http://tempuri.org/sdnList.xsd and the 2026 ones a
 * sanctionslistservice URL. The publication date sits in the officially misspelt
 * publshInformation/Publish_Date (MM/DD/YYYY). Each sdnEntry becomes one entity: names from
 * firstName/lastName and the akaList (category weak -> weak a.k.a.; type f.k.a./n.k.a.),
 * identity documents from idList, addresses, nationality and citizenship countries, dates of
 * birth and vessel call sign and flag. A truncated file keeps every complete sdnEntry before
 * the break and records the XML error on the list.
 */
#include <stdio.h>
#include <string.h>

#include "lists.h"
#include "xml.h"

typedef struct ofac_ctx {
    xc__listset *set;
    const char *list_id;
    const char *files;
    const char *sha256;
    const char *label;
    int list;              /* -1 until the root is seen */
    bool not_ofac;         /* root is not sdnList */
    bool in_entry;
    xc__ebuild b;
    xc__arena *scratch;    /* per-entry temporaries */
    xc_kind kind;
    const char *first, *last;
    xc__buf programs;
    const char *aka_first, *aka_last, *aka_type, *aka_category;
    const char *id_type, *id_number, *id_country;
    const char *addr[7];   /* address1-3, city, stateOrProvince, postalCode, country */
    xc_status status;
} ofac_ctx;

static const char *const address_parts[7] = {"address1", "address2",        "address3",
                                             "city",     "stateOrProvince", "postalCode",
                                             "country"};

static const char *tmp(ofac_ctx *c, const char *text, size_t len)
{
    text = xc__trim(text, &len);
    const char *s = xc__arena_strndup(c->scratch, text, len);
    if (!s)
        c->status = XC_NOMEM;
    return s ? s : "";
}

/* "LAST, First" for people (reorderable), otherwise the parts as given. */
static void add_name(ofac_ctx *c, const char *first, const char *last, xc__name_type type)
{
    char name[2048];
    bool person = c->kind == XC_KIND_PERSON;
    first = first ? first : "";
    last = last ? last : "";
    if (*first && *last)
        snprintf(name, sizeof name, person ? "%s, %s" : "%2$s %1$s", last, first);
    else
        snprintf(name, sizeof name, "%s%s", last, first);
    xc__eb_name(&c->b, name, strlen(name), type, person && *first && *last);
}

static bool on_start(void *ctx, xc__xml *xml, const char *name)
{
    ofac_ctx *c = ctx;
    int depth = xc__xml_depth(xml);
    if (depth == 1) {
        if (strcmp(name, "sdnList") != 0) {
            c->not_ofac = true;
            return false;
        }
        c->list = xc__listset_list(c->set, c->list_id,
                                   strcmp(c->list_id, "us_ofac_sdn") == 0
                                       ? "OFAC Specially Designated Nationals (SDN) List"
                                       : "OFAC Consolidated Sanctions List (non-SDN)",
                                   c->files);
        if (c->list < 0) {
            c->status = XC_NOMEM;
            return false;
        }
        xc__strlcpy(c->set->lists[c->list].sha256, c->sha256, 65);
        return true;
    }
    if (c->list < 0)
        return true;
    if (depth == 2 && strcmp(name, "sdnEntry") == 0) {
        xc__arena_reset(c->scratch);
        c->in_entry = true;
        c->kind = XC_KIND_ORG;
        c->first = c->last = NULL;
        xc__buf_reset(&c->programs);
        xc__eb_begin(&c->b, c->list, XC_KIND_ORG);
        c->b.line = xc__xml_line(xml);
    } else if (strcmp(name, "aka") == 0) {
        c->aka_first = c->aka_last = c->aka_type = c->aka_category = NULL;
    } else if (strcmp(name, "id") == 0) {
        c->id_type = c->id_number = c->id_country = NULL;
    } else if (strcmp(name, "address") == 0) {
        memset(c->addr, 0, sizeof c->addr);
    }
    return c->status == XC_OK;
}

static bool on_end(void *ctx, xc__xml *xml, const char *name, const char *text, size_t len)
{
    ofac_ctx *c = ctx;
    if (c->list < 0)
        return true;
    const char *parent = xc__xml_parent(xml, 1);
    if (strcmp(name, "Publish_Date") == 0 && strcmp(parent, "publshInformation") == 0) {
        xc__pdate d;
        if (xc__pdate_parse(text, len, false, &d) && d.day)
            xc__date_format(xc__date_from_ymd(d.year, d.month, d.day),
                            c->set->lists[c->list].version);
        return true;
    }
    if (!c->in_entry)
        return true;
    xc__ebuild *b = &c->b;
    if (strcmp(parent, "sdnEntry") == 0) {
        if (strcmp(name, "uid") == 0)
            b->entity.source_id = xc__eb_str(b, text, len);
        else if (strcmp(name, "firstName") == 0)
            c->first = tmp(c, text, len);
        else if (strcmp(name, "lastName") == 0)
            c->last = tmp(c, text, len);
        else if (strcmp(name, "remarks") == 0)
            b->entity.remarks = xc__eb_str(b, text, len);
        else if (strcmp(name, "sdnType") == 0) {
            const char *t = xc__trim(text, &len);
            c->kind = xc__strn_ieq(t, len, "Individual") ? XC_KIND_PERSON
                      : xc__strn_ieq(t, len, "Vessel")   ? XC_KIND_VESSEL
                      : xc__strn_ieq(t, len, "Aircraft") ? XC_KIND_AIRCRAFT
                                                         : XC_KIND_ORG;
            b->entity.kind = (uint8_t)c->kind;
        }
    } else if (strcmp(name, "program") == 0) {
        const char *t = xc__trim(text, &len);
        if (len && (c->programs.len == 0 || xc__buf_putc(&c->programs, ';') == XC_OK))
            xc__buf_append(&c->programs, t, len);
    } else if (strcmp(parent, "aka") == 0) {
        if (strcmp(name, "firstName") == 0)
            c->aka_first = tmp(c, text, len);
        else if (strcmp(name, "lastName") == 0)
            c->aka_last = tmp(c, text, len);
        else if (strcmp(name, "type") == 0)
            c->aka_type = tmp(c, text, len);
        else if (strcmp(name, "category") == 0)
            c->aka_category = tmp(c, text, len);
    } else if (strcmp(name, "aka") == 0) {
        xc__name_type type = XC__NAME_AKA;
        if (c->aka_type && strcmp(c->aka_type, "f.k.a.") == 0)
            type = XC__NAME_FKA;
        else if (c->aka_type && strcmp(c->aka_type, "n.k.a.") == 0)
            type = XC__NAME_NKA;
        if (c->aka_category && xc__str_ieq(c->aka_category, "weak"))
            type = XC__NAME_WEAK_AKA;
        b->line = xc__xml_line(xml);
        add_name(c, c->aka_first, c->aka_last, type);
    } else if (strcmp(parent, "id") == 0) {
        if (strcmp(name, "idType") == 0)
            c->id_type = tmp(c, text, len);
        else if (strcmp(name, "idNumber") == 0)
            c->id_number = tmp(c, text, len);
        else if (strcmp(name, "idCountry") == 0)
            c->id_country = tmp(c, text, len);
    } else if (strcmp(name, "id") == 0) {
        if (c->id_number)
            xc__eb_ident(b, c->id_type ? c->id_type : "", c->id_type ? strlen(c->id_type) : 0,
                         c->id_number, strlen(c->id_number), c->id_country,
                         c->id_country ? strlen(c->id_country) : 0);
    } else if (strcmp(parent, "address") == 0) {
        for (int i = 0; i < 7; i++)
            if (strcmp(name, address_parts[i]) == 0)
                c->addr[i] = tmp(c, text, len);
    } else if (strcmp(name, "address") == 0) {
        char line[4096];
        size_t used = 0;
        line[0] = '\0';
        for (int i = 0; i < 7; i++)
            if (c->addr[i] && *c->addr[i] && used < sizeof line - 1) {
                int n = snprintf(line + used, sizeof line - used, "%s%s", used ? ", " : "",
                                 c->addr[i]);
                used = n > 0 ? used + (size_t)n : used;
                if (used > sizeof line - 1)
                    used = sizeof line - 1;
            }
        xc__eb_address(b, line, used);
        if (c->addr[6])
            xc__eb_country(b, c->addr[6], strlen(c->addr[6]));
    } else if (strcmp(name, "country") == 0 &&
               (strcmp(parent, "nationality") == 0 || strcmp(parent, "citizenship") == 0)) {
        xc__eb_nationality(b, text, len);
    } else if (strcmp(name, "placeOfBirth") == 0) {
        xc__eb_pob(b, text, len);
    } else if (strcmp(name, "dateOfBirth") == 0) {
        xc__eb_dob_text(b, text, len, true);
    } else if (strcmp(parent, "vesselInfo") == 0) {
        if (strcmp(name, "callSign") == 0)
            xc__eb_ident(b, "Call Sign", 9, text, len, NULL, 0);
        else if (strcmp(name, "vesselFlag") == 0)
            xc__eb_country(b, text, len);
    } else if (strcmp(name, "sdnEntry") == 0) {
        if (xc__xml_cut_off(xml)) { /* the file ends inside it: drop the partial entry */
            c->in_entry = false;
            xc__list_skip(c->set, c->list, "%s line %zu: entry cut off by the end of the data",
                          c->b.file, c->b.line);
            return true;
        }
        add_name(c, c->first, c->last, XC__NAME_PRIMARY);
        b->entity.programs = xc__eb_str(b, c->programs.data ? c->programs.data : "",
                                        c->programs.len);
        c->in_entry = false;
        xc_status rc = xc__eb_commit(b);
        if (rc != XC_OK)
            c->status = rc;
    }
    if (b->status != XC_OK)
        c->status = b->status;
    return c->status == XC_OK;
}

static xc_status parse(xc__listset *set, const char *list_id, const char *path, const char *data,
                       size_t len, const char *label, xc_error *err)
{
    char sha[65];
    xc_status rc = xc__source_sha256(path, data, len, sha, err);
    if (rc != XC_OK)
        return rc;
    ofac_ctx c;
    memset(&c, 0, sizeof c);
    c.set = set;
    c.list_id = list_id;
    c.files = path ? path : label;
    c.sha256 = sha;
    c.label = label;
    c.list = -1;
    size_t lists_before = set->list_count;
    c.scratch = xc__arena_new(1 << 16);
    if (!c.scratch)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__eb_init(&c.b, set, label);
    xc__buf_init(&c.programs, 1 << 16);
    xc__xml_handler h = {&c, on_start, on_end};
    xc_error xml_err = {0};
    rc = xc__xml_walk(path, data, len, label, &h, &xml_err);
    if (c.status == XC_NOMEM)
        rc = xc__error_set(err, XC_NOMEM, "%s: out of memory", label);
    else if (c.not_ofac)
        rc = xc__error_set(err, XC_UNSUPPORTED, "%s: root element is not sdnList", label);
    else if (rc == XC_PARSE && c.list >= 0 && set->lists[c.list].entities > 0) {
        /* Truncated or damaged after some entries: keep them, record the error. */
        xc__list_issue(set, c.list, "%s (entries before the error are kept)", xml_err.message);
        rc = XC_OK;
    } else if (rc != XC_OK) {
        xc__error_set(err, rc, "%s", xml_err.message);
    } else if (c.list < 0) {
        rc = xc__error_set(err, XC_PARSE, "%s: no XML root element", label);
    }
    if (rc != XC_OK && set->list_count > lists_before && set->lists[set->list_count - 1].entities == 0)
        set->list_count--; /* nothing was read: leave no empty list behind */
    xc__buf_free(&c.programs);
    xc__eb_free(&c.b);
    xc__arena_free(c.scratch);
    return rc;
}

xc_status xc__parse_ofac_xml(xc__listset *set, const char *path, xc_error *err)
{
    /* sdn.xml is the SDN list; any other file in this schema (consolidated.xml) is OFAC's
     * consolidated non-SDN list. */
    const char *base = xc__path_base(path);
    const char *id =
        strlen(base) >= 3 && xc__strn_ieq(base, 3, "sdn") ? "us_ofac_sdn" : "us_ofac_cons";
    return parse(set, id, path, NULL, 0, base, err);
}

xc_status xc__parse_ofac_xml_mem(xc__listset *set, const char *list_id, const char *data,
                                 size_t len, const char *label, xc_error *err)
{
    return parse(set, list_id, NULL, data, len, label ? label : "memory", err);
}
