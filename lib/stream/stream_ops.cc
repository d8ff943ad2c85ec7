/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/stream_ops.h, which says what it is. */
#include "stream/stream_ops.h"

#include <cerrno>

namespace xsm {

Status VerifyStream(ByteSource &src, const ReaderOptions &opts, StreamSummary *summary,
                    const StreamParser::WarningFn &on_warning)
{
    StreamParser parser(src, opts);
    parser.OnWarning([&](const std::string &w) {
        summary->warnings++;
        if (on_warning)
            on_warning(w);
    });
    Status st = parser.Start();
    if (!st.ok())
        return st;
    summary->ctx = parser.context();

    ParsedRecord rec;
    while (parser.Next(&rec, &st)) {
        summary->records++;
        summary->octets = rec.raw.offset + kRecordHeaderSize + AlignUp(rec.raw.len);
    }
    return st;
}

namespace {

/* What the writer said: the sink's failure (kIo), or a record the output
 * cannot express. */
Status WriteFailure(const StreamWriter &writer, const ConvertOptions &opts, int err,
                    const std::string &why, const StreamPlace *record)
{
    if (writer.sink_failed())
        return std::move(Status::Io(err, opts.sink_name + ": cannot write: " + why)
                                 .From(StatusOrigin::kStream));
    return std::move(Status::CannotConvert(record ? record->Describe(why) : why)
                             .From(StatusOrigin::kStream));
}

} // namespace

Status ConvertStream(ByteSource &src, ByteSink &sink, const ConvertOptions &opts)
{
    StreamParser parser(src, opts.in);
    Status st = parser.Start();
    if (!st.ok())
        return st;

    EncodeOptions eo;
    eo.ctx.version = opts.version.value_or(parser.context().version);
    eo.ctx.endian = opts.endian.value_or(parser.context().endian);
    eo.ctx.layout = opts.layout_out;
    eo.len_includes_padding = opts.len_includes_padding;
    StreamWriter writer(sink, eo);
    std::string why;
    errno = 0;
    if (!writer.WriteHeader(&why))
        return WriteFailure(writer, opts, errno, why, nullptr);

    ParsedRecord rec;
    while (parser.Next(&rec, &st)) {
        const StreamPlace record{rec.raw.offset, rec.raw.index, rec.raw.type};
        /* An unknown body's fields are unknown: no byte order to swap. */
        if (std::holds_alternative<UnknownRecord>(rec.record) &&
            eo.ctx.endian != parser.context().endian)
            return std::move(Status::CannotConvert(
                                     record.Describe("a record of unknown type cannot be "
                                                     "converted to the other byte order"))
                                     .From(StatusOrigin::kStream));
        errno = 0;
        if (!writer.Write(rec.record, &why))
            return WriteFailure(writer, opts, errno, why, &record);
    }
    return st;
}

} // namespace xsm
