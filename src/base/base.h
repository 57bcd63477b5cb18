/*
 * base.h — the foundation every other module stands on: error reporting, allocation (with a
 * fault-injection hook for tests), arenas, bounded buffers, UTF-8, hashing (FNV-1a and SHA-256),
 * calendar dates and whole-file reading. Depends on libc only.
 */
#ifndef XC_BASE_H
#define XC_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xcheck.h"

#if defined(__GNUC__)
#define XC__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define XC__PRINTF(a, b)
#endif

#define XC__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- errors ---- */
/* Sets err (when not NULL) to code with a formatted message; returns code for `return` chains. */
xc_status xc__error_set(xc_error *err, xc_status code, const char *fmt, ...) XC__PRINTF(3, 4);

/* ---- allocation ----
 * All library allocations go through these so that tests can make the Nth one fail
 * (xc__alloc_fail_at). They return NULL on failure; nothing aborts. */
void *xc__malloc(size_t size);
void *xc__calloc(size_t count, size_t size);
void *xc__realloc(void *ptr, size_t size);
void xc__free_mem(void *ptr);
char *xc__strdup(const char *s);
char *xc__strndup(const char *s, size_t len);
/* Test hook: make allocation number n (1-based, counted from this call) fail; 0 disables.
 * Process-wide and not thread-safe: for single-threaded fault-injection tests only. */
void xc__alloc_fail_at(long n);
/* Test hook: allocations made since the last xc__alloc_fail_at call. */
long xc__alloc_count(void);

/* ---- arena: many small allocations freed together ---- */
typedef struct xc__arena xc__arena;
xc__arena *xc__arena_new(size_t chunk_size);
void *xc__arena_alloc(xc__arena *arena, size_t size); /* 8-byte aligned; NULL on OOM */
char *xc__arena_strndup(xc__arena *arena, const char *s, size_t len);
char *xc__arena_strdup(xc__arena *arena, const char *s);
void xc__arena_reset(xc__arena *arena); /* keeps the first chunk */
size_t xc__arena_used(const xc__arena *arena);
void xc__arena_free(xc__arena *arena);

/* ---- bounded growable buffer ---- */
typedef struct xc__buf {
    char *data;  /* always NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
    size_t max;  /* appends that would exceed max fail with XC_TOOBIG; 0 = 1 GiB */
} xc__buf;
void xc__buf_init(xc__buf *buf, size_t max);
xc_status xc__buf_append(xc__buf *buf, const void *data, size_t len);
xc_status xc__buf_putc(xc__buf *buf, char c);
xc_status xc__buf_printf(xc__buf *buf, const char *fmt, ...) XC__PRINTF(2, 3);
void xc__buf_reset(xc__buf *buf);
void xc__buf_free(xc__buf *buf);
/* Hands the data to the caller (owned, free with xc_free) and leaves buf empty. */
char *xc__buf_steal(xc__buf *buf);

/* ---- UTF-8 ---- */
/* Decodes one code point from s[0..len). Returns its byte length (1-4), or -1 if the bytes
 * there are not well-formed UTF-8 (overlongs, surrogates and > U+10FFFF are rejected). */
int xc__utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp into out (>= 4 bytes); returns the byte length, 0 for an invalid code point. */
int xc__utf8_encode(uint32_t cp, char *out);
/* Offset of the first invalid byte, or len when s is entirely valid. */
size_t xc__utf8_check(const char *s, size_t len);
/* Copies s, replacing each invalid byte with U+FFFD; owned result (xc__free_mem). */
char *xc__utf8_sanitize(const char *s, size_t len, size_t *out_len);
/* Converts Windows-1252 bytes to UTF-8; owned result. */
char *xc__cp1252_to_utf8(const char *s, size_t len, size_t *out_len);

/* ---- hashing ---- */
uint64_t xc__hash64(const void *data, size_t len);
uint64_t xc__hash64_str(const char *s);

typedef struct xc__sha256 {
    uint32_t state[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} xc__sha256;
void xc__sha256_init(xc__sha256 *ctx);
void xc__sha256_update(xc__sha256 *ctx, const void *data, size_t len);
void xc__sha256_final(xc__sha256 *ctx, unsigned char digest[32]);
/* Hex digest of a buffer into out (65 bytes). */
void xc__sha256_hex(const void *data, size_t len, char out[65]);
void xc__hex(const unsigned char *bytes, size_t len, char *out); /* out: 2*len+1 */

/* ---- dates: days since 1970-01-01 (proleptic Gregorian) ---- */
#define XC__DATE_NONE INT32_MIN
bool xc__date_valid(int year, int month, int day);
int32_t xc__date_from_ymd(int year, int month, int day);
void xc__date_to_ymd(int32_t days, int *year, int *month, int *day);
/* Parses exactly "YYYY-MM-DD"; returns false for anything else or an impossible date. */
bool xc__date_parse_iso(const char *s, int32_t *days);
/* Formats as "YYYY-MM-DD" into out (11 bytes). */
void xc__date_format(int32_t days, char out[11]);

/* A possibly partial date (year only, year+month, or full) as lists publish them. */
typedef struct xc__pdate {
    int16_t year;  /* 0 = unknown */
    int8_t month;  /* 0 = unknown */
    int8_t day;    /* 0 = unknown */
} xc__pdate;
/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD", "DD Mon YYYY", "Mon YYYY", "DD/MM/YYYY" (dayfirst)
 * or "MM/DD/YYYY" (!dayfirst); "00" parts mean unknown. Returns false when nothing usable. */
bool xc__pdate_parse(const char *s, size_t len, bool dayfirst, xc__pdate *out);
/* The one parser of a date a caller gives (a party's date of birth in screen, screen --input,
 * parties import and decide): exactly "YYYY", "YYYY-MM" or "YYYY-MM-DD", a real calendar date,
 * year 1800-2200. Lists' own dates, written in many ways, go through xc__pdate_parse. */
bool xc__query_date_parse(const char *s, xc__pdate *out);

/* ---- files ---- */
/* Reads a whole file (at most max bytes, else XC_TOOBIG) into an owned NUL-terminated buffer. */
xc_status xc__file_read(const char *path, size_t max, char **out, size_t *len, xc_error *err);
/* mkdir -p: creates dir and its missing parents with mode (existing ones are fine). XC_IO names
 * the folder that could not be made; XC_TOOBIG for a path over 4 KiB. */
xc_status xc__mkdirs(const char *dir, unsigned mode, xc_error *err);
/* mkdir -p of the folder holding path. */
xc_status xc__mkdirs_parent(const char *path, unsigned mode, xc_error *err);
/* Base name of a path (pointer into path). */
const char *xc__path_base(const char *path);

/* ---- small string helpers ---- */
bool xc__str_ieq(const char *a, const char *b);
bool xc__strn_ieq(const char *a, size_t alen, const char *b);
/* Trims ASCII whitespace; returns the new start and updates *len. */
const char *xc__trim(const char *s, size_t *len);
/* Bounded copy that always NUL-terminates; returns strlen(src) (truncation when >= size). */
size_t xc__strlcpy(char *dst, const char *src, size_t size);

#endif /* XC_BASE_H */
