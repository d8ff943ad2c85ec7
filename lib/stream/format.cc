/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/format.h, which says what it is. */
#include "stream/format.h"

#include <cstdio>

namespace xsm {

std::string_view RecordTypeName(uint32_t type)
{
    switch (static_cast<RecordType>(type)) {
    case RecordType::End: return "END";
    case RecordType::GlobalData: return "GLOBAL_DATA";
    case RecordType::ConnectionData: return "CONNECTION_DATA";
    case RecordType::WatchData: return "WATCH_DATA";
    case RecordType::TransactionData: return "TRANSACTION_DATA";
    case RecordType::NodeData: return "NODE_DATA";
    case RecordType::GlobalQuotaData: return "GLOBAL_QUOTA_DATA";
    case RecordType::DomainData: return "DOMAIN_DATA";
    case RecordType::WatchDataExtended: return "WATCH_DATA_EXTENDED";
    }
    return "UNKNOWN";
}

std::string RecordTypeLabel(uint32_t type)
{
    std::string label(RecordTypeName(type));
    if (!IsKnownRecordType(type)) {
        char code[16];
        std::snprintf(code, sizeof(code), " 0x%08x", type);
        label += code;
    }
    return label;
}

} // namespace xsm
