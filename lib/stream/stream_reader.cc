/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/stream_reader.h, which says what it is. */
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

Status StreamReader::Fail(uint64_t offset, std::string reason) const
{
    const StreamPlace place{offset, index_, last_type_, last_type_known_};
    if (!read_error_)
        return place.Corrupt(reason);
    reason += std::string(" (read error: ") + std::strerror(read_errno_) + ")";
    return std::move(Status::Io(EIO, place.Describe(reason)).From(StatusOrigin::kStream));
}

Status StreamReader::ReadHeader()
{
    StreamPlace header;
    if (!Fill(kHeaderSize)) {
        std::string reason = "stream has " + std::to_string(avail()) +
                             " octets, too short for the 16-octet header";
        if (!read_error_)
            return header.Corrupt(reason);
        reason += std::string(" (read error: ") + std::strerror(read_errno_) + ")";
        return std::move(Status::Io(EIO, header.Describe(reason)).From(StatusOrigin::kStream));
    }
    if (std::memcmp(at(), kIdent.data(), kIdent.size()) != 0)
        return header.Corrupt("bad ident (expected \"xenstore\")");
    uint32_t version = Load<uint32_t>(at() + 8, Endian::Big);
    uint32_t flags = Load<uint32_t>(at() + 12, Endian::Big);
    if (version < kMinVersion || version > kMaxVersion) {
        header.offset = 8;
        return header.Corrupt("unknown version " + std::to_string(version));
    }
    if (flags & ~kFlagBigEndian) {
        char hex[16];
        std::snprintf(hex, sizeof(hex), "0x%08x", flags);
        header.offset = 12;
        return header.Corrupt(std::string("reserved bits set in flags (") + hex + ")");
    }
    ctx_.version = version;
    ctx_.endian = (flags & kFlagBigEndian) ? Endian::Big : Endian::Little;
    pos_ += kHeaderSize;
    return Status::Ok();
}

bool StreamReader::Read(RawRecord *rec, Status *st)
{
    if (seen_end_) {
        if (!opts_.embedded && Fill(1))
            *st = Fail(offset(), "data after the END record");
        else if (read_error_)
            *st = Fail(offset(), "cannot check what follows the END record");
        else
            *st = Status::Ok();
        return false;
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
            *st = Fail(start, "stream ends without an END record");
        else
            *st = Fail(start, "stream ends inside a record header");
        return false;
    }
    uint32_t type = Load<uint32_t>(at(), ctx_.endian);
    uint32_t len = Load<uint32_t>(at() + 4, ctx_.endian);
    last_type_ = type;
    last_type_known_ = true;
    if (len > opts_.max_record_len) {
        *st = Fail(start + 4, "len " + std::to_string(len) + " exceeds the limit of " +
                                      std::to_string(opts_.max_record_len));
        return false;
    }
    size_t total = kRecordHeaderSize + AlignUp(len);
    if (!Fill(total)) {
        *st = Fail(start + 4,
                   "record runs past the end of the stream: len " + std::to_string(len) +
                           " (" + std::to_string(total) + " octets with header and padding) but " +
                           std::to_string(avail()) + " remain");
        return false;
    }

    rec->index = index_++;
    rec->offset = start;
    rec->type = type;
    rec->len = len;
    rec->body = Bytes(reinterpret_cast<const char *>(at() + kRecordHeaderSize), len);
    pos_ += total;
    if (type == static_cast<uint32_t>(RecordType::End))
        seen_end_ = true;
    *st = Status::Ok();
    return true;
}

} // namespace xsm
