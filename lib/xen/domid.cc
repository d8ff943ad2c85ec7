/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xen/domid.h, which says what it is. */
#include "xen/domid.h"

#include <string>

namespace xsm {

bool ParseDomid(std::string_view s, unsigned int *out)
{
    if (s.empty() || s.size() > 5 || (s[0] == '0' && s.size() > 1))
        return false;
    unsigned int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + static_cast<unsigned int>(c - '0');
    }
    if (!IsDomid(v))
        return false;
    *out = v;
    return true;
}

Status CheckGuestDomid(unsigned long domid, std::string_view what)
{
    if (domid != 0 && IsDomid(domid))
        return Status::Ok();
    return Status::BadArgument(std::string(what) + ": domain " + std::to_string(domid) +
                               (domid == 0 ? " is dom0, whose ring is the toolstack's own"
                                           : " is a reserved id, no domain"));
}

} // namespace xsm
