/* SPDX-License-Identifier: LGPL-2.1-only */
#include "stream/stream_parser.h"

namespace xsm {

bool StreamParser::Start(StreamError *err)
{
    if (!reader_.ReadHeader(err))
        return false;
    decoder_ = RecordDecoder(reader_.context());
    return true;
}

StreamParser::Status StreamParser::Fail(const RawRecord &raw, uint64_t offset,
                                        std::string reason, StreamError *err)
{
    err->offset = offset;
    err->record_index = raw.index;
    err->type = raw.type;
    err->reason = std::move(reason);
    return Status::kError;
}

StreamParser::Status StreamParser::Next(ParsedRecord *out, StreamError *err)
{
    Status s = reader_.Read(&out->raw, err);
    if (s != Status::kRecord)
        return s;

    const RawRecord &raw = out->raw;
    const uint64_t body_at = raw.offset + kRecordHeaderSize;
    DecodeIssue error, warning;
    if (!decoder_.Decode(raw.type, raw.body, &out->record, &error, &warning))
        return Fail(raw, body_at + error.at, std::move(error.reason), err);

    if (on_warning_) {
        if (!warning.reason.empty())
            on_warning_(StreamError{body_at + warning.at, raw.index, raw.type,
                                    std::move(warning.reason)});
        if (std::holds_alternative<UnknownRecord>(out->record))
            on_warning_(StreamError{raw.offset, raw.index, raw.type,
                                    "record type from the reserved range, kept unread"});
    }

    std::string reason;
    if (!validator_.Check(out->record, &reason))
        return Fail(raw, raw.offset, std::move(reason), err);
    return Status::kRecord;
}

} // namespace xsm
