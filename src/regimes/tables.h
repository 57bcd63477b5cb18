/*
 * tables.h — the compiled rule tables inside xc__regimes (private to src/regimes). load.c builds
 * them from the data/regimes CSV files; decide.c and api.c read them. Everything lives in one
 * arena (or arrays) owned by the xc__regimes handle and never changes after loading.
 */
#ifndef XC_REGIMES_TABLES_H
#define XC_REGIMES_TABLES_H

#include "regimes.h"

/* A country's membership of a group (JP Groups, KR regions, US Country Groups, EU001, EU). */
typedef struct xc__member {
    uint8_t jur;
    char group[8];
    uint16_t country;
    xc__fact fact;
} xc__member;

typedef struct xc__jp_row {
    char code[8];   /* "1" .. "15", "3-2", "16" */
    uint8_t catchall;
    xc__fact fact;
} xc__jp_row;

enum { XC__DEST_ANY, XC__DEST_GROUP_A, XC__DEST_NON_A, XC__DEST_COUNTRY };
enum { XC__ITEM_LIST, XC__ITEM_CATCHALL, XC__ITEM_ROW };
enum { XC__EFFECT_AVAILABLE, XC__EFFECT_UNAVAILABLE, XC__EFFECT_POSSIBLE };
#define XC__LIC_ALL_BULK 255 /* jp_licences.csv "bulk": every bulk kind */

typedef struct xc__jp_licence {
    uint8_t kind;      /* XC__LIC_* or XC__LIC_ALL_BULK */
    uint8_t dest_kind; /* XC__DEST_* */
    uint16_t country;
    uint8_t item_kind; /* XC__ITEM_* */
    char item[8];      /* row code with paragraph, for XC__ITEM_ROW */
    uint8_t effect;    /* XC__EFFECT_* */
    xc__fact fact;
} xc__jp_licence;

typedef struct xc__jp_catchall {
    uint8_t group_a;   /* scope: 1 Group A, 0 outside Group A */
    uint8_t inform;    /* requirement: 1 inform, 0 objective */
    uint8_t applies;
    xc__fact fact;
} xc__jp_catchall;

typedef struct xc__dest_fact {
    uint16_t country;  /* XC__NO_COUNTRY = every destination */
    uint8_t kind;      /* meaning depends on the table */
    xc__fact fact;
} xc__dest_fact;

enum { XC__KR_DOCS, XC__KR_REVIEW, XC__KR_COMPREHENSIVE };
typedef struct xc__kr_proc {
    char region[8];
    uint8_t param;
    const char *value;
    xc__fact fact;
} xc__kr_proc;

typedef struct xc__eu_entry {
    char code[6];
    xc__fact fact;
} xc__eu_entry;

/* US Country Groups as bits. */
enum {
    XC__USG_A1, XC__USG_A2, XC__USG_A3, XC__USG_A4, XC__USG_A5, XC__USG_A6, XC__USG_B,
    XC__USG_D1, XC__USG_D2, XC__USG_D3, XC__USG_D4, XC__USG_D5, XC__USG_E1, XC__USG_E2,
    XC__USG_COUNT
};

enum { XC__US_DEST_COLUMNS, XC__US_DEST_SET, XC__US_DEST_UNKNOWN };
typedef struct xc__us_row {
    char reason[4];
    uint16_t columns;         /* bit per chart column, XC__US_DEST_COLUMNS */
    uint8_t dest_kind;
    uint8_t entire;           /* applies to the entire entry */
    const char *paragraphs;   /* ';'-joined paragraphs of the entry a partial row covers, or
                                 '-'-prefixed ones an entire row excepts; NULL = none known */
    uint8_t destset[(XC__NCOUNTRY + 7) / 8]; /* XC__US_DEST_SET: destinations in scope */
    xc__fact fact;
} xc__us_row;

enum { XC__GBS_NO, XC__GBS_YES, XC__GBS_CONDITIONAL };
typedef struct xc__us_entry {
    char eccn[6];
    uint32_t row_start, row_count;
    int64_t lvs_limit;        /* USD; -1 = LVS not available */
    const char *lvs_note;     /* condition text or NULL */
    uint8_t gbs;
    const char *gbs_note;
    xc__fact fact;            /* text = heading */
} xc__us_entry;

typedef struct xc__us_chart {
    uint8_t present;
    uint16_t marks;           /* bit per column */
    uint16_t footnotes;       /* bit n = footnote n */
    uint16_t inherits;        /* territory: the row that governs it */
    const char *embargo;      /* Part 746 pointer, or NULL */
    xc__fact fact;
} xc__us_chart;

enum { XC__ALLDEST_NO_EXC, XC__ALLDEST_GOV_ONLY };
typedef struct xc__us_alldest {
    char code[16];
    uint8_t kind;
    uint8_t conditional;      /* applies only to part of the entry ("(for ...)") */
    xc__fact fact;
} xc__us_alldest;

typedef struct xc__event {
    int32_t from, to;
    char jur[4];
    uint16_t a, b;            /* b = XC__NO_COUNTRY for '*'; a may be XC__NO_COUNTRY for "EU" */
    uint8_t a_eu;
    const char *step, *text, *instrument, *citation;
    uint8_t in_force, conf;
} xc__event;

typedef struct xc__source {
    const char *key, *kind, *title, *url, *date;
} xc__source;

struct xc__regimes {
    xc__arena *arena;
    char version[40];
    char codes[XC__NCOUNTRY][3];
    uint8_t valid_country[XC__NCOUNTRY];
    const char *country_name[XC__NCOUNTRY];
    uint8_t eu_member[XC__NCOUNTRY];

    xc__source *sources;
    size_t source_count;

    xc__member *members;      /* sorted by (jur, country) */
    size_t member_count;
    uint32_t member_first[XC__JUR_COUNT][XC__NCOUNTRY];
    uint16_t member_n[XC__JUR_COUNT][XC__NCOUNTRY];

    xc__jp_row *jp_rows;
    size_t jp_row_count;
    xc__jp_licence *jp_licences;
    size_t jp_licence_count;
    xc__jp_catchall *jp_catchall;
    size_t jp_catchall_count;
    xc__dest_fact *jp_embargoes;
    size_t jp_embargo_count;

    xc__kr_proc *kr_procs;
    size_t kr_proc_count;

    xc__eu_entry *eu_annex1;
    size_t eu_annex1_count;
    xc__dest_fact *eu_rules;  /* kind 0 = regulation in force, 1 = restrictive measures */
    size_t eu_rule_count;

    xc__us_entry *us_entries; /* sorted by eccn */
    size_t us_entry_count;
    xc__us_row *us_rows;
    size_t us_row_count;
    xc__us_chart us_chart[XC__NCOUNTRY];
    uint16_t us_groups[XC__NCOUNTRY];
    const xc__member *us_group_b[XC__NCOUNTRY];
    xc__us_alldest *us_alldest;
    size_t us_alldest_count;
    xc__fact us_footnote[16];
    int32_t us_edition;

    xc__event *events;        /* sorted by date */
    size_t event_count;

    const xc__fact **facts;
    size_t fact_count;
    int32_t *boundaries;
    size_t boundary_count;
};

static inline uint16_t xc__cidx(const char *code)
{
    return (uint16_t)((code[0] - 'A') * 26 + (code[1] - 'A'));
}

#endif /* XC_REGIMES_TABLES_H */
