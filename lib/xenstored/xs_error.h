/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What a request to xenstored answers besides its reply: an error, and
 * the permissions of a node.  Shared by the client of the wire protocol
 * and the interface the engine sees (xenstored/domain_store.h).
 */
#ifndef XSM_XENSTORED_XS_ERROR_H
#define XSM_XENSTORED_XS_ERROR_H

#include <string>

#include "common/status.h"

namespace xsm {

/* An errno value and what was being done when it happened. */
struct XsError {
    int err = 0;
    std::string why;
    /* Refused by our own checks before xenstored saw anything. */
    bool refused = false;
    /* The connection failed or timed out (and was dropped). */
    bool lost = false;
    /* Reading or writing the caller's stream failed, not xenstored. */
    bool io = false;
};

/* One entry of a node's permissions, as XS_GET_PERMS lists them. */
struct XsPermission {
    char access;            /* 'n', 'r', 'w' or 'b' */
    unsigned int domid;
};

/*
 * Between the client's errors and the Status the domain store speaks,
 * for the code that still takes an XsError (the client, the node set's
 * lookups, the host check of a restore).  StatusOf() classifies: a lost
 * connection, a command the daemon lacks (ENOSYS, or ENOTSOCK: no socket
 * to pass a file on), this host's I/O, our own refusal (EPERM: beyond the
 * domain, else a bad stream), else xenstored's refusal.  XsErrorOf() is
 * its inverse, for a Status passed through such code and back.
 */
Status StatusOf(const XsError &e);
XsError XsErrorOf(const Status &s);

} // namespace xsm

#endif
