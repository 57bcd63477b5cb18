/*
 * roman_int.h — the inside of xc__roman, shared by roman.c (tables, readings) and roman_key.c
 * (keys). Everything here is filled by xc__roman_open and read-only afterwards.
 */
#ifndef XC_ROMAN_INT_H
#define XC_ROMAN_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "roman.h"

/* An open-addressing map from byte strings to arena-owned values (strings or records). */
typedef struct xc__strmap_slot {
    const char *key;
    const void *value;
    uint32_t klen;
} xc__strmap_slot;

typedef struct xc__strmap {
    xc__strmap_slot *slots;
    size_t cap;   /* power of two */
    size_t count;
} xc__strmap;

const void *xc__strmap_get(const xc__strmap *map, const char *key, size_t klen);

typedef struct xc__key_rule {
    char pattern[8];
    char repl[8];
    uint8_t plen, rlen;
    bool at_start, at_end;
    char next_class; /* 0, 'C' (consonant or end) or 'V' (vowel) */
} xc__key_rule;

/* One Han character: toneless Mandarin pinyin and up to three Korean (hangul) readings. */
typedef struct xc__han {
    char pinyin[8];
    uint16_t hangul[3];
    uint8_t simplified; /* a simplified character: hangul[] is its traditional variant's */
} xc__han;

#define XC__HAN_LO 0x3400u
#define XC__HAN_HI 0x9FFFu
#define XC__HAN_COMPAT_LO 0xF900u
#define XC__HAN_COMPAT_HI 0xFAFFu

/* One ENAMDICT entry: headword (UTF-8) and its kana reading, with name-type flags. */
typedef struct xc__jname {
    const char *head;
    const char *kana;
    uint16_t hlen, klen;
    uint8_t flags;  /* XC__JN_* */
    uint32_t order; /* position in the file, to keep the dictionary's order among equals */
} xc__jname;

enum {
    XC__JN_SURNAME = 1,
    XC__JN_GIVEN = 2,
    XC__JN_FULL = 4,
    XC__JN_OTHER = 8,
    XC__JN_PRIORITY = 16
};

typedef struct xc__ko_surname {
    const char *hangul; /* 1 or 2 syllables */
    const char *hanja;  /* NULL when none */
    const char *custom[4];
    int ncustom;
    const char *kp;
} xc__ko_surname;

/* The Japanese names dictionary, loaded on first use (it costs about 150 ms and 10 MB, which
 * engines that never see a kanji name should not pay): the only part of the context that
 * changes after open, once, under lock; readers check state with acquire ordering. */
typedef struct xc__jdict {
    pthread_mutex_t lock;
    atomic_int state; /* 0 not loaded yet, 1 loaded (possibly empty: file absent) */
    xc__arena *arena; /* headwords and kana */
    xc__jname *names; /* sorted by headword (EUC-JP bytes) */
    size_t n;
} xc__jdict;

/* One Khmer code point (U+1780..U+17FF), from translit/khmer.tsv. */
typedef struct xc__khmer {
    char latin[2][6]; /* consonant/independent vowel: [0]; vowel sign: by series; sign: action */
    char kind;        /* 0 (none), 'C' consonant, 'V' vowel sign, 'I' independent vowel, 'M' sign */
    uint8_t series;   /* consonants: 1 or 2 */
} xc__khmer;

#define XC__KHMER_LO 0x1780u
#define XC__KHMER_HI 0x17FFu

struct xc__roman {
    xc__arena *arena;
    /* Korean: [jamo][system] with systems 0 RR, 1 MR, 2 KP */
    char ko_init[19][3][5];
    char ko_med[21][3][5];
    char ko_fin[28][3][4];
    xc__ko_surname *surnames;
    size_t nsurnames;
    xc__strmap surname_by_hangul; /* values: xc__ko_surname * */
    xc__strmap surname_by_hanja;
    /* Han */
    xc__han *han;      /* indexed by code point - XC__HAN_LO, then the compatibility block */
    size_t nhan;
    xc__strmap zh_surnames; /* two-character Chinese surnames (value unused) */
    /* kana: katakana (1 or 2 characters, UTF-8) -> Hepburn */
    xc__strmap kana;
    /* Cyrillic: [code point - 0x400][system] with systems 0 BGN, 1 ICAO, 2 Ukrainian */
    const char *cyr[0x100][3];
    /* Arabic: letters and name words */
    const char *arab[0x100];
    uint16_t arab_fold[0x100]; /* [code point - 0x600]: the Arabic letter it folds to, or 0 */
    xc__strmap arab_names; /* Arabic word -> space-separated spellings */
    xc__strmap arab_generic; /* the organisation words among them (value: the same) */
    /* Khmer: [code point - XC__KHMER_LO] */
    xc__khmer khmer[XC__KHMER_HI - XC__KHMER_LO + 1];
    /* keys */
    xc__strmap equiv;
    xc__key_rule *rules;
    size_t nrules;
    xc__key_rule jrules[32]; /* "J:" rules: Kunrei -> Hepburn in Japanese-looking tokens */
    size_t njrules;
    /* dispatch: rules whose first two letters are (a, b) at by_pair[a][b], one-letter rules at
     * by_pair[a][26]; each a list of rule indexes, longest pattern first, UINT16_MAX-ended */
    uint16_t by_pair[26][27][8];
    /* Japanese names (ENAMDICT), loaded on first use */
    xc__jdict *jdict;
};

#endif /* XC_ROMAN_INT_H */
