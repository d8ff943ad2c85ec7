/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/stream_place.h, which says what it is. */
#include "stream/stream_place.h"

#include "stream/format.h"

namespace xsm {

std::string StreamPlace::Describe(std::string_view reason) const
{
    std::string s = "offset " + std::to_string(offset) + ": ";
    if (record_index == kHeader) {
        s += "header: ";
    } else if (!type_known) {
        s += "record #" + std::to_string(record_index) + ": ";
    } else {
        s += "record #" + std::to_string(record_index) + " (" + RecordTypeLabel(type) + "): ";
    }
    return s + std::string(reason);
}

} // namespace xsm
