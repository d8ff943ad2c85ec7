/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Domain ids as Xen and its toolstack spell them, for every room: the
 * reserved range, the one parser of a domid in text (an argument, a path
 * component), and which domids name a guest whose xenstore state may be
 * saved, restored or resumed.
 */
#ifndef XSM_XEN_DOMID_H
#define XSM_XEN_DOMID_H

#include <cstdint>
#include <string_view>

#include "common/status.h"

namespace xsm {

/* xen/include/public/xen.h: DOMID_FIRST_RESERVED; DOMID_INVALID. */
inline constexpr uint16_t kDomidFirstReserved = 0x7ff0;
inline constexpr uint16_t kDomidInvalid = 0x7ff4;
static_assert(kDomidFirstReserved == 32752 && kDomidInvalid == 32756);

/* Names a domain at all: below DOMID_FIRST_RESERVED. */
constexpr bool IsDomid(unsigned long d) { return d < kDomidFirstReserved; }

/*
 * A domid in text as libxl writes it ("0", "12"): plain decimal, no
 * sign, space, base prefix or leading zero, not reserved.  strtoul would
 * take " 12", "+1", "0x10", and "010" as 8.
 */
bool ParseDomid(std::string_view s, unsigned int *out);

/* A domid's decimal text, in the caller's room: no allocation, no printf
 * (the engine writes one per node it restores). */
struct DomidText {
    explicit DomidText(unsigned int domid)
    {
        char *p = room_ + sizeof(room_);
        do
            *--p = static_cast<char>('0' + domid % 10);
        while (domid /= 10);
        begin_ = p;
    }
    std::string_view view() const
    {
        return {begin_, static_cast<size_t>(room_ + sizeof(room_) - begin_)};
    }

private:
    char room_[10];
    const char *begin_;
};

/*
 * Whether domid's state may be moved: a domain, and not dom0, whose ring
 * is the toolstack's own (quiescing it would stop the toolstack).
 * kBadArgument naming what ("save", "xsm_domain_resume", ...) otherwise.
 */
Status CheckGuestDomid(unsigned long domid, std::string_view what);

} // namespace xsm

#endif
