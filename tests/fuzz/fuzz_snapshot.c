/* fuzz_snapshot.c — libFuzzer target for the snapshot loader. The input is a snapshot file; the
 * build id is set to this build's and the checksum recomputed before loading, so that mutations
 * reach the structural checks (sections, relocations, index and entity references) instead of
 * stopping at the checksum. Only loading is fuzzed: a forged file with a valid checksum is out
 * of the snapshot's threat model beyond those checks (see snapshot.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "match/engine.h"
#include "snapshot/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t id_at = xc__snapshot_build_id_offset(), sum_at = xc__snapshot_checksum_offset();
    if (size < 4096 || size > (64u << 20))
        return 0;
    static uint8_t *copy;
    static size_t cap;
    if (size > cap) {
        uint8_t *grown = realloc(copy, size);
        if (!grown)
            return 0;
        copy = grown;
        cap = size;
    }
    memcpy(copy, data, size);
    memset(copy + id_at, 0, 72);
    memcpy(copy + id_at, xc__build_id, strlen(xc__build_id));
    char key[73];
    memcpy(key, copy + id_at + 72, 72); /* the key follows the build id in the header */
    key[72] = '\0';
    uint64_t sum = xc__snapshot_checksum(copy, size);
    memcpy(copy + sum_at, &sum, sizeof sum);
    char path[64];
    snprintf(path, sizeof path, "/tmp/xc-fuzz-snapshot-%ld.snap", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(copy, 1, size, f);
    fclose(f);
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK)
        return 0;
    xc__listset mapped = set;
    xc__index *index = NULL;
    xc__snapshot *snap = NULL;
    xc_error err;
    if (xc__snapshot_open(&snap, path, key, &mapped, &index, &err) == XC_OK) {
        (void)xc__index_name_count(index);
        xc__index_free(index);
        xc__snapshot_close(snap);
    }
    xc__listset_free(&set);
    unlink(path);
    return 0;
}
