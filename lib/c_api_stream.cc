/* The extern "C" shim over the stream codec: verify and convert. */
#include "c_api_internal.h"
#include "stream/stream_ops.h"

namespace {

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

XSM_EXPORT int xsm_stream_verify(xsm_ctx *ctx, int fd, int layout, unsigned int flags,
                                 struct xsm_stream_info *info)
{
    return xsm::CApiGuard(ctx, [&] {
        xsm::ReaderOptions opts;
        if (!ToLayout(layout, &opts.layout) || (flags & ~XSM_EMBEDDED))
            return xsm::CApiFail(ctx, EINVAL, "xsm_stream_verify: bad layout or flags");
        opts.embedded = flags & XSM_EMBEDDED;
        xsm::FdSource src(fd);
        xsm::StreamSummary sum;
        xsm::StreamError err;
        if (!xsm::VerifyStream(src, opts, &sum, &err))
            return xsm::CApiFail(ctx, err.io_error ? EIO : EINVAL, err.ToString());
        if (info) {
            info->version = sum.ctx.version;
            info->big_endian = sum.ctx.endian == xsm::Endian::Big;
            info->records = sum.records;
            info->warnings = sum.warnings;
            info->length = sum.octets;
        }
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_stream_convert(xsm_ctx *ctx, int in_fd, int out_fd,
                                  const struct xsm_convert_opts *o)
{
    return xsm::CApiGuard(ctx, [&] {
        xsm::ConvertOptions opts;
        if (!o || !ToLayout(o->layout_in, &opts.in.layout) ||
            !ToLayout(o->layout_out, &opts.layout_out) || o->endian < 0 || o->endian > 2)
            return xsm::CApiFail(ctx, EINVAL, "xsm_stream_convert: bad options");
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
            return xsm::CApiOk(ctx);
        case xsm::ConvertStatus::kBadInput:
            return xsm::CApiFail(ctx, err.io_error ? EIO : EINVAL, err.ToString());
        case xsm::ConvertStatus::kCannotConvert:
            return xsm::CApiFail(ctx, ENOTSUP, why);
        case xsm::ConvertStatus::kWriteError:
            break;
        }
        return xsm::CApiFail(ctx, EIO, why);
    });
}
