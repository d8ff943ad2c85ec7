/* SPDX-License-Identifier: LGPL-2.1-only */
/* The extern "C" shim over the engine: per-domain save and restore. */
#include "c_api_internal.h"
#include "engine/domain_restorer.h"
#include "engine/domain_saver.h"
#include "stream/format.h"

namespace {

int Result(xsm_ctx *ctx, bool ok, const xsm::XsError &e)
{
    return ok ? xsm::CApiOk(ctx) : xsm::CApiFail(ctx, e.err ? e.err : EIO, e.why);
}

bool ValidDomid(uint32_t d)
{
    return d < xsm::kDomidFirstReserved;
}

} // namespace

XSM_EXPORT int xsm_domain_save(xsm_ctx *ctx, uint32_t domid, int fd)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!ValidDomid(domid))
            return xsm::CApiFail(ctx, EINVAL, "xsm_domain_save: bad domid");
        xsm::FdSink sink(fd);
        xsm::XsError e;
        bool ok = xsm::DomainSaver(ctx->xs, ctx->policy).Save(domid, sink, &e);
        return Result(ctx, ok, e);
    });
}

XSM_EXPORT int xsm_domain_resume(xsm_ctx *ctx, uint32_t domid)
{
    return xsm::CApiGuard(ctx, [&] {
        xsm::XsError e;
        bool ok = xsm::DomainSaver(ctx->xs, ctx->policy).Resume(domid, &e);
        return Result(ctx, ok, e);
    });
}

XSM_EXPORT int xsm_domain_restore(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                                  uint32_t store_port, uint64_t store_gfn, int fd)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!ValidDomid(domid) || !ValidDomid(from_domid) || domid == 0)
            return xsm::CApiFail(ctx, EINVAL, "xsm_domain_restore: bad domid");
        xsm::RestoreTarget t{domid, from_domid, store_port, store_gfn};
        xsm::FdSource src(fd);
        xsm::XsError e;
        bool ok = xsm::DomainRestorer(ctx->xs, ctx->policy, ctx->trusted, ctx->trusted_stream)
                          .Restore(src, true, t, &e);
        return Result(ctx, ok, e);
    });
}

XSM_EXPORT int xsm_set_node_templates(xsm_ctx *ctx, const char *const *templates,
                                      unsigned int n)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!templates || n == 0)
            return xsm::CApiFail(ctx, EINVAL, "xsm_set_node_templates: no templates");
        std::vector<std::string> t(templates, templates + n);
        xsm::NodePolicy p;
        std::string why;
        if (!p.Parse(t, &why))
            return xsm::CApiFail(ctx, EINVAL, why);
        ctx->policy = std::move(p);
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_trust_domid(xsm_ctx *ctx, uint32_t domid)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!ValidDomid(domid))
            return xsm::CApiFail(ctx, EINVAL, "xsm_trust_domid: bad domid");
        ctx->trusted.insert(domid);
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_set_trusted_stream(xsm_ctx *ctx, int trusted)
{
    return xsm::CApiGuard(ctx, [&] {
        ctx->trusted_stream = trusted != 0;
        return xsm::CApiOk(ctx);
    });
}
