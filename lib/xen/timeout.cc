/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xen/timeout.h, which says what it is. */
#include "xen/timeout.h"

#include <cstdlib>

namespace xsm {

bool ParseTimeoutSeconds(const char *s, int *ms)
{
    if (!s || !*s)
        return false;
    char *end = nullptr;
    double v = std::strtod(s, &end);
    if (*end || !(v > 0) || v > 86400)
        return false;
    *ms = static_cast<int>(v * 1000 + 0.5) ?: 1;
    return true;
}

int DefaultXenstoredTimeoutMs()
{
    int ms = kDefaultXenstoredTimeoutMs;
    return ParseTimeoutSeconds(std::getenv("XSM_XENSTORED_TIMEOUT"), &ms) ? ms
                                                                          : kDefaultXenstoredTimeoutMs;
}

} // namespace xsm
