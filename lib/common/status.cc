/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of common/status.h, which says what it is. */
#include "common/status.h"

namespace xsm {

Status &Status::Prefix(std::string_view context)
{
    if (!ok())
        message_ = std::string(context) + ": " + message_;
    return *this;
}

Status Status::Prefixed(std::string_view context) const &
{
    Status s = *this;
    return std::move(s.Prefix(context));
}

Status Status::Prefixed(std::string_view context) &&
{
    return std::move(Prefix(context));
}

Status &Status::Append(std::string_view more)
{
    if (!ok())
        message_ += "; " + std::string(more);
    return *this;
}

std::string Status::ToString() const
{
    std::string s(StatusCodeName(code_));
    if (errno_)
        s += " (errno " + std::to_string(errno_) + ")";
    return ok() ? s : s + ": " + message_;
}

std::string_view StatusCodeName(StatusCode c)
{
    switch (c) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kBadStream: return "bad-stream";
    case StatusCode::kBeyondDomain: return "beyond-domain";
    case StatusCode::kBadArgument: return "bad-argument";
    case StatusCode::kTooBig: return "too-big";
    case StatusCode::kIo: return "io";
    case StatusCode::kCannotConvert: return "cannot-convert";
    case StatusCode::kXenstoredRefused: return "xenstored-refused";
    case StatusCode::kXenstoredLost: return "xenstored-lost";
    case StatusCode::kXenstoredLacks: return "xenstored-lacks";
    case StatusCode::kNoMemory: return "no-memory";
    case StatusCode::kInternal: return "internal";
    }
    return "internal";
}

} // namespace xsm
