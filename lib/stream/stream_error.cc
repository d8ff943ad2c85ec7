/* SPDX-License-Identifier: LGPL-2.1-only */
#include "stream/stream_error.h"

#include <cstdio>

#include "stream/format.h"

namespace xsm {

std::string StreamError::ToString() const
{
    std::string s = "offset " + std::to_string(offset) + ": ";
    if (record_index == kHeader) {
        s += "header: ";
    } else if (!type_known) {
        s += "record #" + std::to_string(record_index) + ": ";
    } else {
        std::string_view name = RecordTypeName(type);
        s += "record #" + std::to_string(record_index) + " (" + std::string(name);
        if (!IsKnownRecordType(type)) {
            char code[16];
            std::snprintf(code, sizeof(code), " 0x%08x", type);
            s += code;
        }
        s += "): ";
    }
    return s + reason;
}

} // namespace xsm
