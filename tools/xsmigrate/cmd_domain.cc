/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xsmigrate save, restore and resume: one domain's xenstore state out of
 * and into xenstored, through the library's C API (include/xsmigrate.h),
 * as xl goes through libxl: the same calls, checks and messages.
 */
#include <getopt.h>

#include <cstdarg>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli.h"
#include "input_file.h"
#include "output_file.h"
#include "xen/domid.h"
#include "xen/timeout.h"
#include "xsmigrate.h"

namespace xsm {

namespace {

/* The library's warnings as the command's own; its errors are printed
 * once, by Failure(), with the exit status their kind gives. */
struct WarningPrinter {
    xentoollog_logger vtable;
    const char *cmd;
};

void PrintLibraryWarning(xentoollog_logger *l, xentoollog_level level, int, const char *,
                         const char *fmt, va_list al)
{
    if (level != XTL_WARN)
        return;
    const auto *p = reinterpret_cast<const WarningPrinter *>(l);
    std::fprintf(stderr, "xsmigrate %s: warning: ", p->cmd);
    std::vfprintf(stderr, fmt, al);
    std::fputc('\n', stderr);
}

void NoProgress(xentoollog_logger *, const char *, const char *, int, unsigned long,
                unsigned long)
{
}

void NoDestroy(xentoollog_logger *) {}

struct CtxCloser {
    void operator()(xsm_ctx *ctx) const { xsm_ctx_close(ctx); }
};
using Ctx = std::unique_ptr<xsm_ctx, CtxCloser>;

int Failure(const char *cmd, const xsm_ctx *ctx);

/* A context whose requests wait at most timeout_ms (0: the library's
 * default), with the node set of templates (the library's default if
 * none); kOk, or the exit status after printing why. */
int OpenCtx(WarningPrinter *printer, int timeout_ms, const std::vector<std::string> &templates,
            Ctx *ctx)
{
    printer->vtable = {PrintLibraryWarning, NoProgress, NoDestroy};
    ctx->reset(xsm_ctx_open(nullptr, &printer->vtable, 0));
    if (!*ctx)
        return Fail(printer->cmd, Status::NoMemory(std::string("cannot open a context: ") +
                                                   std::strerror(errno)));
    if (timeout_ms && xsm_set_timeout_ms(ctx->get(), static_cast<unsigned int>(timeout_ms)) < 0)
        return Failure(printer->cmd, ctx->get());
    std::vector<const char *> t;
    for (const std::string &s : templates)
        t.push_back(s.c_str());
    if (!t.empty() && xsm_set_node_templates(ctx->get(), t.data(), t.size()) < 0)
        return Failure(printer->cmd, ctx->get());
    return kOk;
}

/* The library classified the failure (xsm_last_error_kind(), a
 * StatusCode); its exit status is the table's (exit_status.cc). */
int Failure(const char *cmd, const xsm_ctx *ctx)
{
    const int kind = xsm_last_error_kind(ctx);
    const StatusCode code = kind > 0 && kind < kStatusCodeCount ? static_cast<StatusCode>(kind)
                                                                : StatusCode::kInternal;
    return Fail(cmd, ExitStatusOf(code), xsm_last_error(ctx));
}

/* --domid: a guest's (not dom0's, whose ring is the toolstack's own). */
bool ParseGuestDomid(const char *s, unsigned int *out)
{
    return ParseDomid(s, out) && CheckGuestDomid(*out, "--domid").ok();
}

} // namespace

int Save(int argc, char **argv)
{
    static const char kCmd[] = "save";
    static const option opts[] = {{"domid", required_argument, nullptr, 'd'},
                                  {"output", required_argument, nullptr, 'o'},
                                  {"node", required_argument, nullptr, 'n'},
                                  {"timeout", required_argument, nullptr, 'T'},
                                  {nullptr, 0, nullptr, 0}};
    unsigned int domid = 0;
    bool have_domid = false;
    std::string out_path = "-";
    std::vector<std::string> templates;
    int timeout_ms = 0; /* the library's: $XSM_XENSTORED_TIMEOUT, else 5 s */
    int c;
    while ((c = getopt_long(argc, argv, "+o:", opts, nullptr)) != -1) {
        if (c == 'd' && ParseGuestDomid(optarg, &domid))
            have_domid = true;
        else if (c == 'o')
            out_path = optarg;
        else if (c == 'n')
            templates.push_back(optarg);
        else if (c == 'T' && ParseTimeoutSeconds(optarg, &timeout_ms))
            continue;
        else
            return Usage("save: bad option (--domid is decimal, not 0 or reserved)");
    }
    if (!have_domid || optind != argc)
        return Usage("save: --domid N expected, and no other argument");
    WarningPrinter printer{{}, kCmd};
    Ctx ctx;
    if (int status = OpenCtx(&printer, timeout_ms, templates, &ctx))
        return status;

    /* A stream for a closed stdout would be lost with the guest quiesced. */
    if (out_path == "-" && StdFdWasClosed(1))
        return Fail(kCmd, Status::Io(EBADF, "standard output: cannot write: it is closed"));
    OutputFile out;
    if (Status opened = out.Open(out_path); !opened.ok())
        return Fail(kCmd, opened);
    if (xsm_domain_save(ctx.get(), domid, out.fd()) < 0)
        return Failure(kCmd, ctx.get());
    if (Status committed = out.Commit(); !committed.ok()) {
        /* The state is out of xenstored but not on disk: let the guest go on here. */
        if (xsm_domain_resume(ctx.get(), domid) < 0)
            committed.Append("and domain " + std::to_string(domid) + " could not be resumed: " +
                             xsm_last_error(ctx.get()));
        return Fail(kCmd, committed);
    }
    return kOk;
}

int Restore(int argc, char **argv)
{
    static const char kCmd[] = "restore";
    static const option opts[] = {{"domid", required_argument, nullptr, 'd'},
                                  {"from-domid", required_argument, nullptr, 'f'},
                                  {"port", required_argument, nullptr, 'p'},
                                  {"gfn", required_argument, nullptr, 'g'},
                                  {"trust-domid", required_argument, nullptr, 't'},
                                  {"node", required_argument, nullptr, 'n'},
                                  {"timeout", required_argument, nullptr, 'T'},
                                  {"trusted-stream", no_argument, nullptr, 'S'},
                                  {nullptr, 0, nullptr, 0}};
    bool trusted_stream = false;
    struct {
        unsigned int domid = 0, from_domid = 0, store_port = 0;
        uint64_t store_gfn = 0;
    } t;
    bool have_domid = false, have_from = false, have_port = false;
    std::set<unsigned int> trusted;
    std::vector<std::string> templates;
    int timeout_ms = 0; /* the library's: $XSM_XENSTORED_TIMEOUT, else 5 s */
    unsigned long long v;
    unsigned int d;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, nullptr)) != -1) {
        if (c == 'd' && ParseGuestDomid(optarg, &t.domid))
            have_domid = true;
        else if (c == 'f' && ParseDomid(optarg, &t.from_domid))
            have_from = true;
        else if (c == 'p' || c == 'g') {
            if (!ParseDecimal(optarg, c == 'p' ? UINT32_MAX : UINT64_MAX, &v))
                return Usage((std::string("restore: ") + (c == 'p' ? "--port" : "--gfn") +
                              " \"" + optarg +
                              "\" is not a decimal number (no sign, base prefix or "
                              "leading zero) that fits in " +
                              (c == 'p' ? "32" : "64") + " bits")
                                     .c_str());
            if (c == 'p')
                t.store_port = static_cast<unsigned int>(v), have_port = true;
            else
                t.store_gfn = v;
        }
        else if (c == 't' && ParseDomid(optarg, &d))
            trusted.insert(d);
        else if (c == 'n')
            templates.push_back(optarg);
        else if (c == 'T' && ParseTimeoutSeconds(optarg, &timeout_ms))
            continue;
        else if (c == 'S')
            trusted_stream = true;
        else
            return Usage("restore: bad option");
    }
    if (!have_domid || !have_port || argc - optind > 1)
        return Usage("restore: --domid N (not 0) and --port P expected, and at most one FILE");
    if (!have_from)
        t.from_domid = t.domid;
    WarningPrinter printer{{}, kCmd};
    Ctx ctx;
    if (int status = OpenCtx(&printer, timeout_ms, templates, &ctx))
        return status;
    for (unsigned int td : trusted)
        xsm_trust_domid(ctx.get(), td); /* parsed as a domid: cannot fail */
    xsm_set_trusted_stream(ctx.get(), trusted_stream);

    InputFile in;
    if (Status opened = in.Open(optind < argc ? argv[optind] : "-"); !opened.ok())
        return Fail(kCmd, opened);
    /* The file or pipe holds the stream and nothing else. */
    if (xsm_domain_restore_fd(ctx.get(), t.domid, t.from_domid, t.store_port, t.store_gfn,
                              in.fd(), XSM_RESTORE_WHOLE_FD) < 0)
        return Failure(kCmd, ctx.get());
    return kOk;
}

/* Serve a domain again that a failed save (killed, say) left quiesced. */
int Resume(int argc, char **argv)
{
    static const char kCmd[] = "resume";
    static const option opts[] = {{"domid", required_argument, nullptr, 'd'},
                                  {"timeout", required_argument, nullptr, 'T'},
                                  {nullptr, 0, nullptr, 0}};
    unsigned int domid = 0;
    bool have_domid = false;
    int timeout_ms = 0; /* the library's: $XSM_XENSTORED_TIMEOUT, else 5 s */
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, nullptr)) != -1) {
        if (c == 'd' && ParseGuestDomid(optarg, &domid))
            have_domid = true;
        else if (c == 'T' && ParseTimeoutSeconds(optarg, &timeout_ms))
            continue;
        else
            return Usage("resume: bad option");
    }
    if (!have_domid || optind != argc)
        return Usage("resume: --domid N expected, and no other argument");
    WarningPrinter printer{{}, kCmd};
    Ctx ctx;
    if (int status = OpenCtx(&printer, timeout_ms, {}, &ctx))
        return status;
    if (xsm_domain_resume(ctx.get(), domid) < 0)
        return Failure(kCmd, ctx.get());
    return kOk;
}

} // namespace xsm
