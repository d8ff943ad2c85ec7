/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The extern "C" shim: contexts and errors.  The stream and domain calls
 * are in c_api_stream.cc and c_api_domain.cc.
 */
#include <new>

#include "c_api_internal.h"

namespace xsm {

void CApiLog(const xsm_ctx *ctx, xentoollog_level level, const std::string &what)
{
    if (ctx->logger)
        xtl_log(ctx->logger, level, -1, "xsmigrate", "%s", what.c_str());
}

} // namespace xsm

XSM_EXPORT xsm_ctx *xsm_ctx_open(struct xs_handle *xsh, xentoollog_logger *logger,
                                 unsigned int flags)
{
    if (flags) {
        errno = EINVAL;
        return nullptr;
    }
    auto *ctx = new (std::nothrow) xsm_ctx(xsh);
    if (!ctx) {
        errno = ENOMEM;
        return nullptr;
    }
    ctx->logger = logger;
    std::string why;
    if (!ctx->policy.Parse(xsm::NodePolicy::DefaultTemplates(), &why)) {
        delete ctx;
        errno = EINVAL;
        return nullptr;
    }
    return ctx;
}

XSM_EXPORT void xsm_ctx_close(xsm_ctx *ctx)
{
    delete ctx;
}

XSM_EXPORT const char *xsm_last_error(const xsm_ctx *ctx)
{
    return ctx ? ctx->last_error.c_str() : "";
}
