/* SPDX-License-Identifier: LGPL-2.1-only */
/* A domain's home in xenstore: /local/domain/<domid>. */
#ifndef XSM_XEN_HOME_PATH_H
#define XSM_XEN_HOME_PATH_H

#include <string>

namespace xsm {

inline constexpr char kDomainsRoot[] = "/local/domain";

/* "/local/domain/N", no trailing slash. */
inline std::string HomePath(unsigned int domid)
{
    return std::string(kDomainsRoot) + "/" + std::to_string(domid);
}

} // namespace xsm

#endif
