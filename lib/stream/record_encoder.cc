/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/record_encoder.h, which says what it is. */
#include "stream/record_encoder.h"

#include <cstring>

namespace xsm {
namespace {

/*
 * The fields of a record go through one of two writers with the same
 * interface: Counter only adds up their sizes (and so runs every check),
 * Out stores them in place.  One description of each layout serves both,
 * so a record is sized once and written once, without appends.
 */
class Counter {
public:
    explicit Counter(Endian) {}

    void U8(uint8_t v) { Put(v); }
    void U16(uint16_t v) { Put(v); }
    void U32(uint32_t v) { Put(v); }
    void U64(uint64_t v) { Put(v); }

    template <typename T>
    void Put(T) { n_ += sizeof(T); }
    void PutBytes(Bytes b) { n_ += b.size(); }
    void PutCString(Bytes s) { n_ += s.size() + 1; }
    void PutZeros(size_t n) { n_ += n; }
    size_t size() const { return n_; }

private:
    size_t n_ = 0;
};

class Out {
public:
    Out(uint8_t *p, Endian endian) : start_(p), p_(p), endian_(endian) {}

    void U8(uint8_t v) { Put(v); }
    void U16(uint16_t v) { Put(v); }
    void U32(uint32_t v) { Put(v); }
    void U64(uint64_t v) { Put(v); }

    template <typename T>
    void Put(T v)
    {
        Store<T>(p_, v, endian_);
        p_ += sizeof(T);
    }
    void PutBytes(Bytes b)
    {
        if (b.empty())
            return; /* an empty view may have no data() at all */
        std::memcpy(p_, b.data(), b.size());
        p_ += b.size();
    }
    void PutCString(Bytes s)
    {
        PutBytes(s);
        *p_++ = 0;
    }
    void PutZeros(size_t n)
    {
        std::memset(p_, 0, n);
        p_ += n;
    }
    size_t size() const { return p_ - start_; }

private:
    uint8_t *start_;
    uint8_t *p_;
    Endian endian_;
};

bool Fits16(size_t n) { return n <= UINT16_MAX; }

template <typename Writer>
struct Encoding {
    const EncodeOptions &opts;
    Writer w;
    std::string *error;

    bool Fail(std::string why)
    {
        *error = std::move(why);
        return false;
    }

    bool operator()(const EndRecord &) { return true; }

    bool operator()(const GlobalRecord &r)
    {
        w.U32(static_cast<uint32_t>(r.rw_socket_fd));
        w.U32(static_cast<uint32_t>(r.second_fd));
        return true;
    }

    bool operator()(const ConnectionRecord &r)
    {
        if (r.conn_type > static_cast<uint16_t>(ConnType::Socket))
            return Fail("conn-type " + std::to_string(r.conn_type) + " is reserved");
        if (r.out_resp_len > r.out_data.size())
            return Fail("out-resp-len exceeds the pending output");
        return opts.ctx.layout == Layout::Xen ? Xen(r) : Draft(r);
    }

    bool Xen(const ConnectionRecord &r)
    {
        if (!Fits16(r.in_data.size()))
            return Fail("in-data longer than 65535 octets");
        if (r.out_data.size() > UINT32_MAX)
            return Fail("out-data longer than 4 GiB");
        if (!r.is_ring() && r.flags)
            return Fail("read-only socket flag cannot be written in the xen layout");
        size_t start = w.size();
        w.U32(r.conn_id);
        w.U16(r.conn_type);
        w.U16(r.fields);
        if (r.is_ring()) {
            w.U16(r.domid);
            w.U16(r.tdomid);
            w.U32(r.evtchn);
        } else {
            w.U32(static_cast<uint32_t>(r.socket_fd));
            w.U32(0);
        }
        w.U16(static_cast<uint16_t>(r.in_data.size()));
        w.U16(r.out_resp_len);
        w.U32(static_cast<uint32_t>(r.out_data.size()));
        w.PutBytes(r.in_data);
        w.PutBytes(r.out_data);
        if (r.has_unique_id()) {
            size_t body = w.size() - start;
            w.PutZeros(AlignUp(body) - body);
            w.U64(r.unique_id);
        }
        return true;
    }

    bool Draft(const ConnectionRecord &r)
    {
        if (!r.in_data.empty())
            return Fail("in-data cannot be written in the draft layout");
        if (r.out_resp_len)
            return Fail("out-resp-len cannot be written in the draft layout");
        if (r.has_unique_id())
            return Fail("unique-id cannot be written in the draft layout");
        if (r.out_data.size() > UINT32_MAX)
            return Fail("data longer than 4 GiB");
        w.U32(r.conn_id);
        w.U16(r.conn_type);
        if (r.is_ring()) {
            w.U16(0);
            w.U16(r.domid);
            w.U16(r.tdomid);
            w.U32(r.evtchn);
            w.U64(r.mfn);
        } else {
            w.U16(r.flags);
            w.U32(static_cast<uint32_t>(r.socket_fd));
            w.PutZeros(12);
        }
        w.U32(static_cast<uint32_t>(r.out_data.size()));
        w.PutBytes(r.out_data);
        return true;
    }

    bool operator()(const WatchRecord &r)
    {
        if (!Fits16(r.wpath.size() + 1) || !Fits16(r.token.size() + 1))
            return Fail("wpath or token longer than 65534 octets");
        if (r.extended && opts.ctx.version < 2)
            return Fail("WATCH_DATA_EXTENDED needs version 2");
        w.U32(r.conn_id);
        w.U16(static_cast<uint16_t>(r.wpath.size() + 1));
        w.U16(static_cast<uint16_t>(r.token.size() + 1));
        if (r.extended) {
            w.U16(r.depth);
            w.U16(0);
        }
        w.PutCString(r.wpath);
        w.PutCString(r.token);
        return true;
    }

    bool operator()(const TransactionRecord &r)
    {
        w.U32(r.conn_id);
        w.U32(r.tx_id);
        return true;
    }

    bool operator()(const NodeRecord &r)
    {
        if (!Fits16(r.path.size() + 1) || !Fits16(r.value.size()))
            return Fail("path or value longer than 65535 octets");
        w.U32(r.conn_id);
        w.U32(r.tx_id);
        w.U16(static_cast<uint16_t>(r.path.size() + 1));
        w.U16(static_cast<uint16_t>(r.value.size()));
        w.U16(r.access);
        w.U16(r.perms.size());
        for (size_t i = 0; i < r.perms.size(); i++) {
            Perm p = r.perms[i];
            if (!IsPermLetter(static_cast<uint8_t>(p.perm)))
                return Fail("perm #" + std::to_string(i + 1) + " is not one of w r b n");
            w.U8(static_cast<uint8_t>(p.perm));
            w.U8(p.flags);
            w.U16(p.domid);
        }
        w.PutCString(r.path);
        w.PutBytes(r.value);
        return true;
    }

    void PutQuotas(const QuotaList &q)
    {
        for (size_t i = 0; i < q.size(); i++)
            w.U32(q.value(i));
        w.PutBytes(q.names());
    }

    bool operator()(const GlobalQuotaRecord &r)
    {
        w.U16(r.n_dom_quota);
        w.U16(r.n_glob_quota);
        PutQuotas(r.quotas);
        return true;
    }

    bool operator()(const DomainRecord &r)
    {
        if (r.features && opts.ctx.version < 2)
            return Fail("DOMAIN_DATA features need version 2");
        w.U16(r.domid);
        w.U16(r.quotas.size());
        w.U32(r.features);
        PutQuotas(r.quotas);
        return true;
    }

    bool operator()(const UnknownRecord &r)
    {
        w.PutBytes(r.body);
        return true;
    }
};

} // namespace

uint32_t TypeOf(const Record &r)
{
    if (const auto *u = std::get_if<UnknownRecord>(&r))
        return u->type;
    if (const auto *w = std::get_if<WatchRecord>(&r))
        return static_cast<uint32_t>(w->extended ? RecordType::WatchDataExtended
                                                 : RecordType::WatchData);
    /* The variant's alternatives follow the type codes up to DOMAIN_DATA
     * (pinned in records.h). */
    return static_cast<uint32_t>(r.index());
}

namespace {

/* Node records first: nearly all of a stream. */
template <typename Writer>
bool Dispatch(Encoding<Writer> &enc, const Record &r)
{
    if (const auto *n = std::get_if<NodeRecord>(&r))
        return enc(*n);
    return std::visit(enc, r);
}

} // namespace

bool RecordEncoder::Measure(const Record &r, size_t *body, std::string *error) const
{
    Encoding<Counter> enc{opts_, Counter(opts_.ctx.endian), error};
    if (!Dispatch(enc, r))
        return false;
    if (AlignUp(enc.w.size()) > UINT32_MAX) {
        *error = "record longer than 4 GiB";
        return false;
    }
    *body = enc.w.size();
    return true;
}

void RecordEncoder::Put(const Record &r, size_t body, uint8_t *dst) const
{
    /* An unknown record is kept verbatim: its len is the body's size. */
    size_t len = opts_.len_includes_padding && !std::holds_alternative<UnknownRecord>(r)
                         ? AlignUp(body)
                         : body;
    Store<uint32_t>(dst, TypeOf(r), opts_.ctx.endian);
    Store<uint32_t>(dst + 4, static_cast<uint32_t>(len), opts_.ctx.endian);
    std::string unused;
    Encoding<Out> enc{opts_, Out(dst + kRecordHeaderSize, opts_.ctx.endian), &unused};
    Dispatch(enc, r);
    std::memset(dst + kRecordHeaderSize + body, 0, AlignUp(body) - body);
}

bool RecordEncoder::Encode(const Record &r, std::string *out, std::string *error) const
{
    size_t body;
    if (!Measure(r, &body, error))
        return false;
    size_t start = out->size();
    out->resize(start + Size(body));
    Put(r, body, reinterpret_cast<uint8_t *>(&(*out)[start]));
    return true;
}

} // namespace xsm
