/* SPDX-License-Identifier: LGPL-2.1-only */
#include "xenstored/xenstored_domain_store.h"

#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "xenstored/temp_file.h"

namespace xsm {

namespace {

/* What CheckCommands() needs from xenstored's "help". */
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

/* This host's file, as the caller's stream is: not xenstored's failure. */
bool CreateScratch(TempFile *tmp, const char *tag, XsError *e)
{
    if (tmp->Create(tag))
        return true;
    *e = XsError{errno, std::string("cannot create a scratch file: ") + std::strerror(errno)};
    e->io = true;
    return false;
}

} // namespace

bool XenstoredDomainStore::CheckCommands(XsError *e)
{
    std::map<std::string, std::string> cmds;
    if (!xs_.Commands(&cmds, e))
        return false;
    for (const auto &n : kNeeded) {
        auto c = cmds.find(n.name);
        if (c == cmds.end()) {
            *e = XsError{ENOSYS, xs_.Lacks(n.name)};
            return false;
        }
        if (n.parameter && c->second.find(n.parameter) == std::string::npos) {
            *e = XsError{ENOSYS, std::string("xenstored's \"") + n.name + "\" has no \"" +
                                         n.parameter + "\" argument: it is C xenstored with "
                                         "an older version of the domain-state commands"};
            return false;
        }
    }
    /* The state file goes with the request, which needs a socket. */
    if (xs_.through_device()) {
        *e = XsError{ENOSYS, xs_.Lacks("save-domain")};
        return false;
    }
    return true;
}

bool XenstoredDomainStore::Quiesce(unsigned int domid, XsError *e)
{
    std::string reply;
    return xs_.Control({"quiesce", std::to_string(domid), "owned"}, &reply, e);
}

bool XenstoredDomainStore::Unquiesce(unsigned int domid, XsError *e)
{
    std::string reply;
    return xs_.Control({"unquiesce", std::to_string(domid)}, &reply, e);
}

bool XenstoredDomainStore::SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                                      StateImage *image, XsError *e)
{
    TempFile tmp;
    if (!CreateScratch(&tmp, "save", e))
        return false;
    /* The empty file argument: the file passed with the request. */
    std::vector<std::string> args{"save-domain", std::to_string(domid), ""};
    args.insert(args.end(), roots.begin(), roots.end());
    std::string reply;
    if (!xs_.Control(args, &reply, e, tmp.fd()))
        return false;
    struct stat st;
    if (fstat(tmp.fd(), &st) < 0 || st.st_size == 0) {
        *image = StateImage();
        return true;
    }
    /* Read in place: the one copy is the engine's, to the caller's sink. */
    void *m = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, tmp.fd(), 0);
    if (m == MAP_FAILED) {
        *e = XsError{errno, std::string("cannot map the saved state: ") + std::strerror(errno)};
        e->io = true;
        return false;
    }
    *image = StateImage::Mapped(m, st.st_size);
    return true;
}

bool XenstoredDomainStore::RestoreDomain(const RestoreRequest &r, const StateWriter &write,
                                         XsError *e)
{
    TempFile tmp;
    if (!CreateScratch(&tmp, "restore", e))
        return false;
    FdSink sink(tmp.fd());
    if (!write(sink, e))
        return false;
    /* The empty file argument: the file passed with the request. */
    std::vector<std::string> args{"restore-domain", std::to_string(r.domid),
                                  std::to_string(r.store_gfn), std::to_string(r.store_port),
                                  ""};
    if (r.keep_quiesced)
        args.push_back("quiesced");
    if (r.trusted_stream)
        args.push_back("trusted");
    for (unsigned int d : r.trusted)
        args.push_back("trust=" + std::to_string(d));
    std::string reply;
    return xs_.Control(args, &reply, e, tmp.fd());
}

} // namespace xsm
