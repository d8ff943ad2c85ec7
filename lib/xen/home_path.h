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

} // namespace xsm

#endif
