/*
 * xml.c — the streaming XML walk behind the OFAC and UN parsers (see xml.h). One xmlTextReader
 * per document; memory is bounded by the element stack depth and by the text limit per
 * element (1 MiB: longer text is cut and reported).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlreader.h>

#include "xml.h"

#define STACK_MAX 64
#define NAME_MAX_LEN 64
#define TEXT_MAX ((size_t)1 << 20)

struct xc__xml {
    xmlTextReaderPtr reader;
    char names[STACK_MAX][NAME_MAX_LEN];
    int depth;                /* open elements */
    xc__buf text;
    bool text_cut;
    char error[300];          /* first libxml2 message */
    int error_line;
    bool closing_cut;         /* the element being closed now was never closed in the input */
    size_t events;            /* element starts and ends delivered to the handler */
    const xmlChar **sax_attrs; /* during a SAX start: localname/prefix/URI/value/end x count */
    int sax_attr_count;
};

static void capture_error(void *arg, xmlErrorPtr error)
{
    xc__xml *xml = arg;
    if (!error)
        return;
    if (xml->error[0])
        return;
    size_t n = xc__strlcpy(xml->error, error->message ? error->message : "XML error",
                           sizeof xml->error);
    if (n >= sizeof xml->error)
        n = sizeof xml->error - 1;
    while (n && (xml->error[n - 1] == '\n' || xml->error[n - 1] == ' '))
        xml->error[--n] = '\0';
    xml->error_line = error->line;
}

const char *xc__xml_parent(const xc__xml *xml, int up)
{
    int i = xml->depth - 1 - up;
    if (i < 0 || i >= STACK_MAX)
        return "";
    return xml->names[i];
}

int xc__xml_depth(const xc__xml *xml)
{
    return xml->depth;
}

size_t xc__xml_line(const xc__xml *xml)
{
    int line = xmlTextReaderGetParserLineNumber(xml->reader);
    return line > 0 ? (size_t)line : 0;
}

char *xc__xml_attr(xc__xml *xml, const char *name)
{
    char *value = NULL;
    if (xml->sax_attrs) {
        for (int i = 0; i < xml->sax_attr_count; i++) {
            const xmlChar **a = xml->sax_attrs + 5 * i;
            if (a[0] && strcmp((const char *)a[0], name) == 0 && a[3] && a[4] >= a[3])
                return xc__strndup((const char *)a[3], (size_t)(a[4] - a[3]));
        }
        return NULL;
    }
    if (xmlTextReaderMoveToFirstAttribute(xml->reader) != 1)
        return NULL;
    do {
        const xmlChar *local = xmlTextReaderConstLocalName(xml->reader);
        if (local && strcmp((const char *)local, name) == 0) {
            const xmlChar *v = xmlTextReaderConstValue(xml->reader);
            value = xc__strdup(v ? (const char *)v : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(xml->reader) == 1);
    xmlTextReaderMoveToElement(xml->reader);
    return value;
}

static bool push(xc__xml *xml, const char *name)
{
    if (xml->depth < STACK_MAX)
        xc__strlcpy(xml->names[xml->depth], name, NAME_MAX_LEN);
    xml->depth++;
    xml->events++;
    xc__buf_reset(&xml->text);
    xml->text_cut = false;
    return true;
}

bool xc__xml_cut_off(const xc__xml *xml)
{
    return xml->closing_cut;
}

static bool close_element(xc__xml *xml, const xc__xml_handler *h, bool cut)
{
    const char *name = xml->depth - 1 < STACK_MAX ? xml->names[xml->depth - 1] : "";
    xml->closing_cut = cut;
    xml->events++;
    bool go = h->end(h->ctx, xml, name, xml->text.data ? xml->text.data : "", xml->text.len);
    xml->depth--;
    xml->closing_cut = false;
    xc__buf_reset(&xml->text);
    return go;
}

static xc_status append_text(xc__xml *xml, const xmlChar *value)
{
    if (!value || xml->text_cut)
        return XC_OK;
    xc_status st = xc__buf_append(&xml->text, value, strlen((const char *)value));
    if (st == XC_TOOBIG) {
        xml->text_cut = true;
        return XC_OK;
    }
    return st;
}

/* ---- recovery after a parse error ----
 * xmlTextReader gives up on the whole chunk that holds a parse error, so the elements completed
 * in that chunk before the error never reach the handler (the last complete entry before a
 * truncation would be lost). When that happens the input is read again with the SAX2 push
 * parser, which reports every event up to the error: the events the reader already delivered
 * are skipped (counted by element starts and ends, which both parsers report one for one),
 * the rest go to the handler, and the elements still open at the error are closed with
 * xc__xml_cut_off() true so the parsers can drop the partial entry. */

typedef struct sax_state {
    xc__xml *xml;
    const xc__xml_handler *h;
    size_t skip;     /* element events already delivered by the reader */
    size_t seen;     /* element events so far in this pass */
    bool stop;       /* the handler asked to stop, or out of memory */
    bool nomem;
} sax_state;

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                      int nb_defaulted, const xmlChar **attributes)
{
    sax_state *st = ctx;
    if (st->stop)
        return;
    bool deliver = st->seen++ >= st->skip;
    push(st->xml, local ? (const char *)local : "");
    if (!deliver) /* already delivered by the reader: only rebuild the stack */
        return;
    st->xml->sax_attrs = attributes;
    st->xml->sax_attr_count = nb_attributes;
    if (!st->h->start(st->h->ctx, st->xml,
                      st->xml->depth - 1 < STACK_MAX ? st->xml->names[st->xml->depth - 1] : ""))
        st->stop = true;
    st->xml->sax_attrs = NULL;
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    sax_state *st = ctx;
    if (st->stop)
        return;
    bool deliver = st->seen++ >= st->skip;
    if (!deliver) {
        if (st->xml->depth > 0)
            st->xml->depth--;
        xc__buf_reset(&st->xml->text);
        return;
    }
    if (st->xml->depth > 0 && !close_element(st->xml, st->h, false))
        st->stop = true;
}

static void sax_text(void *ctx, const xmlChar *text, int len)
{
    sax_state *st = ctx;
    if (st->stop || st->xml->text_cut || len <= 0)
        return;
    xc_status rc = xc__buf_append(&st->xml->text, text, (size_t)len);
    if (rc == XC_TOOBIG)
        st->xml->text_cut = true;
    else if (rc != XC_OK)
        st->stop = st->nomem = true;
}

static void sax_error(void *ctx, xmlErrorPtr error)
{
    (void)ctx;
    (void)error; /* the reader's pass already captured the message */
}

/* The reader stopped after `delivered` element events: finish from the SAX pass. */
static xc_status sax_resume(xc__xml *xml, const xc__xml_handler *h, const char *path,
                            const char *data, size_t len, const char *label, int options,
                            size_t delivered)
{
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = sax_start;
    sax.endElementNs = sax_end;
    sax.characters = sax_text;
    sax.cdataBlock = sax_text;
    sax.serror = sax_error;
    /* The SAX pass rebuilds the element stack from the start, through the skipped events. */
    int depth_at_error = xml->depth;
    xml->depth = 0;
    xc__buf_reset(&xml->text);
    xml->text_cut = false;
    sax_state st = {xml, h, delivered, 0, false, false};
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, &st, NULL, 0, label);
    if (!ctxt) {
        xml->depth = depth_at_error;
        return XC_NOMEM;
    }
    xmlCtxtUseOptions(ctxt, options);
    FILE *f = path ? fopen(path, "rb") : NULL;
    char chunk[16384];
    size_t pos = 0;
    while (!st.stop && ctxt->wellFormed) {
        size_t n;
        if (path) {
            n = f ? fread(chunk, 1, sizeof chunk, f) : 0;
            if (xmlParseChunk(ctxt, chunk, (int)n, n == 0) != 0 || n == 0)
                break;
        } else {
            n = len - pos < sizeof chunk ? len - pos : sizeof chunk;
            if (xmlParseChunk(ctxt, data + pos, (int)n, n == 0) != 0 || n == 0)
                break;
            pos += n;
        }
    }
    if (f)
        fclose(f);
    xmlFreeParserCtxt(ctxt);
    /* Close what the input left open, marked as cut off. */
    while (!st.stop && xml->depth > 0)
        if (!close_element(xml, h, true))
            st.stop = true;
    return st.nomem ? XC_NOMEM : XC_OK;
}

xc_status xc__xml_walk(const char *path, const char *data, size_t len, const char *file_label,
                       const xc__xml_handler *h, xc_error *err)
{
    const int options = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
    xc__xml *xml = xc__calloc(1, sizeof *xml);
    if (!xml)
        return xc__error_set(err, XC_NOMEM, "out of memory");
    xc__buf_init(&xml->text, TEXT_MAX);
    int fd = -1;
    if (path) {
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            xc__free_mem(xml);
            return xc__error_set(err, XC_IO, "%s: cannot open", path);
        }
        xml->reader = xmlReaderForFd(fd, file_label, NULL, options);
    } else {
        if (len > (size_t)INT32_MAX) {
            xc__free_mem(xml);
            return xc__error_set(err, XC_TOOBIG, "%s: too large", file_label);
        }
        xml->reader = xmlReaderForMemory(data ? data : "", (int)len, file_label, NULL, options);
    }
    if (!xml->reader) {
        if (fd >= 0)
            close(fd);
        xc__free_mem(xml);
        return xc__error_set(err, XC_NOMEM, "%s: cannot create XML reader", file_label);
    }
    xmlTextReaderSetStructuredErrorHandler(xml->reader, capture_error, xml);

    xc_status rc = XC_OK;
    bool go = true;
    int ret;
    while (go && (ret = xmlTextReaderRead(xml->reader)) == 1) {
        int type = xmlTextReaderNodeType(xml->reader);
        if (type == XML_READER_TYPE_ELEMENT) {
            const xmlChar *local = xmlTextReaderConstLocalName(xml->reader);
            bool empty = xmlTextReaderIsEmptyElement(xml->reader) == 1;
            push(xml, local ? (const char *)local : "");
            go = h->start(h->ctx, xml, xml->depth - 1 < STACK_MAX ? xml->names[xml->depth - 1]
                                                                   : "");
            if (go && empty)
                go = close_element(xml, h, false);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xml->depth > 0)
                go = close_element(xml, h, false);
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            if (append_text(xml, xmlTextReaderConstValue(xml->reader)) != XC_OK) {
                rc = xc__error_set(err, XC_NOMEM, "out of memory");
                break;
            }
        }
    }
    if (rc == XC_OK && go && ret != 0) {
        if (sax_resume(xml, h, path, data, len, file_label, options, xml->events) != XC_OK)
            rc = xc__error_set(err, XC_NOMEM, "out of memory");
        else
            rc = xc__error_set(err, XC_PARSE, "%s line %d: %s", file_label,
                               xml->error_line > 0 ? xml->error_line : (int)xc__xml_line(xml),
                               xml->error[0] ? xml->error : "malformed XML");
    }
    xmlFreeTextReader(xml->reader);
    if (fd >= 0)
        close(fd);
    xc__buf_free(&xml->text);
    xc__free_mem(xml);
    return rc;
}
