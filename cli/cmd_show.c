/*
 * cmd_show.c — `xcheck show LIST ID [--data PATH]... [--json]`: one listed entity whole, as its
 * list gives it (names with their types, dates and places of birth, nationalities, countries,
 * addresses, identifiers, programmes, listing date, remarks), for a reviewer deciding an alert.
 * The JSON is xc_entity_json's; the text form prints the same fields, one section each.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "util.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: xcheck show LIST ID [--data PATH]... [--json]\n"
                 "  LIST is a list id as `xcheck lists` prints it (us_ofac_sdn, un_sc, ...),\n"
                 "  ID the list's own id of the entity (as screen prints it).\n");
}

static const char *str_of(const json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s ? s : "";
}

/* "label: a; b; c" for an array of strings; "label: -" when empty. */
static void print_strings(const char *label, const json_t *arr)
{
    printf("%-18s", label);
    size_t i;
    json_t *v;
    if (json_array_size(arr) == 0)
        printf("-");
    json_array_foreach(arr, i, v) printf("%s%s", i ? "; " : "", json_string_value(v));
    printf("\n");
}

static void print_text(const json_t *e)
{
    const char *version = str_of(e, "list_version");
    printf("%s %s (%s), list version %s\n", str_of(e, "list"), str_of(e, "entity_id"),
           str_of(e, "kind"), *version ? version : "unknown");
    size_t i;
    json_t *v;
    printf("names:\n");
    json_array_foreach(json_object_get(e, "names"), i, v)
        printf("  %-16s %s\n", str_of(v, "type"), str_of(v, "name"));
    print_strings("dates of birth:", json_object_get(e, "dates_of_birth"));
    print_strings("places of birth:", json_object_get(e, "places_of_birth"));
    print_strings("nationalities:", json_object_get(e, "nationalities"));
    print_strings("countries:", json_object_get(e, "countries"));
    json_t *addresses = json_object_get(e, "addresses");
    if (json_array_size(addresses))
        printf("addresses:\n");
    else
        printf("%-18s-\n", "addresses:");
    json_array_foreach(addresses, i, v) printf("  %s\n", json_string_value(v));
    json_t *ids = json_object_get(e, "identifiers");
    if (json_array_size(ids))
        printf("identifiers:\n");
    else
        printf("%-18s-\n", "identifiers:");
    json_array_foreach(ids, i, v)
    {
        const char *country = str_of(v, "country");
        printf("  %-24s %s%s%s%s\n", *str_of(v, "type") ? str_of(v, "type") : "(no type)",
               str_of(v, "value"), *country ? " (" : "", country, *country ? ")" : "");
    }
    print_strings("programmes:", json_object_get(e, "programs"));
    const char *listed = str_of(e, "listed_on");
    printf("%-18s%s\n", "listed on:", *listed ? listed : "-");
    const char *remarks = str_of(e, "remarks");
    printf("%-18s%s\n", "remarks:", *remarks ? remarks : "-");
}

int cmd_show(int argc, char **argv)
{
    const char *data[64];
    const char *positional[2];
    int ndata = 0, npos = 0;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc && ndata < 63) {
            data[ndata++] = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] != '-' && npos < 2) {
            positional[npos++] = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (npos != 2) {
        usage(stderr);
        return 2;
    }
    xc_engine *eng = cli_open_engine(data, ndata, false);
    if (!eng)
        return 1;
    size_t nlists = xc_engine_list_count(eng);
    if (nlists == 0) {
        fprintf(stderr, "xcheck show: no lists loaded: pass --data PATH with official list "
                        "files, or install them with `xcheck update`\n");
        xc_engine_close(eng);
        return 1;
    }
    char *out = NULL;
    xc_error err = {0};
    xc_status rc = xc_entity_json(eng, positional[0], positional[1], &out, &err);
    if (rc != XC_OK) {
        fprintf(stderr, "xcheck show: %s (%s)\n", err.message, xc_status_name(err.code));
        if (rc == XC_NOTFOUND) { /* name what is there, so a mistyped id is obvious */
            fprintf(stderr, "xcheck show: lists loaded:");
            for (size_t i = 0; i < nlists; i++) {
                const char *id = xc_engine_list(eng, i)->id;
                bool seen = false;
                for (size_t k = 0; k < i && !seen; k++)
                    seen = strcmp(xc_engine_list(eng, k)->id, id) == 0;
                if (!seen)
                    fprintf(stderr, " %s", id);
            }
            fprintf(stderr, "\n");
        }
        xc_engine_close(eng);
        return 1;
    }
    int status = 0;
    if (json) {
        printf("%s\n", out);
    } else {
        json_t *obj = json_loads(out, 0, NULL);
        if (obj)
            print_text(obj);
        else
            status = 1;
        json_decref(obj);
    }
    xc_free(out);
    xc_engine_close(eng);
    return status;
}
