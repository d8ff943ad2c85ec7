/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xsmigrate save, restore and resume: one domain's xenstore state out of
 * and into xenstored, through the engine (lib/engine).
 */
#include <getopt.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "cli.h"
#include "engine/domain_restorer.h"
#include "engine/domain_saver.h"
#include "input_file.h"
#include "output_file.h"
#include "xen/domid.h"
#include "xen/timeout.h"

namespace xsm {

namespace {

/* The engine classified it; the exit status is the table's. */
int EngineFailure(const char *cmd, const XsError &e)
{
    return Fail(cmd, e.ToStatus());
}

/* --domid: a guest's (not dom0's, whose ring is the toolstack's own). */
bool ParseGuestDomid(const char *s, unsigned int *out)
{
    return ParseDomid(s, out) && CheckGuestDomid(*out, "--domid").ok();
}

bool MakePolicy(const char *cmd, const std::vector<std::string> &templates, NodePolicy *policy)
{
    std::string why;
    if (policy->Parse(templates.empty() ? NodePolicy::DefaultTemplates() : templates, &why))
        return true;
    Fail(cmd, Status::BadArgument(why));
    return false;
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
    int timeout_ms = DefaultXenstoredTimeoutMs();
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
    NodePolicy policy;
    if (!MakePolicy(kCmd, templates, &policy))
        return kUsage;

    /* A stream for a closed stdout would be lost with the guest quiesced. */
    if (out_path == "-" && StdFdWasClosed(1))
        return Fail(kCmd, Status::Io(EBADF, "standard output: cannot write: it is closed"));
    OutputFile out;
    if (Status opened = out.Open(out_path); !opened.ok())
        return Fail(kCmd, opened);
    XenstoredClient xs;
    xs.set_timeout_ms(timeout_ms);
    FdSink sink(out.fd());
    XsError e;
    DomainSaver saver(xs, policy);
    const bool saved = saver.Save(domid, sink, &e);
    for (const std::string &w : saver.warnings())
        PrintWarning(kCmd, w);
    if (!saved)
        return EngineFailure(kCmd, e);
    if (Status committed = out.Commit(); !committed.ok()) {
        /* The state is out of xenstored but not on disk: let the guest go on here. */
        if (!saver.Resume(domid, &e))
            committed.Append("and domain " + std::to_string(domid) + " could not be resumed: " +
                             e.why);
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
    RestoreTarget t;
    bool have_domid = false, have_from = false, have_port = false;
    std::set<unsigned int> trusted;
    std::vector<std::string> templates;
    int timeout_ms = DefaultXenstoredTimeoutMs();
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
    NodePolicy policy;
    if (!MakePolicy(kCmd, templates, &policy))
        return kUsage;

    InputFile in;
    if (Status opened = in.Open(optind < argc ? argv[optind] : "-"); !opened.ok())
        return Fail(kCmd, opened);
    XenstoredClient xs;
    xs.set_timeout_ms(timeout_ms);
    XsError e;
    if (!DomainRestorer(xs, policy, trusted, trusted_stream).Restore(in.source(), false, t, &e))
        return EngineFailure(kCmd, e);
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
    int timeout_ms = DefaultXenstoredTimeoutMs();
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
    XenstoredClient xs;
    xs.set_timeout_ms(timeout_ms);
    NodePolicy unused;
    XsError e;
    if (!DomainSaver(xs, unused).Resume(domid, &e))
        return EngineFailure(kCmd, e);
    return kOk;
}

} // namespace xsm
