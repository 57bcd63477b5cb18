/*
 * regimes.h — dated licence rules: country groups, control-list items, item x destination
 * overrides, catch-all scopes and licence types for JP, KR, US (EAR) and EU, and the decision
 * procedure. Loaded from the project's data/regimes/ CSV files (embedded at build time through
 * xc__data_file, or read from a folder given in xc_config.regimes_dir).
 *
 * Every row of those files becomes an xc__fact: a sentence, its citation keys, its confidence and
 * its validity window as days since 1970-01-01, half-open [from, to). The decision functions
 * (decide.c) read the compiled tables only: they never allocate, parse or print, so a decision is
 * a handful of table lookups. Parsing the shipment JSON and rendering the answer live in api.c.
 */
#ifndef XC_REGIMES_H
#define XC_REGIMES_H

#include "../base/base.h"

typedef struct xc__regimes xc__regimes;

/* Loads the rule tables: from dir when not NULL, else from the embedded data files. Errors:
 * XC_IO (unreadable file), XC_NODATA (no embedded data), XC_CORRUPT (a malformed row or a
 * citation key missing from sources.csv; the message names file and line), XC_NOMEM. */
xc_status xc__regimes_open(xc__regimes **out, const char *dir, xc_error *err);
void xc__regimes_close(xc__regimes *regimes);

/* ---- everything below is shared between the files of src/regimes and the unit tests ---- */

enum { XC__JUR_JP, XC__JUR_KR, XC__JUR_US, XC__JUR_EU, XC__JUR_COUNT };
enum { XC__CONF_VERIFIED, XC__CONF_SECONDARY_CONSISTENT, XC__CONF_SECONDARY, XC__CONF_UNCERTAIN };
enum {
    XC__OUT_NLR = 0,          /* no_licence_required */
    XC__OUT_LICENCE = 1,      /* licence_required */
    XC__OUT_INDETERMINATE = 2,
    XC__OUT_PROHIBITED = 3
};
/* Licence kinds; their names (xc__licence_name) are the stable snake_case of docs/licences.md. */
enum {
    XC__LIC_INDIVIDUAL,
    XC__LIC_GENERAL_BULK,
    XC__LIC_SPECIAL_GENERAL_BULK,
    XC__LIC_SPECIFIC_BULK,
    XC__LIC_COMPREHENSIVE,
    XC__LIC_NLR,
    XC__LIC_LVS,
    XC__LIC_GBS,
    XC__LIC_EU001,
    XC__LIC_BIS_LICENCE,
    XC__LIC_COUNT
};
/* Classes of restricted lists that change a decision (from a screening hit's list id). */
enum {
    XC__HIT_UN,
    XC__HIT_JP_EUL,
    XC__HIT_US_ENTITY,
    XC__HIT_US_SDN,
    XC__HIT_US_DPL,
    XC__HIT_EU,
    XC__HIT_COUNT
};

#define XC__DAY_OPEN_START INT32_MIN /* valid_from empty: since before the data's horizon */
#define XC__DAY_OPEN_END INT32_MAX   /* valid_to empty: still in force */
#define XC__NCOUNTRY 676             /* two letters A-Z: index (c0-'A')*26 + (c1-'A') */
#define XC__NO_COUNTRY 0xFFFF
#define XC__MAX_REASONS 24

/* One dated, cited fact; also used for the engine's own fixed rules (static, citation ""). */
typedef struct xc__fact {
    const char *rule;       /* stable rule id: "jp.group", "us.chart", ... */
    const char *text;       /* one sentence */
    const char *citation;   /* source keys joined with ';' ("" for the engine's own rules) */
    int32_t from, to;       /* [from, to) in days; XC__DAY_OPEN_* when open */
    uint8_t conf;           /* XC__CONF_* */
    uint8_t jur;            /* XC__JUR_* */
    uint16_t probe_dest;    /* boundary tests: a destination that exercises the fact */
    const char *probe_item; /* boundary tests: an item code that exercises it (NULL = none) */
} xc__fact;

static inline bool xc__fact_on(const xc__fact *fact, int32_t day)
{
    return fact->from <= day && day < fact->to;
}

typedef struct xc__reason {
    const xc__fact *fact;
    const char *arg;   /* appended to the text (": arg"), or NULL; borrowed */
    double num;        /* appended when has_num */
    uint8_t has_num;
} xc__reason;

typedef struct xc__item {
    uint8_t jur;             /* XC__JUR_* */
    const char *code;        /* as given */
    const char *description; /* may be NULL */
    double value;
    uint8_t has_value;
    uint8_t usd;             /* value is in USD */
} xc__item;

typedef struct xc__shipment {
    int32_t date;
    uint16_t exporter;       /* country index, XC__NO_COUNTRY when "EU" */
    uint8_t exporter_eu;     /* exporter given as "EU" or an EU member state */
    uint16_t dest;
    const xc__item *items;
    size_t item_count;
    uint32_t held;           /* bit per XC__LIC_* */
    uint8_t end_use;         /* 0 not given, 1 civil, 2 military, 3 wmd */
    uint8_t wmd_knowledge;
    uint8_t informed;
    uint8_t parties_given;
    uint8_t lists_loaded;
    uint16_t hit_strong;     /* bit per XC__HIT_* */
    uint16_t hit_possible;
    const char *hit_note[XC__HIT_COUNT]; /* "party name (list id)" for the reason */
} xc__shipment;

typedef struct xc__decision {
    const xc__item *item;
    uint8_t jur;
    uint8_t outcome;         /* XC__OUT_* */
    uint32_t licences;       /* bit per XC__LIC_*: kinds that could lawfully cover it */
    uint32_t covered;        /* licences & held */
    uint8_t reason_count;
    xc__reason reasons[XC__MAX_REASONS];
} xc__decision;

/* Decides one item of a shipment. Reads only the tables; no allocation. */
void xc__decide_item(const xc__regimes *reg, const xc__shipment *ship, const xc__item *item,
                     xc__decision *out);

const char *xc__licence_name(int kind);
int xc__licence_parse(const char *name); /* -1 when unknown */
const char *xc__outcome_name(int outcome);
const char *xc__jur_name(int jur);
int xc__jur_parse(const char *name); /* -1 when unknown */
const char *xc__conf_name(int conf);

/* Country index of a two-letter upper-case code known to countries.csv, else XC__NO_COUNTRY. */
uint16_t xc__regimes_country(const xc__regimes *reg, const char *code);
const char *xc__regimes_country_code(const xc__regimes *reg, uint16_t country);
bool xc__regimes_is_eu_member(const xc__regimes *reg, uint16_t country);

/* Every fact loaded from the data files (for the boundary tests and --between). Borrowed. */
const xc__fact *const *xc__regimes_facts(const xc__regimes *reg, size_t *count);
/* Sorted distinct dates on which some fact starts or stops. Borrowed. */
const int32_t *xc__regimes_boundaries(const xc__regimes *reg, size_t *count);
/* Parses a shipment JSON (the xc_decide_json shape) without screening its parties: the
 * benchmark's and tests' way in. Strings live in arena. Errors as xc_decide_json. */
xc_status xc__shipment_parse(const xc__regimes *reg, const char *json, size_t len,
                             xc__arena *arena, xc__shipment *out, xc_error *err);

/* Short data version: "regimes sha256:<12 hex>" over the data files in load order. */
const char *xc__regimes_version(const xc__regimes *reg);
/* The EAR edition carried (days) and its text. */
int32_t xc__regimes_us_edition(const xc__regimes *reg);

#endif /* XC_REGIMES_H */
