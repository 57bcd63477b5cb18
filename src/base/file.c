/*
 * file.c — whole-file reading with a size ceiling, and small bounded string helpers used
 * across modules in place of the unbounded libc calls STYLE.md rules out.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base.h"

xc_status xc__file_read(const char *path, size_t max, char **out, size_t *len, xc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xc__error_set(err, XC_IO, "%s: %s", path, strerror(errno));
    xc__buf buf;
    xc__buf_init(&buf, max);
    char chunk[65536];
    size_t n;
    xc_status rc = XC_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        rc = xc__buf_append(&buf, chunk, n);
        if (rc != XC_OK)
            break;
    }
    if (rc == XC_OK && ferror(f))
        rc = XC_IO;
    fclose(f);
    if (rc != XC_OK) {
        xc__buf_free(&buf);
        if (rc == XC_TOOBIG)
            return xc__error_set(err, rc, "%s: larger than %zu bytes", path, max);
        if (rc == XC_NOMEM)
            return xc__error_set(err, rc, "%s: out of memory", path);
        return xc__error_set(err, rc, "%s: read error", path);
    }
    *len = buf.len;
    *out = xc__buf_steal(&buf);
    if (!*out)
        return xc__error_set(err, XC_NOMEM, "%s: out of memory", path);
    return XC_OK;
}

const char *xc__path_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

bool xc__str_ieq(const char *a, const char *b)
{
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
        a++;
        b++;
    }
    return *a == *b;
}

bool xc__strn_ieq(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (; i < alen && b[i]; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return false;
    return i == alen && b[i] == '\0';
}

const char *xc__trim(const char *s, size_t *len)
{
    size_t n = *len;
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    *len = n;
    return s;
}

size_t xc__strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}

xc_status xc__mkdirs(const char *dir, unsigned mode, xc_error *err)
{
    char buf[4096];
    if (xc__strlcpy(buf, dir, sizeof buf) >= sizeof buf)
        return xc__error_set(err, XC_TOOBIG, "path too long: %.200s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
            return xc__error_set(err, XC_IO, "%s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
        return xc__error_set(err, XC_IO, "%s: %s", buf, strerror(errno));
    return XC_OK;
}

xc_status xc__mkdirs_parent(const char *path, unsigned mode, xc_error *err)
{
    char dir[4096];
    if (xc__strlcpy(dir, path, sizeof dir) >= sizeof dir)
        return xc__error_set(err, XC_TOOBIG, "path too long: %.200s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return XC_OK;
    *slash = '\0';
    return xc__mkdirs(dir, mode, err);
}
