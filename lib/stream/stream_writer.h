/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Writes a stream: the header, then records as they come, then END.
 * Output is batched into one buffer and flushed to the sink as it fills,
 * so memory stays bounded whatever the stream's size.  Each record is
 * sized first, then written in place in the buffer.
 */
#ifndef XSM_STREAM_STREAM_WRITER_H
#define XSM_STREAM_STREAM_WRITER_H

#include <memory>
#include <string>

#include "stream/byte_io.h"
#include "stream/record_encoder.h"

namespace xsm {

class StreamWriter {
public:
    StreamWriter(ByteSink &sink, const EncodeOptions &opts);

    bool WriteHeader(std::string *error);
    /* Writing an EndRecord finishes the stream and flushes. */
    bool Write(const Record &r, std::string *error);
    bool Flush(std::string *error);
    /* The last failure was the sink's, not the record's. */
    bool sink_failed() const { return sink_failed_; }

private:
    ByteSink &sink_;
    EncodeOptions opts_;
    RecordEncoder encoder_;
    /* buf_[0, len_) is waiting for the sink. */
    std::unique_ptr<uint8_t[]> buf_;
    size_t cap_ = 0, len_ = 0;
    bool sink_failed_ = false;

    /* Room for n more octets in buf_. */
    bool Reserve(size_t n, std::string *error);
};

} // namespace xsm

#endif
