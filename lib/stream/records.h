/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Decoded records of a xenstore migration stream.
 *
 * Records are value types holding views (std::string_view over raw bytes),
 * so decoding allocates nothing per field.  A decoded record is only valid
 * while the buffer it was decoded from is: StreamReader keeps it alive
 * until the next record is read.
 */
#ifndef XSM_STREAM_RECORDS_H
#define XSM_STREAM_RECORDS_H

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

#include "stream/byte_order.h"
#include "stream/format.h"

namespace xsm {

/* Raw octets; may contain NULs.  Strings are stored without their NUL. */
using Bytes = std::string_view;

struct Perm {
    char perm;      /* 'w', 'r', 'b' or 'n' */
    uint8_t flags;  /* 0x01: stale, ignored for checks (xenstored) */
    uint16_t domid;
};

/* A view over N packed 4-octet permission specifiers. */
class PermList {
public:
    static constexpr size_t kSize = 4;

    PermList() = default;
    PermList(const uint8_t *raw, uint16_t count, Endian endian)
        : raw_(raw), count_(count), endian_(endian) {}

    uint16_t size() const { return count_; }
    Perm operator[](size_t i) const
    {
        const uint8_t *p = raw_ + i * kSize;
        return Perm{static_cast<char>(p[0]), p[1], Load<uint16_t>(p + 2, endian_)};
    }

private:
    const uint8_t *raw_ = nullptr;
    uint16_t count_ = 0;
    Endian endian_ = Endian::Little;
};

/*
 * A view over N 32-bit quota values followed by N NUL-terminated names
 * (GLOBAL_QUOTA_DATA, DOMAIN_DATA).  The decoder has checked that exactly
 * N names are present.
 */
class QuotaList {
public:
    QuotaList() = default;
    QuotaList(const uint8_t *values, uint16_t count, Endian endian, Bytes names)
        : values_(values), count_(count), endian_(endian), names_(names) {}

    uint16_t size() const { return count_; }
    uint32_t value(size_t i) const
    {
        return Load<uint32_t>(values_ + 4 * i, endian_);
    }
    /* Names in order, NUL-terminated each: "a\0b\0". */
    Bytes names() const { return names_; }

    /* Calls fn(name, value) for each quota, in stream order. */
    template <typename Fn>
    void ForEach(Fn &&fn) const
    {
        size_t pos = 0;
        for (size_t i = 0; i < count_; i++) {
            size_t end = names_.find('\0', pos);
            fn(names_.substr(pos, end - pos), value(i));
            pos = end + 1;
        }
    }

private:
    const uint8_t *values_ = nullptr;
    uint16_t count_ = 0;
    Endian endian_ = Endian::Little;
    Bytes names_;
};

struct EndRecord {};

struct GlobalRecord {
    int32_t rw_socket_fd = -1;
    /* Xen layout: evtchn-fd; Draft layout: ro-socket-fd. */
    int32_t second_fd = -1;
};

/*
 * Both CONNECTION_DATA layouts decode into this one shape; fields that a
 * layout lacks keep their defaults (see docs/format-findings.md).
 */
struct ConnectionRecord {
    uint32_t conn_id = 0;
    uint16_t conn_type = 0;         /* ConnType; other values are rejected */
    uint16_t fields = 0;            /* Xen: bit 0 = unique-id present */
    uint16_t flags = 0;             /* Draft: ring: 0; socket: 1 = read-only */
    uint16_t domid = 0;             /* ring */
    uint16_t tdomid = kDomidInvalid;/* ring */
    uint32_t evtchn = 0;            /* ring */
    int32_t socket_fd = -1;         /* socket */
    uint64_t mfn = ~0ULL;           /* Draft ring */
    uint16_t out_resp_len = 0;      /* Xen: partial response size */
    Bytes in_data;                  /* Xen: unprocessed input */
    Bytes out_data;                 /* pending output (Draft: "data") */
    uint64_t unique_id = 0;         /* Xen, valid if fields & kConnFieldUniqueId */

    bool is_ring() const { return conn_type == static_cast<uint16_t>(ConnType::Ring); }
    bool has_unique_id() const { return fields & kConnFieldUniqueId; }
};

struct WatchRecord {
    uint32_t conn_id = 0;
    Bytes wpath;
    Bytes token;
    bool extended = false;          /* WATCH_DATA_EXTENDED */
    uint16_t depth = kDepthUnlimited;
};

struct TransactionRecord {
    uint32_t conn_id = 0;
    uint32_t tx_id = 0;
};

struct NodeRecord {
    uint32_t conn_id = 0;           /* non-zero: pending in a transaction */
    uint32_t tx_id = 0;
    uint16_t access = 0;
    PermList perms;                 /* first: owner */
    Bytes path;
    Bytes value;

    bool pending() const { return conn_id != 0; }
};

struct GlobalQuotaRecord {
    uint16_t n_dom_quota = 0;
    uint16_t n_glob_quota = 0;
    QuotaList quotas;               /* n_dom_quota + n_glob_quota entries */
};

struct DomainRecord {
    uint16_t domid = 0;
    uint32_t features = 0;          /* version 2 and later */
    QuotaList quotas;
};

/* A record type from the reserved range: kept verbatim. */
struct UnknownRecord {
    uint32_t type = 0;
    Bytes body;
};

using Record = std::variant<EndRecord, GlobalRecord, ConnectionRecord,
                            WatchRecord, TransactionRecord, NodeRecord,
                            GlobalQuotaRecord, DomainRecord, UnknownRecord>;

/*
 * Up to DOMAIN_DATA, an alternative's index is its record's type code
 * (TypeOf relies on it): reordering the alternatives fails here rather
 * than writing records under another type.  WATCH_DATA_EXTENDED shares
 * WatchRecord, and UnknownRecord carries its own code.
 */
template <RecordType T>
using RecordOfType = std::variant_alternative_t<static_cast<size_t>(T), Record>;
static_assert(std::is_same_v<RecordOfType<RecordType::End>, EndRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::GlobalData>, GlobalRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::ConnectionData>, ConnectionRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::WatchData>, WatchRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::TransactionData>, TransactionRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::NodeData>, NodeRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::GlobalQuotaData>, GlobalQuotaRecord>);
static_assert(std::is_same_v<RecordOfType<RecordType::DomainData>, DomainRecord>);

/* The type code a record is written with. */
uint32_t TypeOf(const Record &r);

} // namespace xsm

#endif
