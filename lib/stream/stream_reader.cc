/* SPDX-License-Identifier: LGPL-2.1-only */
#include "stream/stream_reader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace xsm {

namespace {
constexpr size_t kBufferedChunk = 1u << 20;
constexpr size_t kEmbeddedChunk = 64u << 10;
} // namespace

StreamReader::StreamReader(ByteSource &src, const ReaderOptions &opts)
    : src_(src), opts_(opts)
{
    ctx_.layout = opts.layout;
    Bytes all;
    if (src_.Whole(&all)) {
        whole_ = true;
        data_ = reinterpret_cast<const uint8_t *>(all.data());
        end_ = all.size();
        eof_ = true;
    } else {
        buf_.resize(opts_.embedded ? kEmbeddedChunk : kBufferedChunk);
        data_ = buf_.data();
    }
}

bool StreamReader::Refill(size_t n)
{
    if (whole_ || eof_ || read_error_)
        return false;

    /* Move what is left of the current record to the front. */
    if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, avail());
        base_ += pos_;
        end_ -= pos_;
        pos_ = 0;
    }
    while (end_ < n) {
        if (end_ == buf_.size()) {
            /* Grow only as data arrives: a lying len allocates nothing. */
            size_t grown = buf_.size() * 2;
            buf_.resize(grown < n ? grown : n);
        }
        size_t want = buf_.size() - end_;
        if (opts_.embedded && want > n - end_)
            want = n - end_;
        ssize_t r = src_.Read(buf_.data() + end_, want);
        if (r < 0) {
            read_error_ = true;
            read_errno_ = errno;
            break;
        }
        if (r == 0) {
            eof_ = true;
            break;
        }
        end_ += static_cast<size_t>(r);
    }
    data_ = buf_.data();
    return end_ >= n;
}

StreamReader::Status StreamReader::Fail(StreamError *err, uint64_t offset, std::string reason)
{
    if (read_error_)
        reason += std::string(" (read error: ") + std::strerror(read_errno_) + ")";
    err->offset = offset;
    err->record_index = index_;
    err->type = last_type_;
    err->type_known = last_type_known_;
    err->reason = std::move(reason);
    err->io_error = read_error_;
    return Status::kError;
}

bool StreamReader::ReadHeader(StreamError *err)
{
    err->record_index = StreamError::kHeader;
    err->offset = 0;
    if (!Fill(kHeaderSize)) {
        err->reason = "stream has " + std::to_string(avail()) +
                      " octets, too short for the 16-octet header";
        if (read_error_)
            err->reason += std::string(" (read error: ") + std::strerror(read_errno_) + ")";
        err->io_error = read_error_;
        return false;
    }
    if (std::memcmp(at(), kIdent.data(), kIdent.size()) != 0) {
        err->reason = "bad ident (expected \"xenstore\")";
        return false;
    }
    uint32_t version = Load<uint32_t>(at() + 8, Endian::Big);
    uint32_t flags = Load<uint32_t>(at() + 12, Endian::Big);
    if (version < kMinVersion || version > kMaxVersion) {
        err->offset = 8;
        err->reason = "unknown version " + std::to_string(version);
        return false;
    }
    if (flags & ~kFlagBigEndian) {
        char hex[16];
        std::snprintf(hex, sizeof(hex), "0x%08x", flags);
        err->offset = 12;
        err->reason = std::string("reserved bits set in flags (") + hex + ")";
        return false;
    }
    ctx_.version = version;
    ctx_.endian = (flags & kFlagBigEndian) ? Endian::Big : Endian::Little;
    pos_ += kHeaderSize;
    return true;
}

StreamReader::Status StreamReader::Read(RawRecord *rec, StreamError *err)
{
    if (seen_end_) {
        if (!opts_.embedded && Fill(1))
            return Fail(err, offset(), "data after the END record");
        if (read_error_)
            return Fail(err, offset(), "cannot check what follows the END record");
        return Status::kDone;
    }

    uint64_t start = offset();
    last_type_ = 0;
    last_type_known_ = false;
    if (!Fill(kRecordHeaderSize)) {
        if (avail() >= 4) {
            last_type_ = Load<uint32_t>(at(), ctx_.endian);
            last_type_known_ = true;
        }
        if (avail() == 0 && !read_error_)
            return Fail(err, start, "stream ends without an END record");
        return Fail(err, start, "stream ends inside a record header");
    }
    uint32_t type = Load<uint32_t>(at(), ctx_.endian);
    uint32_t len = Load<uint32_t>(at() + 4, ctx_.endian);
    last_type_ = type;
    last_type_known_ = true;
    if (len > opts_.max_record_len)
        return Fail(err, start + 4, "len " + std::to_string(len) + " exceeds the limit of " +
                                            std::to_string(opts_.max_record_len));
    size_t total = kRecordHeaderSize + AlignUp(len);
    if (!Fill(total))
        return Fail(err, start + 4,
                    "record runs past the end of the stream: len " + std::to_string(len) +
                            " (" + std::to_string(total) + " octets with header and padding) but " +
                            std::to_string(avail()) + " remain");

    rec->index = index_++;
    rec->offset = start;
    rec->type = type;
    rec->len = len;
    rec->body = Bytes(reinterpret_cast<const char *>(at() + kRecordHeaderSize), len);
    pos_ += total;
    if (type == static_cast<uint32_t>(RecordType::End))
        seen_end_ = true;
    return Status::kRecord;
}

} // namespace xsm
