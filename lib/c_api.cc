/*
 * The extern "C" shim over the C++ inside: argument checks, errno, and
 * logging.  Nothing here knows the format.
 */
#include <cerrno>
#include <cstdarg>
#include <new>
#include <string>

#include "xsmigrate.h"
#include "stream/stream_ops.h"

#define XSM_EXPORT extern "C" __attribute__((visibility("default")))

struct xsm_ctx {
    xentoollog_logger *logger = nullptr;
    std::string last_error;
};

namespace {

/* Records the reason, logs it, sets errno, returns -1. */
int Fail(xsm_ctx *ctx, int err, const std::string &why)
{
    ctx->last_error = why;
    if (ctx->logger)
        xtl_log(ctx->logger, XTL_ERROR, err, "xsmigrate", "%s", why.c_str());
    errno = err;
    return -1;
}

bool ToLayout(int v, xsm::Layout *out)
{
    if (v == XSM_LAYOUT_XEN)
        *out = xsm::Layout::Xen;
    else if (v == XSM_LAYOUT_DRAFT)
        *out = xsm::Layout::Draft;
    else
        return false;
    return true;
}

} // namespace

XSM_EXPORT xsm_ctx *xsm_ctx_open(xentoollog_logger *logger, unsigned int flags)
{
    if (flags) {
        errno = EINVAL;
        return nullptr;
    }
    auto *ctx = new (std::nothrow) xsm_ctx;
    if (!ctx) {
        errno = ENOMEM;
        return nullptr;
    }
    ctx->logger = logger;
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

XSM_EXPORT int xsm_stream_verify(xsm_ctx *ctx, int fd, int layout, unsigned int flags,
                                 struct xsm_stream_info *info)
{
    if (!ctx) {
        errno = EINVAL;
        return -1;
    }
    try {
        xsm::ReaderOptions opts;
        if (!ToLayout(layout, &opts.layout) || (flags & ~XSM_EMBEDDED))
            return Fail(ctx, EINVAL, "xsm_stream_verify: bad layout or flags");
        opts.embedded = flags & XSM_EMBEDDED;
        xsm::FdSource src(fd);
        xsm::StreamSummary sum;
        xsm::StreamError err;
        if (!xsm::VerifyStream(src, opts, &sum, &err))
            return Fail(ctx, err.io_error ? EIO : EINVAL,
                        err.ToString());
        if (info) {
            info->version = sum.ctx.version;
            info->big_endian = sum.ctx.endian == xsm::Endian::Big;
            info->records = sum.records;
            info->warnings = sum.warnings;
            info->length = sum.octets;
        }
        ctx->last_error.clear();
        return 0;
    } catch (const std::bad_alloc &) {
        return Fail(ctx, ENOMEM, "out of memory");
    }
}

XSM_EXPORT int xsm_stream_convert(xsm_ctx *ctx, int in_fd, int out_fd,
                                  const struct xsm_convert_opts *o)
{
    if (!ctx || !o) {
        errno = EINVAL;
        return -1;
    }
    try {
        xsm::ConvertOptions opts;
        if (!ToLayout(o->layout_in, &opts.in.layout) || !ToLayout(o->layout_out, &opts.layout_out) ||
            o->endian < 0 || o->endian > 2)
            return Fail(ctx, EINVAL, "xsm_stream_convert: bad options");
        if (o->version)
            opts.version = o->version;
        if (o->endian)
            opts.endian = o->endian == 2 ? xsm::Endian::Big : xsm::Endian::Little;
        xsm::FdSource src(in_fd);
        xsm::FdSink sink(out_fd);
        xsm::StreamError err;
        std::string why;
        switch (xsm::ConvertStream(src, sink, opts, &err, &why)) {
        case xsm::ConvertStatus::kOk:
            ctx->last_error.clear();
            return 0;
        case xsm::ConvertStatus::kBadInput:
            return Fail(ctx, err.io_error ? EIO : EINVAL, err.ToString());
        case xsm::ConvertStatus::kCannotConvert:
            return Fail(ctx, ENOTSUP, why);
        case xsm::ConvertStatus::kWriteError:
            return Fail(ctx, EIO, why);
        }
        return Fail(ctx, EINVAL, "unreachable");
    } catch (const std::bad_alloc &) {
        return Fail(ctx, ENOMEM, "out of memory");
    }
}
