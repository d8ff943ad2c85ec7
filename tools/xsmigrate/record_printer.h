/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Human- and machine-readable renderings of a stream: every field of
 * every record, as `xsmigrate dump` prints them.
 */
#ifndef XSM_TOOLS_RECORD_PRINTER_H
#define XSM_TOOLS_RECORD_PRINTER_H

#include <cstdio>
#include <memory>

#include "stream/stream_parser.h"

namespace xsm {

class RecordPrinter {
public:
    virtual ~RecordPrinter() = default;
    virtual void Begin(const StreamContext &ctx) = 0;
    virtual void Print(const ParsedRecord &rec) = 0;
    /* Closes the document; also after an error, so JSON stays well-formed. */
    virtual void End() = 0;
};

/* {"version":N,"endianness":"little","records":[{"type":"NODE_DATA",...}]} */
std::unique_ptr<RecordPrinter> MakeJsonPrinter(FILE *out);
/* One line per record: "#K @OFFSET TYPE field=value ...". */
std::unique_ptr<RecordPrinter> MakeTextPrinter(FILE *out);

/* True if s is well-formed UTF-8 (no overlongs, no surrogates). */
bool IsUtf8(Bytes s);

} // namespace xsm

#endif
