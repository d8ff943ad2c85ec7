/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The extern "C" shim: contexts and errors.  The stream and domain calls
 * are in c_api_stream.cc and c_api_domain.cc.
 */
#include <memory>
#include <new>

#include "c_api_internal.h"
#include "xenstored/xenstored_domain_store.h"

namespace xsm {

/* xsm_last_error_kind() is a StatusCode: the edges share one vocabulary. */
static_assert(XSM_ERROR_NONE == int(StatusCode::kOk) &&
                      XSM_ERROR_BAD_STREAM == int(StatusCode::kBadStream) &&
                      XSM_ERROR_BEYOND_DOMAIN == int(StatusCode::kBeyondDomain) &&
                      XSM_ERROR_BAD_ARGUMENT == int(StatusCode::kBadArgument) &&
                      XSM_ERROR_TOO_BIG == int(StatusCode::kTooBig) &&
                      XSM_ERROR_IO == int(StatusCode::kIo) &&
                      XSM_ERROR_CANNOT_CONVERT == int(StatusCode::kCannotConvert) &&
                      XSM_ERROR_XENSTORED_REFUSED == int(StatusCode::kXenstoredRefused) &&
                      XSM_ERROR_XENSTORED_LOST == int(StatusCode::kXenstoredLost) &&
                      XSM_ERROR_XENSTORED_LACKS == int(StatusCode::kXenstoredLacks) &&
                      XSM_ERROR_NO_MEMORY == int(StatusCode::kNoMemory) &&
                      XSM_ERROR_INTERNAL == int(StatusCode::kInternal) &&
                      kStatusCodeCount == XSM_ERROR_INTERNAL + 1,
              "XSM_ERROR_* and StatusCode differ");

void CApiLog(const xsm_ctx *ctx, xentoollog_level level, const std::string &what)
{
    if (ctx->logger)
        xtl_log(ctx->logger, level, -1, "xsmigrate", "%s", what.c_str());
}

xsm_ctx *CApiOpen(std::unique_ptr<DomainStore> store, xentoollog_logger *logger)
{
    if (!store) {
        errno = ENOMEM;
        return nullptr;
    }
    auto *ctx = new (std::nothrow) xsm_ctx(std::move(store));
    if (!ctx) {
        errno = ENOMEM;
        return nullptr;
    }
    ctx->logger = logger;
    std::string why;
    if (!ctx->policy.Parse(NodePolicy::DefaultTemplates(), &why)) {
        delete ctx;
        errno = EINVAL;
        return nullptr;
    }
    return ctx;
}

} // namespace xsm

XSM_EXPORT xsm_ctx *xsm_ctx_open(struct xs_handle *xsh, xentoollog_logger *logger,
                                 unsigned int flags)
{
    if (flags) {
        errno = EINVAL;
        return nullptr;
    }
    std::unique_ptr<xsm::DomainStore> store(new (std::nothrow)
                                                    xsm::XenstoredDomainStore(xsh));
    return xsm::CApiOpen(std::move(store), logger);
}

XSM_EXPORT void xsm_ctx_close(xsm_ctx *ctx)
{
    delete ctx;
}

XSM_EXPORT const char *xsm_last_error(const xsm_ctx *ctx)
{
    return ctx ? ctx->last_error.c_str() : "";
}

XSM_EXPORT int xsm_last_error_kind(const xsm_ctx *ctx)
{
    return ctx ? ctx->last_error_kind : XSM_ERROR_NONE;
}

XSM_EXPORT int xsm_set_timeout_ms(xsm_ctx *ctx, unsigned int ms)
{
    return xsm::CApiGuard(ctx, [&] {
        /* A day, as $XSM_XENSTORED_TIMEOUT allows: every wait ends. */
        if (ms == 0 || ms > 86400u * 1000)
            return xsm::CApiFail(ctx, xsm::Status::BadArgument("xsm_set_timeout_ms: not 1 ms to "
                                                               "a day"));
        ctx->store->set_timeout_ms(static_cast<int>(ms));
        return xsm::CApiOk(ctx);
    });
}
