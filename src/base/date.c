/*
 * date.c — calendar dates as days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's
 * civil-from-days algorithm), strict ISO parsing for user input, and a tolerant parser for
 * the partial dates that lists publish ("1955", "Mar 1960", "00/00/1980", "12/31/1961").
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool xc__date_valid(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    int limit = mdays[month - 1] + (month == 2 && is_leap(year));
    return day <= limit;
}

int32_t xc__date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void xc__date_to_ymd(int32_t days, int *year, int *month, int *day)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool xc__date_parse_iso(const char *s, int32_t *days)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 0 || m < 0 || d < 0 || !xc__date_valid(y, m, d))
        return false;
    *days = xc__date_from_ymd(y, m, d);
    return true;
}

bool xc__query_date_parse(const char *s, xc__pdate *out)
{
    memset(out, 0, sizeof *out);
    size_t len = s ? strlen(s) : 0;
    if (len != 4 && len != 7 && len != 10)
        return false;
    if ((len >= 7 && s[4] != '-') || (len == 10 && s[7] != '-'))
        return false;
    int y = digits(s, 4), m = len >= 7 ? digits(s + 5, 2) : 1, d = len == 10 ? digits(s + 8, 2) : 1;
    if (y < 1800 || y > 2200 || m < 0 || d < 0 || !xc__date_valid(y, m, d))
        return false;
    out->year = (int16_t)y;
    out->month = (int8_t)(len >= 7 ? m : 0);
    out->day = (int8_t)(len == 10 ? d : 0);
    return true;
}

void xc__date_format(int32_t days, char out[11])
{
    int y, m, d;
    xc__date_to_ymd(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = 0;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

static int month_from_name(const char *s, size_t len)
{
    static const char *names[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    if (len < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (tolower((unsigned char)s[0]) == names[i][0] &&
            tolower((unsigned char)s[1]) == names[i][1] &&
            tolower((unsigned char)s[2]) == names[i][2])
            return i + 1;
    return 0;
}

bool xc__pdate_parse(const char *s, size_t len, bool dayfirst, xc__pdate *out)
{
    /* Split into up to three fields on '-', '/', '.', ' ' and ','. */
    const char *field[3];
    size_t flen[3];
    int nf = 0;
    size_t i = 0;
    memset(out, 0, sizeof *out);
    while (i < len && nf < 4) {
        while (i < len && strchr("-/. ,", s[i]))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        while (i < len && !strchr("-/. ,", s[i]))
            i++;
        if (nf == 3)
            return false;
        field[nf] = s + start;
        flen[nf] = i - start;
        nf++;
    }
    int y = 0, m = 0, d = 0;
    if (nf == 0)
        return false;
    /* Locate the 4-digit year. */
    int yi = -1;
    for (int k = 0; k < nf; k++)
        if (flen[k] == 4 && digits(field[k], 4) >= 0) {
            yi = k;
            break;
        }
    if (yi < 0)
        return false;
    y = digits(field[yi], 4);
    int rest[2], nr = 0;
    for (int k = 0; k < nf; k++)
        if (k != yi)
            rest[nr++] = k;
    if (nr == 1) {
        int k = rest[0];
        int mn = month_from_name(field[k], flen[k]);
        if (mn)
            m = mn;
        else if (flen[k] <= 2 && digits(field[k], (int)flen[k]) >= 0)
            m = digits(field[k], (int)flen[k]);
        else
            return false;
    } else if (nr == 2) {
        int a = rest[0], b = rest[1];
        int ma = month_from_name(field[a], flen[a]), mb = month_from_name(field[b], flen[b]);
        if (ma || mb) {
            int other = ma ? b : a;
            m = ma ? ma : mb;
            if (flen[other] > 2 || digits(field[other], (int)flen[other]) < 0)
                return false;
            d = digits(field[other], (int)flen[other]);
        } else {
            if (flen[a] > 2 || flen[b] > 2 || digits(field[a], (int)flen[a]) < 0 ||
                digits(field[b], (int)flen[b]) < 0)
                return false;
            int va = digits(field[a], (int)flen[a]), vb = digits(field[b], (int)flen[b]);
            if (yi == 0) { /* YYYY-MM-DD */
                m = va;
                d = vb;
            } else if (dayfirst) {
                d = va;
                m = vb;
            } else {
                m = va;
                d = vb;
            }
        }
    }
    if (y < 1000 || y > 9999 || m < 0 || m > 12 || d < 0 || d > 31)
        return false;
    if (m == 0)
        d = 0; /* a day without a month says nothing usable */
    if (d && !xc__date_valid(y, m, d))
        return false;
    out->year = (int16_t)y;
    out->month = (int8_t)m;
    out->day = (int8_t)d;
    return true;
}
