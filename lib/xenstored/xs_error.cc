/* SPDX-License-Identifier: LGPL-2.1-only */
#include "xenstored/xs_error.h"

#include <cerrno>

namespace xsm {

Status StatusOf(const XsError &e)
{
    if (e.lost)
        return Status::XenstoredLost(e.err, e.why).From(StatusOrigin::kXenstored);
    if (e.io)
        return Status::Io(e.err, e.why);
    if (e.refused)
        return e.err == EPERM ? Status::BeyondDomain(e.why) : Status::BadStream(e.why);
    if (e.err == ENOSYS || e.err == ENOTSOCK)
        return Status::XenstoredLacks(e.err, e.why).From(StatusOrigin::kXenstored);
    return Status::XenstoredRefused(e.err, e.why).From(StatusOrigin::kXenstored);
}

XsError XsErrorOf(const Status &s)
{
    XsError e;
    e.why = s.message();
    e.err = s.sys_errno();
    switch (s.code()) {
    case StatusCode::kXenstoredLost:
        e.lost = true;
        break;
    case StatusCode::kIo:
        e.io = true;
        break;
    case StatusCode::kBeyondDomain:
        e.refused = true;
        e.err = EPERM;
        break;
    case StatusCode::kBadStream:
    case StatusCode::kBadArgument:
        e.refused = true;
        e.err = EINVAL;
        break;
    default:
        break;
    }
    return e;
}

} // namespace xsm
