/* test_base.c — status table, arena, bounded buffer, UTF-8, SHA-256, dates, fault injection. */
#include "base/base.h"
#include "harness.h"

TEST(status_names_and_texts)
{
    CHECK_STR(xc_status_name(XC_OK), "XC_OK");
    CHECK_STR(xc_status_name(XC_PARSE), "XC_PARSE");
    CHECK_INT(XC_OK, 0);
    CHECK_INT(XC_NOMEM, 2);
    CHECK_STR(xc_status_name((xc_status)999), "XC_UNKNOWN");
    CHECK_STR(xc_strerror(XC_UTF8), "invalid UTF-8");
    xc_error err;
    CHECK_INT(xc__error_set(&err, XC_PARSE, "sdn.csv line %d: %d fields", 5123, 7), XC_PARSE);
    CHECK_STR(err.message, "sdn.csv line 5123: 7 fields");
    CHECK_INT(xc__error_set(NULL, XC_IO, "x"), XC_IO);
}

TEST(arena_alignment_and_large_blocks)
{
    xc__arena *a = xc__arena_new(1024);
    CHECK(a != NULL);
    for (int i = 0; i < 1000; i++) {
        char *p = xc__arena_alloc(a, (size_t)(i % 37) + 1);
        CHECK(p != NULL && ((uintptr_t)p & 7) == 0);
        memset(p, 'x', (size_t)(i % 37) + 1);
    }
    char *big = xc__arena_alloc(a, 100000);
    CHECK(big != NULL);
    memset(big, 1, 100000);
    CHECK_STR(xc__arena_strndup(a, "hello world", 5), "hello");
    xc__arena_reset(a);
    CHECK_INT(xc__arena_used(a), 0);
    CHECK(xc__arena_alloc(a, 10) != NULL);
    xc__arena_free(a);
    xc__arena_free(NULL);
}

TEST(buf_limits)
{
    xc__buf b;
    xc__buf_init(&b, 10);
    CHECK_INT(xc__buf_append(&b, "12345", 5), XC_OK);
    CHECK_INT(xc__buf_printf(&b, "%d", 678), XC_OK);
    CHECK_STR(b.data, "12345678");
    CHECK_INT(xc__buf_append(&b, "abc", 3), XC_TOOBIG);
    CHECK_STR(b.data, "12345678"); /* nothing lost on refusal */
    xc__buf_free(&b);
}

TEST(utf8_strict)
{
    uint32_t cp;
    CHECK_INT(xc__utf8_decode("\xEA\xB9\x80", 3, &cp), 3); /* 김 */
    CHECK_INT(cp, 0xAE40);
    CHECK_INT(xc__utf8_decode("\xC0\xAF", 2, &cp), -1);     /* overlong */
    CHECK_INT(xc__utf8_decode("\xED\xA0\x80", 3, &cp), -1); /* surrogate */
    CHECK_INT(xc__utf8_decode("\xE2\x82", 2, &cp), -1);     /* truncated */
    CHECK_INT(xc__utf8_check("ab\xFF" "c", 4), 2);
    size_t n;
    char *s = xc__utf8_sanitize("a\xFFz", 3, &n);
    CHECK_STR(s, "a\xEF\xBF\xBDz");
    xc__free_mem(s);
    s = xc__cp1252_to_utf8("O\x92" "B", 3, &n);
    CHECK_STR(s, "O\xE2\x80\x99" "B");
    xc__free_mem(s);
}

TEST(sha256_vectors)
{
    char hex[65];
    xc__sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    xc__sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    xc__sha256_hex(m, strlen(m), hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(dates_roundtrip_and_parse)
{
    CHECK_INT(xc__date_from_ymd(1970, 1, 1), 0);
    CHECK_INT(xc__date_from_ymd(2023, 7, 21) - xc__date_from_ymd(2023, 7, 20), 1);
    for (int32_t d = -800000; d < 800000; d += 997) {
        int y, m, dd;
        xc__date_to_ymd(d, &y, &m, &dd);
        CHECK_INT(xc__date_from_ymd(y, m, dd), d);
    }
    int32_t days;
    CHECK(xc__date_parse_iso("2019-08-28", &days));
    char out[11];
    xc__date_format(days, out);
    CHECK_STR(out, "2019-08-28");
    CHECK(!xc__date_parse_iso("2019-02-29", &days));
    CHECK(xc__date_parse_iso("2020-02-29", &days));
    CHECK(!xc__date_parse_iso("2019-8-28", &days));
    CHECK(!xc__date_parse_iso("2019-08-28x", &days));
    xc__pdate p;
    CHECK(xc__pdate_parse("1955", 4, true, &p) && p.year == 1955 && p.month == 0);
    CHECK(xc__pdate_parse("00/00/1980", 10, true, &p) && p.year == 1980 && p.month == 0);
    CHECK(xc__pdate_parse("12/31/1961", 10, false, &p) && p.month == 12 && p.day == 31);
    CHECK(xc__pdate_parse("31/12/1961", 10, true, &p) && p.month == 12 && p.day == 31);
    CHECK(xc__pdate_parse("10 Mar 1960", 11, true, &p) && p.month == 3 && p.day == 10);
    CHECK(xc__pdate_parse("1960-03-10", 10, true, &p) && p.month == 3 && p.day == 10);
    CHECK(!xc__pdate_parse("circa", 5, true, &p));
}

TEST(fault_injection_is_clean)
{
    /* Every allocation inside an arena's life can fail without crashing or leaking. */
    for (long n = 1; n < 20; n++) {
        xc__alloc_fail_at(n);
        xc__arena *a = xc__arena_new(256);
        if (a) {
            for (int i = 0; i < 50; i++)
                (void)xc__arena_alloc(a, 100);
            xc__arena_free(a);
        }
    }
    xc__alloc_fail_at(0);
    xc__buf b;
    xc__buf_init(&b, 0);
    xc__alloc_fail_at(1);
    CHECK_INT(xc__buf_append(&b, "x", 1), XC_NOMEM);
    xc__alloc_fail_at(0);
    CHECK_INT(xc__buf_append(&b, "x", 1), XC_OK);
    xc__buf_free(&b);
}
