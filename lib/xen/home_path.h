/* SPDX-License-Identifier: LGPL-2.1-only */
/* A domain's home in xenstore: /local/domain/<domid>. */
#ifndef XSM_XEN_HOME_PATH_H
#define XSM_XEN_HOME_PATH_H

#include <string>
#include <string_view>

#include "xen/domid.h"

namespace xsm {

/* What every home starts with; a domid's text follows. */
inline constexpr std::string_view kHomesPrefix = "/local/domain/";

/* "/local/domain/N", no trailing slash. */
inline std::string HomePath(unsigned int domid)
{
    std::string home(kHomesPrefix);
    home += DomidText(domid).view();
    return home;
}

/* The length of "/local/domain/N" when path is domid N's home or inside
 * it, else 0: no allocation, for checks that run once per node. */
inline size_t HomeLength(std::string_view path, unsigned int domid)
{
    const DomidText text(domid);
    const std::string_view id = text.view();
    if (path.substr(0, kHomesPrefix.size()) != kHomesPrefix ||
        path.substr(kHomesPrefix.size(), id.size()) != id)
        return 0;
    const size_t end = kHomesPrefix.size() + id.size();
    return end == path.size() || path[end] == '/' ? end : 0;
}

} // namespace xsm

#endif
