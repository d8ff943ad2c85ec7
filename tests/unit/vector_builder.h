/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Hand-built stream octets for the tests, written field by field from the
 * spec's tables.  Deliberately independent of lib/: a vector produced by
 * the code under test would prove nothing about the format.
 */
#ifndef XSM_TESTS_VECTOR_BUILDER_H
#define XSM_TESTS_VECTOR_BUILDER_H

#include <cstdint>
#include <string>

namespace xsm_test {

class Octets {
public:
    explicit Octets(bool big = false) : big_(big) {}

    Octets &u8(uint8_t v) { s_.push_back(static_cast<char>(v)); return *this; }
    Octets &u16(uint16_t v) { return put(v, 2); }
    Octets &u32(uint32_t v) { return put(v, 4); }
    Octets &u64(uint64_t v) { return put(v, 8); }
    /* A string and its NUL. */
    Octets &cstr(const std::string &v) { s_ += v; s_.push_back('\0'); return *this; }
    Octets &raw(const std::string &v) { s_ += v; return *this; }
    Octets &zeros(size_t n) { s_.append(n, '\0'); return *this; }
    /* perm, flags, domid: one node permission specifier. */
    Octets &perm(char p, uint8_t flags, uint16_t domid)
    {
        return u8(static_cast<uint8_t>(p)).u8(flags).u16(domid);
    }

    const std::string &str() const { return s_; }
    size_t size() const { return s_.size(); }

private:
    Octets &put(uint64_t v, int n)
    {
        for (int i = 0; i < n; i++) {
            int shift = big_ ? 8 * (n - 1 - i) : 8 * i;
            s_.push_back(static_cast<char>((v >> shift) & 0xff));
        }
        return *this;
    }

    bool big_;
    std::string s_;
};

/* The 16-octet header; always big-endian. */
inline std::string Header(uint32_t version, bool big, uint32_t extra_flags = 0)
{
    return Octets(true).raw("xenstore").u32(version).u32((big ? 1 : 0) | extra_flags).str();
}

enum class Len { Padded, Exact };

/* type, len, body, padding to 8 octets. */
inline std::string Rec(bool big, uint32_t type, const std::string &body, Len len = Len::Padded)
{
    size_t padded = (body.size() + 7) & ~size_t{7};
    Octets o(big);
    o.u32(type).u32(static_cast<uint32_t>(len == Len::Padded ? padded : body.size()));
    o.raw(body).zeros(padded - body.size());
    return o.str();
}

inline std::string End(bool big) { return Rec(big, 0, ""); }

} // namespace xsm_test

#endif
