/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Record framing: reads the header, then one record at a time, from any
 * ByteSource, in bounded memory.  It knows lengths and offsets, not what
 * a record body means (RecordDecoder does).
 *
 * Memory input is read in place.  A file descriptor is read through one
 * buffer that grows only as far as the largest record actually received,
 * so a hostile `len` costs no memory it does not deliver.  In embedded
 * mode (a stream inside libxl's migration stream) it never reads past the
 * END record.
 */
#ifndef XSM_STREAM_STREAM_READER_H
#define XSM_STREAM_STREAM_READER_H

#include <cstdint>
#include <vector>

#include "stream/byte_io.h"
#include "stream/record_decoder.h"
#include "stream/stream_place.h"

namespace xsm {

struct ReaderOptions {
    Layout layout = Layout::Xen;
    /* Stop exactly after END: the fd goes on with someone else's data. */
    bool embedded = false;
    /* Largest record body accepted. */
    uint32_t max_record_len = 64u << 20;
};

struct RawRecord {
    int64_t index = 0;
    uint64_t offset = 0;  /* of the record header */
    uint32_t type = 0;
    uint32_t len = 0;
    Bytes body;           /* len octets; valid until the next Read() */
};

class StreamReader {
public:
    StreamReader(ByteSource &src, const ReaderOptions &opts);

    Status ReadHeader();
    const StreamContext &context() const { return ctx_; }

    /*
     * True: *rec holds the next record (END included).  False: there is
     * none; *st is ok when the END record was returned before and nothing
     * follows it, else says what is wrong and where (kBadStream, or kIo
     * when the input could not be read).
     */
    bool Read(RawRecord *rec, Status *st);

    /* Octets consumed so far. */
    uint64_t offset() const { return base_ + pos_; }

private:
    /* Makes n octets available at pos_; false if the input ends first. */
    bool Fill(size_t n) { return avail() >= n || Refill(n); }
    bool Refill(size_t n);
    size_t avail() const { return end_ - pos_; }
    const uint8_t *at() const { return data_ + pos_; }
    Status Fail(uint64_t offset, std::string reason) const;

    ByteSource &src_;
    ReaderOptions opts_;
    StreamContext ctx_;

    bool whole_ = false;          /* data_ is the entire input */
    std::vector<uint8_t> buf_;
    const uint8_t *data_ = nullptr;
    size_t pos_ = 0, end_ = 0;    /* valid octets are data_[pos_, end_) */
    uint64_t base_ = 0;           /* stream offset of data_[0] */
    bool eof_ = false;
    bool read_error_ = false;
    int read_errno_ = 0;

    int64_t index_ = 0;
    uint32_t last_type_ = 0;
    bool last_type_known_ = false;  /* a cut header may not hold it */
    bool seen_end_ = false;
};

} // namespace xsm

#endif
