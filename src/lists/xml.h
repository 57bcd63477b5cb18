/*
 * xml.h — a small streaming walk over an XML document with libxml2's xmlTextReader, shared by
 * the OFAC and UN XML parsers. It never builds a tree of the whole file: it keeps the stack of
 * open element local names (namespaces ignored, so either OFAC namespace works) and the text of
 * the element being closed, and calls back on element start and end. libxml2's messages are
 * captured (never printed) and the first one is kept with its line number. Network access and
 * external entities are off.
 */
#ifndef XC_XML_H
#define XC_XML_H

#include "../base/base.h"

typedef struct xc__xml xc__xml;

typedef struct xc__xml_handler {
    void *ctx;
    /* An element opens (name = local name). Return false to stop the walk. */
    bool (*start)(void *ctx, xc__xml *xml, const char *name);
    /* An element closes; text is the trimmed-nothing concatenated text directly inside it. */
    bool (*end)(void *ctx, xc__xml *xml, const char *name, const char *text, size_t len);
} xc__xml_handler;

/* Walks a file (path) or a memory buffer (data/len when path is NULL). file_label names the
 * input in messages. Returns XC_OK when the document was read to its end; XC_PARSE when it is
 * malformed or truncated (every callback before the break has run; the message with its line
 * is in err); XC_IO when the file cannot be opened; XC_NOMEM. */
xc_status xc__xml_walk(const char *path, const char *data, size_t len, const char *file_label,
                       const xc__xml_handler *handler, xc_error *err);

/* Local name of the ancestor `up` levels above the current element (1 = its parent), or "". */
const char *xc__xml_parent(const xc__xml *xml, int up);
/* Depth of the current element (the root is 1). */
int xc__xml_depth(const xc__xml *xml);
/* True inside `end` when the element was not closed in the input: the data ended (or broke)
 * inside it and the parser closed it while recovering. Its content is incomplete. */
bool xc__xml_cut_off(const xc__xml *xml);
/* Line of the current node in the input. */
size_t xc__xml_line(const xc__xml *xml);
/* Value of an attribute of the element being started (local name match), owned by the caller
 * (xc__free_mem), or NULL. Only valid inside `start`. */
char *xc__xml_attr(xc__xml *xml, const char *name);

#endif /* XC_XML_H */
