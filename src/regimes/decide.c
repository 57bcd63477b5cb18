/*
 * decide.c — the decision procedure per jurisdiction: given a parsed shipment (api.c) and one
 * item, it looks up the dated facts in force on the shipment date and writes the outcome, the
 * licence kinds that could cover the item and the chain of reasons (each a pointer to a fact).
 * It never allocates, parses or prints: the hot path of `make bench`.
 *
 * Outcomes combine by severity: no_licence_required < licence_required < indeterminate <
 * prohibited. Anything the data cannot settle (unknown code, uncertain fact the answer depends
 * on, parties that could not be screened) raises the outcome to indeterminate, never lowers it.
 * docs/regimes.md describes the rules and every assumption in prose.
 */
#include <stdlib.h>
#include <string.h>

#include "tables.h"

#define FACT(name, jur, conf, rule, cite, text)                                                  \
    static const xc__fact name = {rule, text, cite, XC__DAY_OPEN_START, XC__DAY_OPEN_END, conf, \
                                  jur, XC__NO_COUNTRY, NULL}

#define V XC__CONF_VERIFIED
#define U XC__CONF_UNCERTAIN

/* ---- the engine's own rules (citation "" = a rule of this engine, see docs/regimes.md) */
FACT(F_PARTIES_NONE, 0, V, "parties.not_given", "",
     "No parties given: the decision rests on item, destination and declared end use only; no "
     "party was screened");
FACT(F_PARTIES_NO_LISTS, 0, U, "parties.no_lists", "",
     "Parties were given but no restricted-party lists are loaded: the parties cannot be shown "
     "to be clear (absence is not permission)");
FACT(F_PARTIES_LIST_MISSING, 0, U, "parties.list_missing", "",
     "A restricted-party list that matters for this decision is not loaded, so the parties cannot "
     "be shown to be clear of it (absence is not permission)");
FACT(F_PARTIES_CLEAR, 0, V, "parties.screened", "",
     "Every party was screened against the loaded lists; no hit on a list that matters here");
FACT(F_UN_STRONG, 0, V, "parties.un_sc", "",
     "A party matches the UN Security Council Consolidated List (strong match): making goods "
     "available to a designated party is prohibited");
FACT(F_UN_POSSIBLE, 0, U, "parties.un_sc_possible", "",
     "A party possibly matches the UN Security Council Consolidated List: review the match");
FACT(F_JP_NOT_EXPORTER, XC__JUR_JP, V, "jp.exporter", "S-JP-ROWS-XYNA",
     "Japanese export licensing (FEFTA Art. 48) governs exports from Japan; the exporter is "
     "not JP, so this engine does not decide the item under JP law");
FACT(F_JP_UNKNOWN_ITEM, XC__JUR_JP, U, "jp.unknown_item", "S-JP-ROWS-XYNA",
     "Item code is not a row of ETCO Appended Table 1 (give a row 1-15 or 16, optionally with "
     "its paragraph, e.g. 5(17))");
FACT(F_JP_GROUP_C, XC__JUR_JP, V, "jp.group_c", "S-JP-2019-0802-NIKKEI;S-JP-A-LIST",
     "Destination is not in Group A (ETCO Appended Table 3): Group C (or Group B, whose "
     "membership beyond KR is not verified; the rules applied are the same for B and C here)");
FACT(F_JP_INFORMED, XC__JUR_JP, V, "jp.catchall_informed", "S-JP-CATCHALL",
     "The exporter has been informed by METI (inform requirement met): a licence is required");
FACT(F_JP_NOT_INFORMED, XC__JUR_JP, V, "jp.catchall_not_informed", "S-JP-CATCHALL",
     "No METI inform notice declared (informed: false)");
FACT(F_JP_USE, XC__JUR_JP, V, "jp.catchall_use", "S-JP-CATCHALL",
     "Use test met: declared knowledge or end use points to WMD or military use; a licence is "
     "required");
FACT(F_JP_USE_CLEAR, XC__JUR_JP, V, "jp.catchall_use_clear", "S-JP-CATCHALL",
     "Use test not met on the declared end use and knowledge");
FACT(F_JP_EUL, XC__JUR_JP, V, "jp.catchall_user", "S-JP-CATCHALL;S-JP-EUL-ANNUAL",
     "User test met: a party matches METI's End User List (strong match); a licence is required "
     "unless it is clear the goods will not serve WMD development");
FACT(F_JP_EUL_POSSIBLE, XC__JUR_JP, U, "jp.catchall_user_possible", "S-JP-CATCHALL",
     "A party possibly matches METI's End User List: review the match before relying on the "
     "user test");
FACT(F_JP_EUL_GROUP_A, XC__JUR_JP, V, "jp.eul_group_a", "S-JP-CATCHALL",
     "A party matches METI's End User List, but the objective requirement does not apply to "
     "Group A destinations; check for a METI inform notice");
FACT(F_JP_EUL_LIST, XC__JUR_JP, V, "jp.eul_list_item", "S-JP-EUL-ANNUAL",
     "A party matches METI's End User List; the list-controlled item needs a licence anyway and "
     "METI's review will weigh the listing");
FACT(F_JP_USER_NOT_ASSESSED, XC__JUR_JP, V, "jp.catchall_user_not_assessed", "S-JP-CATCHALL",
     "No parties given: the user test (End User List) was not performed");
FACT(F_JP_ROW_CONSERVATIVE, XC__JUR_JP, V, "jp.row_without_paragraph", "",
     "Item given as a row without its paragraph: an override for a paragraph of that row is "
     "applied conservatively");
FACT(F_KR_NOT_EXPORTER, XC__JUR_KR, V, "kr.exporter", "S-KR-FTA-2025",
     "Korean export licensing (Foreign Trade Act Art. 19-2) governs exports from Korea; the "
     "exporter is not KR");
FACT(F_KR_BAD_CODE, XC__JUR_KR, U, "kr.unknown_item", "S-KR-FTA-2025",
     "Item code is not in the multilateral (Wassenaar-style) numbering, e.g. 3C002; no copy of "
     "Korea's strategic-items list is at hand");
FACT(F_KR_NON_MULTILATERAL, XC__JUR_KR, U, "kr.non_multilateral", "S-KR-FTA-2025",
     "Entry number is not a multilateral-regime entry (third digit 5, 6 or 9); whether Korea "
     "lists it is unknown (no copy of Korea's strategic-items list at hand)");
FACT(F_KR_STRATEGIC, XC__JUR_KR, XC__CONF_SECONDARY, "kr.strategic_assumed", "S-KR-FTA-2025",
     "Assumed a strategic item (Public Notice Annex 2) because the code is a multilateral-regime "
     "entry; no copy of Korea's strategic-items list is at hand. Export of strategic items "
     "needs an export licence (Foreign Trade Act Art. 19-2)");
FACT(F_KR_REGION_UNKNOWN, XC__JUR_KR, U, "kr.region_unverified", "S-KR-2019-0712",
     "The destination's region is not verified (only Japan's is in the data): the Na procedure "
     "is assumed as the conservative case and the comprehensive licence is not listed");
FACT(F_KR_NORTH, XC__JUR_KR, U, "kr.inter_korean", "",
     "Shipments to North Korea fall under the Inter-Korean Exchange and Cooperation Act, which is "
     "not modelled");
FACT(F_KR_SITUATIONAL, XC__JUR_KR, V, "kr.situational", "S-KR-FTA-2025",
     "Declared WMD or military end use: a situational licence (Foreign Trade Act Art. 19-3) is "
     "required for non-strategic items too");
FACT(F_US_EDITION, XC__JUR_US, V, "us.edition", "EAR-CCL",
     "EAR data is the eCFR edition of 2026-07-23; the shipment date differs, and the answer uses "
     "that edition (earlier or later amendments are not reflected)");
FACT(F_US_REEXPORT, XC__JUR_US, V, "us.reexport", "EAR-CHART;EAR-734",
     "Item carries a US classification and is shipped from outside the US: a re-export, decided "
     "by the Country Chart for the destination; de minimis (734.4) and foreign-direct-product "
     "(734.9) rules were not assessed");
FACT(F_US_NO_ROW, XC__JUR_US, U, "us.no_chart_row", "EAR-CHART",
     "Destination has no Commerce Country Chart row and no named territory rule: the licence "
     "requirement cannot be read from the chart");
FACT(F_US_BAD_CODE, XC__JUR_US, U, "us.unknown_item", "EAR-CCL",
     "Item code is neither EAR99 nor an ECCN of the Commerce Control List edition carried");
FACT(F_US_EAR99, XC__JUR_US, V, "us.ear99", "EAR-CHART",
     "EAR99: subject to the EAR but not on the CCL; no licence under the Country Chart (GP4-10 "
     "end-use/end-user rules still apply)");
FACT(F_US_EMBARGO_EAR99, XC__JUR_US, U, "us.embargo_ear99", "EAR-746",
     "Embargoed destination (Part 746): some EAR99 items (e.g. food, medicine) may be exported "
     "under Part 746 conditions that are not modelled");
FACT(F_US_EMBARGO_CCL, XC__JUR_US, V, "us.embargo_ccl", "EAR-746",
     "Embargoed destination (Part 746): CCL items need a licence under a general policy of "
     "denial; treated as prohibited");
FACT(F_US_SYRIA, XC__JUR_US, U, "us.embargo_syria", "EAR-746;EAR-740",
     "Syria (746.9): licence requirements and License Exception SPP (740.5) are not modelled");
FACT(F_US_NS_CHART, XC__JUR_US, V, "us.chart_x", "EAR-CHART",
     "An X in the Country Chart cell for this reason and destination: a licence is required "
     "unless a licence exception applies (738.4(a)(2))");
FACT(F_US_CHART_NO_X, XC__JUR_US, V, "us.chart_no_x", "EAR-CHART",
     "No X in the Country Chart for any reason of the entry and this destination: no licence "
     "required (NLR) under the chart");
FACT(F_US_PARTIAL, XC__JUR_US, U, "us.partial_scope", "EAR-CCL",
     "A reason for control covers only part of the entry or has a prose destination scope: "
     "whether it covers this item needs its full classification");
FACT(F_US_LVS, XC__JUR_US, V, "us.lvs", "EAR-CCL;EAR-740",
     "License Exception LVS (740.3): destination in Country Group B and value within the entry's "
     "limit (USD)");
FACT(F_US_LVS_OVER, XC__JUR_US, V, "us.lvs_over", "EAR-CCL;EAR-740",
     "License Exception LVS not usable: value over the entry's limit (USD), not in USD, or not "
     "given");
FACT(F_US_LVS_NOTE, XC__JUR_US, V, "us.lvs_condition", "EAR-CCL",
     "LVS condition of the entry (check it)");
FACT(F_US_GBS, XC__JUR_US, V, "us.gbs", "EAR-CCL;EAR-740",
     "License Exception GBS (740.4): destination in Country Group B and NS the only reason");
FACT(F_US_GBS_NOTE, XC__JUR_US, V, "us.gbs_condition", "EAR-CCL",
     "GBS condition of the entry");
FACT(F_US_EXC_GROUP_B, XC__JUR_US, XC__CONF_SECONDARY, "us.exceptions_group_b", "EAR-740",
     "LVS and GBS are limited to Country Group B destinations (740.3, 740.4; the limitation is "
     "applied conservatively, the 740 text was not in the stored sources)");
FACT(F_US_740_2, XC__JUR_US, V, "us.740_2", "EAR-740",
     "The restrictions of 740.2 (which override every licence exception) were not assessed");
FACT(F_US_ENTITY, XC__JUR_US, V, "us.entity_list", "EAR-744",
     "A party matches the Entity List (strong match): a licence is required for all items "
     "subject to the EAR (744.11), licence exceptions not available");
FACT(F_US_SDN, XC__JUR_US, V, "us.sdn", "EAR-744",
     "A party matches OFAC's SDN list (strong match): dealings are blocked; treated as "
     "prohibited");
FACT(F_US_DPL, XC__JUR_US, V, "us.dpl", "EAR-744",
     "A party matches the Denied Persons List (strong match): exports are prohibited (GP4)");
FACT(F_US_POSSIBLE, XC__JUR_US, U, "us.party_possible", "EAR-744",
     "A party possibly matches a US restricted list (Entity List, SDN or DPL): review the match");
FACT(F_US_RUBY, XC__JUR_US, V, "us.russia_belarus", "EAR-746",
     "Country Chart footnote 6 (746.8): a licence is required for items in any ECCN to Russia "
     "and Belarus; for EAR99 items 746.8 lists apply");
FACT(F_EU_NOT_EXPORTER, XC__JUR_EU, V, "eu.exporter", "EU-2021-821",
     "Reg. 2021/821 governs exports from the EU customs territory; the exporter is neither EU "
     "nor a member state");
FACT(F_EU_BEFORE, XC__JUR_EU, U, "eu.before_2021_821", "EU-2021-821",
     "Shipment date before 2021-09-09: Regulation 428/2009 applied, which this data does not "
     "model");
FACT(F_EU_INTRA, XC__JUR_EU, U, "eu.intra_eu", "EU-2021-821",
     "Destination is an EU member state: intra-EU transfer, which needs a licence only for "
     "Annex IV items; no copy of Annex IV is at hand");
FACT(F_EU_UNKNOWN, XC__JUR_EU, U, "eu.unknown_item", "EU-2021-821;S-EU-ANNEX-I-STRUCT",
     "Code is not among the Annex I entries in the project's data; no copy of Annex I is at "
     "hand, so whether it is listed is unknown");
FACT(F_EU_AUTH, XC__JUR_EU, V, "eu.authorisation", "EU-2021-821",
     "Annex I item: export needs an authorisation (Art. 3): an individual (or global) "
     "authorisation from the member state, or a Union general export authorisation whose "
     "conditions are met");
FACT(F_EU001_CONDITIONS, XC__JUR_EU, XC__CONF_SECONDARY, "eu.eu001_conditions", "S-EU-IE-2024",
     "EU001 excludes the items of Annex II Section I and needs registration and reporting; those "
     "exclusions are not in the data (check them)");
FACT(F_EU_ART4, XC__JUR_EU, V, "eu.catch_all", "EU-2021-821",
     "Declared WMD or military end use: an authorisation is required under the catch-all "
     "(Art. 4) even for items not in Annex I");
FACT(F_EU_LIST, XC__JUR_EU, V, "eu.sanctions_list", "EU-SANCTIONS-MAP",
     "A party matches an EU financial-sanctions list (strong match): making goods available is "
     "prohibited");
FACT(F_EU_POSSIBLE, XC__JUR_EU, U, "eu.sanctions_list_possible", "EU-SANCTIONS-MAP",
     "A party possibly matches an EU financial-sanctions list: review the match");

#define BIT(k) (1u << (k))
#define BULK_BITS (BIT(XC__LIC_GENERAL_BULK) | BIT(XC__LIC_SPECIAL_GENERAL_BULK) | \
                   BIT(XC__LIC_SPECIFIC_BULK))

static void add(xc__decision *d, const xc__fact *fact, const char *arg)
{
    if (d->reason_count < XC__MAX_REASONS) {
        xc__reason *r = &d->reasons[d->reason_count++];
        r->fact = fact;
        r->arg = arg;
        r->num = 0;
        r->has_num = 0;
    }
}

static void add_num(xc__decision *d, const xc__fact *fact, double num)
{
    add(d, fact, NULL);
    if (d->reason_count && d->reasons[d->reason_count - 1].fact == fact) {
        d->reasons[d->reason_count - 1].num = num;
        d->reasons[d->reason_count - 1].has_num = 1;
    }
}

static void raise(xc__decision *d, int outcome)
{
    if (outcome > d->outcome)
        d->outcome = (uint8_t)outcome;
}

static bool usable(const xc__fact *fact)
{
    return fact->conf <= XC__CONF_SECONDARY_CONSISTENT;
}

/* Names of the list classes, for the reason that one is missing. */
static const char *const hit_names[XC__HIT_COUNT] = {
    "UN Security Council Consolidated List (un_sc)", "METI End User List (jp_meti_eul)",
    "Entity List (us_bis_entity_list)", "SDN list (us_ofac_sdn or us_csl_sdn)",
    "Denied Persons List (us_bis_dpl)", "EU financial sanctions list (eu_*)"};

/* Parties were screened, but a list class in `needed` was not loaded: indeterminate. */
static void require_lists(const xc__shipment *s, xc__decision *d, uint16_t needed)
{
    if (!s->parties_given || !s->lists_loaded)
        return;
    for (int k = 0; k < XC__HIT_COUNT; k++)
        if ((needed & (1u << k)) && !(s->lists_present & (1u << k))) {
            add(d, &F_PARTIES_LIST_MISSING, hit_names[k]);
            raise(d, XC__OUT_INDETERMINATE);
        }
}

/* Screening results common to every jurisdiction: missing lists, UN hits. */
static void parties_common(const xc__shipment *s, xc__decision *d)
{
    if (!s->parties_given) {
        add(d, &F_PARTIES_NONE, NULL);
        return;
    }
    if (!s->lists_loaded) {
        add(d, &F_PARTIES_NO_LISTS, NULL);
        raise(d, XC__OUT_INDETERMINATE);
        return;
    }
    require_lists(s, d, BIT(XC__HIT_UN));
    if (s->hit_strong & BIT(XC__HIT_UN)) {
        add(d, &F_UN_STRONG, s->hit_note[XC__HIT_UN]);
        raise(d, XC__OUT_PROHIBITED);
    } else if (s->hit_possible & BIT(XC__HIT_UN)) {
        add(d, &F_UN_POSSIBLE, s->hit_note[XC__HIT_UN]);
        raise(d, XC__OUT_INDETERMINATE);
    }
}

static void parties_clear_note(const xc__shipment *s, xc__decision *d, uint16_t relevant)
{
    if (s->parties_given && s->lists_loaded && !((s->hit_strong | s->hit_possible) & relevant) &&
        (s->lists_present & relevant) == relevant)
        add(d, &F_PARTIES_CLEAR, NULL);
}

/* Members of `country` in jurisdiction `jur` in force on `day`; calls back per membership. */
static const xc__member *members(const xc__regimes *reg, int jur, uint16_t country, size_t *n)
{
    *n = reg->member_n[jur][country];
    return *n ? &reg->members[reg->member_first[jur][country]] : NULL;
}

/* ---- Japan ---- */

/* Splits "5(17)" into row "5" and paragraph "17"; returns false when malformed. */
static bool jp_split(const char *code, char row[8], bool *has_paragraph)
{
    size_t len = strcspn(code, "(");
    if (len == 0 || len >= 8)
        return false;
    memcpy(row, code, len);
    row[len] = 0;
    *has_paragraph = code[len] == '(';
    if (*has_paragraph) {
        const char *p = code + len + 1;
        size_t digits = strspn(p, "0123456789");
        if (digits == 0 || p[digits] != ')' || p[digits + 1] != 0)
            return false;
    }
    return true;
}

static void decide_jp(const xc__regimes *reg, const xc__shipment *s, const xc__item *item,
                      xc__decision *d)
{
    const int32_t day = s->date;
    if (s->exporter != xc__cidx("JP")) {
        add(d, &F_JP_NOT_EXPORTER, NULL);
        raise(d, XC__OUT_INDETERMINATE);
        return;
    }
    for (size_t i = 0; i < reg->jp_embargo_count; i++) {
        const xc__dest_fact *e = &reg->jp_embargoes[i];
        if (e->country == s->dest && xc__fact_on(&e->fact, day)) {
            add(d, &e->fact, NULL);
            raise(d, usable(&e->fact) ? XC__OUT_PROHIBITED : XC__OUT_INDETERMINATE);
        }
    }
    char rowcode[8];
    bool has_paragraph = false;
    const xc__jp_row *row = NULL;
    if (jp_split(item->code, rowcode, &has_paragraph))
        for (size_t i = 0; i < reg->jp_row_count; i++)
            if (strcmp(reg->jp_rows[i].code, rowcode) == 0)
                row = &reg->jp_rows[i];
    if (!row) {
        add(d, &F_JP_UNKNOWN_ITEM, item->code);
        raise(d, XC__OUT_INDETERMINATE);
        parties_common(s, d);
        return;
    }
    add(d, &row->fact, NULL);

    /* destination group on the date */
    bool in_a = false, a_uncertain = false, grouped = false;
    size_t n;
    const xc__member *m = members(reg, XC__JUR_JP, s->dest, &n);
    for (size_t i = 0; i < n; i++) {
        if (!xc__fact_on(&m[i].fact, day))
            continue;
        add(d, &m[i].fact, NULL);
        grouped = grouped || m[i].group[0] != 'D';
        if (m[i].group[0] == 'A') {
            if (usable(&m[i].fact))
                in_a = true;
            else
                a_uncertain = true;
        }
    }
    if (!grouped)
        add(d, &F_JP_GROUP_C, NULL);
    if (a_uncertain && !in_a)
        raise(d, XC__OUT_INDETERMINATE);

    uint32_t available = 0, removed = 0;
    if (row->catchall) {
        bool objective = false, inform = false;
        for (size_t i = 0; i < reg->jp_catchall_count; i++) {
            const xc__jp_catchall *c = &reg->jp_catchall[i];
            if ((bool)c->group_a != in_a || !xc__fact_on(&c->fact, day))
                continue;
            add(d, &c->fact, NULL);
            if (c->applies) {
                if (c->inform)
                    inform = true;
                else
                    objective = true;
            }
        }
        bool needed = false;
        if (inform) {
            add(d, s->informed ? &F_JP_INFORMED : &F_JP_NOT_INFORMED, NULL);
            needed = needed || s->informed;
        }
        if (objective) {
            if (s->wmd_knowledge || s->end_use >= 2) {
                add(d, &F_JP_USE, NULL);
                needed = true;
            } else {
                add(d, &F_JP_USE_CLEAR, NULL);
            }
            if (s->hit_strong & BIT(XC__HIT_JP_EUL)) {
                add(d, &F_JP_EUL, s->hit_note[XC__HIT_JP_EUL]);
                needed = true;
            } else if (s->hit_possible & BIT(XC__HIT_JP_EUL)) {
                add(d, &F_JP_EUL_POSSIBLE, s->hit_note[XC__HIT_JP_EUL]);
                raise(d, XC__OUT_INDETERMINATE);
            } else if (!s->parties_given) {
                add(d, &F_JP_USER_NOT_ASSESSED, NULL);
            } else {
                require_lists(s, d, BIT(XC__HIT_JP_EUL));
            }
        } else if ((s->hit_strong | s->hit_possible) & BIT(XC__HIT_JP_EUL)) {
            add(d, &F_JP_EUL_GROUP_A, s->hit_note[XC__HIT_JP_EUL]);
        }
        if (needed) {
            raise(d, XC__OUT_LICENCE);
            for (size_t i = 0; i < reg->jp_licence_count; i++) {
                const xc__jp_licence *l = &reg->jp_licences[i];
                if (l->item_kind == XC__ITEM_CATCHALL && l->effect == XC__EFFECT_AVAILABLE &&
                    l->kind < XC__LIC_COUNT && xc__fact_on(&l->fact, day)) {
                    available |= BIT(l->kind);
                    add(d, &l->fact, NULL);
                }
            }
        }
    } else {
        raise(d, XC__OUT_LICENCE);
        /* pass 1: available / unavailable; pass 2: possible kinds not otherwise available */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < reg->jp_licence_count; i++) {
                const xc__jp_licence *l = &reg->jp_licences[i];
                if (l->item_kind == XC__ITEM_CATCHALL || !xc__fact_on(&l->fact, day))
                    continue;
                if ((pass == 0) == (l->effect == XC__EFFECT_POSSIBLE))
                    continue;
                bool dest_ok = l->dest_kind == XC__DEST_ANY ||
                               (l->dest_kind == XC__DEST_GROUP_A && in_a) ||
                               (l->dest_kind == XC__DEST_NON_A && !in_a) ||
                               (l->dest_kind == XC__DEST_COUNTRY && l->country == s->dest);
                if (!dest_ok)
                    continue;
                bool conservative = false;
                if (l->item_kind == XC__ITEM_ROW) {
                    if (strcmp(l->item, item->code) != 0) {
                        char lrow[8];
                        bool lpar;
                        if (has_paragraph || !jp_split(l->item, lrow, &lpar) ||
                            strcmp(lrow, rowcode) != 0)
                            continue;
                        conservative = true; /* "5" given; the override is for 5(17) */
                        if (l->effect != XC__EFFECT_UNAVAILABLE)
                            continue;
                    }
                }
                if (l->effect == XC__EFFECT_AVAILABLE) {
                    available |= BIT(l->kind);
                    add(d, &l->fact, NULL);
                } else if (l->effect == XC__EFFECT_UNAVAILABLE) {
                    removed |= l->kind == XC__LIC_ALL_BULK ? BULK_BITS : BIT(l->kind);
                    add(d, &l->fact, NULL);
                    if (conservative)
                        add(d, &F_JP_ROW_CONSERVATIVE, NULL);
                } else if (l->kind >= XC__LIC_COUNT || !(available & BIT(l->kind))) {
                    add(d, &l->fact, NULL);
                }
            }
        }
        if (s->hit_strong & BIT(XC__HIT_JP_EUL))
            add(d, &F_JP_EUL_LIST, s->hit_note[XC__HIT_JP_EUL]);
        else if (s->hit_possible & BIT(XC__HIT_JP_EUL))
            add(d, &F_JP_EUL_POSSIBLE, s->hit_note[XC__HIT_JP_EUL]);
    }
    d->licences = available & ~removed;
    parties_common(s, d);
    parties_clear_note(s, d, BIT(XC__HIT_UN) | BIT(XC__HIT_JP_EUL));
}

/* ---- Korea ---- */

/* Wassenaar-style number: digit, category letter A-E, three digits, then .paragraphs. */
static bool multilateral_code(const char *code)
{
    if (!(code[0] >= '0' && code[0] <= '9') || !(code[1] >= 'A' && code[1] <= 'E'))
        return false;
    for (int i = 2; i < 5; i++)
        if (!(code[i] >= '0' && code[i] <= '9'))
            return false;
    const char *p = code + 5;
    while (*p) {
        if (*p != '.' || !p[1])
            return false;
        p++;
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
        if (len == 0)
            return false;
        p += len;
    }
    return true;
}

static void decide_kr(const xc__regimes *reg, const xc__shipment *s, const xc__item *item,
                      xc__decision *d)
{
    const int32_t day = s->date;
    if (s->exporter != xc__cidx("KR")) {
        add(d, &F_KR_NOT_EXPORTER, NULL);
        raise(d, XC__OUT_INDETERMINATE);
        return;
    }
    if (s->dest == xc__cidx("KP")) {
        add(d, &F_KR_NORTH, NULL);
        raise(d, XC__OUT_INDETERMINATE);
    }
    bool strategic = false;
    if (!multilateral_code(item->code)) {
        add(d, &F_KR_BAD_CODE, item->code);
        raise(d, XC__OUT_INDETERMINATE);
    } else if (item->code[2] > '4') {
        add(d, &F_KR_NON_MULTILATERAL, item->code);
        raise(d, XC__OUT_INDETERMINATE);
    } else {
        strategic = true;
        add(d, &F_KR_STRATEGIC, item->code);
        raise(d, XC__OUT_LICENCE);
    }
    if (s->wmd_knowledge || s->end_use >= 2) {
        add(d, &F_KR_SITUATIONAL, NULL);
        raise(d, XC__OUT_LICENCE);
        strategic = true; /* a licence is needed either way */
    }
    if (strategic) {
        const char *region = NULL;
        size_t n;
        const xc__member *m = members(reg, XC__JUR_KR, s->dest, &n);
        for (size_t i = 0; i < n; i++)
            if (xc__fact_on(&m[i].fact, day)) {
                add(d, &m[i].fact, NULL);
                region = m[i].group;
            }
        bool assumed = region == NULL;
        if (assumed) {
            add(d, &F_KR_REGION_UNKNOWN, NULL);
            region = "Na";
        }
        uint32_t lic = BIT(XC__LIC_INDIVIDUAL);
        for (size_t i = 0; i < reg->kr_proc_count; i++) {
            const xc__kr_proc *p = &reg->kr_procs[i];
            bool match = strcmp(p->region, region) == 0 ||
                         (strcmp(p->region, "Ga") == 0 && strcmp(region, "Ga-1") == 0);
            if (!match || !xc__fact_on(&p->fact, day))
                continue;
            add(d, &p->fact, NULL);
            if (p->param == XC__KR_COMPREHENSIVE && strcmp(p->value, "available") == 0 &&
                !assumed)
                lic |= BIT(XC__LIC_COMPREHENSIVE);
        }
        d->licences = lic;
    }
    parties_common(s, d);
    parties_clear_note(s, d, BIT(XC__HIT_UN));
}

/* ---- United States (EAR) ---- */

static bool dest_in(const uint8_t *set, uint16_t c)
{
    return (set[c / 8] >> (c % 8)) & 1u;
}

static int cmp_eccn(const void *key, const void *elem)
{
    return strncmp((const char *)key, ((const xc__us_entry *)elem)->eccn, 5);
}

/* Does `code` (an item code) start with `prefix` at a paragraph boundary? */
static bool code_within(const char *code, const char *prefix)
{
    size_t len = strlen(prefix);
    return strncmp(code, prefix, len) == 0 && (code[len] == 0 || code[len] == '.');
}

enum { COVERS_NO, COVERS_MAYBE, COVERS_YES };

/* Whether a License Requirements row covers the item as classified: a partial row with its
 * paragraphs listed covers an item within one of them, not an item within none, and may cover
 * an item given less precisely than a listed paragraph ("3A090" against "3A090.a"); an entire
 * row covers everything but the paragraphs it excepts, with the same rule for a coarse code.
 * A partial row whose paragraphs are not machine-readable may always apply. */
static int row_covers(const xc__us_row *row, const char *code)
{
    if (!row->paragraphs)
        return row->entire ? COVERS_YES : COVERS_MAYBE;
    bool coarse = false;
    for (const char *p = row->paragraphs; *p;) {
        size_t len = strcspn(p, ";");
        bool except = *p == '-';
        char para[40];
        size_t skip = except ? 1 : 0;
        if (len - skip < sizeof para) {
            memcpy(para, p + skip, len - skip);
            para[len - skip] = '\0';
            if (code_within(code, para))
                return except ? COVERS_NO : COVERS_YES;
            if (code_within(para, code))
                coarse = true;
        } else {
            coarse = true; /* cannot be compared: may apply */
        }
        p += len;
        if (*p == ';')
            p++;
    }
    if (coarse)
        return COVERS_MAYBE;
    return row->entire ? COVERS_YES : COVERS_NO;
}

static bool eccn_syntax(const char *code)
{
    if (!(code[0] >= '0' && code[0] <= '9'))
        return false;
    if (!((code[1] >= 'A' && code[1] <= 'E') || code[1] == 'Y'))
        return false;
    for (int i = 2; i < 5; i++)
        if (!(code[i] >= '0' && code[i] <= '9'))
            return false;
    return code[5] == 0 || code[5] == '.';
}

static void us_parties(const xc__shipment *s, xc__decision *d)
{
    parties_common(s, d);
    require_lists(s, d, BIT(XC__HIT_US_ENTITY) | BIT(XC__HIT_US_SDN) | BIT(XC__HIT_US_DPL));
    const uint16_t strong = s->hit_strong, possible = s->hit_possible;
    if (strong & BIT(XC__HIT_US_SDN)) {
        add(d, &F_US_SDN, s->hit_note[XC__HIT_US_SDN]);
        raise(d, XC__OUT_PROHIBITED);
    }
    if (strong & BIT(XC__HIT_US_DPL)) {
        add(d, &F_US_DPL, s->hit_note[XC__HIT_US_DPL]);
        raise(d, XC__OUT_PROHIBITED);
    }
    if (strong & BIT(XC__HIT_US_ENTITY)) {
        add(d, &F_US_ENTITY, s->hit_note[XC__HIT_US_ENTITY]);
        raise(d, XC__OUT_LICENCE);
        d->licences = BIT(XC__LIC_BIS_LICENCE);
    }
    uint16_t us = BIT(XC__HIT_US_SDN) | BIT(XC__HIT_US_DPL) | BIT(XC__HIT_US_ENTITY);
    if ((possible & us) & ~strong) {
        int k = (possible & BIT(XC__HIT_US_ENTITY))  ? XC__HIT_US_ENTITY
                : (possible & BIT(XC__HIT_US_SDN)) ? XC__HIT_US_SDN
                                                   : XC__HIT_US_DPL;
        add(d, &F_US_POSSIBLE, s->hit_note[k]);
        raise(d, XC__OUT_INDETERMINATE);
    }
    parties_clear_note(s, d, us | BIT(XC__HIT_UN));
}

static void decide_us(const xc__regimes *reg, const xc__shipment *s, const xc__item *item,
                      xc__decision *d)
{
    if (s->exporter != xc__cidx("US"))
        add(d, &F_US_REEXPORT, NULL);
    if (s->date != reg->us_edition)
        add(d, &F_US_EDITION, NULL);
    uint16_t c = s->dest;
    if (reg->us_chart[c].present && reg->us_chart[c].inherits != XC__NO_COUNTRY) {
        add(d, &reg->us_chart[c].fact, NULL);
        c = reg->us_chart[c].inherits;
    }
    const xc__us_chart *chart = &reg->us_chart[c];
    if (!chart->present) {
        add(d, &F_US_NO_ROW, NULL);
        raise(d, XC__OUT_INDETERMINATE);
        us_parties(s, d);
        return;
    }
    bool ear99 = strcmp(item->code, "EAR99") == 0;
    const xc__us_entry *entry = NULL;
    if (!ear99) {
        if (eccn_syntax(item->code))
            entry = bsearch(item->code, reg->us_entries, reg->us_entry_count,
                            sizeof *reg->us_entries, cmp_eccn);
        if (!entry) {
            add(d, &F_US_BAD_CODE, item->code);
            raise(d, XC__OUT_INDETERMINATE);
            us_parties(s, d);
            return;
        }
        add(d, &entry->fact, NULL);
    }
    add(d, &chart->fact, NULL);
    if (chart->embargo) {
        if (c == xc__cidx("SY")) {
            add(d, &F_US_SYRIA, NULL);
            raise(d, XC__OUT_INDETERMINATE);
        } else if (ear99) {
            add(d, &F_US_EMBARGO_EAR99, NULL);
            raise(d, XC__OUT_INDETERMINATE);
        } else {
            add(d, &F_US_EMBARGO_CCL, NULL);
            raise(d, XC__OUT_PROHIBITED);
        }
        us_parties(s, d);
        return;
    }
    bool russia_belarus = (chart->footnotes & (1u << 6)) != 0;
    if (ear99) {
        add(d, &F_US_EAR99, NULL);
        if (russia_belarus) {
            add(d, &reg->us_footnote[6], NULL);
            raise(d, XC__OUT_INDETERMINATE);
        }
        d->licences = BIT(XC__LIC_NLR);
        us_parties(s, d);
        if (d->outcome != XC__OUT_NLR && (d->licences & BIT(XC__LIC_NLR)))
            d->licences &= ~BIT(XC__LIC_NLR);
        return;
    }
    /* 738.3(a)(1): licence to all destinations */
    for (size_t i = 0; i < reg->us_alldest_count; i++) {
        const xc__us_alldest *a = &reg->us_alldest[i];
        if (code_within(item->code, a->code) && !a->conditional) {
            add(d, &a->fact, NULL);
            raise(d, XC__OUT_LICENCE);
            d->licences = BIT(XC__LIC_BIS_LICENCE);
            us_parties(s, d);
            return;
        }
    }
    bool maybe = false;
    for (size_t i = 0; i < reg->us_alldest_count; i++) {
        const xc__us_alldest *a = &reg->us_alldest[i];
        if (code_within(item->code, a->code) || code_within(a->code, item->code)) {
            add(d, &a->fact, NULL); /* conditional entry, or a code less specific than it */
            maybe = true;
        }
    }
    /* reasons for control, each overcome separately (738.4(a)(2)) */
    char definite_reasons[8][4];
    int definite = 0;
    for (uint32_t i = 0; i < entry->row_count; i++) {
        const xc__us_row *row = &reg->us_rows[entry->row_start + i];
        int covers = row_covers(row, item->code);
        if (covers == COVERS_NO)
            continue;
        bool hit;
        if (row->dest_kind == XC__US_DEST_COLUMNS)
            hit = (row->columns & chart->marks) != 0;
        else if (row->dest_kind == XC__US_DEST_SET)
            hit = dest_in(row->destset, c);
        else
            hit = true; /* scope not machine-readable: may apply */
        if (!hit)
            continue;
        add(d, &row->fact, NULL);
        if (covers == COVERS_YES && row->dest_kind != XC__US_DEST_UNKNOWN) {
            if (definite < 8)
                xc__strlcpy(definite_reasons[definite++], row->reason, 4);
        } else {
            maybe = true;
        }
    }
    if (russia_belarus) {
        add(d, &F_US_RUBY, NULL);
        add(d, &reg->us_footnote[6], NULL);
        if (definite < 8)
            xc__strlcpy(definite_reasons[definite++], "RS", 4);
    }
    if (definite) {
        add(d, &F_US_NS_CHART, NULL);
        raise(d, XC__OUT_LICENCE);
        uint32_t lic = BIT(XC__LIC_BIS_LICENCE);
        bool group_b = reg->us_groups[c] & (1u << XC__USG_B);
        if (!maybe && !russia_belarus && (entry->lvs_limit >= 0 || entry->gbs != XC__GBS_NO)) {
            if (group_b)
                add(d, &reg->us_group_b[c]->fact, NULL);
            add(d, &F_US_EXC_GROUP_B, NULL);
            if (group_b && entry->lvs_limit >= 0) {
                if (item->has_value && item->usd && item->value <= (double)entry->lvs_limit) {
                    lic |= BIT(XC__LIC_LVS);
                    add_num(d, &F_US_LVS, (double)entry->lvs_limit);
                } else {
                    add_num(d, &F_US_LVS_OVER, (double)entry->lvs_limit);
                }
                if (entry->lvs_note)
                    add(d, &F_US_LVS_NOTE, entry->lvs_note);
            }
            bool ns_only = true;
            for (int k = 0; k < definite; k++)
                if (strcmp(definite_reasons[k], "NS") != 0)
                    ns_only = false;
            if (group_b && ns_only && entry->gbs == XC__GBS_YES) {
                lic |= BIT(XC__LIC_GBS);
                add(d, &F_US_GBS, NULL);
            } else if (group_b && ns_only && entry->gbs == XC__GBS_CONDITIONAL && entry->gbs_note) {
                /* "Yes for 3C002.a provided ...": usable when the item is within that paragraph */
                const char *p = entry->gbs_note;
                if (strncmp(p, "Yes for ", 8) == 0) {
                    char para[24];
                    size_t len = strcspn(p + 8, " ,;");
                    if (len < sizeof para) {
                        memcpy(para, p + 8, len);
                        para[len] = 0;
                        if (para[len ? len - 1 : 0] == '.')
                            para[len - 1] = 0;
                        if (code_within(item->code, para)) {
                            lic |= BIT(XC__LIC_GBS);
                            add(d, &F_US_GBS, NULL);
                        }
                    }
                }
                add(d, &F_US_GBS_NOTE, entry->gbs_note);
            }
            if (lic & (BIT(XC__LIC_LVS) | BIT(XC__LIC_GBS)))
                add(d, &F_US_740_2, NULL);
        }
        d->licences = lic;
    } else if (maybe) {
        add(d, &F_US_PARTIAL, item->code);
        raise(d, XC__OUT_INDETERMINATE);
    } else {
        add(d, &F_US_CHART_NO_X, NULL);
        d->licences = BIT(XC__LIC_NLR);
    }
    us_parties(s, d);
    if (d->outcome != XC__OUT_NLR)
        d->licences &= ~BIT(XC__LIC_NLR);
}

/* ---- European Union ---- */

static void decide_eu(const xc__regimes *reg, const xc__shipment *s, const xc__item *item,
                      xc__decision *d)
{
    const int32_t day = s->date;
    if (!s->exporter_eu) {
        add(d, &F_EU_NOT_EXPORTER, NULL);
        raise(d, XC__OUT_INDETERMINATE);
        return;
    }
    bool in_force = false;
    for (size_t i = 0; i < reg->eu_rule_count; i++) {
        const xc__dest_fact *r = &reg->eu_rules[i];
        if (!xc__fact_on(&r->fact, day))
            continue;
        if (r->kind == 0) {
            in_force = true;
            add(d, &r->fact, NULL);
        } else if (r->country == s->dest) {
            add(d, &r->fact, NULL);
            raise(d, XC__OUT_INDETERMINATE);
        }
    }
    if (!in_force) {
        add(d, &F_EU_BEFORE, NULL);
        raise(d, XC__OUT_INDETERMINATE);
        parties_common(s, d);
        return;
    }
    if (xc__regimes_is_eu_member(reg, s->dest)) {
        add(d, &F_EU_INTRA, NULL);
        raise(d, XC__OUT_INDETERMINATE);
    }
    const xc__eu_entry *entry = NULL;
    if (multilateral_code(item->code))
        for (size_t i = 0; i < reg->eu_annex1_count; i++)
            if (strncmp(reg->eu_annex1[i].code, item->code, 5) == 0)
                entry = &reg->eu_annex1[i];
    bool wmd = s->wmd_knowledge || s->end_use >= 2;
    if (entry) {
        add(d, &entry->fact, NULL);
        add(d, &F_EU_AUTH, NULL);
        raise(d, usable(&entry->fact) ? XC__OUT_LICENCE : XC__OUT_INDETERMINATE);
        uint32_t lic = BIT(XC__LIC_INDIVIDUAL);
        size_t n;
        const xc__member *m = members(reg, XC__JUR_EU, s->dest, &n);
        for (size_t i = 0; i < n; i++) {
            if (!xc__fact_on(&m[i].fact, day) || strcmp(m[i].group, "EU") == 0)
                continue;
            add(d, &m[i].fact, NULL);
            if (strcmp(m[i].group, "EU001") == 0 && usable(&m[i].fact) && !wmd) {
                lic |= BIT(XC__LIC_EU001);
                add(d, &F_EU001_CONDITIONS, NULL);
            }
        }
        d->licences = lic;
    } else {
        add(d, &F_EU_UNKNOWN, item->code);
        if (!wmd)
            raise(d, XC__OUT_INDETERMINATE);
    }
    if (wmd) {
        add(d, &F_EU_ART4, NULL);
        raise(d, XC__OUT_LICENCE);
        d->licences = BIT(XC__LIC_INDIVIDUAL);
    }
    parties_common(s, d);
    require_lists(s, d, BIT(XC__HIT_EU));
    if (s->hit_strong & BIT(XC__HIT_EU)) {
        add(d, &F_EU_LIST, s->hit_note[XC__HIT_EU]);
        raise(d, XC__OUT_PROHIBITED);
    } else if (s->hit_possible & BIT(XC__HIT_EU)) {
        add(d, &F_EU_POSSIBLE, s->hit_note[XC__HIT_EU]);
        raise(d, XC__OUT_INDETERMINATE);
    }
    parties_clear_note(s, d, BIT(XC__HIT_UN) | BIT(XC__HIT_EU));
}

void xc__decide_item(const xc__regimes *reg, const xc__shipment *s, const xc__item *item,
                     xc__decision *d)
{
    d->item = item;
    d->jur = item->jur;
    d->outcome = XC__OUT_NLR;
    d->licences = 0;
    d->covered = 0;
    d->reason_count = 0;
    switch (item->jur) {
    case XC__JUR_JP: decide_jp(reg, s, item, d); break;
    case XC__JUR_KR: decide_kr(reg, s, item, d); break;
    case XC__JUR_US: decide_us(reg, s, item, d); break;
    default: decide_eu(reg, s, item, d); break;
    }
    if (d->outcome == XC__OUT_PROHIBITED)
        d->licences = 0;
    d->covered = d->licences & s->held;
}

/* ---- names ---- */

static const char *const licence_names[XC__LIC_COUNT] = {
    "individual", "general_bulk", "special_general_bulk", "specific_bulk", "comprehensive",
    "NLR", "LVS", "GBS", "EU001", "bis_licence"};

const char *xc__licence_name(int kind)
{
    return kind >= 0 && kind < XC__LIC_COUNT ? licence_names[kind] : "unknown";
}

int xc__licence_parse(const char *name)
{
    for (int i = 0; i < XC__LIC_COUNT; i++)
        if (strcmp(licence_names[i], name) == 0)
            return i;
    return -1;
}

const char *xc__outcome_name(int outcome)
{
    static const char *const names[] = {"no_licence_required", "licence_required",
                                        "indeterminate", "prohibited"};
    return outcome >= 0 && outcome < 4 ? names[outcome] : "indeterminate";
}

static const char *const jur_names[XC__JUR_COUNT] = {"JP", "KR", "US", "EU"};

const char *xc__jur_name(int jur)
{
    return jur >= 0 && jur < XC__JUR_COUNT ? jur_names[jur] : "";
}

int xc__jur_parse(const char *name)
{
    for (int i = 0; i < XC__JUR_COUNT; i++)
        if (strcmp(jur_names[i], name) == 0)
            return i;
    return -1;
}

const char *xc__conf_name(int conf)
{
    static const char *const names[] = {"verified", "secondary-consistent", "secondary",
                                        "uncertain"};
    return conf >= 0 && conf < 4 ? names[conf] : "uncertain";
}
