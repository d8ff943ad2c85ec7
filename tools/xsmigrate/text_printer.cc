/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * One line per record, for people: "#K @OFFSET TYPE field=value ...".
 * Strings are quoted with C escapes so that NULs and control octets show.
 */
#include <cinttypes>

#include "record_printer.h"

namespace xsm {

bool IsUtf8(Bytes s)
{
    const auto *p = reinterpret_cast<const uint8_t *>(s.data());
    size_t n = s.size(), i = 0;
    while (i < n) {
        uint8_t c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        static const uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

namespace {

class TextPrinter : public RecordPrinter {
public:
    explicit TextPrinter(FILE *out) : out_(out) {}

    void Begin(const StreamContext &ctx) override
    {
        layout_ = ctx.layout;
        std::fprintf(out_, "header version=%u endianness=%s layout=%s\n", ctx.version,
                     ctx.endian == Endian::Big ? "big" : "little",
                     ctx.layout == Layout::Xen ? "xen" : "draft");
    }
    void End() override {}

    void Print(const ParsedRecord &rec) override
    {
        std::fprintf(out_, "#%" PRId64 " @%" PRIu64 " %s len=%u", rec.raw.index, rec.raw.offset,
                     std::string(RecordTypeName(rec.raw.type)).c_str(), rec.raw.len);
        std::visit([this](const auto &r) { Fields(r); }, rec.record);
        std::fputc('\n', out_);
    }

private:
    void Num(const char *k, uint64_t v) { std::fprintf(out_, " %s=%" PRIu64, k, v); }
    void SNum(const char *k, int64_t v) { std::fprintf(out_, " %s=%" PRId64, k, v); }
    void Quoted(const char *k, Bytes s)
    {
        std::fprintf(out_, " %s=\"", k);
        for (char ch : s) {
            auto c = static_cast<uint8_t>(ch);
            if (c == '"' || c == '\\')
                std::fprintf(out_, "\\%c", c);
            else if (c < 0x20 || c >= 0x7f)
                std::fprintf(out_, "\\x%02x", c);
            else
                std::fputc(c, out_);
        }
        std::fputc('"', out_);
    }
    void Hex(const char *k, Bytes s)
    {
        std::fprintf(out_, " %s=", k);
        for (char ch : s)
            std::fprintf(out_, "%02x", static_cast<uint8_t>(ch));
    }
    void Quotas(const QuotaList &q)
    {
        q.ForEach([this](Bytes name, uint32_t v) {
            std::string k(name);
            Num(k.c_str(), v);
        });
    }

    void Fields(const EndRecord &) {}
    void Fields(const GlobalRecord &r)
    {
        SNum("rw-socket-fd", r.rw_socket_fd);
        SNum(layout_ == Layout::Xen ? "evtchn-fd" : "ro-socket-fd", r.second_fd);
    }
    void Fields(const ConnectionRecord &r)
    {
        Num("conn-id", r.conn_id);
        std::fprintf(out_, " conn-type=%s", r.is_ring() ? "ring" : "socket");
        Num(layout_ == Layout::Xen ? "fields" : "flags", layout_ == Layout::Xen ? r.fields : r.flags);
        if (r.is_ring()) {
            Num("domid", r.domid);
            Num("tdomid", r.tdomid);
            Num("evtchn", r.evtchn);
            if (layout_ == Layout::Draft)
                std::fprintf(out_, " mfn=0x%" PRIx64, r.mfn);
        } else {
            SNum("socket-fd", r.socket_fd);
        }
        if (layout_ == Layout::Xen) {
            Hex("in-data", r.in_data);
            Hex("out-data", r.out_data);
            Num("out-resp-len", r.out_resp_len);
            if (r.has_unique_id())
                std::fprintf(out_, " unique-id=0x%" PRIx64, r.unique_id);
        } else {
            Hex("data", r.out_data);
        }
    }
    void Fields(const WatchRecord &r)
    {
        Num("conn-id", r.conn_id);
        if (r.extended)
            Num("depth", r.depth);
        Quoted("wpath", r.wpath);
        Quoted("token", r.token);
    }
    void Fields(const TransactionRecord &r)
    {
        Num("conn-id", r.conn_id);
        Num("tx-id", r.tx_id);
    }
    void Fields(const NodeRecord &r)
    {
        Num("conn-id", r.conn_id);
        Num("tx-id", r.tx_id);
        Num("access", r.access);
        std::fprintf(out_, " perms=");
        for (size_t i = 0; i < r.perms.size(); i++) {
            Perm p = r.perms[i];
            std::fprintf(out_, "%s%c%u", i ? "," : "", p.perm, p.domid);
            if (p.flags)
                std::fprintf(out_, "/0x%x", p.flags);
        }
        Quoted("path", r.path);
        Quoted("value", r.value);
    }
    void Fields(const GlobalQuotaRecord &r)
    {
        Num("n-dom-quota", r.n_dom_quota);
        Num("n-glob-quota", r.n_glob_quota);
        Quotas(r.quotas);
    }
    void Fields(const DomainRecord &r)
    {
        Num("domid", r.domid);
        Num("features", r.features);
        Quotas(r.quotas);
    }
    void Fields(const UnknownRecord &r)
    {
        std::fprintf(out_, " type-code=0x%08x", r.type);
        Hex("body", r.body);
    }

    FILE *out_;
    Layout layout_ = Layout::Xen;
};

} // namespace

std::unique_ptr<RecordPrinter> MakeTextPrinter(FILE *out)
{
    return std::make_unique<TextPrinter>(out);
}

} // namespace xsm
