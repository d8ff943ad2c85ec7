/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Turns one record body into a Record, checking everything that can be
 * checked inside that record alone: field lengths against `len`, strings
 * and their NULs, permission letters, reserved values.  Rules that span
 * records (conn-ids, transactions, END last) live in StreamValidator.
 */
#ifndef XSM_STREAM_RECORD_DECODER_H
#define XSM_STREAM_RECORD_DECODER_H

#include <cstddef>
#include <cstdint>
#include <string>

#include "stream/format.h"
#include "stream/records.h"

namespace xsm {

/* What a stream's header (and the caller's --layout) says about its body. */
struct StreamContext {
    uint32_t version = 1;
    Endian endian = Endian::Little;
    Layout layout = Layout::Xen;
};

/* A problem at an offset relative to the start of the record body. */
struct DecodeIssue {
    size_t at = 0;
    std::string reason;
};

class RecordDecoder {
public:
    explicit RecordDecoder(const StreamContext &ctx) : ctx_(ctx) {}

    /*
     * Returns false with *error set if the body is not a valid record of
     * this type.  A non-fatal finding (non-zero padding) sets *warning
     * and still returns true.
     */
    bool Decode(uint32_t type, Bytes body, Record *out, DecodeIssue *error,
                DecodeIssue *warning) const;

private:
    StreamContext ctx_;
};

} // namespace xsm

#endif
