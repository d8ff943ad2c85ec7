/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * One stream holding every record type, built by hand from the spec's
 * tables in either byte order and CONNECTION_DATA layout.  Used by the
 * round-trip and CLI tests, and checked in under tests/vectors.
 */
#ifndef XSM_TESTS_SPEC_VECTORS_H
#define XSM_TESTS_SPEC_VECTORS_H

#include "vector_builder.h"

namespace xsm_test {

enum class ConnLayout { Xen, Draft };

/* A ring connection for domain 5 (conn-id 1) and a socket (conn-id 2). */
inline std::string Connections(bool big, ConnLayout layout)
{
    Octets ring(big), sock(big);
    if (layout == ConnLayout::Xen) {
        ring.u32(1).u16(0).u16(0).u16(5).u16(0x7ff4).u32(15)
                .u16(0).u16(0).u32(6).raw(std::string("pend\0\0", 6));
        sock.u32(2).u16(1).u16(0).u32(11).u32(0).u16(0).u16(0).u32(0);
    } else {
        ring.u32(1).u16(0).u16(0).u16(5).u16(0x7ff4).u32(15).u64(~0ULL)
                .u32(6).raw(std::string("pend\0\0", 6));
        sock.u32(2).u16(1).u16(0).u32(11).u32(0).u64(0).u32(0);
    }
    return Rec(big, 2, ring.str()) + Rec(big, 2, sock.str());
}

/* Version 1: every record type of the v4 design. */
inline std::string FullStreamV1(bool big, ConnLayout layout = ConnLayout::Xen)
{
    Octets g(big), w(big), t(big), n1(big), n2(big), n3(big);
    g.u32(3).u32(uint32_t(-1));
    w.u32(1).u16(21).u16(4).cstr("/local/domain/5/data").cstr("tok");
    t.u32(1).u32(7);
    n1.u32(0).u32(0).u16(16).u16(0).u16(0).u16(2).perm('n', 0, 5).perm('r', 0, 0)
            .cstr("/local/domain/5");
    n2.u32(0).u32(0).u16(23).u16(5).u16(0).u16(1).perm('b', 1, 5)
            .cstr("/local/domain/5/data/x").raw(std::string("1\0\xc3\xa9\xff", 5));
    n3.u32(1).u32(7).u16(23).u16(1).u16(3).u16(1).perm('n', 0, 5)
            .cstr("/local/domain/5/data/y").raw("2");
    return Header(1, big) + Rec(big, 1, g.str()) + Connections(big, layout) +
           Rec(big, 3, w.str()) + Rec(big, 4, t.str()) + Rec(big, 5, n1.str()) +
           Rec(big, 5, n2.str()) + Rec(big, 5, n3.str()) + End(big);
}

/* Version 2 additions: quotas, per-domain data, extended watches. */
inline std::string FullStreamV2(bool big)
{
    Octets q(big), d(big), we(big);
    q.u16(1).u16(1).u32(2000).u32(0).cstr("nodes").cstr("transaction-memory");
    d.u16(5).u16(1).u32(1).u32(500).cstr("nodes");
    we.u32(1).u16(2).u16(3).u16(2).u16(0).cstr("/").cstr("ex");
    std::string v1 = FullStreamV1(big);
    std::string body = v1.substr(16, v1.size() - 16 - 8); /* without header and END */
    return Header(2, big) + Rec(big, 6, q.str()) + Rec(big, 7, d.str()) + body +
           Rec(big, 8, we.str()) + End(big);
}

} // namespace xsm_test

#endif
