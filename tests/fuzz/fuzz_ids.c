/* fuzz_ids.c — libFuzzer target for query identifiers: the input, split at newlines, is a
 * party's ids ("TYPE:VALUE" or "VALUE"), parsed and looked up in an index over one entity whose
 * identifiers are the same lines taken as "type<TAB>value". */
#include <stdint.h>
#include <string.h>

#include "match/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[8192];
    if (size >= sizeof buf)
        size = sizeof buf - 1;
    memcpy(buf, data, size);
    buf[size] = '\0';
    const char *ids[XC__MAX_QUERY_IDS + 4];
    xc__ident idents[XC__MAX_QUERY_IDS + 4];
    size_t n = 0;
    for (char *p = buf; *p && n < XC__MAX_QUERY_IDS + 3;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        ids[n] = p;
        char *tab = strchr(p, '\t');
        idents[n] = (xc__ident){tab ? p : "", tab ? tab + 1 : p, NULL};
        n++;
        p = nl ? nl + 1 : p + strlen(p);
    }
    ids[n] = NULL;
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    int list = xc__listset_list(&set, "fuzz", "fuzz", "");
    xc__name name = {"X", 0, 0};
    xc__entity ent = {.list = (uint32_t)(list < 0 ? 0 : list), .source_id = "1", .names = &name,
                      .name_count = 1, .idents = idents, .ident_count = (uint32_t)n,
                      .programs = "", .listed_on = "", .remarks = ""};
    if (list >= 0)
        xc__listset_add(&set, &ent);
    xc__idindex *ix = NULL;
    xc__idquery q[XC__MAX_QUERY_IDS];
    size_t nq = 0;
    xc_error err;
    if (xc__idindex_build(&ix, &set, NULL, &err) == XC_OK &&
        xc__idquery_parse(ids, q, &nq, &err) == XC_OK) {
        xc__idhit hits[8];
        xc__idindex_find(ix, q, nq, hits, 8);
    }
    xc__idindex_free(ix);
    xc__listset_free(&set);
    return 0;
}
