/*
 * dpl.c — the BIS Denied Persons List as published in dpl.txt: tab-separated, every field
 * double-quoted, a header row (Name, Street_Address, City, State, Country, Postal_Code,
 * Effective_Date, Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation), columns
 * looked up by name. It goes into list us_bis_dpl, the same source list as the CSL's DPL rows,
 * but always as its own list record (its own file, digest and counts) even when the CSL's DPL
 * was loaded too.
 *
 * The file has no identifier, so the entity id is a stable hash: the 64-bit FNV-1a of
 * "<Name>\t<Effective_Date>" as published, in 16 hex digits. It survives reloads of the same
 * data and changes only when the name or the order date does. Kind is left unknown (the list
 * holds people and companies without saying which). Effective_Date (MM/DD/YYYY) becomes
 * listed_on; the FR citation and Action go into remarks. No publication date in the file.
 */
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "lists.h"

enum { D_NAME, D_STREET, D_CITY, D_STATE, D_COUNTRY, D_POSTAL, D_EFFECTIVE, D_ACTION, D_FR,
       D_COUNT };
static const char *const column_names[D_COUNT] = {
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
    "Action", "FR_Citation"};

xc_status xc__parse_dpl(xc__listset *set, const char *path, xc_error *err)
{
    const char *label = xc__path_base(path);
    char sha[65];
    xc_status rc = xc__file_sha256(path, sha, err);
    if (rc != XC_OK)
        return rc;
    FILE *f = fopen(path, "rb");
    if (!f)
        return xc__error_set(err, XC_IO, "%s: cannot open", path);
    xc__csv_opts opts = {.delim = '\t'};
    xc__csv *csv = xc__csv_open_file(f, &opts);
    if (!csv) {
        fclose(f);
        return xc__error_set(err, XC_NOMEM, "out of memory");
    }
    xc__ebuild b;
    xc__eb_init(&b, set, label);
    int col[D_COUNT];
    size_t header_fields = 0;
    int list = -1;
    bool header = false;
    while (rc == XC_OK) {
        xc_status st = xc__csv_next(csv);
        if (st == XC_NOTFOUND)
            break;
        if (st == XC_TOOBIG) {
            if (list >= 0)
                xc__list_skip(set, list, "%s line %zu: %s, row skipped", label,
                              xc__csv_line(csv), xc__csv_error(csv));
            continue;
        }
        if (st != XC_OK) {
            rc = xc__error_set(err, st, "%s: read error", label);
            break;
        }
        size_t n = xc__csv_count(csv), len;
        if (!header) {
            for (int k = 0; k < D_COUNT; k++) {
                col[k] = -1;
                for (size_t i = 0; i < n; i++) {
                    const char *name = xc__csv_field(csv, i, &len);
                    name = xc__trim(name, &len);
                    if (xc__strn_ieq(name, len, column_names[k]))
                        col[k] = (int)i;
                }
            }
            if (col[D_NAME] < 0) {
                rc = xc__error_set(err, XC_UNSUPPORTED, "%s: not a dpl.txt header", label);
                break;
            }
            header = true;
            header_fields = n;
            list = xc__listset_list_new(set, "us_bis_dpl", "BIS Denied Persons List (dpl.txt)",
                                        path);
            if (list < 0) {
                rc = xc__error_set(err, XC_NOMEM, "out of memory");
                break;
            }
            xc__strlcpy(set->lists[list].sha256, sha, 65);
            continue;
        }
        if (n != header_fields) {
            xc__list_skip(set, list, "%s line %zu: %zu fields, expected %zu", label,
                          xc__csv_line(csv), n, header_fields);
            continue;
        }
#define FIELD(k) (col[k] >= 0 ? xc__csv_field(csv, (size_t)col[k], &len) : (len = 0, ""))
        xc__eb_begin(&b, list, XC_KIND_ANY);
        b.line = xc__csv_line(csv);
        size_t name_len;
        const char *name = FIELD(D_NAME);
        name_len = len;
        size_t eff_len;
        const char *effective = FIELD(D_EFFECTIVE);
        eff_len = len;
        char key[4096];
        int kn = snprintf(key, sizeof key, "%.*s\t%.*s", (int)(name_len > 3000 ? 3000 : name_len),
                          name, (int)(eff_len > 64 ? 64 : eff_len), effective);
        char id[17];
        snprintf(id, sizeof id, "%016llx",
                 (unsigned long long)xc__hash64(key, kn > 0 ? (size_t)kn : 0));
        b.entity.source_id = xc__eb_str(&b, id, 16);
        xc__eb_name(&b, name, name_len, XC__NAME_PRIMARY, false);
        char line[4096];
        size_t used = 0;
        line[0] = '\0';
        static const int parts[] = {D_STREET, D_CITY, D_STATE, D_POSTAL, D_COUNTRY};
        for (size_t k = 0; k < XC__ARRAY_LEN(parts); k++) {
            const char *p = FIELD(parts[k]);
            p = xc__trim(p, &len);
            if (len && used < sizeof line - 1) {
                int w = snprintf(line + used, sizeof line - used, "%s%.*s", used ? ", " : "",
                                 (int)(len > 2000 ? 2000 : len), p);
                used = w > 0 ? used + (size_t)w : used;
                if (used > sizeof line - 1)
                    used = sizeof line - 1;
            }
        }
        xc__eb_address(&b, line, used);
        const char *country = FIELD(D_COUNTRY);
        xc__eb_country(&b, country, len);
        xc__pdate d;
        if (xc__pdate_parse(effective, eff_len, false, &d) && d.day) {
            char iso[11];
            xc__date_format(xc__date_from_ymd(d.year, d.month, d.day), iso);
            b.entity.listed_on = xc__eb_str(&b, iso, 10);
        }
        const char *fr = FIELD(D_FR);
        size_t fr_len = len;
        const char *action = FIELD(D_ACTION);
        char remarks[2048];
        int rn = snprintf(remarks, sizeof remarks, "%.*s%s%.*s", (int)(fr_len > 900 ? 900 : fr_len),
                          fr, fr_len && len ? "; " : "", (int)(len > 900 ? 900 : len), action);
        b.entity.remarks = xc__eb_str(&b, remarks, rn > 0 ? (size_t)rn : 0);
#undef FIELD
        rc = xc__eb_commit(&b);
        if (rc != XC_OK)
            xc__error_set(err, rc, "%s: out of memory", label);
    }
    if (rc == XC_OK && !header)
        rc = xc__error_set(err, XC_PARSE, "%s: empty file, no header", label);
    xc__eb_free(&b);
    xc__csv_close(csv);
    fclose(f);
    return rc;
}
