/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Where in a stream something was found: the byte offset, the record's
 * index and type.  Failures leave the stream room as a Status whose
 * message starts with this place; warnings (non-zero padding, reserved
 * record types) are the same words without a Status.
 */
#ifndef XSM_STREAM_STREAM_PLACE_H
#define XSM_STREAM_STREAM_PLACE_H

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace xsm {

struct StreamPlace {
    static constexpr int64_t kHeader = -1;

    uint64_t offset = 0;
    int64_t record_index = kHeader;  /* 0-based; kHeader for the header */
    uint32_t type = 0;
    bool type_known = true;          /* false: the stream ends before it */

    /* "offset N: record #K (TYPE): reason" or "offset N: header: reason";
     * "offset N: record #K: reason" when the type was never read. */
    std::string Describe(std::string_view reason) const;
    /* The stream is malformed here. */
    Status Corrupt(std::string_view reason) const
    {
        return std::move(Status::BadStream(Describe(reason)).From(StatusOrigin::kStream));
    }
};

} // namespace xsm

#endif
