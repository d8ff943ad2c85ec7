/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The C API's one table from a Status to errno, as xsmigrate.h documents
 * it for each call.
 */
#include "c_api_internal.h"

namespace xsm {

namespace {

struct ErrnoRule {
    StatusCode code;
    int err;       /* the errno this kind is */
    bool carried;  /* the Status's own errno instead, when it has one */
};

/* Indexed by StatusCode, in its order (checked below). */
constexpr ErrnoRule kErrnoRules[] = {
    {StatusCode::kOk, 0, false},
    /* A malformed or oversized stream. */
    {StatusCode::kBadStream, EINVAL, false},
    /* A stream reaching beyond the domain. */
    {StatusCode::kBeyondDomain, EPERM, false},
    {StatusCode::kBadArgument, EINVAL, false},
    /* A node set one save-domain cannot carry; a struct larger than this
     * library knows with non-zero octets it does not (XSM_INIT). */
    {StatusCode::kTooBig, E2BIG, false},
    /* The failed call's errno (EBADF, EPIPE, ENOSPC, ...); the stream
     * reader's is EIO ("EIO: it could not be read"), the cause in words. */
    {StatusCode::kIo, EIO, true},
    {StatusCode::kCannotConvert, ENOTSUP, false},
    /* xenstored's own answer: EEXIST, EBUSY, EACCES, ENOSPC, ... */
    {StatusCode::kXenstoredRefused, EIO, true},
    /* ETIMEDOUT, ECONNREFUSED, ... */
    {StatusCode::kXenstoredLost, EIO, true},
    /* ENOSYS, or ENOTSOCK for a daemon reached only through xenbus. */
    {StatusCode::kXenstoredLacks, ENOSYS, true},
    {StatusCode::kNoMemory, ENOMEM, false},
    {StatusCode::kInternal, EIO, false},
};

static_assert(OneRowPerCodeInOrder(kErrnoRules), "one errno rule per StatusCode, in its order");

} // namespace

int ErrnoOf(const Status &s)
{
    const ErrnoRule &r = kErrnoRules[static_cast<int>(s.code())];
    return r.carried && s.sys_errno() ? s.sys_errno() : r.err;
}

int CApiFail(xsm_ctx *ctx, const Status &s)
{
    const int err = ErrnoOf(s);
    ctx->last_error = s.message();
    ctx->last_error_kind = static_cast<int>(s.code());
    if (ctx->logger)
        xtl_log(ctx->logger, XTL_ERROR, s.sys_errno() ? s.sys_errno() : err, "xsmigrate", "%s",
                s.message().c_str());
    errno = err;
    return -1;
}

int CApiResult(xsm_ctx *ctx, const Status &s)
{
    return s.ok() ? CApiOk(ctx) : CApiFail(ctx, s);
}

} // namespace xsm
