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

bool xc__xml_cut_off(const xc__xml *xml)
{
    return xml->closing_cut;
}

static bool close_element(xc__xml *xml, const xc__xml_handler *h, bool cut)
{
    const char *name = xml->depth - 1 < STACK_MAX ? xml->names[xml->depth - 1] : "";
    xml->closing_cut = cut;
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

/* An element is known to be closed in the input when it, or an ancestor, has a following
 * sibling: the parser only starts a sibling after the end tag. */
static bool closed_in_input(xmlNodePtr node)
{
    for (; node && node->type == XML_ELEMENT_NODE; node = node->parent)
        if (node->next)
            return true;
    return false;
}

/* After a parse error, xmlTextReader stops although the part of the tree it had already built
 * (the rest of the chunk before the error) is still in memory: walk it in document order from
 * the last node delivered, so every element completed before the break still reaches the
 * handler. Elements never closed in the input are passed with xc__xml_cut_off() true.
 * `node` is the last node delivered; `closed` tells whether its end was delivered too. */
static xc_status replay(xc__xml *xml, const xc__xml_handler *h, xmlNodePtr node, bool closed)
{
    xmlNodePtr cur = node;
    bool go = true;
    while (go && cur) {
        if (cur->type == XML_ELEMENT_NODE && !closed) {
            if (cur->children) {
                cur = cur->children;
            } else {
                go = close_element(xml, h, !closed_in_input(cur));
                closed = true;
                continue;
            }
        } else if (cur->next) {
            cur = cur->next;
        } else {
            cur = cur->parent;
            if (!cur || cur->type != XML_ELEMENT_NODE || xml->depth <= 0)
                break;
            go = close_element(xml, h, !closed_in_input(cur));
            closed = true;
            continue;
        }
        /* Visit cur. */
        if (cur->type == XML_ELEMENT_NODE) {
            push(xml, cur->name ? (const char *)cur->name : "");
            go = h->start(h->ctx, xml, xml->depth - 1 < STACK_MAX ? xml->names[xml->depth - 1]
                                                                   : "");
            closed = false;
        } else {
            if (cur->type == XML_TEXT_NODE || cur->type == XML_CDATA_SECTION_NODE) {
                if (append_text(xml, cur->content) != XC_OK)
                    return XC_NOMEM;
            }
            closed = true;
        }
    }
    return XC_OK;
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
    xmlNodePtr last = NULL; /* last node delivered, and whether its end was delivered too */
    bool last_closed = true;
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
            last = xmlTextReaderCurrentNode(xml->reader);
            last_closed = empty;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xml->depth > 0)
                go = close_element(xml, h, false);
            last = xmlTextReaderCurrentNode(xml->reader);
            last_closed = true;
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            if (append_text(xml, xmlTextReaderConstValue(xml->reader)) != XC_OK) {
                rc = xc__error_set(err, XC_NOMEM, "out of memory");
                break;
            }
            last = xmlTextReaderCurrentNode(xml->reader);
            last_closed = true;
        }
    }
    if (rc == XC_OK && go && ret != 0) {
        if (last && xml->depth > 0 && replay(xml, h, last, last_closed) != XC_OK)
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
