/*
 * regimes.h — dated licence rules (issue 3): country groups, control-list items, item x
 * destination overrides, catch-all scopes and licence types for JP, KR, US (EAR) and EU, and
 * the decision procedure. Loaded from the project's data/regimes/ CSV files (embedded at build time
 * through xc__data_file, or read from a folder given in xc_config.regimes_dir).
 */
#ifndef XC_REGIMES_H
#define XC_REGIMES_H

#include "../base/base.h"

typedef struct xc__regimes xc__regimes;

/* Loads the rule tables: from dir when not NULL, else from the embedded data files. */
xc_status xc__regimes_open(xc__regimes **out, const char *dir, xc_error *err);
void xc__regimes_close(xc__regimes *regimes);

#endif /* XC_REGIMES_H */
