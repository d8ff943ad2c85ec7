/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Turns a Record into its octets: record header, body, zero padding.
 * Writes `len` the way xenstored does (padding included) unless asked to
 * follow the spec text (padding excluded); readers accept both.
 */
#ifndef XSM_STREAM_RECORD_ENCODER_H
#define XSM_STREAM_RECORD_ENCODER_H

#include <string>

#include "stream/record_decoder.h"
#include "stream/records.h"

namespace xsm {

struct EncodeOptions {
    StreamContext ctx;
    bool len_includes_padding = true;
};

class RecordEncoder {
public:
    explicit RecordEncoder(const EncodeOptions &opts) : opts_(opts) {}

    /*
     * The size of the record's body, checking that it can be written in
     * this version and layout without losing information and that every
     * field fits its width; false with *error if not.
     */
    bool Measure(const Record &r, size_t *body, std::string *error) const;
    /* Octets of a record with that body: header, body, padding. */
    static size_t Size(size_t body) { return kRecordHeaderSize + AlignUp(body); }
    /* Writes a measured record, Size(body) octets, at dst. */
    void Put(const Record &r, size_t body, uint8_t *dst) const;

    /* Appends the record to *out (Measure, then Put); *out unchanged on failure. */
    bool Encode(const Record &r, std::string *out, std::string *error) const;

private:
    EncodeOptions opts_;
};

} // namespace xsm

#endif
