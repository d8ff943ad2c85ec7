/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What the extern "C" shim files share: the context behind xsm_ctx and
 * the one way errors leave the library: a Status, as errno (by the one
 * table in c_api_status.cc) and a logged reason.
 */
#ifndef XSM_C_API_INTERNAL_H
#define XSM_C_API_INTERNAL_H

#include <cerrno>
#include <memory>
#include <set>
#include <string>

#include "common/status.h"
#include "engine/node_policy.h"
#include "xenstored/xenstored_client.h"
#include "xsmigrate.h"

#define XSM_EXPORT extern "C" __attribute__((visibility("default")))

struct xsm_ctx {
    explicit xsm_ctx(xs_handle *h) : xs(h) {}

    xentoollog_logger *logger = nullptr;
    std::string last_error;
    xsm::XenstoredClient xs;
    xsm::NodePolicy policy;
    std::set<unsigned int> trusted;
    bool trusted_stream = false;   /* xsm_set_trusted_stream() */
};

namespace xsm {

/* The errno a failure is, as xsmigrate.h documents (c_api_status.cc). */
int ErrnoOf(const Status &s);

/* Records the message, logs it (with the failure's own errno), sets
 * errno to ErrnoOf(s), returns -1. */
int CApiFail(xsm_ctx *ctx, const Status &s);
/* 0 for ok, else CApiFail(). */
int CApiResult(xsm_ctx *ctx, const Status &s);

/* Logs what a call did at level (XTL_DEBUG, XTL_INFO) to ctx's logger. */
void CApiLog(const xsm_ctx *ctx, xentoollog_level level, const std::string &what);

/* Success: clears the last error, returns 0. */
inline int CApiOk(xsm_ctx *ctx)
{
    ctx->last_error.clear();
    return 0;
}

/* Runs fn, turning an allocation failure into ENOMEM: no exception leaves. */
template <typename Fn>
int CApiGuard(xsm_ctx *ctx, Fn &&fn)
{
    if (!ctx) {
        errno = EINVAL;
        return -1;
    }
    try {
        return fn();
    } catch (const std::bad_alloc &) {
        return CApiFail(ctx, Status::NoMemory("out of memory"));
    } catch (...) {
        return CApiFail(ctx, Status::Internal("internal error"));
    }
}

} // namespace xsm

#endif
