/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * JSON rendering with yajl.  Which fields a record has, their names and
 * their order are stream/record_fields.h's, as for the text rendering;
 * here only how each kind is written: text that is not UTF-8 is given as
 * "<name>-hex" instead, opaque octets are always hex, and hex numbers are
 * plain JSON numbers.
 */
#include <yajl/yajl_gen.h>

#include "record_printer.h"
#include "stream/record_fields.h"

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
        Key("layout");
        Str(ctx.layout == Layout::Xen ? "xen" : "draft");
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
        Int("len", rec.raw.len);
        VisitFields(rec.record, layout_, *this);
        yajl_gen_map_close(gen_);
    }

    /* One field of the record being printed, by its kind (VisitFields). */
    void operator()(std::string_view k, field::Integer f) { Int(k, f.value); }
    void operator()(std::string_view k, field::Length f) { Int(k, static_cast<long long>(f.value)); }
    void operator()(std::string_view k, field::Domid f) { Int(k, f.value); }
    /* JSON has no hex numbers: the value itself, exactly. */
    void operator()(std::string_view k, field::Hex f) { Uint64(k, f.value); }
    void operator()(std::string_view k, field::Word f)
    {
        Key(k);
        Str(f.value);
    }
    void operator()(std::string_view k, field::Text f) { Text(std::string(k), f.value); }
    void operator()(std::string_view k, field::Octets f) { HexField(k, f.value); }
    void operator()(std::string_view k, field::Perms f)
    {
        Key(k);
        yajl_gen_array_open(gen_);
        for (size_t i = 0; i < f.value.size(); i++) {
            Perm p = f.value[i];
            yajl_gen_map_open(gen_);
            Key("perm");
            Str(std::string_view(&p.perm, 1));
            Int("domid", p.domid);
            Int("flags", p.flags);
            yajl_gen_map_close(gen_);
        }
        yajl_gen_array_close(gen_);
    }
    void operator()(std::string_view k, field::Quotas f)
    {
        Key(k);
        yajl_gen_map_open(gen_);
        size_t i = 0;
        f.list.ForEach([&](Bytes name, uint32_t value) {
            if (i >= f.from && i < f.to) {
                Str(IsUtf8(name) ? std::string(name) : "hex:" + Hex(name));
                yajl_gen_integer(gen_, value);
            }
            i++;
        });
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
