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
    /* A warning's words: "offset N: record #K (TYPE): what". */
    using WarningFn = std::function<void(const std::string &)>;

    StreamParser(ByteSource &src, const ReaderOptions &opts) : reader_(src, opts) {}

    /* Non-fatal findings: non-zero padding, record types from the reserved range. */
    void OnWarning(WarningFn fn) { on_warning_ = std::move(fn); }

    Status Start();
    const StreamContext &context() const { return reader_.context(); }

    /* As StreamReader::Read(): true with the next record, false at the
     * end (*st ok) or at the first failure (*st). */
    bool Next(ParsedRecord *out, Status *st);

private:

    StreamReader reader_;
    RecordDecoder decoder_{StreamContext{}};
    StreamValidator validator_;
    WarningFn on_warning_;
    /* Reused for every record: their strings are set only when needed. */
    DecodeIssue error_, warning_;
};

} // namespace xsm

#endif
