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
    xsm::StreamError error;
    std::vector<xsm::StreamError> warnings;
};

/* `in` must outlive the result: records are views into it. */
inline Parsed ParseAll(const std::string &in, xsm::Layout layout = xsm::Layout::Xen)
{
    Parsed p;
    xsm::MemorySource src(in);
    xsm::ReaderOptions ro;
    ro.layout = layout;
    xsm::StreamParser parser(src, ro);
    parser.OnWarning([&](const xsm::StreamError &w) { p.warnings.push_back(w); });
    if (!parser.Start(&p.error))
        return p;
    p.ctx = parser.context();
    xsm::ParsedRecord rec;
    for (;;) {
        switch (parser.Next(&rec, &p.error)) {
        case xsm::StreamParser::Status::kRecord:
            p.records.push_back(rec);
            break;
        case xsm::StreamParser::Status::kDone:
            p.ok = true;
            return p;
        case xsm::StreamParser::Status::kError:
            return p;
        }
    }
}

/* Re-encodes a stream with the given options; "" if it failed. */
inline std::string Convert(const std::string &in, const xsm::ConvertOptions &co,
                           xsm::ConvertStatus *status = nullptr, std::string *why = nullptr)
{
    xsm::MemorySource src(in);
    xsm::StringSink sink;
    xsm::StreamError err;
    std::string w;
    xsm::ConvertStatus s = xsm::ConvertStream(src, sink, co, &err, &w);
    if (status)
        *status = s;
    if (why)
        *why = s == xsm::ConvertStatus::kBadInput ? err.ToString() : w;
    return s == xsm::ConvertStatus::kOk ? sink.str() : std::string();
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
