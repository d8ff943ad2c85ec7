/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Whole-stream operations shared by the CLI and the C API: verify a
 * stream, and convert one between byte orders, versions and layouts.
 */
#ifndef XSM_STREAM_STREAM_OPS_H
#define XSM_STREAM_STREAM_OPS_H

#include <optional>

#include "stream/stream_parser.h"
#include "stream/stream_writer.h"

namespace xsm {

struct StreamSummary {
    StreamContext ctx;
    uint64_t records = 0;   /* END included */
    uint64_t warnings = 0;
    uint64_t octets = 0;
};

/* Reads and checks every record.  False with *err at the first problem. */
bool VerifyStream(ByteSource &src, const ReaderOptions &opts, StreamSummary *summary,
                  StreamError *err, const StreamParser::WarningFn &on_warning = {});

struct ConvertOptions {
    ReaderOptions in;
    /* Unset: keep the input's. */
    std::optional<Endian> endian;
    std::optional<uint32_t> version;
    Layout layout_out = Layout::Xen;
    bool len_includes_padding = true;
};

enum class ConvertStatus { kOk, kBadInput, kCannotConvert, kWriteError };

/*
 * Re-encodes src into sink record by record.  A record of unknown type
 * is kept verbatim, which a change of byte order cannot do: that is
 * kCannotConvert, not a silent copy.  On kBadInput *err says
 * where the input is wrong; otherwise *why says what could not be
 * written.  The sink may hold a partial stream after a failure: callers
 * writing a file write to a temporary and rename on success.
 */
ConvertStatus ConvertStream(ByteSource &src, ByteSink &sink, const ConvertOptions &opts,
                            StreamError *err, std::string *why);

} // namespace xsm

#endif
