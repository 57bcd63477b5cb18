/*
 * ident.h — the identifier index (ident.c): every identifier the lists carry (IMO numbers,
 * passports, national ids, SWIFT/BIC codes, digital currency addresses, registration and tax
 * numbers ...) under its normalised value, so that a query identifier finds the entity exactly,
 * whatever the names say. Built from the entities at engine open (also after a snapshot load).
 */
#ifndef XC_IDENT_H
#define XC_IDENT_H

#include "../lists/lists.h"

struct xc__index;

#define MAX_QUERY_ID_BYTES 256

/* Identifier classes: a query "TYPE:VALUE" matches a listed identifier of the same class, or of
 * an unclassified type; a bare "VALUE" matches any class. */
typedef enum xc__id_class {
    XC__ID_OTHER = 0, /* a type we do not classify: compared with every query type */
    XC__ID_IMO,
    XC__ID_MMSI,
    XC__ID_CALL_SIGN,
    XC__ID_PASSPORT,
    XC__ID_NATIONAL,  /* national id, cedula, CURP, personal number ... */
    XC__ID_TAX,       /* tax id, RFC, NIT, INN ... */
    XC__ID_REGISTRATION, /* company / business registration, LEI, OGRN ... */
    XC__ID_SWIFT,
    XC__ID_CRYPTO,    /* digital currency address */
    XC__ID_AIRCRAFT,  /* tail number, manufacturer's serial number */
    XC__ID_CLASS_COUNT
} xc__id_class;

/* Class name ("imo", "passport", ...). */
const char *xc__id_class_name(xc__id_class c);
/* Class of a type as lists publish it ("Passport", "Vessel Registration Identification IMO",
 * "Digital Currency Address - XBT", "National ID No.", ...). */
xc__id_class xc__id_class_of_listed(const char *type);
/* Class of a query type ("imo", "passport", "bic", "wallet", ...; case-insensitive); false
 * when unknown. */
bool xc__id_class_of_query(const char *type, size_t len, xc__id_class *out);
/* The comma-separated query type names, for messages. */
const char *xc__id_query_types(void);

/* Normalises an identifier value into out (size bytes): ASCII letters upper-cased, ASCII
 * whitespace and punctuation (spaces, hyphens, dots, slashes ...) dropped, other bytes kept.
 * Returns the length, or 0 when it does not fit or nothing is left. */
size_t xc__id_normalise(const char *s, size_t len, char *out, size_t size);

typedef struct xc__idindex xc__idindex;

/* Builds the index over every entity's identifiers; index gives each entity's first name id
 * (for the match it becomes). */
xc_status xc__idindex_build(xc__idindex **out, const xc__listset *set,
                            const struct xc__index *index, xc_error *err);
void xc__idindex_free(xc__idindex *ix);
/* Identifiers indexed (after the rules of ident.c: at least 4 characters, a digit unless
 * SWIFT/BIC or digital currency). */
size_t xc__idindex_count(const xc__idindex *ix);

typedef struct xc__idhit {
    uint32_t query;   /* which query identifier (xc__idquery) */
    uint32_t entity;  /* index into listset.entities */
    uint32_t ident;   /* index into the entity's idents */
    uint32_t name_id; /* the entity's first index name, UINT32_MAX when it has none */
    uint32_t cls;     /* xc__id_class of the listed identifier */
} xc__idhit;

/* One query identifier, parsed from "TYPE:VALUE" or "VALUE". */
#define XC__MAX_QUERY_IDS 16
typedef struct xc__idquery {
    const char *raw;        /* as given */
    char norm[MAX_QUERY_ID_BYTES];
    size_t len;
    xc__id_class cls;
    bool any_class;         /* no type given */
} xc__idquery;

/* Parses a party's ids (NULL-terminated, may be NULL) into q (XC__MAX_QUERY_IDS entries).
 * Errors: XC_INVALID naming the entry ("ids[1]: unknown identifier type 'foo' (known: ..)",
 * "ids[0]: 'A-1' is too short"), XC_TOOBIG (more than XC__MAX_QUERY_IDS, or one over 255
 * bytes). */
xc_status xc__idquery_parse(const char *const *ids, xc__idquery *q, size_t *n, xc_error *err);

/* Finds the listed identifiers equal to the query ones (same class, or an unclassified listed
 * type, or any class when the query gave none); one hit per entity, first query first. Writes
 * at most max hits; returns how many. */
size_t xc__idindex_find(const xc__idindex *ix, const xc__idquery *q, size_t nq, xc__idhit *hits,
                        size_t max);

#endif /* XC_IDENT_H */
