/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The extern "C" shim over the engine's front door (engine/domain_mover.h):
 * per-domain save, restore and resume.  Each form of a call (an fd, a
 * buffer) is one path here, so each logs and fails the same way.
 */
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "c_api_internal.h"
#include "engine/domain_mover.h"
#include "stream/format.h"
#include "xen/domid.h"

namespace {

int Result(xsm_ctx *ctx, const xsm::Status &st)
{
    return xsm::CApiResult(ctx, st);
}

int BadArgument(xsm_ctx *ctx, const std::string &why)
{
    return xsm::CApiFail(ctx, xsm::Status::BadArgument(why));
}

/* A restore's target: a guest; its domid in the stream: any domain. */
xsm::Status CheckRestoreDomids(uint32_t domid, uint32_t from_domid, const char *fn)
{
    if (!xsm::IsDomid(from_domid))
        return xsm::Status::BadArgument(std::string(fn) + ": from_domid " +
                                        std::to_string(from_domid) + " is a reserved id");
    return xsm::CheckGuestDomid(domid, fn);
}

std::string Join(const std::vector<std::string> &v)
{
    std::string s;
    for (const auto &x : v)
        s += (s.empty() ? "" : " ") + x;
    return s.empty() ? "(none)" : s;
}

xsm::DomainMover MoverOf(xsm_ctx *ctx)
{
    return xsm::DomainMover(*ctx->store, ctx->policy,
                            xsm::RestoreTrust{ctx->trusted, ctx->trusted_stream});
}

/*
 * Every save: the stream to sink, then hand_over() passes it on (a buffer
 * for the caller); if that fails, or anything throws, the domain is
 * resumed before the call returns.
 */
template <typename HandOver>
int SaveDomain(xsm_ctx *ctx, const char *fn, uint32_t domid, xsm::ByteSink &sink,
               HandOver &&hand_over)
{
    if (xsm::Status guest = xsm::CheckGuestDomid(domid, fn); !guest.ok())
        return Result(ctx, guest);
    xsm::DomainMover mover = MoverOf(ctx);
    xsm::QuiesceTicket ticket;
    xsm::Status st = mover.Save(domid, sink, &ticket);
    const xsm::SaveReport &report = mover.report();
    for (const std::string &w : report.warnings)
        xsm::CApiLog(ctx, XTL_WARN, w);
    if (!st.ok())
        return Result(ctx, st);
    const std::string dom = "domain " + std::to_string(domid);
    xsm::CApiLog(ctx, XTL_DEBUG, dom + ": saved roots " + Join(report.roots));
    st = hand_over();
    if (!st.ok()) {
        const xsm::Status resumed = ticket.Resume();
        if (!resumed.ok())
            st.Append("and " + dom + " could not be resumed: " + resumed.message());
        return Result(ctx, st);
    }
    ticket.Commit();
    xsm::CApiLog(ctx, XTL_INFO,
                 dom + " saved (quiesced): " + report.counts.Describe(report.octets));
    return xsm::CApiOk(ctx);
}

/* Every restore: from src, embedded (src goes on after END) or whole. */
int RestoreDomain(xsm_ctx *ctx, const char *fn, uint32_t domid, uint32_t from_domid,
                  uint32_t store_port, uint64_t store_gfn, xsm::ByteSource &src,
                  unsigned int flags)
{
    if (xsm::Status ids = CheckRestoreDomids(domid, from_domid, fn); !ids.ok())
        return Result(ctx, ids);
    xsm::RestoreTarget t{domid, from_domid, store_port, store_gfn};
    t.keep_quiesced = flags & XSM_RESTORE_KEEP_QUIESCED;
    xsm::DomainMover mover = MoverOf(ctx);
    const xsm::Status st = mover.Restore(src, !(flags & XSM_RESTORE_WHOLE_FD), t);
    if (!st.ok())
        return Result(ctx, st);
    const xsm::SaveReport &report = mover.report();
    xsm::CApiLog(ctx, XTL_INFO,
                 "domain " + std::to_string(domid) + " restored (from domain " +
                         std::to_string(from_domid) + ", port " + std::to_string(store_port) +
                         (t.keep_quiesced ? ", quiesced): " : "): ") +
                         report.counts.Describe(report.octets));
    return xsm::CApiOk(ctx);
}

} // namespace

XSM_EXPORT int xsm_domain_save(xsm_ctx *ctx, uint32_t domid, int fd)
{
    return xsm::CApiGuard(ctx, [&] {
        xsm::FdSink sink(fd);
        /* Written as it was checked: nothing more to hand over. */
        return SaveDomain(ctx, "xsm_domain_save", domid, sink, [] { return xsm::Status::Ok(); });
    });
}

XSM_EXPORT int xsm_domain_save_buffer(xsm_ctx *ctx, uint32_t domid, void **buf, size_t *len)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!buf || !len)
            return BadArgument(ctx, "xsm_domain_save_buffer: no buffer");
        xsm::StringSink sink;
        return SaveDomain(ctx, "xsm_domain_save_buffer", domid, sink, [&] {
            const std::string &s = sink.str();
            void *out = std::malloc(s.size());
            if (!out)
                return xsm::Status::NoMemory("out of memory for the saved state");
            std::memcpy(out, s.data(), s.size());
            *buf = out;
            *len = s.size();
            return xsm::Status::Ok();
        });
    });
}

XSM_EXPORT int xsm_domain_resume(xsm_ctx *ctx, uint32_t domid)
{
    return xsm::CApiGuard(ctx, [&] {
        if (xsm::Status guest = xsm::CheckGuestDomid(domid, "xsm_domain_resume"); !guest.ok())
            return Result(ctx, guest);
        const xsm::Status st = MoverOf(ctx).Resume(domid);
        if (!st.ok())
            return Result(ctx, st);
        xsm::CApiLog(ctx, XTL_DEBUG, "domain " + std::to_string(domid) + " unquiesced");
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_domain_restore(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                                  uint32_t store_port, uint64_t store_gfn, int fd)
{
    return xsm::CApiGuard(ctx, [&] {
        xsm::FdSource src(fd);
        return RestoreDomain(ctx, "xsm_domain_restore", domid, from_domid, store_port,
                             store_gfn, src, 0);
    });
}

XSM_EXPORT int xsm_domain_restore_fd(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                                     uint32_t store_port, uint64_t store_gfn, int fd,
                                     unsigned int flags)
{
    return xsm::CApiGuard(ctx, [&] {
        if (flags & ~(XSM_RESTORE_KEEP_QUIESCED | XSM_RESTORE_WHOLE_FD))
            return BadArgument(ctx, "xsm_domain_restore_fd: bad flags");
        xsm::FdSource src(fd);
        return RestoreDomain(ctx, "xsm_domain_restore_fd", domid, from_domid, store_port,
                             store_gfn, src, flags);
    });
}

XSM_EXPORT int xsm_domain_restore_buffer(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                                         uint32_t store_port, uint64_t store_gfn,
                                         const void *buf, size_t len, unsigned int flags)
{
    return xsm::CApiGuard(ctx, [&] {
        if ((!buf && len) || (flags & ~XSM_RESTORE_KEEP_QUIESCED))
            return BadArgument(ctx, "xsm_domain_restore_buffer: bad arguments");
        xsm::MemorySource src(xsm::Bytes(static_cast<const char *>(buf), len));
        /* One whole stream: nothing after its END. */
        return RestoreDomain(ctx, "xsm_domain_restore_buffer", domid, from_domid, store_port,
                             store_gfn, src, flags | XSM_RESTORE_WHOLE_FD);
    });
}

XSM_EXPORT int xsm_xenstored_check(xsm_ctx *ctx)
{
    return xsm::CApiGuard(ctx, [&] {
        const xsm::Status st = MoverOf(ctx).Check();
        if (!st.ok())
            return Result(ctx, st);
        xsm::CApiLog(ctx, XTL_DEBUG, "xenstored has the domain-state commands");
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_set_node_templates(xsm_ctx *ctx, const char *const *templates,
                                      unsigned int n)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!templates || n == 0)
            return BadArgument(ctx, "xsm_set_node_templates: no templates");
        std::vector<std::string> t(templates, templates + n);
        xsm::NodePolicy p;
        std::string why;
        if (!p.Parse(t, &why))
            return BadArgument(ctx, why);
        ctx->policy = std::move(p);
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_trust_domid(xsm_ctx *ctx, uint32_t domid)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!xsm::IsDomid(domid))
            return BadArgument(ctx, "xsm_trust_domid: domain " + std::to_string(domid) +
                                            " is a reserved id");
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
