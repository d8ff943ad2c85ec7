/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * One line per record, for people: "#K @OFFSET TYPE len=N field=value ...".
 * Which fields a record has, their names and their order are
 * stream/record_fields.h's, as for the JSON rendering; here only how each
 * kind is written.  Strings are quoted with C escapes so that NULs and
 * control octets show.
 */
#include <cctype>
#include <cinttypes>

#include "record_printer.h"
#include "stream/record_fields.h"

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

/* A quota name as it is, if it cannot be mistaken for the syntax around it. */
bool IsPlainName(Bytes s)
{
    if (s.empty())
        return false;
    for (char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
            return false;
    }
    return true;
}

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
        VisitFields(rec.record, layout_, *this);
        std::fputc('\n', out_);
    }

    /* One field of the record being printed, " name=value", by its kind
     * (VisitFields). */
    void operator()(std::string_view k, field::Integer f)
    {
        Name(k);
        std::fprintf(out_, "%" PRId64, f.value);
    }
    void operator()(std::string_view k, field::Length f)
    {
        Name(k);
        std::fprintf(out_, "%" PRIu64, f.value);
    }
    void operator()(std::string_view k, field::Domid f)
    {
        Name(k);
        std::fprintf(out_, "%u", f.value);
    }
    void operator()(std::string_view k, field::Hex f)
    {
        Name(k);
        std::fprintf(out_, "0x%0*" PRIx64, f.digits, f.value);
    }
    void operator()(std::string_view k, field::Word f)
    {
        Name(k);
        Raw(f.value);
    }
    void operator()(std::string_view k, field::Text f)
    {
        Name(k);
        Quoted(f.value);
    }
    void operator()(std::string_view k, field::Octets f)
    {
        Name(k);
        for (char ch : f.value)
            std::fprintf(out_, "%02x", static_cast<uint8_t>(ch));
    }
    /* "n5,r0": letter and domid; flags after a slash when set ("b5/0x1"). */
    void operator()(std::string_view k, field::Perms f)
    {
        Name(k);
        for (size_t i = 0; i < f.value.size(); i++) {
            Perm p = f.value[i];
            std::fprintf(out_, "%s%c%u", i ? "," : "", p.perm, p.domid);
            if (p.flags)
                std::fprintf(out_, "/0x%x", p.flags);
        }
    }
    /* "{nodes=2000,watches=128}"; a name that is not plain is quoted. */
    void operator()(std::string_view k, field::Quotas f)
    {
        Name(k);
        std::fputc('{', out_);
        size_t i = 0;
        f.list.ForEach([&](Bytes name, uint32_t value) {
            if (i >= f.from && i < f.to) {
                if (i > f.from)
                    std::fputc(',', out_);
                if (IsPlainName(name))
                    Raw(name);
                else
                    Quoted(name);
                std::fprintf(out_, "=%" PRIu32, value);
            }
            i++;
        });
        std::fputc('}', out_);
    }

private:
    void Raw(std::string_view s) { std::fwrite(s.data(), 1, s.size(), out_); }
    void Name(std::string_view k)
    {
        std::fputc(' ', out_);
        Raw(k);
        std::fputc('=', out_);
    }
    /* C escapes, so that NULs, quotes and control octets show. */
    void Quoted(Bytes s)
    {
        std::fputc('"', out_);
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

    FILE *out_;
    Layout layout_ = Layout::Xen;
};

} // namespace

std::unique_ptr<RecordPrinter> MakeTextPrinter(FILE *out)
{
    return std::make_unique<TextPrinter>(out);
}

} // namespace xsm
