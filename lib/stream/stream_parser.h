/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Reading a stream for what it means: framing (StreamReader), record
 * decoding (RecordDecoder) and cross-record checks (StreamValidator) in
 * one pass.  Each record is handed out once, fully checked; the first
 * error stops the stream.
 */
#ifndef XSM_STREAM_STREAM_PARSER_H
#define XSM_STREAM_STREAM_PARSER_H

#include <functional>

#include "stream/record_decoder.h"
#include "stream/stream_reader.h"
#include "stream/stream_validator.h"

namespace xsm {

struct ParsedRecord {
    RawRecord raw;
    Record record;
};

class StreamParser {
public:
    using Status = StreamReader::Status;
    using WarningFn = std::function<void(const StreamError &)>;

    StreamParser(ByteSource &src, const ReaderOptions &opts) : reader_(src, opts) {}

    /* Non-fatal findings: non-zero padding, record types from the reserved range. */
    void OnWarning(WarningFn fn) { on_warning_ = std::move(fn); }

    bool Start(StreamError *err);
    const StreamContext &context() const { return reader_.context(); }

    Status Next(ParsedRecord *out, StreamError *err);

private:
    Status Fail(const RawRecord &raw, uint64_t offset, std::string reason, StreamError *err);

    StreamReader reader_;
    RecordDecoder decoder_{StreamContext{}};
    StreamValidator validator_;
    WarningFn on_warning_;
    /* Reused for every record: their strings are set only when needed. */
    DecodeIssue error_, warning_;
};

} // namespace xsm

#endif
