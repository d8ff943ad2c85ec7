/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What went wrong in a stream, and where: the byte offset, the record's
 * index and type, and the reason.  Warnings (non-zero padding, reserved
 * record types) use the same shape.
 */
#ifndef XSM_STREAM_STREAM_ERROR_H
#define XSM_STREAM_STREAM_ERROR_H

#include <cstdint>
#include <string>

namespace xsm {

struct StreamError {
    static constexpr int64_t kHeader = -1;

    uint64_t offset = 0;
    int64_t record_index = kHeader;  /* 0-based; kHeader for the header */
    uint32_t type = 0;
    std::string reason;
    bool io_error = false;           /* the input could not be read */
    bool type_known = true;          /* false: the stream ends before it */

    /* "offset N: record #K (TYPE): reason" or "offset N: header: reason";
     * "offset N: record #K: reason" when the type was never read. */
    std::string ToString() const;
};

} // namespace xsm

#endif
