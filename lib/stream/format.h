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
#include <string>
#include <string_view>

#include "xen/domid.h"

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

/* The numbers are the format's, not ours to choose: the v4 design's table
 * (END 0x00000000 ... NODE_DATA 0x00000005, docs/designs/
 * xenstore-migration.md), and its version-2 extensions after it. */
static_assert(static_cast<uint32_t>(RecordType::End) == 0x00000000);
static_assert(static_cast<uint32_t>(RecordType::GlobalData) == 0x00000001);
static_assert(static_cast<uint32_t>(RecordType::ConnectionData) == 0x00000002);
static_assert(static_cast<uint32_t>(RecordType::WatchData) == 0x00000003);
static_assert(static_cast<uint32_t>(RecordType::TransactionData) == 0x00000004);
static_assert(static_cast<uint32_t>(RecordType::NodeData) == 0x00000005);
static_assert(static_cast<uint32_t>(RecordType::GlobalQuotaData) == 0x00000006);
static_assert(static_cast<uint32_t>(RecordType::DomainData) == 0x00000007);
static_assert(static_cast<uint32_t>(RecordType::WatchDataExtended) == 0x00000008);
static_assert(kLastKnownType == static_cast<uint32_t>(RecordType::WatchDataExtended));

/* A type this codec reads; others are the reserved range. */
constexpr bool IsKnownRecordType(uint32_t type) { return type <= kLastKnownType; }

/* The spec's name ("NODE_DATA"); "UNKNOWN" for a type of the reserved
 * range (!IsKnownRecordType(), which callers test instead of the name). */
std::string_view RecordTypeName(uint32_t type);

/* What an error names a record's type by: its name, and for a type of the
 * reserved range its code too ("UNKNOWN 0x00000099"), which is all that
 * tells one unknown record from another. */
std::string RecordTypeLabel(uint32_t type);

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

} // namespace xsm

#endif
