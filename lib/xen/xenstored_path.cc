/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xen/xenstored_path.h, which says what it is. */
#include "xen/xenstored_path.h"

#include <cstdlib>

namespace xsm {

std::optional<std::string> XenstoredPathFromEnv()
{
    const char *env = std::getenv("XENSTORED_PATH");
    if (!env)
        return std::nullopt;
    return std::string(env);
}

} // namespace xsm
