/*
 * roman.h — cross-script readings and romanisation-invariant keys (issue 4).
 *
 * Two services for the matcher:
 *  1. readings: a name written (wholly or partly) in Hangul, kana/kanji, Han, Cyrillic or
 *     Arabic script is turned into one or more Latin readings (lowercase ASCII, tokens separated
 *     by single spaces, order as written), each labelled with the system that produced it.
 *     Han is ambiguous (Korean, Japanese, Chinese readings); the country hint narrows it.
 *  2. keys: a Latin token is reduced to a key shared by its spellings across romanisation
 *     systems (Yoon/Yun, Choe/Choi/Chwe, Ri/Rhee/Lee/Yi, Jong/Chong/Jeong, Mohammed/Muhammad,
 *     Yevgeny/Evgeniy/Evgenii, shi/si, tsu/tu, o/ou/oo). The key of a concatenation equals the
 *     concatenation of the keys where the parts are whole syllables ("jongun" ~ "jong"+"un").
 *
 * Tables live in data/translit/ (embedded at build time), not in C; data/translit/README.md
 * cites their sources and spells out the key rules and their measured false-merge rate. The
 * Japanese names dictionary (ENAMDICT, Debian package enamdict) is read from
 * /usr/share/edict/enamdict, or $XCHECK_ENAMDICT ("" disables it), the first time a kanji name
 * is read (about 150 ms, once per context, under a lock); without it kanji names get no
 * Japanese reading and nothing fails. Apart from that one load the context is immutable after
 * xc__roman_open and safe to share between threads; neither call below allocates on the heap
 * (the dictionary load aside).
 */
#ifndef XC_ROMAN_H
#define XC_ROMAN_H

#include "../base/base.h"

typedef struct xc__roman xc__roman;

xc_status xc__roman_open(xc__roman **out, xc_error *err);
void xc__roman_close(xc__roman *roman);

/* Callback for one reading: latin is lowercase ASCII tokens separated by one space (borrowed,
 * valid during the call, not NUL-terminated beyond len), label a static string:
 *  Hangul   ko-kp (DPRK 1992: kim jong un), ko-mr (McCune-Reischauer, ASCII: kim chong un),
 *           ko-rr (Revised: gim jeong eun), ko-rr-customary (customary surname + RR: kim jeong
 *           eun, lee/rhee/yi ...), each also "-joined" (kim jongun);
 *  Han      zh-pinyin (xi jinping), zh-pinyin-split (xi jin ping), ko-hanja-* (hanja read as
 *           Korean, same systems), ja-name (ENAMDICT: abe shinzou);
 *  kana     ja-hepburn (baraku obama), ja-hepburn-foreign (barak obama), ja-loanword
 *           (consonant clusters without their epenthetic vowels: gasprombank);
 *  Cyrillic ru-bgn (BGN/PCGN), ru-icao (ICAO 9303), ru-popular, uk-national (Ukrainian 2010);
 *  Arabic   ar-name (name tables: muhammad), ar-skeleton (consonants: mhmd). */
typedef void (*xc__roman_emit)(void *ctx, const char *latin, size_t len, const char *label);

/* Emits up to max_readings distinct readings of utf8[0..len) and returns how many it emitted
 * (0 when the text has no script it handles, e.g. plain Latin). country is an ISO alpha-2 hint
 * or NULL: KP puts DPRK spellings first; KR/KP read Han as Korean first, JP as Japanese first,
 * anything else as Mandarin first. Never fails: invalid UTF-8 and unknown characters are
 * skipped; only the first 128 characters and 16 words count. */
int xc__roman_readings(const xc__roman *roman, const char *utf8, size_t len, const char *country,
                       int max_readings, xc__roman_emit emit, void *ctx);

/* True when the readings of utf8[0..len) carry all of it and make ICU's generic
 * transliteration redundant: its letters are all Hangul, all kana, all Han or all Khmer, and
 * everything else is spaces or punctuation (not digits, parentheses, combining marks or letters
 * of another script). */
bool xc__roman_covers(const char *utf8, size_t len);

/* Writes the romanisation-invariant key of one lowercase ASCII token into out (cap bytes,
 * NUL-terminated, truncated to cap-1) and returns its length; 0 when the token has no such key
 * (empty, or any byte outside a-z). Only the first 64 letters count. Table lookups only: about
 * 100 ns per token (bench/bench_roman.c). */
size_t xc__roman_key(const xc__roman *roman, const char *token, size_t len, char *out, size_t cap);

#endif /* XC_ROMAN_H */
