/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * JSON rendering with yajl.  Field names are the spec's, in kebab case;
 * text that is not UTF-8 is given as "<name>-hex" instead, and connection
 * data is always hex.
 */
#include <yajl/yajl_gen.h>

#include "record_printer.h"

namespace xsm {
namespace {

void WriteOut(void *ctx, const char *s, size_t len)
{
    std::fwrite(s, 1, len, static_cast<FILE *>(ctx));
}

std::string Hex(Bytes b)
{
    static const char digits[] = "0123456789abcdef";
    std::string s(b.size() * 2, '0');
    for (size_t i = 0; i < b.size(); i++) {
        uint8_t c = static_cast<uint8_t>(b[i]);
        s[2 * i] = digits[c >> 4];
        s[2 * i + 1] = digits[c & 15];
    }
    return s;
}

class JsonPrinter : public RecordPrinter {
public:
    explicit JsonPrinter(FILE *out) : out_(out), gen_(yajl_gen_alloc(nullptr))
    {
        yajl_gen_config(gen_, yajl_gen_print_callback, WriteOut, out);
    }
    ~JsonPrinter() override { yajl_gen_free(gen_); }

    void Begin(const StreamContext &ctx) override
    {
        layout_ = ctx.layout;
        yajl_gen_map_open(gen_);
        Key("version");
        yajl_gen_integer(gen_, ctx.version);
        Key("endianness");
        Str(ctx.endian == Endian::Big ? "big" : "little");
        Key("records");
        yajl_gen_array_open(gen_);
        open_ = true;
    }

    void End() override
    {
        if (!open_)
            return;
        yajl_gen_array_close(gen_);
        yajl_gen_map_close(gen_);
        std::fputc('\n', out_);
        open_ = false;
    }

    void Print(const ParsedRecord &rec) override
    {
        yajl_gen_map_open(gen_);
        Key("type");
        Str(RecordTypeName(rec.raw.type));
        std::visit([this](const auto &r) { Fields(r); }, rec.record);
        yajl_gen_map_close(gen_);
    }

private:
    void Key(std::string_view k) { Str(k); }
    void Str(std::string_view s)
    {
        yajl_gen_string(gen_, reinterpret_cast<const unsigned char *>(s.data()), s.size());
    }
    void Int(std::string_view k, long long v)
    {
        Key(k);
        yajl_gen_integer(gen_, v);
    }
    void Uint64(std::string_view k, uint64_t v)
    {
        /* JSON numbers beyond 2^53 lose precision in most readers. */
        Key(k);
        std::string s = std::to_string(v);
        yajl_gen_number(gen_, s.data(), s.size());
    }
    void Text(const std::string &k, Bytes v)
    {
        if (IsUtf8(v)) {
            Key(k);
            Str(v);
        } else {
            Key(k + "-hex");
            Str(Hex(v));
        }
    }
    void HexField(std::string_view k, Bytes v)
    {
        Key(k);
        Str(Hex(v));
    }
    void Quotas(std::string_view k, const QuotaList &q, size_t from, size_t to)
    {
        Key(k);
        yajl_gen_map_open(gen_);
        size_t i = 0;
        q.ForEach([&](Bytes name, uint32_t value) {
            if (i >= from && i < to) {
                Str(IsUtf8(name) ? std::string(name) : "hex:" + Hex(name));
                yajl_gen_integer(gen_, value);
            }
            i++;
        });
        yajl_gen_map_close(gen_);
    }

    void Fields(const EndRecord &) {}
    void Fields(const GlobalRecord &r)
    {
        Int("rw-socket-fd", r.rw_socket_fd);
        Int(layout_ == Layout::Xen ? "evtchn-fd" : "ro-socket-fd", r.second_fd);
    }
    void Fields(const ConnectionRecord &r)
    {
        Int("conn-id", r.conn_id);
        Key("conn-type");
        Str(r.is_ring() ? "ring" : "socket");
        if (layout_ == Layout::Xen)
            Int("fields", r.fields);
        else
            Int("flags", r.flags);
        if (r.is_ring()) {
            Int("domid", r.domid);
            Int("tdomid", r.tdomid);
            Int("evtchn", r.evtchn);
            if (layout_ == Layout::Draft)
                Uint64("mfn", r.mfn);
        } else {
            Int("socket-fd", r.socket_fd);
        }
        if (layout_ == Layout::Xen) {
            HexField("in-data", r.in_data);
            HexField("out-data", r.out_data);
            Int("out-resp-len", r.out_resp_len);
            if (r.has_unique_id())
                Uint64("unique-id", r.unique_id);
        } else {
            HexField("data", r.out_data);
        }
    }
    void Fields(const WatchRecord &r)
    {
        Int("conn-id", r.conn_id);
        Int("wpath-len", r.wpath.size() + 1);
        Int("token-len", r.token.size() + 1);
        if (r.extended)
            Int("depth", r.depth);
        Text("wpath", r.wpath);
        Text("token", r.token);
    }
    void Fields(const TransactionRecord &r)
    {
        Int("conn-id", r.conn_id);
        Int("tx-id", r.tx_id);
    }
    void Fields(const NodeRecord &r)
    {
        Int("conn-id", r.conn_id);
        Int("tx-id", r.tx_id);
        Int("path-len", r.path.size() + 1);
        Int("value-len", r.value.size());
        Int("access", r.access);
        Int("perm-count", r.perms.size());
        Key("perms");
        yajl_gen_array_open(gen_);
        for (size_t i = 0; i < r.perms.size(); i++) {
            Perm p = r.perms[i];
            yajl_gen_map_open(gen_);
            Key("perm");
            Str(std::string_view(&p.perm, 1));
            Int("domid", p.domid);
            Int("flags", p.flags);
            yajl_gen_map_close(gen_);
        }
        yajl_gen_array_close(gen_);
        Text("path", r.path);
        Text("value", r.value);
    }
    void Fields(const GlobalQuotaRecord &r)
    {
        Int("n-dom-quota", r.n_dom_quota);
        Int("n-glob-quota", r.n_glob_quota);
        Quotas("domain-quotas", r.quotas, 0, r.n_dom_quota);
        Quotas("global-quotas", r.quotas, r.n_dom_quota, r.quotas.size());
    }
    void Fields(const DomainRecord &r)
    {
        Int("domid", r.domid);
        Int("n-quota", r.quotas.size());
        Int("features", r.features);
        Quotas("quotas", r.quotas, 0, r.quotas.size());
    }
    void Fields(const UnknownRecord &r)
    {
        Int("type-code", r.type);
        HexField("body", r.body);
    }

    FILE *out_;
    yajl_gen gen_;
    Layout layout_ = Layout::Xen;
    bool open_ = false;
};

} // namespace

std::unique_ptr<RecordPrinter> MakeJsonPrinter(FILE *out)
{
    return std::make_unique<JsonPrinter>(out);
}

} // namespace xsm
