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
    if (!decoder_.Decode(raw.type, raw.body, &out->record, &error_, &warning_))
        return Fail(raw, body_at + error_.at, std::move(error_.reason), err);

    if (!warning_.reason.empty()) {
        if (on_warning_)
            on_warning_(StreamError{body_at + warning_.at, raw.index, raw.type,
                                    std::move(warning_.reason)});
        warning_.reason.clear();
    }
    if (on_warning_ && std::holds_alternative<UnknownRecord>(out->record))
        on_warning_(StreamError{raw.offset, raw.index, raw.type,
                                "record type from the reserved range, kept unread"});

    if (!validator_.Check(out->record, &error_.reason))
        return Fail(raw, raw.offset, std::move(error_.reason), err);
    return Status::kRecord;
}

} // namespace xsm
