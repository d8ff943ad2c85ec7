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
#include "xenstored/domain_store.h"
#include "xsmigrate.h"

#define XSM_EXPORT extern "C" __attribute__((visibility("default")))

struct xsm_ctx {
    explicit xsm_ctx(std::unique_ptr<xsm::DomainStore> s) : store(std::move(s)) {}

    xentoollog_logger *logger = nullptr;
    std::string last_error;
    int last_error_kind = XSM_ERROR_NONE;
    std::unique_ptr<xsm::DomainStore> store;
    xsm::NodePolicy policy;
    std::set<unsigned int> trusted;
    bool trusted_stream = false;   /* xsm_set_trusted_stream() */
};

namespace xsm {

/*
 * A context over store: xsm_ctx_open()'s over the daemon its handle names,
 * the unit tests' over an in-memory one.  NULL with errno on failure.
 */
xsm_ctx *CApiOpen(std::unique_ptr<DomainStore> store, xentoollog_logger *logger);

/* The errno a failure is, as xsmigrate.h documents (c_api_status.cc). */
int ErrnoOf(const Status &s);

/* Records the message and its kind (xsm_last_error_kind()), logs it
 * (with the failure's own errno), sets errno to ErrnoOf(s), returns -1. */
int CApiFail(xsm_ctx *ctx, const Status &s);
/* 0 for ok, else CApiFail(). */
int CApiResult(xsm_ctx *ctx, const Status &s);

/* Logs what a call did at level (XTL_DEBUG, XTL_INFO) to ctx's logger. */
void CApiLog(const xsm_ctx *ctx, xentoollog_level level, const std::string &what);

/* Success: clears the last error, returns 0. */
inline int CApiOk(xsm_ctx *ctx)
{
    ctx->last_error.clear();
    ctx->last_error_kind = XSM_ERROR_NONE;
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
