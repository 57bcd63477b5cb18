/*
 * buf.c — a growable byte buffer with a hard maximum (curl's dynbuf "toobig" idea): every
 * buffer fed by untrusted input has a ceiling, and crossing it is an error, not a crash.
 */
#include <stdio.h>
#include <string.h>

#include "base.h"

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

void xc__buf_init(xc__buf *buf, size_t max)
{
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : BUF_DEFAULT_MAX;
}

static xc_status buf_reserve(xc__buf *buf, size_t extra)
{
    if (extra > buf->max || buf->len > buf->max - extra)
        return XC_TOOBIG;
    size_t need = buf->len + extra + 1;
    if (need <= buf->cap)
        return XC_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap *= 2;
    if (cap > buf->max + 1)
        cap = buf->max + 1;
    char *data = xc__realloc(buf->data, cap);
    if (!data)
        return XC_NOMEM;
    buf->data = data;
    buf->cap = cap;
    return XC_OK;
}

xc_status xc__buf_append(xc__buf *buf, const void *data, size_t len)
{
    xc_status rc = buf_reserve(buf, len);
    if (rc != XC_OK)
        return rc;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    buf->data[buf->len] = '\0';
    return XC_OK;
}

xc_status xc__buf_putc(xc__buf *buf, char c)
{
    return xc__buf_append(buf, &c, 1);
}

xc_status xc__buf_printf(xc__buf *buf, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return XC_INVALID;
    if ((size_t)n < sizeof small)
        return xc__buf_append(buf, small, (size_t)n);
    xc_status rc = buf_reserve(buf, (size_t)n);
    if (rc != XC_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return XC_OK;
}

void xc__buf_reset(xc__buf *buf)
{
    buf->len = 0;
    if (buf->data)
        buf->data[0] = '\0';
}

void xc__buf_free(xc__buf *buf)
{
    xc__free_mem(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

char *xc__buf_steal(xc__buf *buf)
{
    char *data = buf->data;
    if (!data)
        data = xc__strdup("");
    buf->data = NULL;
    buf->len = buf->cap = 0;
    return data;
}
