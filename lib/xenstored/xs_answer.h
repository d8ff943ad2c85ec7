/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What a request to xenstored answers besides its reply, in the words
 * the engine uses: a node's permissions, and a failure that only says the
 * node is not there.  Shared by the client of the wire protocol and the
 * interface the engine sees (xenstored/domain_store.h).
 */
#ifndef XSM_XENSTORED_XS_ANSWER_H
#define XSM_XENSTORED_XS_ANSWER_H

#include <cerrno>

#include "common/status.h"

namespace xsm {

/* One entry of a node's permissions, as XS_GET_PERMS lists them. */
struct XsPermission {
    char access;            /* 'n', 'r', 'w' or 'b' */
    unsigned int domid;
};

/* xenstored answered ENOENT: no such node (which a lookup may expect). */
inline bool IsMissingNode(const Status &s)
{
    return s.Is(StatusCode::kXenstoredRefused) && s.sys_errno() == ENOENT;
}

} // namespace xsm

#endif
