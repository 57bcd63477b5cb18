/*
 * sheet.h — streaming reader for spreadsheets that are zip archives of XML: Office Open XML
 * (xlsx, SpreadsheetML) and OpenDocument (ods). It walks the first worksheet row by row and hands
 * each non-empty row to a callback as an array of cell texts; no sheet is ever held whole in
 * memory (xlsx shared strings are, as the format requires). Zip entries are read through libzip
 * and parsed with libxml2's xmlTextReader, fed chunk by chunk.
 *
 * Cell texts are UTF-8 (libxml2 rejects anything else, which ends the sheet with XC_PARSE),
 * trimmed of ASCII whitespace at both ends, "" for empty or missing cells. Numbers are given as
 * written in the file; date serials and styles are not interpreted.
 */
#ifndef XC_LISTS_SHEET_H
#define XC_LISTS_SHEET_H

#include "../base/base.h"

typedef enum xc__sheet_format {
    XC__SHEET_AUTO = 0, /* from the archive's entries */
    XC__SHEET_XLSX = 1,
    XC__SHEET_ODS = 2
} xc__sheet_format;

/* Called once per non-empty row, in file order. row_number is 1-based as the sheet numbers it
 * (xlsx r attribute; ods row position after repeats). cells[0..ncells) are borrowed for the call
 * only; ncells is the last non-empty column + 1. Returning anything but XC_OK stops the read,
 * and that status is returned. */
typedef xc_status (*xc__sheet_row_fn)(void *ctx, size_t row_number, const char *const *cells,
                                      size_t ncells);
/* Non-fatal problems (a cell cut to max_cell, repeats capped); row 0 when not row-specific. */
typedef void (*xc__sheet_warn_fn)(void *ctx, size_t row_number, const char *message);

typedef struct xc__sheet_opts {
    size_t max_entry;   /* uncompressed bytes per zip entry (zip bombs); 0 = 512 MiB */
    size_t max_cell;    /* bytes per cell, longer text is cut and warned; 0 = 256 KiB */
    size_t max_columns; /* columns kept per row, the rest dropped and warned; 0 = 1024 */
    size_t max_rows;    /* rows delivered, then XC_TOOBIG; 0 = 4,000,000 */
    size_t max_repeat;  /* ods: copies of one repeated non-empty row; 0 = 1000 */
    xc__sheet_warn_fn warn; /* may be NULL */
} xc__sheet_opts;

/* Reads the first worksheet of the spreadsheet at path (opts may be NULL for the defaults).
 * Returns XC_OK when the whole sheet was read. Errors: XC_IO (cannot open), XC_CORRUPT (not a
 * zip, truncated, bad CRC), XC_UNSUPPORTED (a zip but neither xlsx nor ods), XC_TOOBIG (an entry
 * over max_entry, declared or actual, or too many rows), XC_PARSE (malformed XML or invalid
 * UTF-8), XC_NOMEM, or the callback's status. Rows delivered before an error stay delivered;
 * err names the entry and line. */
xc_status xc__sheet_read_file(const char *path, xc__sheet_format format,
                              const xc__sheet_opts *opts, xc__sheet_row_fn row, void *ctx,
                              xc_error *err);
/* The same over an in-memory archive (borrowed; not copied). */
xc_status xc__sheet_read_mem(const void *data, size_t len, xc__sheet_format format,
                             const xc__sheet_opts *opts, xc__sheet_row_fn row, void *ctx,
                             xc_error *err);

#endif /* XC_LISTS_SHEET_H */
