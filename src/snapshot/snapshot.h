/*
 * snapshot.h — the compiled engine image: every loaded list entity and the whole name index in
 * one file that is memory-mapped back instead of re-parsing and re-analysing the sources.
 *
 * File layout (native endianness; a snapshot never leaves the machine that built it):
 *   [0, 4096)        header: magic, format, build id, source key, section offsets, checksum
 *   [4096, +image)   image: the listset's arrays and strings and the index's arrays, with every
 *                    pointer stored as an offset from the image start (0 = NULL)
 *   [.., +relocs)    relocation table: the image offset of every non-NULL pointer (uint32)
 * Loading maps the file privately, checks the header, the build id (a hash of the library's
 * sources and data files, so another build's snapshot is foreign), the key (the identity of the
 * source files: path, size, mtime, ctime, inode), the XXH3-64 checksum of the whole file, then
 * adds the mapping's address to every relocated pointer. Anything wrong gives XC_CORRUPT with
 * the reason and the caller rebuilds: a snapshot is never trusted on its word.
 *
 * The checksum guards against corruption and staleness, not against someone who can write to
 * the cache folder (they could replace the binary too).
 */
#ifndef XC_SNAPSHOT_H
#define XC_SNAPSHOT_H

#include "../lists/lists.h"
#include "../match/index.h"

#define XC__SNAPSHOT_FORMAT 2 /* 2: entities carry places of birth and nationalities */

typedef struct xc__snapshot xc__snapshot;

/* The build id of this library (hex SHA-256 over its sources and data; generated). */
extern const char xc__build_id[];

/* Key of a set of source paths (files, or folders whose regular files are taken, not
 * recursively): hex SHA-256 over each file's real path, size, mtime, ctime, device and inode,
 * the paths in the order given (it decides the order of the lists), a folder's files in name
 * order. XC_IO when a path cannot be read. */
xc_status xc__snapshot_key(const char *const *paths, char key[65], xc_error *err);

/* Writes set + index as a snapshot at path, atomically (a temporary file renamed into place).
 * The set's and index's memory is only read. */
xc_status xc__snapshot_write(const char *path, const char *key, const xc__listset *set,
                             const xc__index *index, xc_error *err);

/* Maps and validates the snapshot at path for this key. On success *set is filled with arrays
 * that live in the mapping (set->arena is left as it was) and *index is an index over the
 * mapping; both stay valid until xc__snapshot_close. XC_NOTFOUND when there is no file,
 * XC_CORRUPT (with the reason) when it is damaged, foreign or stale, XC_NOMEM, XC_IO. */
xc_status xc__snapshot_open(xc__snapshot **out, const char *path, const char *key,
                            xc__listset *set, xc__index **index, xc_error *err);
void xc__snapshot_close(xc__snapshot *snap);

/* Checksum of a whole snapshot file image (header checksum field taken as zero): exposed for
 * tests that forge a foreign snapshot with a valid checksum. */
uint64_t xc__snapshot_checksum(const void *file, size_t size);
/* Offsets inside the header, for the same tests. */
size_t xc__snapshot_checksum_offset(void);
size_t xc__snapshot_build_id_offset(void);

/* Keeps the `keep` most recently used *.snap files in dir (by mtime), deleting the others,
 * except `current`. Errors are ignored: it is housekeeping. */
void xc__snapshot_prune(const char *dir, const char *current, int keep);

#endif /* XC_SNAPSHOT_H */
