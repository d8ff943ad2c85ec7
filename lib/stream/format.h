/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The xenstore migration stream: constants shared by reader and writer.
 *
 * Two sources define the format and they do not agree everywhere:
 *  - docs/designs/xenstore-migration.md (the v4 design and its later
 *    extensions for version 2), and
 *  - what xenstored (Xen 4.15 and later, tools/xenstore/include/
 *    xenstore_state.h) really writes for live update.
 * The differences we handle are listed in docs/format-findings.md.
 */
#ifndef XSM_STREAM_FORMAT_H
#define XSM_STREAM_FORMAT_H

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace xsm {

/* The 16-octet header: ident, version and flags, always big-endian. */
inline constexpr std::string_view kIdent{"xenstore", 8};
inline constexpr size_t kHeaderSize = 16;
inline constexpr uint32_t kFlagBigEndian = 0x1;
inline constexpr uint32_t kMinVersion = 1;
inline constexpr uint32_t kMaxVersion = 2;

/* Every record: type and len, then the body padded to 8 octets. */
inline constexpr size_t kRecordHeaderSize = 8;
inline constexpr size_t kAlign = 8;

constexpr size_t AlignUp(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

enum class RecordType : uint32_t {
    End = 0,
    GlobalData = 1,
    ConnectionData = 2,
    WatchData = 3,
    TransactionData = 4,
    NodeData = 5,
    GlobalQuotaData = 6,
    DomainData = 7,
    WatchDataExtended = 8,
};
inline constexpr uint32_t kLastKnownType = 8;

/* The spec's name ("NODE_DATA"), or "UNKNOWN" for a reserved type. */
std::string_view RecordTypeName(uint32_t type);

enum class Endian { Little, Big };

/*
 * CONNECTION_DATA (and GLOBAL_DATA's second field) come in two layouts:
 * Xen is what xenstored writes; Draft is the v4 design document's.
 */
enum class Layout { Xen, Draft };

enum class ConnType : uint16_t { Ring = 0, Socket = 1 };

/* Node permission letters, as for SET_PERMS. */
inline constexpr bool IsPermLetter(uint8_t c)
{
    return c == 'w' || c == 'r' || c == 'b' || c == 'n';
}

/* NODE_DATA access bits for pending (transaction) nodes. */
inline constexpr uint16_t kAccessRead = 0x1;
inline constexpr uint16_t kAccessWritten = 0x2;

/* CONNECTION_DATA "fields" bit (Xen layout): a 64-bit unique-id follows. */
inline constexpr uint16_t kConnFieldUniqueId = 0x1;

/* WATCH_DATA_EXTENDED depth meaning "no limit". */
inline constexpr uint16_t kDepthUnlimited = 0xffff;

/* DOMID_FIRST_RESERVED: domids from here up name no guest. */
inline constexpr uint16_t kDomidFirstReserved = 0x7ff0;
inline constexpr uint16_t kDomidInvalid = 0x7ff4;

} // namespace xsm

#endif
