/* SPDX-License-Identifier: LGPL-2.1-only */
/* The extern "C" shim over the engine: per-domain save and restore. */
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "c_api_internal.h"
#include "engine/domain_restorer.h"
#include "engine/domain_saver.h"
#include "engine/domain_state.h"
#include "stream/format.h"
#include "xen/domid.h"

namespace {

int Result(xsm_ctx *ctx, bool ok, const xsm::XsError &e)
{
    return ok ? xsm::CApiOk(ctx) : xsm::CApiFail(ctx, e.ToStatus());
}

/* A restore's target: a guest; its domid in the stream: any domain. */
xsm::Status CheckRestoreDomids(uint32_t domid, uint32_t from_domid, const char *what)
{
    if (!xsm::IsDomid(from_domid))
        return xsm::Status::BadArgument(std::string(what) + ": from_domid " +
                                        std::to_string(from_domid) + " is a reserved id");
    return xsm::CheckGuestDomid(domid, what);
}

std::string Join(const std::vector<std::string> &v)
{
    std::string s;
    for (const auto &x : v)
        s += (s.empty() ? "" : " ") + x;
    return s.empty() ? "(none)" : s;
}

/* What xsm_xenstored_check() needs from xenstored's "help". */
struct NeededCommand {
    const char *name;
    const char *parameter; /* that its synopsis must name, or nullptr */
};
const NeededCommand kNeeded[] = {
    {"quiesce", nullptr},
    {"unquiesce", nullptr},
    {"save-domain", nullptr},
    {"restore-domain", "quiesced"},
};

} // namespace

XSM_EXPORT int xsm_domain_save(xsm_ctx *ctx, uint32_t domid, int fd)
{
    return xsm::CApiGuard(ctx, [&] {
        if (xsm::Status guest = xsm::CheckGuestDomid(domid, "xsm_domain_save"); !guest.ok())
            return xsm::CApiFail(ctx, guest);
        xsm::FdSink sink(fd);
        xsm::XsError e;
        xsm::DomainSaver saver(ctx->xs, ctx->policy);
        bool ok = saver.Save(domid, sink, &e);
        for (const std::string &w : saver.warnings())
            xsm::CApiLog(ctx, XTL_WARN, w);
        return Result(ctx, ok, e);
    });
}

XSM_EXPORT int xsm_xenstored_check(xsm_ctx *ctx)
{
    return xsm::CApiGuard(ctx, [&] {
        std::map<std::string, std::string> cmds;
        xsm::XsError e;
        if (!ctx->xs.Commands(&cmds, &e))
            return Result(ctx, false, e);
        for (const auto &n : kNeeded) {
            auto c = cmds.find(n.name);
            if (c == cmds.end())
                return xsm::CApiFail(ctx, xsm::Status::XenstoredLacks(ENOSYS, ctx->xs.Lacks(n.name)));
            if (n.parameter && c->second.find(n.parameter) == std::string::npos)
                return xsm::CApiFail(ctx, xsm::Status::XenstoredLacks(
                                                  ENOSYS, std::string("xenstored's \"") + n.name +
                                                                  "\" has no \"" + n.parameter +
                                                                  "\" argument: it is C xenstored "
                                                                  "with an older version of the "
                                                                  "domain-state commands"));
        }
        /* It opens the state file by its name in dom0's file system. */
        if (ctx->xs.through_device())
            return xsm::CApiFail(ctx, xsm::Status::XenstoredLacks(ENOSYS, ctx->xs.Lacks("save-domain")));
        xsm::CApiLog(ctx, XTL_DEBUG, "xenstored has the domain-state commands");
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_domain_save_buffer(xsm_ctx *ctx, uint32_t domid, void **buf, size_t *len)
{
    return xsm::CApiGuard(ctx, [&] {
        if (xsm::Status guest = xsm::CheckGuestDomid(domid, "xsm_domain_save_buffer"); !guest.ok())
            return xsm::CApiFail(ctx, guest);
        if (!buf || !len)
            return xsm::CApiFail(ctx, xsm::Status::BadArgument("xsm_domain_save_buffer: no buffer"));
        xsm::StringSink sink;
        xsm::XsError e;
        xsm::DomainSaver saver(ctx->xs, ctx->policy);
        const bool saved = saver.Save(domid, sink, &e);
        for (const std::string &w : saver.warnings())
            xsm::CApiLog(ctx, XTL_WARN, w);
        if (!saved)
            return Result(ctx, false, e);
        xsm::CApiLog(ctx, XTL_DEBUG,
                     "domain " + std::to_string(domid) + ": saved roots " + Join(saver.roots()));
        const std::string &s = sink.str();
        void *out = std::malloc(s.size());
        if (!out) {
            xsm::XsError ignored;
            saver.Resume(domid, &ignored);
            return xsm::CApiFail(ctx, xsm::Status::NoMemory("out of memory for the saved state"));
        }
        std::memcpy(out, s.data(), s.size());
        *buf = out;
        *len = s.size();
        xsm::CApiLog(ctx, XTL_INFO,
                     "domain " + std::to_string(domid) + " saved (quiesced): " + saver.counts().Describe(s.size()));
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_domain_restore_buffer(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                                         uint32_t store_port, uint64_t store_gfn,
                                         const void *buf, size_t len, unsigned int flags)
{
    return xsm::CApiGuard(ctx, [&] {
        if (xsm::Status ids = CheckRestoreDomids(domid, from_domid, "xsm_domain_restore_buffer");
            !ids.ok())
            return xsm::CApiFail(ctx, ids);
        if ((!buf && len) || (flags & ~XSM_RESTORE_KEEP_QUIESCED))
            return xsm::CApiFail(ctx, xsm::Status::BadArgument(
                                              "xsm_domain_restore_buffer: bad arguments"));
        xsm::RestoreTarget t{domid, from_domid, store_port, store_gfn};
        t.keep_quiesced = flags & XSM_RESTORE_KEEP_QUIESCED;
        xsm::Bytes stream(static_cast<const char *>(buf), len);
        xsm::MemorySource src(stream);
        xsm::XsError e;
        xsm::DomainRestorer restorer(ctx->xs, ctx->policy, ctx->trusted, ctx->trusted_stream);
        bool ok = restorer.Restore(src, false, t, &e);
        if (ok)
            xsm::CApiLog(ctx, XTL_INFO,
                         "domain " + std::to_string(domid) + " restored (from domain " +
                                 std::to_string(from_domid) + ", port " +
                                 std::to_string(store_port) +
                                 (t.keep_quiesced ? ", quiesced): " : "): ") +
                                 restorer.counts().Describe(len));
        return Result(ctx, ok, e);
    });
}

XSM_EXPORT int xsm_domain_resume(xsm_ctx *ctx, uint32_t domid)
{
    return xsm::CApiGuard(ctx, [&] {
        if (xsm::Status guest = xsm::CheckGuestDomid(domid, "xsm_domain_resume"); !guest.ok())
            return xsm::CApiFail(ctx, guest);
        xsm::XsError e;
        bool ok = xsm::DomainSaver(ctx->xs, ctx->policy).Resume(domid, &e);
        if (ok)
            xsm::CApiLog(ctx, XTL_DEBUG, "domain " + std::to_string(domid) + " unquiesced");
        return Result(ctx, ok, e);
    });
}

XSM_EXPORT int xsm_domain_restore(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                                  uint32_t store_port, uint64_t store_gfn, int fd)
{
    return xsm::CApiGuard(ctx, [&] {
        if (xsm::Status ids = CheckRestoreDomids(domid, from_domid, "xsm_domain_restore"); !ids.ok())
            return xsm::CApiFail(ctx, ids);
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
            return xsm::CApiFail(ctx, xsm::Status::BadArgument("xsm_set_node_templates: no templates"));
        std::vector<std::string> t(templates, templates + n);
        xsm::NodePolicy p;
        std::string why;
        if (!p.Parse(t, &why))
            return xsm::CApiFail(ctx, xsm::Status::BadArgument(why));
        ctx->policy = std::move(p);
        return xsm::CApiOk(ctx);
    });
}

XSM_EXPORT int xsm_trust_domid(xsm_ctx *ctx, uint32_t domid)
{
    return xsm::CApiGuard(ctx, [&] {
        if (!xsm::IsDomid(domid))
            return xsm::CApiFail(ctx, xsm::Status::BadArgument(
                                              "xsm_trust_domid: domain " + std::to_string(domid) +
                                              " is a reserved id"));
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
