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
};

static void capture_error(void *arg, xmlErrorPtr error)
{
    xc__xml *xml = arg;
    if (!error || xml->error[0])
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
    xc__buf_reset(&xml->text);
    xml->text_cut = false;
    return true;
}

static bool close_element(xc__xml *xml, const xc__xml_handler *h)
{
    const char *name = xml->depth - 1 < STACK_MAX ? xml->names[xml->depth - 1] : "";
    bool go = h->end(h->ctx, xml, name, xml->text.data ? xml->text.data : "", xml->text.len);
    xml->depth--;
    xc__buf_reset(&xml->text);
    return go;
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
                go = close_element(xml, h);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xml->depth > 0)
                go = close_element(xml, h);
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const xmlChar *value = xmlTextReaderConstValue(xml->reader);
            if (value && !xml->text_cut) {
                xc_status st = xc__buf_append(&xml->text, value, strlen((const char *)value));
                if (st == XC_TOOBIG)
                    xml->text_cut = true;
                else if (st != XC_OK) {
                    rc = xc__error_set(err, XC_NOMEM, "out of memory");
                    break;
                }
            }
        }
    }
    if (rc == XC_OK && go && ret != 0) {
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
