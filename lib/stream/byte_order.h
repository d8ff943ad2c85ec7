/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Loads and stores of fixed-width integers in the stream's byte order.
 * Memory is accessed with memcpy: stream buffers carry no alignment promise.
 */
#ifndef XSM_STREAM_BYTE_ORDER_H
#define XSM_STREAM_BYTE_ORDER_H

#include <cstdint>
#include <cstring>

#include "stream/format.h"

namespace xsm {

inline constexpr Endian kHostEndian =
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    Endian::Big;
#else
    Endian::Little;
#endif

inline uint8_t Swap(uint8_t v) { return v; }
inline uint16_t Swap(uint16_t v) { return __builtin_bswap16(v); }
inline uint32_t Swap(uint32_t v) { return __builtin_bswap32(v); }
inline uint64_t Swap(uint64_t v) { return __builtin_bswap64(v); }

template <typename T>
inline T Load(const uint8_t *p, Endian e)
{
    T v;
    std::memcpy(&v, p, sizeof(v));
    return e == kHostEndian ? v : Swap(v);
}

template <typename T>
inline void Store(uint8_t *p, T v, Endian e)
{
    if (e != kHostEndian)
        v = Swap(v);
    std::memcpy(p, &v, sizeof(v));
}

} // namespace xsm

#endif
