/*
 * xsmigrate save and restore: one domain's xenstore state out of and
 * into xenstored, through the engine (lib/engine).
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

namespace xsm {

namespace {

int XenstoredFailure(const char *what, const XsError &e)
{
    std::fprintf(stderr, "xsmigrate %s: %s\n", what, e.why.c_str());
    /* The engine's own refusals (malformed or hostile stream) are not xenstored's. */
    if (e.refused)
        return kInvalid;
    return kXenstored;
}

bool MakePolicy(const std::vector<std::string> &templates, NodePolicy *policy)
{
    std::string why;
    if (policy->Parse(templates.empty() ? NodePolicy::DefaultTemplates() : templates, &why))
        return true;
    std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
    return false;
}

} // namespace

int Save(int argc, char **argv)
{
    static const option opts[] = {{"domid", required_argument, nullptr, 'd'},
                                  {"output", required_argument, nullptr, 'o'},
                                  {"node", required_argument, nullptr, 'n'},
                                  {nullptr, 0, nullptr, 0}};
    unsigned int domid = 0;
    bool have_domid = false;
    std::string out_path = "-";
    std::vector<std::string> templates;
    int c;
    while ((c = getopt_long(argc, argv, "+o:", opts, nullptr)) != -1) {
        if (c == 'd' && ParseDomid(optarg, &domid))
            have_domid = true;
        else if (c == 'o')
            out_path = optarg;
        else if (c == 'n')
            templates.push_back(optarg);
        else
            return Usage("save: bad option");
    }
    if (!have_domid || optind != argc)
        return Usage("save: --domid N expected, and no other argument");
    NodePolicy policy;
    if (!MakePolicy(templates, &policy))
        return kUsage;

    OutputFile out;
    std::string why;
    if (!out.Open(out_path, &why)) {
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    XenstoredClient xs(nullptr);
    FdSink sink(out.fd());
    XsError e;
    if (!DomainSaver(xs, policy).Save(domid, sink, &e))
        return XenstoredFailure("save", e);
    if (!out.Commit(&why)) {
        /* The state is out of xenstored but not on disk: let the guest go on here. */
        DomainSaver(xs, policy).Resume(domid, &e);
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    return kOk;
}

int Restore(int argc, char **argv)
{
    static const option opts[] = {{"domid", required_argument, nullptr, 'd'},
                                  {"from-domid", required_argument, nullptr, 'f'},
                                  {"port", required_argument, nullptr, 'p'},
                                  {"gfn", required_argument, nullptr, 'g'},
                                  {"trust-domid", required_argument, nullptr, 't'},
                                  {"node", required_argument, nullptr, 'n'},
                                  /* h3: issue 9's trusted mode */
                                  {"trusted-stream", no_argument, nullptr, 'T'},
                                  {nullptr, 0, nullptr, 0}};
    bool trusted_stream = false;
    RestoreTarget t;
    bool have_domid = false, have_from = false, have_port = false;
    std::set<unsigned int> trusted;
    std::vector<std::string> templates;
    unsigned long long v;
    unsigned int d;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, nullptr)) != -1) {
        if (c == 'd' && ParseDomid(optarg, &t.domid) && t.domid != 0)
            have_domid = true;
        else if (c == 'f' && ParseDomid(optarg, &t.from_domid))
            have_from = true;
        else if (c == 'p' && ParseUnsigned(optarg, UINT32_MAX, &v))
            t.store_port = static_cast<unsigned int>(v), have_port = true;
        else if (c == 'g' && ParseUnsigned(optarg, UINT64_MAX, &v))
            t.store_gfn = v;
        else if (c == 't' && ParseDomid(optarg, &d))
            trusted.insert(d);
        else if (c == 'n')
            templates.push_back(optarg);
        else if (c == 'T')
            trusted_stream = true;
        else
            return Usage("restore: bad option");
    }
    if (!have_domid || !have_port || argc - optind > 1)
        return Usage("restore: --domid N (not 0) and --port P expected, and at most one FILE");
    if (!have_from)
        t.from_domid = t.domid;
    NodePolicy policy;
    if (!MakePolicy(templates, &policy))
        return kUsage;

    InputFile in;
    std::string why;
    if (!in.Open(optind < argc ? argv[optind] : "-", &why)) {
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    XenstoredClient xs(nullptr);
    XsError e;
    if (!DomainRestorer(xs, policy, trusted, trusted_stream).Restore(in.source(), false, t, &e))
        return XenstoredFailure("restore", e);
    return kOk;
}

} // namespace xsm
