/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xenstored/xenstored_domain_store.h, which says what it is. */
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
Status CreateScratch(TempFile *tmp, const char *tag)
{
    if (tmp->Create(tag))
        return Status::Ok();
    return Status::Io(errno, std::string("cannot create a scratch file: ") + std::strerror(errno));
}

} // namespace

Status XenstoredDomainStore::CheckCommands()
{
    std::map<std::string, std::string> cmds;
    if (Status st = xs_.Commands(&cmds); !st.ok())
        return st;
    for (const auto &n : kNeeded) {
        auto c = cmds.find(n.name);
        if (c == cmds.end())
            return Status::XenstoredLacks(ENOSYS, xs_.Lacks(n.name));
        if (n.parameter && c->second.find(n.parameter) == std::string::npos)
            return Status::XenstoredLacks(ENOSYS, std::string("xenstored's \"") + n.name +
                                                          "\" has no \"" + n.parameter +
                                                          "\" argument: it is C xenstored with "
                                                          "an older version of the "
                                                          "domain-state commands");
    }
    /* The state file goes with the request, which needs a socket. */
    if (xs_.through_device())
        return Status::XenstoredLacks(ENOSYS, xs_.Lacks("save-domain"));
    return Status::Ok();
}

Status XenstoredDomainStore::Has(const std::string &cmd)
{
    return xs_.Has(cmd);
}

Status XenstoredDomainStore::Directory(const std::string &path, std::vector<std::string> *out)
{
    return xs_.Directory(path, out);
}

Status XenstoredDomainStore::Read(const std::string &path, std::string *out)
{
    return xs_.Read(path, out);
}

Status XenstoredDomainStore::Permissions(const std::string &path, std::vector<Permission> *out,
                                         bool *exists)
{
    return xs_.Permissions(path, out, exists);
}

Status XenstoredDomainStore::Quotas(std::map<std::string, long> *out)
{
    return xs_.Quotas(out);
}

Status XenstoredDomainStore::Quiesce(unsigned int domid)
{
    std::string reply;
    return xs_.Control({"quiesce", std::to_string(domid), "owned"}, &reply);
}

Status XenstoredDomainStore::Unquiesce(unsigned int domid)
{
    std::string reply;
    return xs_.Control({"unquiesce", std::to_string(domid)}, &reply);
}

Status XenstoredDomainStore::SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                                        StateImage *image)
{
    TempFile tmp;
    Status st = CreateScratch(&tmp, "save");
    if (!st.ok())
        return st;
    /* The empty file argument: the file passed with the request. */
    std::vector<std::string> args{"save-domain", std::to_string(domid), ""};
    args.insert(args.end(), roots.begin(), roots.end());
    std::string reply;
    if (Status st = xs_.Control(args, &reply, tmp.fd()); !st.ok())
        return st;
    struct stat sb;
    if (fstat(tmp.fd(), &sb) < 0 || sb.st_size == 0) {
        *image = StateImage();
        return Status::Ok();
    }
    /* Read in place: the one copy is the engine's, to the caller's sink. */
    void *m = mmap(nullptr, sb.st_size, PROT_READ, MAP_PRIVATE, tmp.fd(), 0);
    if (m == MAP_FAILED)
        return Status::Io(errno,
                          std::string("cannot map the saved state: ") + std::strerror(errno));
    *image = StateImage::Mapped(m, sb.st_size);
    return Status::Ok();
}

Status XenstoredDomainStore::RestoreDomain(const RestoreRequest &r, const StateWriter &write)
{
    TempFile tmp;
    Status st = CreateScratch(&tmp, "restore");
    if (!st.ok())
        return st;
    FdSink sink(tmp.fd());
    st = write(sink);
    if (!st.ok())
        return st;
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
    return xs_.Control(args, &reply, tmp.fd());
}

} // namespace xsm
