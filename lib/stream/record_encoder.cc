/* SPDX-License-Identifier: LGPL-2.1-only */
#include "stream/record_encoder.h"

namespace xsm {
namespace {

/* Appends fixed-width fields in one byte order. */
class BodyWriter {
public:
    BodyWriter(std::string *out, Endian endian) : out_(out), endian_(endian) {}

    template <typename T>
    void Put(T v)
    {
        uint8_t b[sizeof(T)];
        Store<T>(b, v, endian_);
        out_->append(reinterpret_cast<const char *>(b), sizeof(b));
    }
    void PutBytes(Bytes b) { out_->append(b.data(), b.size()); }
    void PutCString(Bytes s)
    {
        PutBytes(s);
        out_->push_back('\0');
    }
    void PutZeros(size_t n) { out_->append(n, '\0'); }
    size_t size() const { return out_->size(); }

private:
    std::string *out_;
    Endian endian_;
};

bool Fits16(size_t n) { return n <= UINT16_MAX; }

struct Encoding {
    const EncodeOptions &opts;
    BodyWriter w;
    std::string *error;

    bool Fail(std::string why)
    {
        *error = std::move(why);
        return false;
    }

    bool operator()(const EndRecord &) { return true; }

    bool operator()(const GlobalRecord &r)
    {
        w.Put<uint32_t>(static_cast<uint32_t>(r.rw_socket_fd));
        w.Put<uint32_t>(static_cast<uint32_t>(r.second_fd));
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
        w.Put<uint32_t>(r.conn_id);
        w.Put<uint16_t>(r.conn_type);
        w.Put<uint16_t>(r.fields);
        if (r.is_ring()) {
            w.Put<uint16_t>(r.domid);
            w.Put<uint16_t>(r.tdomid);
            w.Put<uint32_t>(r.evtchn);
        } else {
            w.Put<uint32_t>(static_cast<uint32_t>(r.socket_fd));
            w.Put<uint32_t>(0);
        }
        w.Put<uint16_t>(static_cast<uint16_t>(r.in_data.size()));
        w.Put<uint16_t>(r.out_resp_len);
        w.Put<uint32_t>(static_cast<uint32_t>(r.out_data.size()));
        w.PutBytes(r.in_data);
        w.PutBytes(r.out_data);
        if (r.has_unique_id()) {
            size_t body = w.size() - start;
            w.PutZeros(AlignUp(body) - body);
            w.Put<uint64_t>(r.unique_id);
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
        w.Put<uint32_t>(r.conn_id);
        w.Put<uint16_t>(r.conn_type);
        if (r.is_ring()) {
            w.Put<uint16_t>(0);
            w.Put<uint16_t>(r.domid);
            w.Put<uint16_t>(r.tdomid);
            w.Put<uint32_t>(r.evtchn);
            w.Put<uint64_t>(r.mfn);
        } else {
            w.Put<uint16_t>(r.flags);
            w.Put<uint32_t>(static_cast<uint32_t>(r.socket_fd));
            w.PutZeros(12);
        }
        w.Put<uint32_t>(static_cast<uint32_t>(r.out_data.size()));
        w.PutBytes(r.out_data);
        return true;
    }

    bool operator()(const WatchRecord &r)
    {
        if (!Fits16(r.wpath.size() + 1) || !Fits16(r.token.size() + 1))
            return Fail("wpath or token longer than 65534 octets");
        if (r.extended && opts.ctx.version < 2)
            return Fail("WATCH_DATA_EXTENDED needs version 2");
        w.Put<uint32_t>(r.conn_id);
        w.Put<uint16_t>(static_cast<uint16_t>(r.wpath.size() + 1));
        w.Put<uint16_t>(static_cast<uint16_t>(r.token.size() + 1));
        if (r.extended) {
            w.Put<uint16_t>(r.depth);
            w.Put<uint16_t>(0);
        }
        w.PutCString(r.wpath);
        w.PutCString(r.token);
        return true;
    }

    bool operator()(const TransactionRecord &r)
    {
        w.Put<uint32_t>(r.conn_id);
        w.Put<uint32_t>(r.tx_id);
        return true;
    }

    bool operator()(const NodeRecord &r)
    {
        if (!Fits16(r.path.size() + 1) || !Fits16(r.value.size()))
            return Fail("path or value longer than 65535 octets");
        w.Put<uint32_t>(r.conn_id);
        w.Put<uint32_t>(r.tx_id);
        w.Put<uint16_t>(static_cast<uint16_t>(r.path.size() + 1));
        w.Put<uint16_t>(static_cast<uint16_t>(r.value.size()));
        w.Put<uint16_t>(r.access);
        w.Put<uint16_t>(r.perms.size());
        for (size_t i = 0; i < r.perms.size(); i++) {
            Perm p = r.perms[i];
            if (!IsPermLetter(static_cast<uint8_t>(p.perm)))
                return Fail("perm #" + std::to_string(i + 1) + " is not one of w r b n");
            w.Put<uint8_t>(static_cast<uint8_t>(p.perm));
            w.Put<uint8_t>(p.flags);
            w.Put<uint16_t>(p.domid);
        }
        w.PutCString(r.path);
        w.PutBytes(r.value);
        return true;
    }

    void PutQuotas(const QuotaList &q)
    {
        for (size_t i = 0; i < q.size(); i++)
            w.Put<uint32_t>(q.value(i));
        w.PutBytes(q.names());
    }

    bool operator()(const GlobalQuotaRecord &r)
    {
        w.Put<uint16_t>(r.n_dom_quota);
        w.Put<uint16_t>(r.n_glob_quota);
        PutQuotas(r.quotas);
        return true;
    }

    bool operator()(const DomainRecord &r)
    {
        if (r.features && opts.ctx.version < 2)
            return Fail("DOMAIN_DATA features need version 2");
        w.Put<uint16_t>(r.domid);
        w.Put<uint16_t>(r.quotas.size());
        w.Put<uint32_t>(r.features);
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
    /* The variant's alternatives follow the type codes up to DOMAIN_DATA. */
    return static_cast<uint32_t>(r.index());
}

bool RecordEncoder::Encode(const Record &r, std::string *out, std::string *error) const
{
    size_t start = out->size();
    BodyWriter head(out, opts_.ctx.endian);
    head.Put<uint32_t>(TypeOf(r));
    head.Put<uint32_t>(0); /* len, filled in below */

    Encoding enc{opts_, BodyWriter(out, opts_.ctx.endian), error};
    if (!std::visit(enc, r)) {
        out->resize(start);
        return false;
    }

    size_t body = out->size() - start - kRecordHeaderSize;
    size_t padded = AlignUp(body);
    if (std::holds_alternative<UnknownRecord>(r))
        padded = body; /* kept verbatim: its len is the body's size */
    if (padded > UINT32_MAX) {
        out->resize(start);
        *error = "record longer than 4 GiB";
        return false;
    }
    out->append(AlignUp(body) - body, '\0');
    uint32_t len = static_cast<uint32_t>(opts_.len_includes_padding ? padded : body);
    Store<uint32_t>(reinterpret_cast<uint8_t *>(&(*out)[start + 4]), len, opts_.ctx.endian);
    return true;
}

} // namespace xsm
