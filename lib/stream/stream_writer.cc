/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/stream_writer.h, which says what it is. */
#include "stream/stream_writer.h"

#include <cerrno>
#include <cstring>

namespace xsm {

namespace {
constexpr size_t kFlushAt = 256u << 10;
} // namespace

StreamWriter::StreamWriter(ByteSink &sink, const EncodeOptions &opts)
    : sink_(sink), opts_(opts), encoder_(opts), buf_(new uint8_t[kFlushAt]), cap_(kFlushAt)
{
}

bool StreamWriter::Reserve(size_t n, std::string *error)
{
    if (cap_ - len_ >= n)
        return true;
    if (len_ && !Flush(error))
        return false;
    if (n > cap_) {
        /* A record larger than the buffer: a buffer of its size. */
        buf_.reset(new uint8_t[n]);
        cap_ = n;
    }
    return true;
}

bool StreamWriter::WriteHeader(std::string *error)
{
    if (opts_.ctx.version < kMinVersion || opts_.ctx.version > kMaxVersion) {
        *error = "cannot write version " + std::to_string(opts_.ctx.version);
        return false;
    }
    if (!Reserve(kHeaderSize, error))
        return false;
    uint8_t *h = buf_.get() + len_;
    std::memcpy(h, kIdent.data(), kIdent.size());
    Store<uint32_t>(h + 8, opts_.ctx.version, Endian::Big);
    Store<uint32_t>(h + 12, opts_.ctx.endian == Endian::Big ? kFlagBigEndian : 0, Endian::Big);
    len_ += kHeaderSize;
    return true;
}

bool StreamWriter::Write(const Record &r, std::string *error)
{
    size_t body;
    if (!encoder_.Measure(r, &body, error))
        return false;
    size_t n = RecordEncoder::Size(body);
    if (!Reserve(n, error))
        return false;
    encoder_.Put(r, body, buf_.get() + len_);
    len_ += n;
    if (len_ >= kFlushAt || std::holds_alternative<EndRecord>(r))
        return Flush(error);
    return true;
}

bool StreamWriter::Flush(std::string *error)
{
    if (!sink_.Write(Bytes(reinterpret_cast<const char *>(buf_.get()), len_))) {
        *error = std::string("write failed: ") + std::strerror(errno);
        sink_failed_ = true;
        return false;
    }
    len_ = 0;
    return true;
}

} // namespace xsm
