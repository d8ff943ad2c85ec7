/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Whole-stream operations shared by the CLI and the C API: verify a
 * stream, and convert one between byte orders, versions and layouts.
 */
#ifndef XSM_STREAM_STREAM_OPS_H
#define XSM_STREAM_STREAM_OPS_H

#include <optional>
#include <string>

#include "stream/stream_parser.h"
#include "stream/stream_writer.h"

namespace xsm {

struct StreamSummary {
    StreamContext ctx;
    uint64_t records = 0;   /* END included */
    uint64_t warnings = 0;
    uint64_t octets = 0;
};

/* Reads and checks every record; the first problem (kBadStream, kIo). */
Status VerifyStream(ByteSource &src, const ReaderOptions &opts, StreamSummary *summary,
                    const StreamParser::WarningFn &on_warning = {});

struct ConvertOptions {
    ReaderOptions in;
    /* Unset: keep the input's. */
    std::optional<Endian> endian;
    std::optional<uint32_t> version;
    Layout layout_out = Layout::Xen;
    bool len_includes_padding = true;
    /* What a write failure names: "NAME: cannot write: why". */
    std::string sink_name = "output";
};

/*
 * Re-encodes src into sink record by record.  A record of unknown type
 * is kept verbatim, which a change of byte order cannot do: that is
 * kCannotConvert, not a silent copy.  The input's problems are
 * kBadStream or kIo (as VerifyStream's); the sink's, kIo naming
 * opts.sink_name.  The sink may hold a partial stream after a failure:
 * callers writing a file write to a temporary and rename on success.
 */
Status ConvertStream(ByteSource &src, ByteSink &sink, const ConvertOptions &opts);

} // namespace xsm

#endif
