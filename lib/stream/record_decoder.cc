/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/record_decoder.h, which says what it is. */
#include "stream/record_decoder.h"

#include <cstring>

namespace xsm {
namespace {

/*
 * Bounds-checked reads from one record body.  The first failed check
 * records its reason; later reads are no-ops, so decoders can read a
 * group of fields and test ok() once.
 */
class BodyCursor {
public:
    BodyCursor(Bytes body, Endian endian, DecodeIssue *error)
        : p_(reinterpret_cast<const uint8_t *>(body.data())),
          len_(body.size()), endian_(endian), error_(error) {}

    bool ok() const { return ok_; }
    size_t len() const { return len_; }
    const uint8_t *data() const { return p_; }

    /* Inlined on every field: the reports are built out of line. */
    bool Need(size_t at, size_t n, const char *what)
    {
        if (__builtin_expect(ok_ && at <= len_ && n <= len_ - at, 1))
            return true;
        if (ok_)
            FailShort(at, n, what);
        return false;
    }

    template <typename T>
    T Get(size_t at, const char *what)
    {
        return Need(at, sizeof(T), what) ? Load<T>(p_ + at, endian_) : T{};
    }

    Bytes Slice(size_t at, size_t n, const char *what)
    {
        if (!Need(at, n, what))
            return {};
        return Bytes(reinterpret_cast<const char *>(p_ + at), n);
    }

    /* A string whose length field includes its NUL; returns it without. */
    Bytes CString(size_t at, size_t n_with_nul, const char *what)
    {
        Bytes s = Slice(at, n_with_nul, what);
        if (!ok_)
            return {};
        if (__builtin_expect(n_with_nul != 0 && s.back() == '\0' &&
                                     !std::memchr(s.data(), 0, n_with_nul - 1),
                             1))
            return s.substr(0, n_with_nul - 1);
        FailCString(at, s, what);
        return {};
    }

    [[gnu::cold, gnu::noinline]] void Fail(size_t at, std::string reason)
    {
        if (!ok_)
            return;
        ok_ = false;
        error_->at = at;
        error_->reason = std::move(reason);
    }

    /*
     * The content ends at `end`; what remains of `len` is padding, which
     * is at most 7 octets (xenstored counts it in len, the spec does not)
     * and should be zero.
     */
    bool FinishAt(size_t end, DecodeIssue *warning)
    {
        if (!ok_)
            return false;
        if (__builtin_expect(end <= len_ && len_ - end < kAlign, 1)) {
            for (size_t i = end; i < len_; i++) {
                if (p_[i] != 0) {
                    NonZeroPadding(i, warning);
                    break;
                }
            }
            return true;
        }
        if (end > len_) {
            Fail(len_, "content needs " + std::to_string(end) + " octets but len is " +
                               std::to_string(len_));
            return false;
        }
        /* What is left: more than the 7 octets padding can take. */
        Fail(end, "len " + std::to_string(len_) + " leaves " + std::to_string(len_ - end) +
                          " octets after the content (at most 7 octets of padding)");
        return false;
    }

private:
    [[gnu::cold, gnu::noinline]] void FailShort(size_t at, size_t n, const char *what)
    {
        Fail(at, std::string(what) + " at body octet " + std::to_string(at) + " needs " +
                         std::to_string(n) + " octets but len is " + std::to_string(len_));
    }

    [[gnu::cold, gnu::noinline]] void FailCString(size_t at, Bytes s, const char *what)
    {
        if (s.empty()) {
            Fail(at, std::string(what) + " length is 0: it must include the NUL terminator");
            return;
        }
        if (s.back() != '\0') {
            Fail(at + s.size() - 1, std::string(what) + " is not NUL-terminated");
            return;
        }
        size_t nul = s.find('\0');
        Fail(at + nul, std::string(what) + " has a NUL inside it at octet " + std::to_string(nul));
    }

    [[gnu::cold, gnu::noinline]] static void NonZeroPadding(size_t at, DecodeIssue *warning)
    {
        warning->at = at;
        warning->reason = "non-zero padding octet";
    }

    const uint8_t *p_;
    size_t len_;
    Endian endian_;
    DecodeIssue *error_;
    bool ok_ = true;
};

bool DecodeGlobal(BodyCursor &c, Record *out, DecodeIssue *warning)
{
    GlobalRecord r;
    r.rw_socket_fd = static_cast<int32_t>(c.Get<uint32_t>(0, "rw-socket-fd"));
    r.second_fd = static_cast<int32_t>(c.Get<uint32_t>(4, "second fd"));
    if (!c.FinishAt(8, warning))
        return false;
    *out = r;
    return true;
}

/* Pending data of a connection must fit its length fields. */
bool CheckConnType(BodyCursor &c, uint16_t type)
{
    if (type > static_cast<uint16_t>(ConnType::Socket)) {
        c.Fail(4, "conn-type " + std::to_string(type) + " is reserved");
        return false;
    }
    return true;
}

/*
 * Xen layout (xenstore_state.h, struct xs_state_connection):
 *  0 conn-id  4 conn-type  6 fields  8 spec (ring: domid, tdomid, evtchn;
 *  socket: fd, pad)  16 in-len  18 resp-len  20 out-len  24 data,
 *  then (fields & 1) a 64-bit unique-id at the next 8-octet boundary.
 */
bool DecodeConnectionXen(BodyCursor &c, Record *out, DecodeIssue *warning)
{
    ConnectionRecord r;
    r.conn_id = c.Get<uint32_t>(0, "conn-id");
    r.conn_type = c.Get<uint16_t>(4, "conn-type");
    r.fields = c.Get<uint16_t>(6, "fields");
    if (!c.Need(0, 24, "connection fields") || !CheckConnType(c, r.conn_type))
        return false;
    if (r.fields & ~kConnFieldUniqueId) {
        c.Fail(6, "reserved bits set in fields");
        return false;
    }
    if (r.is_ring()) {
        r.domid = c.Get<uint16_t>(8, "domid");
        r.tdomid = c.Get<uint16_t>(10, "tdomid");
        r.evtchn = c.Get<uint32_t>(12, "evtchn");
    } else {
        r.socket_fd = static_cast<int32_t>(c.Get<uint32_t>(8, "socket-fd"));
        if (c.Get<uint32_t>(12, "pad") != 0)
            *warning = DecodeIssue{12, "non-zero padding octet"};
    }
    uint16_t in_len = c.Get<uint16_t>(16, "in-data-len");
    r.out_resp_len = c.Get<uint16_t>(18, "out-resp-len");
    uint32_t out_len = c.Get<uint32_t>(20, "out-data-len");
    if (r.out_resp_len > out_len) {
        c.Fail(18, "out-resp-len " + std::to_string(r.out_resp_len) +
                           " exceeds out-data-len " + std::to_string(out_len));
        return false;
    }
    r.in_data = c.Slice(24, in_len, "in-data");
    r.out_data = c.Slice(24 + size_t{in_len}, out_len, "out-data");
    size_t end = 24 + size_t{in_len} + out_len;
    if (r.has_unique_id()) {
        size_t at = AlignUp(end);
        if (!c.Need(at, 8, "unique-id"))
            return false;
        for (size_t i = end; i < at; i++) {
            if (c.data()[i] != 0) {
                *warning = DecodeIssue{i, "non-zero padding octet"};
                break;
            }
        }
        r.unique_id = c.Get<uint64_t>(at, "unique-id");
        end = at + 8;
    }
    if (!c.FinishAt(end, warning))
        return false;
    *out = r;
    return true;
}

/*
 * Draft layout (the v4 design):
 *  0 conn-id  4 conn-type  6 flags  8 ring: domid, tdomid, evtchn, mfn /
 *  socket: fd, pad, pad  24 data-len  28 data
 */
bool DecodeConnectionDraft(BodyCursor &c, Record *out, DecodeIssue *warning)
{
    ConnectionRecord r;
    r.conn_id = c.Get<uint32_t>(0, "conn-id");
    r.conn_type = c.Get<uint16_t>(4, "conn-type");
    r.flags = c.Get<uint16_t>(6, "flags");
    if (!c.Need(0, 28, "connection fields") || !CheckConnType(c, r.conn_type))
        return false;
    if (r.is_ring()) {
        if (r.flags != 0) {
            c.Fail(6, "flags must be zero for a shared ring connection");
            return false;
        }
        r.domid = c.Get<uint16_t>(8, "domid");
        r.tdomid = c.Get<uint16_t>(10, "tdomid");
        r.evtchn = c.Get<uint32_t>(12, "evtchn");
        r.mfn = c.Get<uint64_t>(16, "mfn");
    } else {
        if (r.flags & ~1u) {
            c.Fail(6, "reserved bits set in socket flags");
            return false;
        }
        r.socket_fd = static_cast<int32_t>(c.Get<uint32_t>(8, "socket-fd"));
        if (c.Get<uint32_t>(12, "pad") != 0 || c.Get<uint64_t>(16, "pad") != 0)
            *warning = DecodeIssue{12, "non-zero padding octet"};
    }
    uint32_t len = c.Get<uint32_t>(24, "data-len");
    r.out_data = c.Slice(28, len, "data");
    if (!c.FinishAt(28 + size_t{len}, warning))
        return false;
    *out = r;
    return true;
}

bool DecodeWatch(BodyCursor &c, bool extended, Record *out, DecodeIssue *warning)
{
    WatchRecord r;
    r.extended = extended;
    r.conn_id = c.Get<uint32_t>(0, "conn-id");
    uint16_t wpath_len = c.Get<uint16_t>(4, "wpath-len");
    uint16_t token_len = c.Get<uint16_t>(6, "token-len");
    size_t at = 8;
    if (extended) {
        r.depth = c.Get<uint16_t>(8, "depth");
        if (c.Get<uint16_t>(10, "pad") != 0)
            *warning = DecodeIssue{10, "non-zero padding octet"};
        at = 12;
    }
    r.wpath = c.CString(at, wpath_len, "wpath");
    r.token = c.CString(at + wpath_len, token_len, "token");
    if (!c.FinishAt(at + wpath_len + token_len, warning))
        return false;
    *out = r;
    return true;
}

bool DecodeTransaction(BodyCursor &c, Record *out, DecodeIssue *warning)
{
    TransactionRecord r;
    r.conn_id = c.Get<uint32_t>(0, "conn-id");
    r.tx_id = c.Get<uint32_t>(4, "tx-id");
    if (!c.FinishAt(8, warning))
        return false;
    *out = r;
    return true;
}

bool DecodeNode(BodyCursor &c, Endian endian, Record *out, DecodeIssue *warning)
{
    NodeRecord r;
    uint16_t path_len, value_len, perm_n;
    if (__builtin_expect(c.len() >= 16, 1)) {
        /* The fixed part at once: the most frequent record by far. */
        const uint8_t *p = c.data();
        r.conn_id = Load<uint32_t>(p, endian);
        r.tx_id = Load<uint32_t>(p + 4, endian);
        path_len = Load<uint16_t>(p + 8, endian);
        value_len = Load<uint16_t>(p + 10, endian);
        r.access = Load<uint16_t>(p + 12, endian);
        perm_n = Load<uint16_t>(p + 14, endian);
    } else {
        r.conn_id = c.Get<uint32_t>(0, "conn-id");
        r.tx_id = c.Get<uint32_t>(4, "tx-id");
        path_len = c.Get<uint16_t>(8, "path-len");
        value_len = c.Get<uint16_t>(10, "value-len");
        r.access = c.Get<uint16_t>(12, "access");
        perm_n = c.Get<uint16_t>(14, "perm-count");
    }
    size_t perms_at = 16;
    if (!c.Need(perms_at, size_t{perm_n} * PermList::kSize, "permissions"))
        return false;
    if (r.access & ~(kAccessRead | kAccessWritten)) {
        c.Fail(12, "reserved bits set in access");
        return false;
    }
    r.perms = PermList(c.data() + perms_at, perm_n, endian);
    for (size_t i = 0; i < perm_n; i++) {
        uint8_t letter = c.data()[perms_at + i * PermList::kSize];
        if (__builtin_expect(!IsPermLetter(letter), 0)) {
            c.Fail(perms_at + i * PermList::kSize,
                   "perm #" + std::to_string(i + 1) + " is 0x" +
                           "0123456789abcdef"[letter >> 4] + "0123456789abcdef"[letter & 15] +
                           ", not one of w r b n");
            return false;
        }
    }
    if (perm_n == 0 && r.conn_id == 0) {
        c.Fail(14, "committed node has no permissions (perm1 names its owner)");
        return false;
    }
    size_t path_at = perms_at + size_t{perm_n} * PermList::kSize;
    r.path = c.CString(path_at, path_len, "path");
    r.value = c.Slice(path_at + path_len, value_len, "value");
    if (!c.FinishAt(path_at + path_len + value_len, warning))
        return false;
    *out = r;
    return true;
}

/* N quota values at `at`, then exactly N NUL-terminated names. */
bool DecodeQuotas(BodyCursor &c, size_t at, uint16_t n, Endian endian,
                  QuotaList *quotas, size_t *end)
{
    if (!c.Need(at, size_t{n} * 4, "quota values"))
        return false;
    size_t names_at = at + size_t{n} * 4;
    size_t pos = names_at;
    for (uint16_t i = 0; i < n; i++) {
        const void *nul = pos < c.len() ? std::memchr(c.data() + pos, 0, c.len() - pos) : nullptr;
        if (!nul) {
            c.Fail(pos, "quota-names: only " + std::to_string(i) + " of " +
                                std::to_string(n) + " names are NUL-terminated");
            return false;
        }
        size_t end = static_cast<const uint8_t *>(nul) - c.data();
        if (end == pos) {
            /* An empty name is padding, not a quota: the names ran out. */
            c.Fail(pos, "quota-names: name " + std::to_string(i + 1) + " of " +
                                std::to_string(n) + " is empty");
            return false;
        }
        pos = end + 1;
    }
    *quotas = QuotaList(c.data() + at, n, endian,
                        Bytes(reinterpret_cast<const char *>(c.data() + names_at), pos - names_at));
    *end = pos;
    return true;
}

bool DecodeGlobalQuota(BodyCursor &c, Endian endian, Record *out, DecodeIssue *warning)
{
    GlobalQuotaRecord r;
    r.n_dom_quota = c.Get<uint16_t>(0, "n-dom-quota");
    r.n_glob_quota = c.Get<uint16_t>(2, "n-glob-quota");
    size_t n = size_t{r.n_dom_quota} + r.n_glob_quota, end = 0;
    if (!c.ok())
        return false;
    if (n > UINT16_MAX) {
        c.Fail(0, "more than 65535 quota values");
        return false;
    }
    if (!DecodeQuotas(c, 4, static_cast<uint16_t>(n), endian, &r.quotas, &end) ||
        !c.FinishAt(end, warning))
        return false;
    *out = r;
    return true;
}

bool DecodeDomain(BodyCursor &c, const StreamContext &ctx, Record *out, DecodeIssue *warning)
{
    DomainRecord r;
    r.domid = c.Get<uint16_t>(0, "domain-id");
    uint16_t n = c.Get<uint16_t>(2, "n-quota");
    r.features = c.Get<uint32_t>(4, "features");
    /*
     * The field is version 2's.  The design document: fields not valid in
     * the stream's version "must be written as zero and should be ignored
     * when the stream is read" -- as non-zero padding is: a warning.
     */
    if (c.ok() && r.features && ctx.version < 2) {
        *warning = DecodeIssue{4, "DOMAIN_DATA features " + std::to_string(r.features) +
                                          " in a version " + std::to_string(ctx.version) +
                                          " stream, where the field is not valid: ignored"};
        r.features = 0;
    }
    size_t end = 0;
    if (!c.ok() || !DecodeQuotas(c, 8, n, ctx.endian, &r.quotas, &end) ||
        !c.FinishAt(end, warning))
        return false;
    *out = r;
    return true;
}

} // namespace

bool RecordDecoder::Decode(uint32_t type, Bytes body, Record *out, DecodeIssue *error,
                           DecodeIssue *warning) const
{
    BodyCursor c(body, ctx_.endian, error);

    switch (static_cast<RecordType>(type)) {
    case RecordType::End:
        if (!c.FinishAt(0, warning))
            return false;
        *out = EndRecord{};
        return true;
    case RecordType::GlobalData:
        return DecodeGlobal(c, out, warning);
    case RecordType::ConnectionData:
        return ctx_.layout == Layout::Xen ? DecodeConnectionXen(c, out, warning)
                                          : DecodeConnectionDraft(c, out, warning);
    case RecordType::WatchData:
        return DecodeWatch(c, false, out, warning);
    case RecordType::TransactionData:
        return DecodeTransaction(c, out, warning);
    case RecordType::NodeData:
        return DecodeNode(c, ctx_.endian, out, warning);
    case RecordType::GlobalQuotaData:
        return DecodeGlobalQuota(c, ctx_.endian, out, warning);
    case RecordType::DomainData:
        return DecodeDomain(c, ctx_, out, warning);
    case RecordType::WatchDataExtended:
        if (ctx_.version < 2) {
            c.Fail(0, "WATCH_DATA_EXTENDED is only valid in version 2 and later");
            return false;
        }
        return DecodeWatch(c, true, out, warning);
    }
    *out = UnknownRecord{type, body};
    return true;
}

} // namespace xsm
