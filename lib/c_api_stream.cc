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
xsm::Status CheckSize(const T *s, uint32_t min_size, const char *what)
{
    const auto *octets = reinterpret_cast<const unsigned char *>(s);
    if (s->size < min_size)
        return xsm::Status::BadArgument(what);
    for (uint32_t i = sizeof(T); i < s->size; i++)
        if (octets[i])
            return xsm::Status::TooBig(what);
    return xsm::Status::Ok();
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
            return xsm::CApiFail(ctx, xsm::Status::BadArgument("xsm_stream_verify: bad layout or flags"));
        if (info && info->size < kStreamInfoV0)
            return xsm::CApiFail(ctx, xsm::Status::BadArgument(
                                              "xsm_stream_verify: info->size too small (XSM_INIT)"));
        opts.embedded = flags & XSM_EMBEDDED;
        xsm::FdSource src(fd);
        xsm::StreamSummary sum;
        xsm::Status st = xsm::VerifyStream(src, opts, &sum);
        if (!st.ok())
            return xsm::CApiFail(ctx, st);
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
        static const char kSize[] = "xsm_stream_convert: opts->size (XSM_INIT)";
        if (!o)
            return xsm::CApiFail(ctx, xsm::Status::BadArgument(kSize));
        xsm::Status size = CheckSize(o, kConvertOptsV0, kSize);
        if (!size.ok())
            return xsm::CApiFail(ctx, size);
        if (!ToLayout(o->layout_in, &opts.in.layout) ||
            !ToLayout(o->layout_out, &opts.layout_out) || o->endian > XSM_ENDIAN_BIG || o->pad0)
            return xsm::CApiFail(ctx, xsm::Status::BadArgument("xsm_stream_convert: bad options"));
        if (o->version)
            opts.version = o->version;
        if (o->endian != XSM_ENDIAN_AS_INPUT)
            opts.endian = o->endian == XSM_ENDIAN_BIG ? xsm::Endian::Big : xsm::Endian::Little;
        xsm::FdSource src(in_fd);
        xsm::FdSink sink(out_fd);
        return xsm::CApiResult(ctx, xsm::ConvertStream(src, sink, opts));
    });
}
