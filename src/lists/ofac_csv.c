/*
 * ofac_csv.c — OFAC's legacy delimited files: sdn.csv (or cons_prim.csv) with its alt, add and
 * comments companions, joined on ent_num into one entity per primary record.
 *
 * The files have no header; `-0- ` (with a trailing space) is the null marker; SDN_Type is
 * "individual", "vessel", "aircraft" or null for an organisation. Remarks are "; "-separated
 * facts from which we take dates of birth, nationality and citizenship, identity documents and
 * quoted weak a.k.a.s; remarks longer than 1,000 characters continue (mid-word) in the comments
 * file. The companions are read first into arrays sorted by ent_num; the primary file is then
 * streamed and each record picks up its rows by binary search. Companion rows whose ent_num has
 * no primary record (orphans: common when the files come from different dates) are counted and
 * reported once per file, not as errors. The same layout published with '@' (.del) or '|'
 * (.pip) delimiters is read by looking at the file extension.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "lists.h"

#define SDN_FIELDS 12

enum { SIDE_ALT, SIDE_ADD, SIDE_COMMENTS, SIDE_COUNT };

static const struct {
    const char *what;
    size_t fields;
} side_spec[SIDE_COUNT] = {{"alias", 5}, {"address", 6}, {"comments", 2}};

typedef struct side_row {
    uint32_t ent_num;
    uint32_t seq;      /* file order, to keep sorting stable */
    size_t line;
    const char *f[4];  /* alt: type, name, remarks; add: line, country; comments: text */
    bool used;
} side_row;

typedef struct side {
    const char *file;  /* base name */
    side_row *rows;
    size_t count, cap;
} side;

static char delimiter_for(const char *path)
{
    const char *dot = strrchr(xc__path_base(path), '.');
    if (dot && xc__str_ieq(dot, ".del"))
        return '@';
    if (dot && xc__str_ieq(dot, ".pip"))
        return '|';
    return ',';
}

/* Parses a non-negative decimal id; false when s is not one. */
static bool parse_uint(const char *s, size_t len, uint32_t *out)
{
    s = xc__trim(s, &len);
    if (len == 0 || len > 9)
        return false;
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* A field as a trimmed temporary string in `arena`, with OFAC's null marker made empty. */
static const char *field(xc__arena *arena, xc__csv *csv, size_t i)
{
    size_t len;
    const char *s = xc__csv_field(csv, i, &len);
    s = xc__trim(s, &len);
    if (len == 3 && memcmp(s, "-0-", 3) == 0)
        len = 0;
    return xc__arena_strndup(arena, s, len);
}

static int side_cmp(const void *a, const void *b)
{
    const side_row *x = a, *y = b;
    if (x->ent_num != y->ent_num)
        return x->ent_num < y->ent_num ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Reads one companion file into sd (strings in the scratch arena). */
static xc_status read_side(xc__listset *set, int list, int which, FILE *f, const char *label,
                           xc__arena *scratch, side *sd, xc_error *err)
{
    sd->file = label;
    xc__csv_opts opts = {.delim = delimiter_for(label)};
    xc__csv *csv = xc__csv_open_file(f, &opts);
    if (!csv)
        return XC_NOMEM;
    xc_status rc = XC_OK;
    for (;;) {
        xc_status st = xc__csv_next(csv);
        if (st == XC_NOTFOUND)
            break;
        if (st == XC_TOOBIG) {
            xc__list_skip(set, list, "%s line %zu: %s, row skipped", sd->file,
                          xc__csv_line(csv), xc__csv_error(csv));
            continue;
        }
        if (st != XC_OK) {
            rc = st == XC_IO ? xc__error_set(err, XC_IO, "%s: read error", label) : st;
            break;
        }
        size_t n = xc__csv_count(csv);
        if (n != side_spec[which].fields) {
            xc__list_skip(set, list, "%s line %zu: %zu fields, expected %zu", sd->file,
                          xc__csv_line(csv), n, side_spec[which].fields);
            continue;
        }
        size_t len;
        const char *id = xc__csv_field(csv, 0, &len);
        side_row row = {0};
        if (!parse_uint(id, len, &row.ent_num)) {
            xc__list_skip(set, list, "%s line %zu: ent_num is not a number", sd->file,
                          xc__csv_line(csv));
            continue;
        }
        row.line = xc__csv_line(csv);
        row.seq = (uint32_t)sd->count;
        if (which == SIDE_ALT) {
            row.f[0] = field(scratch, csv, 2);
            row.f[1] = field(scratch, csv, 3);
            row.f[2] = field(scratch, csv, 4);
        } else if (which == SIDE_ADD) {
            /* address, "city state postal", country -> one line, plus the country alone. */
            char line[2048];
            size_t used = 0;
            line[0] = '\0';
            for (size_t k = 2; k <= 4; k++) {
                const char *part = field(scratch, csv, k);
                if (!part)
                    break;
                if (*part)
                    used += (size_t)snprintf(line + used, sizeof line - used, "%s%s",
                                             used ? ", " : "", part);
                if (used >= sizeof line)
                    used = sizeof line - 1;
            }
            row.f[0] = xc__arena_strdup(scratch, line);
            row.f[1] = field(scratch, csv, 4);
        } else {
            /* The text continues Remarks mid-word: keep it untrimmed at the front. */
            const char *text = xc__csv_field(csv, 1, &len);
            row.f[0] = xc__arena_strndup(scratch, text, len);
        }
        if (!row.f[0] || (which != SIDE_COMMENTS && !row.f[1])) {
            rc = XC_NOMEM;
            break;
        }
        if (sd->count == sd->cap) {
            size_t cap = sd->cap ? sd->cap * 2 : 1024;
            side_row *rows = xc__realloc(sd->rows, cap * sizeof *rows);
            if (!rows) {
                rc = XC_NOMEM;
                break;
            }
            sd->rows = rows;
            sd->cap = cap;
        }
        sd->rows[sd->count++] = row;
    }
    xc__csv_close(csv);
    if (rc == XC_OK && sd->count)
        qsort(sd->rows, sd->count, sizeof *sd->rows, side_cmp);
    return rc;
}

/* First row for ent_num in a sorted side, or NULL. */
static side_row *side_find(side *sd, uint32_t ent_num)
{
    size_t lo = 0, hi = sd->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sd->rows[mid].ent_num < ent_num)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sd->count && sd->rows[lo].ent_num == ent_num ? &sd->rows[lo] : NULL;
}

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static bool contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0)
            return true;
    return false;
}

/* Words that make "<type words> <value with a digit> (Country)" an identity document. */
static bool ident_type_word(const char *type, size_t len)
{
    static const char *const words[] = {
        "No.", "Number", "ID", "Passport", "Cedula", "NIT", "RUC", "SWIFT", "MMSI", "IMO",
        "License", "Code", "C.U.R.P.", "RFC", "Identification", "Registration", "Card"};
    static const char *const not_ids[] = {"Date", "Executive Order", "Gender", "DOB", "POB",
                                          "Website", "Email", "Phone", "Telephone", "Fax",
                                          "Digital Currency", "Linked To", "Listing"};
    for (size_t i = 0; i < XC__ARRAY_LEN(not_ids); i++)
        if (contains(type, len, not_ids[i]))
            return false;
    for (size_t i = 0; i < XC__ARRAY_LEN(words); i++)
        if (contains(type, len, words[i]))
            return true;
    return false;
}

/* "Passport A0181988 (Somalia) issued 01 Oct 2001", "Tax ID No. 7744001497 (Russia)",
 * "Vessel Registration Identification IMO 1011551": type words, then the first word holding a
 * digit starts the value, which runs to " (" (the issuing country) or the end. */
static void parse_ident(xc__ebuild *b, const char *s, size_t len)
{
    /* "Digital Currency Address - XBT 12QtD5BF...": type up to the currency code, the address
     * as one word (addresses hold no space). */
    if (starts_with(s, len, "Digital Currency Address - ")) {
        size_t code = 27;
        while (code < len && s[code] != ' ')
            code++;
        size_t start = code + 1, end = start;
        while (end < len && s[end] != ' ')
            end++;
        if (start < len)
            xc__eb_ident(b, s, code, s + start, end - start, NULL, 0);
        return;
    }
    if (starts_with(s, len, "SWIFT/BIC ")) { /* bank codes hold no digit necessarily */
        size_t end = 10;
        while (end < len && s[end] != ' ')
            end++;
        xc__eb_ident(b, s, 9, s + 10, end - 10, NULL, 0);
        return;
    }
    size_t v = 0;
    while (v < len) {
        size_t w = v;
        bool digit = false;
        while (w < len && s[w] != ' ') {
            if (s[w] >= '0' && s[w] <= '9')
                digit = true;
            w++;
        }
        if (digit)
            break;
        v = w + 1;
    }
    if (v == 0 || v >= len || v > 80)
        return;
    size_t type_len = v - 1;
    if (!ident_type_word(s, type_len))
        return;
    size_t end = v;
    while (end < len && !(s[end] == ' ' && end + 1 < len && s[end + 1] == '('))
        end++;
    size_t value_end = end;
    /* Drop " issued ..." / " expires ..." tails of a document number without a country. */
    for (size_t k = v; k < value_end; k++)
        if (s[k] == ' ' && (starts_with(s + k, value_end - k, " issued") ||
                            starts_with(s + k, value_end - k, " expires"))) {
            value_end = k;
            break;
        }
    const char *country = NULL;
    size_t country_len = 0;
    if (end < len) {
        const char *open = s + end + 2;
        const char *close = memchr(open, ')', len - (size_t)(open - s));
        if (close) {
            country = open;
            country_len = (size_t)(close - open);
        }
    }
    const char *type = s;
    if (type_len >= 3 && memcmp(s + type_len - 3, "IMO", 3) == 0) {
        type = "IMO";
        type_len = 3;
    }
    xc__eb_ident(b, type, type_len, s + v, value_end - v, country, country_len);
}

/* Takes facts out of OFAC's Remarks text (see the file comment). */
static void parse_remarks(xc__ebuild *b, const char *text, bool person)
{
    const char *p = text;
    while (*p) {
        const char *semi = strchr(p, ';');
        size_t len = semi ? (size_t)(semi - p) : strlen(p);
        const char *item = xc__trim(p, &len);
        p = semi ? semi + 1 : p + strlen(p);
        if (starts_with(item, len, "alt. ")) {
            item += 5;
            len -= 5;
        }
        size_t clean = len; /* without the final full stop */
        while (clean && item[clean - 1] == '.')
            clean--;
        if (starts_with(item, clean, "DOB ")) {
            xc__eb_dob_text(b, item + 4, clean - 4, true);
        } else if (starts_with(item, clean, "POB ")) {
            xc__eb_pob(b, item + 4, clean - 4);
        } else if (starts_with(item, clean, "nationality ")) {
            xc__eb_nationality(b, item + 12, clean - 12);
        } else if (starts_with(item, clean, "citizen ")) {
            xc__eb_nationality(b, item + 8, clean - 8);
        } else if (starts_with(item, len, "a.k.a. '") || starts_with(item, len, "f.k.a. '") ||
                   starts_with(item, len, "n.k.a. '")) {
            /* Quoted weak alias; the name itself may hold apostrophes, so take the last one. */
            const char *open = item + 8;
            const char *close = NULL;
            for (const char *q = item + len; q > open; q--)
                if (q[-1] == '\'') {
                    close = q - 1;
                    break;
                }
            if (close && close > open)
                xc__eb_name(b, open, (size_t)(close - open), XC__NAME_WEAK_AKA,
                            person && memchr(open, ',', (size_t)(close - open)));
        } else {
            parse_ident(b, item, clean);
        }
    }
}

/* "SDGT] [IRGC" -> "SDGT;IRGC". */
static const char *programs(xc__ebuild *b, const char *s, size_t len)
{
    char out[512];
    size_t n = 0;
    s = xc__trim(s, &len);
    for (size_t i = 0; i < len && n + 1 < sizeof out; i++) {
        char c = s[i];
        if (c == '[' || c == ']')
            continue;
        if (c == ' ' && i + 1 < len && (s[i + 1] == '[' || (i > 0 && s[i - 1] == ']'))) {
            if (n && out[n - 1] != ';')
                out[n++] = ';';
            continue;
        }
        out[n++] = c;
    }
    return xc__eb_str(b, out, n);
}

static xc_kind kind_of(const char *s, size_t len)
{
    s = xc__trim(s, &len);
    if (xc__strn_ieq(s, len, "individual"))
        return XC_KIND_PERSON;
    if (xc__strn_ieq(s, len, "vessel"))
        return XC_KIND_VESSEL;
    if (xc__strn_ieq(s, len, "aircraft"))
        return XC_KIND_AIRCRAFT;
    return XC_KIND_ORG;
}

/* Builds one entity from the current sdn.csv record and its companion rows. */
static xc_status one_record(xc__ebuild *b, xc__csv *csv, int list, uint32_t ent_num,
                            side sides[SIDE_COUNT], xc__buf *remarks)
{
    size_t len;
    const char *s = xc__csv_field(csv, 2, &len);
    xc_kind kind = kind_of(s, len);
    bool person = kind == XC_KIND_PERSON;
    xc__eb_begin(b, list, kind);
    b->line = xc__csv_line(csv);
    s = xc__csv_field(csv, 0, &len);
    b->entity.source_id = xc__eb_str(b, s, len);
    s = xc__csv_field(csv, 1, &len);
    xc__eb_name(b, s, len, XC__NAME_PRIMARY, person && memchr(s, ',', len));
    s = xc__csv_field(csv, 3, &len);
    b->entity.programs = programs(b, s, len);
    s = xc__csv_field(csv, 5, &len); /* call sign */
    if (kind == XC_KIND_VESSEL || kind == XC_KIND_AIRCRAFT)
        xc__eb_ident(b, "Call Sign", 9, s, len, NULL, 0);
    s = xc__csv_field(csv, 9, &len); /* vessel flag */
    xc__eb_country(b, s, len);

    const char *file = b->file;
    size_t line = b->line;
    for (side_row *r = side_find(&sides[SIDE_ALT], ent_num);
         r && r < sides[SIDE_ALT].rows + sides[SIDE_ALT].count && r->ent_num == ent_num; r++) {
        r->used = true;
        b->file = sides[SIDE_ALT].file;
        b->line = r->line;
        xc__name_type type = XC__NAME_AKA;
        if (xc__str_ieq(r->f[0], "fka"))
            type = XC__NAME_FKA;
        else if (xc__str_ieq(r->f[0], "nka"))
            type = XC__NAME_NKA;
        if (strstr(r->f[2], "weak") || strstr(r->f[2], "Weak"))
            type = XC__NAME_WEAK_AKA;
        xc__eb_name(b, r->f[1], strlen(r->f[1]), type, person && strchr(r->f[1], ','));
    }
    for (side_row *r = side_find(&sides[SIDE_ADD], ent_num);
         r && r < sides[SIDE_ADD].rows + sides[SIDE_ADD].count && r->ent_num == ent_num; r++) {
        r->used = true;
        b->file = sides[SIDE_ADD].file;
        b->line = r->line;
        xc__eb_address(b, r->f[0], strlen(r->f[0]));
        xc__eb_country(b, r->f[1], strlen(r->f[1]));
    }
    xc__buf_reset(remarks);
    s = xc__csv_field(csv, 11, &len);
    s = xc__trim(s, &len);
    xc_status rc = XC_OK;
    if (!(len == 3 && memcmp(s, "-0-", 3) == 0))
        rc = xc__buf_append(remarks, s, len);
    for (side_row *r = side_find(&sides[SIDE_COMMENTS], ent_num);
         rc == XC_OK && r && r < sides[SIDE_COMMENTS].rows + sides[SIDE_COMMENTS].count &&
         r->ent_num == ent_num;
         r++) {
        r->used = true;
        rc = xc__buf_append(remarks, r->f[0], strlen(r->f[0]));
    }
    b->file = file;
    b->line = line;
    if (rc == XC_NOMEM)
        return rc;
    /* Remarks over the buffer limit are kept up to the limit (XC_TOOBIG is not fatal). */
    if (remarks->len) {
        b->entity.remarks = xc__eb_str(b, remarks->data, remarks->len);
        if (b->entity.remarks)
            parse_remarks(b, b->entity.remarks, person);
    }
    return xc__eb_commit(b);
}

static xc_status parse_primary(xc__listset *set, int list, FILE *f, const char *label,
                               side sides[SIDE_COUNT], xc_error *err)
{
    xc__csv_opts opts = {.delim = delimiter_for(label)};
    xc__csv *csv = xc__csv_open_file(f, &opts);
    xc__ebuild b;
    xc__eb_init(&b, set, label);
    xc__buf remarks;
    xc__buf_init(&remarks, (size_t)1 << 20);
    xc_status rc = csv ? XC_OK : XC_NOMEM;
    while (rc == XC_OK) {
        xc_status st = xc__csv_next(csv);
        if (st == XC_NOTFOUND)
            break;
        if (st == XC_TOOBIG) {
            xc__list_skip(set, list, "%s line %zu: %s, row skipped", b.file, xc__csv_line(csv),
                          xc__csv_error(csv));
            continue;
        }
        if (st != XC_OK) {
            rc = st == XC_IO ? xc__error_set(err, XC_IO, "%s: read error", label) : st;
            break;
        }
        size_t n = xc__csv_count(csv);
        if (n != SDN_FIELDS) {
            xc__list_skip(set, list, "%s line %zu: %zu fields, expected %d", b.file,
                          xc__csv_line(csv), n, SDN_FIELDS);
            continue;
        }
        size_t len;
        const char *id = xc__csv_field(csv, 0, &len);
        uint32_t ent_num;
        if (!parse_uint(id, len, &ent_num)) {
            xc__list_skip(set, list, "%s line %zu: ent_num is not a number", b.file,
                          xc__csv_line(csv));
            continue;
        }
        rc = one_record(&b, csv, list, ent_num, sides, &remarks);
    }
    if (rc == XC_NOMEM)
        xc__error_set(err, XC_NOMEM, "%s: out of memory", label);
    xc__buf_free(&remarks);
    xc__eb_free(&b);
    xc__csv_close(csv);
    return rc;
}

/* Parses an opened set: files[0] is the primary file, the others may be NULL. */
static xc_status parse_set(xc__listset *set, const char *list_id, FILE *files[4],
                           const char *labels[4], const char *sha256, const char *file_list,
                           xc_error *err)
{
    bool sdn = strcmp(list_id, "us_ofac_sdn") == 0;
    int list = xc__listset_list(set, list_id,
                                sdn ? "OFAC Specially Designated Nationals (SDN) List"
                                    : "OFAC Consolidated Sanctions List (non-SDN)",
                                file_list);
    if (list < 0)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__strlcpy(set->lists[list].sha256, sha256, 65);
    xc_status rc = XC_OK;
    xc__arena *scratch = xc__arena_new(1 << 20);
    side sides[SIDE_COUNT];
    memset(sides, 0, sizeof sides);
    if (!scratch)
        rc = XC_NOMEM;
    for (int i = 0; i < SIDE_COUNT && rc == XC_OK; i++)
        if (files[i + 1])
            rc = read_side(set, list, i, files[i + 1], labels[i + 1], scratch, &sides[i], err);
    if (rc == XC_OK)
        rc = parse_primary(set, list, files[0], labels[0], sides, err);
    for (int i = 0; i < SIDE_COUNT; i++) {
        size_t orphans = 0;
        uint32_t last = UINT32_MAX;
        size_t ids = 0;
        for (size_t k = 0; k < sides[i].count; k++)
            if (!sides[i].rows[k].used) {
                orphans++;
                if (sides[i].rows[k].ent_num != last)
                    ids++;
                last = sides[i].rows[k].ent_num;
            }
        if (orphans && rc == XC_OK) {
            set->lists[list].orphan_rows += orphans;
            xc__list_issue(set, list,
                           "%s: %zu %s rows (%zu ent_nums) have no primary record; ignored",
                           sides[i].file, orphans, side_spec[i].what, ids);
        }
        xc__free_mem(sides[i].rows);
    }
    xc__arena_free(scratch);
    if (rc == XC_NOMEM)
        xc__error_set(err, XC_NOMEM, "out of memory");
    return rc;
}

xc_status xc__parse_ofac_csv(xc__listset *set, const char *list_id, const char *sdn_path,
                             const char *alt_path, const char *add_path,
                             const char *comments_path, xc_error *err)
{
    const char *paths[4] = {sdn_path, alt_path, add_path, comments_path};
    if (!sdn_path)
        return xc__error_set(err, XC_INVALID, "OFAC CSV: no primary file");
    /* Hash every file first: this checks that each can be read before anything is added.
     * The set's digest is SHA-256 over the files' hex digests concatenated in the order
     * primary, alt, add, comments (absent files left out). */
    xc__sha256 ctx;
    xc__sha256_init(&ctx);
    xc__buf list;
    xc__buf_init(&list, 0);
    xc_status rc = XC_OK;
    for (int i = 0; i < 4 && rc == XC_OK; i++) {
        if (!paths[i])
            continue;
        char hex[65];
        rc = xc__file_sha256(paths[i], hex, err);
        if (rc == XC_OK)
            xc__sha256_update(&ctx, hex, 64);
        if (rc == XC_OK && (rc = xc__buf_printf(&list, "%s%s", list.len ? ";" : "", paths[i])))
            xc__error_set(err, rc, "out of memory");
    }
    unsigned char digest[32];
    char sha[65];
    xc__sha256_final(&ctx, digest);
    xc__hex(digest, 32, sha);
    FILE *files[4] = {NULL, NULL, NULL, NULL};
    const char *labels[4] = {NULL, NULL, NULL, NULL};
    for (int i = 0; i < 4 && rc == XC_OK; i++) {
        if (!paths[i])
            continue;
        labels[i] = xc__path_base(paths[i]);
        files[i] = fopen(paths[i], "rb");
        if (!files[i])
            rc = xc__error_set(err, XC_IO, "%s: cannot open", paths[i]);
    }
    if (rc == XC_OK)
        rc = parse_set(set, list_id, files, labels, sha, list.data, err);
    for (int i = 0; i < 4; i++)
        if (files[i])
            fclose(files[i]);
    xc__buf_free(&list);
    return rc;
}

xc_status xc__parse_ofac_csv_mem(xc__listset *set, const char *list_id, const char *sdn,
                                 size_t sdn_len, const char *alt, size_t alt_len,
                                 const char *add, size_t add_len, xc_error *err)
{
    const char *data[3] = {sdn, alt, add};
    size_t lens[3] = {sdn_len, alt_len, add_len};
    const char *names[3] = {"sdn.csv", "alt.csv", "add.csv"};
    FILE *files[4] = {NULL, NULL, NULL, NULL};
    const char *labels[4] = {NULL, NULL, NULL, NULL};
    xc__sha256 ctx;
    xc__sha256_init(&ctx);
    xc_status rc = XC_OK;
    for (int i = 0; i < 3 && rc == XC_OK; i++) {
        if (!data[i] && i > 0)
            continue;
        char hex[65];
        xc__sha256_hex(data[i] ? data[i] : "", data[i] ? lens[i] : 0, hex);
        xc__sha256_update(&ctx, hex, 64);
        labels[i] = names[i];
        /* fmemopen refuses a zero-length buffer on some libcs: read /dev/null instead. */
        files[i] = data[i] && lens[i] ? fmemopen((void *)data[i], lens[i], "rb")
                                      : fopen("/dev/null", "rb");
        if (!files[i])
            rc = xc__error_set(err, XC_IO, "%s: cannot open memory stream", names[i]);
    }
    unsigned char digest[32];
    char sha[65];
    xc__sha256_final(&ctx, digest);
    xc__hex(digest, 32, sha);
    if (rc == XC_OK)
        rc = parse_set(set, list_id, files, labels, sha, "sdn.csv;alt.csv;add.csv", err);
    for (int i = 0; i < 4; i++)
        if (files[i])
            fclose(files[i]);
    return rc;
}
