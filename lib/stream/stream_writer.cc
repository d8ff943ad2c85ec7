/* SPDX-License-Identifier: LGPL-2.1-only */
#include "stream/stream_writer.h"

#include <cerrno>
#include <cstring>

namespace xsm {

namespace {
constexpr size_t kFlushAt = 256u << 10;
} // namespace

StreamWriter::StreamWriter(ByteSink &sink, const EncodeOptions &opts)
    : sink_(sink), opts_(opts), encoder_(opts)
{
    buf_.reserve(kFlushAt + 4096);
}

bool StreamWriter::WriteHeader(std::string *error)
{
    uint8_t h[kHeaderSize];
    std::memcpy(h, kIdent.data(), kIdent.size());
    Store<uint32_t>(h + 8, opts_.ctx.version, Endian::Big);
    Store<uint32_t>(h + 12, opts_.ctx.endian == Endian::Big ? kFlagBigEndian : 0, Endian::Big);
    if (opts_.ctx.version < kMinVersion || opts_.ctx.version > kMaxVersion) {
        *error = "cannot write version " + std::to_string(opts_.ctx.version);
        return false;
    }
    buf_.append(reinterpret_cast<const char *>(h), sizeof(h));
    return true;
}

bool StreamWriter::Write(const Record &r, std::string *error)
{
    if (!encoder_.Encode(r, &buf_, error))
        return false;
    if (buf_.size() >= kFlushAt || std::holds_alternative<EndRecord>(r))
        return Flush(error);
    return true;
}

bool StreamWriter::Flush(std::string *error)
{
    if (!sink_.Write(buf_)) {
        *error = std::string("write failed: ") + std::strerror(errno);
        sink_failed_ = true;
        return false;
    }
    buf_.clear();
    return true;
}

} // namespace xsm
