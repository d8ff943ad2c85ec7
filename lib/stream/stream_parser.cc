/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/stream_parser.h, which says what it is. */
#include "stream/stream_parser.h"

namespace xsm {

Status StreamParser::Start()
{
    Status st = reader_.ReadHeader();
    if (st.ok())
        decoder_ = RecordDecoder(reader_.context());
    return st;
}

bool StreamParser::Next(ParsedRecord *out, Status *st)
{
    if (!reader_.Read(&out->raw, st))
        return false;

    const RawRecord &raw = out->raw;
    const uint64_t body_at = raw.offset + kRecordHeaderSize;
    const StreamPlace record{raw.offset, raw.index, raw.type};
    if (!decoder_.Decode(raw.type, raw.body, &out->record, &error_, &warning_)) {
        *st = StreamPlace{body_at + error_.at, raw.index, raw.type}.Corrupt(error_.reason);
        return false;
    }

    if (!warning_.reason.empty()) {
        if (on_warning_)
            on_warning_(StreamPlace{body_at + warning_.at, raw.index, raw.type}.Describe(
                    warning_.reason));
        warning_.reason.clear();
    }
    if (on_warning_ && std::holds_alternative<UnknownRecord>(out->record))
        on_warning_(record.Describe("record type from the reserved range, kept unread"));

    if (!validator_.Check(out->record, &error_.reason)) {
        *st = record.Corrupt(error_.reason);
        return false;
    }
    return true;
}

} // namespace xsm
