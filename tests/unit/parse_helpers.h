/* SPDX-License-Identifier: LGPL-2.1-only */
/* Small helpers shared by the unit tests: parse a whole in-memory stream. */
#ifndef XSM_TESTS_PARSE_HELPERS_H
#define XSM_TESTS_PARSE_HELPERS_H

#include <string>
#include <vector>

#include "stream/stream_ops.h"

namespace xsm_test {

struct Parsed {
    bool ok = false;
    xsm::StreamContext ctx;
    std::vector<xsm::ParsedRecord> records;   /* views into the input */
    xsm::Status error;
    std::vector<std::string> warnings;
};

/* `in` must outlive the result: records are views into it. */
inline Parsed ParseAll(const std::string &in, xsm::Layout layout = xsm::Layout::Xen)
{
    Parsed p;
    xsm::MemorySource src(in);
    xsm::ReaderOptions ro;
    ro.layout = layout;
    xsm::StreamParser parser(src, ro);
    parser.OnWarning([&](const std::string &w) { p.warnings.push_back(w); });
    p.error = parser.Start();
    if (!p.error.ok())
        return p;
    p.ctx = parser.context();
    xsm::ParsedRecord rec;
    while (parser.Next(&rec, &p.error))
        p.records.push_back(rec);
    p.ok = p.error.ok();
    return p;
}

/* Re-encodes a stream with the given options; "" if it failed. */
inline std::string Convert(const std::string &in, const xsm::ConvertOptions &co,
                           xsm::Status *status = nullptr)
{
    xsm::MemorySource src(in);
    xsm::StringSink sink;
    xsm::Status s = xsm::ConvertStream(src, sink, co);
    const bool ok = s.ok();
    if (status)
        *status = std::move(s);
    return ok ? sink.str() : std::string();
}

inline xsm::ConvertOptions SameFormat(xsm::Layout layout = xsm::Layout::Xen)
{
    xsm::ConvertOptions co;
    co.in.layout = layout;
    co.layout_out = layout;
    return co;
}

} // namespace xsm_test

#endif
