/* SPDX-License-Identifier: LGPL-2.1-only */
#include "stream/stream_ops.h"

namespace xsm {

bool VerifyStream(ByteSource &src, const ReaderOptions &opts, StreamSummary *summary,
                  StreamError *err, const StreamParser::WarningFn &on_warning)
{
    StreamParser parser(src, opts);
    parser.OnWarning([&](const StreamError &w) {
        summary->warnings++;
        if (on_warning)
            on_warning(w);
    });
    if (!parser.Start(err))
        return false;
    summary->ctx = parser.context();

    ParsedRecord rec;
    for (;;) {
        switch (parser.Next(&rec, err)) {
        case StreamParser::Status::kRecord:
            summary->records++;
            summary->octets = rec.raw.offset + kRecordHeaderSize + AlignUp(rec.raw.len);
            break;
        case StreamParser::Status::kDone:
            return true;
        case StreamParser::Status::kError:
            return false;
        }
    }
}

ConvertStatus ConvertStream(ByteSource &src, ByteSink &sink, const ConvertOptions &opts,
                            StreamError *err, std::string *why)
{
    StreamParser parser(src, opts.in);
    if (!parser.Start(err))
        return ConvertStatus::kBadInput;

    EncodeOptions eo;
    eo.ctx.version = opts.version.value_or(parser.context().version);
    eo.ctx.endian = opts.endian.value_or(parser.context().endian);
    eo.ctx.layout = opts.layout_out;
    eo.len_includes_padding = opts.len_includes_padding;
    StreamWriter writer(sink, eo);
    if (!writer.WriteHeader(why))
        return writer.sink_failed() ? ConvertStatus::kWriteError : ConvertStatus::kCannotConvert;

    ParsedRecord rec;
    for (;;) {
        switch (parser.Next(&rec, err)) {
        case StreamParser::Status::kRecord:
            /* An unknown body's fields are unknown: no byte order to swap. */
            if (std::holds_alternative<UnknownRecord>(rec.record) &&
                eo.ctx.endian != parser.context().endian) {
                *why = StreamError{rec.raw.offset, rec.raw.index, rec.raw.type,
                                   "a record of unknown type cannot be converted to the "
                                   "other byte order"}
                               .ToString();
                return ConvertStatus::kCannotConvert;
            }
            if (!writer.Write(rec.record, why)) {
                if (writer.sink_failed())
                    return ConvertStatus::kWriteError;
                *why = StreamError{rec.raw.offset, rec.raw.index, rec.raw.type, *why}.ToString();
                return ConvertStatus::kCannotConvert;
            }
            break;
        case StreamParser::Status::kDone:
            return ConvertStatus::kOk;
        case StreamParser::Status::kError:
            return ConvertStatus::kBadInput;
        }
    }
}

} // namespace xsm
