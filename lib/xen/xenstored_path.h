/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Which xenstored xs_open(0) reaches: $XENSTORED_PATH (a socket, or a
 * device), else the daemon's socket, else the kernel's xenbus device.
 */
#ifndef XSM_XEN_XENSTORED_PATH_H
#define XSM_XEN_XENSTORED_PATH_H

#include <optional>
#include <string>

namespace xsm {

inline constexpr char kXenstoredSocket[] = "/var/run/xenstored/socket";
/* Tried in this order when no socket answers and XENSTORED_PATH is unset. */
inline constexpr const char *kXenbusDevices[] = {"/dev/xen/xenbus", "/proc/xen/xenbus"};

/* $XENSTORED_PATH as it is (maybe empty), nullopt if unset: only then
 * is the xenbus device a fallback. */
std::optional<std::string> XenstoredPathFromEnv();

} // namespace xsm

#endif
