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
     * Appends the record to *out.  Returns false, leaving *out as it was,
     * if the record cannot be written in this version and layout without
     * losing information, or a field does not fit its width.
     */
    bool Encode(const Record &r, std::string *out, std::string *error) const;

private:
    EncodeOptions opts_;
};

} // namespace xsm

#endif
