/* SPDX-License-Identifier: LGPL-2.1-only */
/* The extern "C" shim over the stream codec: verify and convert. */
#include <cstddef>
#include <cstring>

#include "c_api_internal.h"
#include "stream/stream_ops.h"

namespace {

/*
 * The extensible-struct rule of xsmigrate.h: at least the first version
 * of the struct, and anything beyond what this library knows is zero.
 */
template <typename T>
bool SizeOk(const T *s, uint32_t min_size, int *err)
{
    const auto *octets = reinterpret_cast<const unsigned char *>(s);
    if (s->size < min_size) {
        *err = EINVAL;
        return false;
    }
    for (uint32_t i = sizeof(T); i < s->size; i++)
        if (octets[i]) {
            *err = E2BIG;
            return false;
        }
    return true;
}

/* The size of each struct's first version: offsetof its last field's end. */
constexpr uint32_t kStreamInfoV0 = offsetof(xsm_stream_info, length) + sizeof(uint64_t);
constexpr uint32_t kConvertOptsV0 = offsetof(xsm_convert_opts, pad0) + sizeof(uint32_t);

bool ToLayout(uint32_t v, xsm::Layout *out)
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
        if (info && info->size < kStreamInfoV0)
            return xsm::CApiFail(ctx, EINVAL, "xsm_stream_verify: info->size too small (XSM_INIT)");
        opts.embedded = flags & XSM_EMBEDDED;
        xsm::FdSource src(fd);
        xsm::StreamSummary sum;
        xsm::StreamError err;
        if (!xsm::VerifyStream(src, opts, &sum, &err))
            return xsm::CApiFail(ctx, err.io_error ? EIO : EINVAL, err.ToString());
        if (info) {
            /* Fields a newer caller knows and this library does not stay zero. */
            uint32_t size = info->size;
            std::memset(info, 0, size);
            info->size = size;
            info->version = sum.ctx.version;
            info->endian = sum.ctx.endian == xsm::Endian::Big ? XSM_ENDIAN_BIG : XSM_ENDIAN_LITTLE;
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
        int err_no = EINVAL;
        if (!o || !SizeOk(o, kConvertOptsV0, &err_no))
            return xsm::CApiFail(ctx, err_no, "xsm_stream_convert: opts->size (XSM_INIT)");
        if (!ToLayout(o->layout_in, &opts.in.layout) ||
            !ToLayout(o->layout_out, &opts.layout_out) || o->endian > XSM_ENDIAN_BIG || o->pad0)
            return xsm::CApiFail(ctx, EINVAL, "xsm_stream_convert: bad options");
        if (o->version)
            opts.version = o->version;
        if (o->endian != XSM_ENDIAN_AS_INPUT)
            opts.endian = o->endian == XSM_ENDIAN_BIG ? xsm::Endian::Big : xsm::Endian::Little;
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
