/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of fake_domain_store.h, which says what it is. */
#include "fake_domain_store.h"

#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>

#include "stream/format.h"

namespace xsm_test {

FakeDomainStore::FakeDomainStore()
    : quotas_{{"nodes", 1000},        {"watches", 128},      {"transactions", 10},
              {"node-size", 2048},    {"permissions", 5},    {"path-max", 2048},
              {"memory", 2621440}},
      commands_{"quiesce", "unquiesce", "save-domain", "restore-domain", "quota"}
{
    Put("/local/domain", "", {{'n', 0}});
}

void FakeDomainStore::Put(const std::string &path, const std::string &value,
                          std::vector<xsm::XsPermission> perms)
{
    for (size_t at = path.find('/', 1); at != std::string::npos; at = path.find('/', at + 1))
        nodes_.emplace(path.substr(0, at), Node{"", perms});
    nodes_[path] = Node{value, std::move(perms)};
}

void FakeDomainStore::SetSavedState(unsigned int domid, const xsm::DomainState &s)
{
    xsm::StringSink sink;
    xsm::EncodeOptions eo;
    eo.ctx.endian = xsm::kHostEndian;
    eo.ctx.version = 1;
    std::string why;
    if (!xsm::WriteDomainState(s, sink, eo, &why))
        throw std::runtime_error("FakeDomainStore: cannot encode a saved state: " + why);
    saved_[domid] = sink.str();
}

void FakeDomainStore::FailAt(const std::string &kind, int nth, int err, bool lost)
{
    fail_[{kind, seen_[kind] + nth}] = Scripted{err, lost, false};
}

void FakeDomainStore::FailAlways(const std::string &kind, int err, bool lost)
{
    fail_always_[kind] = Scripted{err, lost, false};
}

void FakeDomainStore::ThrowAt(const std::string &kind, int nth)
{
    fail_[{kind, seen_[kind] + nth}] = Scripted{ENOMEM, false, true};
}

size_t FakeDomainStore::count(const std::string &kind) const
{
    auto it = seen_.find(kind);
    return it == seen_.end() ? 0 : it->second;
}

xsm::Status FakeDomainStore::Request(const std::string &kind, const std::string &args)
{
    requests_.push_back(args.empty() ? kind : kind + " " + args);
    const size_t n = ++seen_[kind];
    Scripted how;
    auto once = fail_.find({kind, n});
    if (once != fail_.end()) {
        how = once->second;
        fail_.erase(once);
    } else if (fail_always_.count(kind)) {
        how = fail_always_[kind];
    } else {
        return xsm::Status::Ok();
    }
    if (how.throws)
        throw std::bad_alloc();
    if (how.lost) /* as the client words a request that got no answer */
        return xsm::Status::XenstoredLost(
                how.err, "xenstored \"" + kind + "\": " +
                                 (how.err == ETIMEDOUT ? "no reply from xenstored within 5 s"
                                                       : std::string(std::strerror(how.err))));
    return Refuse(kind, how.err);
}

xsm::Status FakeDomainStore::Refuse(const std::string &kind, int err)
{
    return xsm::Status::XenstoredRefused(err, "xenstored refused \"" + kind +
                                                      "\": " + std::strerror(err));
}

xsm::Status FakeDomainStore::CheckCommands()
{
    xsm::Status st = Request(kHelp, "");
    for (const char *cmd : {kQuiesce, kUnquiesce, kSaveDomain, kRestoreDomain})
        if (st.ok())
            st = Has(cmd);
    if (st.ok() && !quiesced_restore_)
        return xsm::Status::XenstoredLacks(ENOSYS, "xenstored's \"restore-domain\" has no "
                                                   "\"quiesced\" argument");
    return st;
}

xsm::Status FakeDomainStore::Has(const std::string &cmd)
{
    if (commands_.count(cmd))
        return xsm::Status::Ok();
    return xsm::Status::XenstoredLacks(ENOSYS, "xenstored has no \"" + cmd +
                                                       "\" command: it is C xenstored without "
                                                       "the domain-state commands");
}

xsm::Status FakeDomainStore::Directory(const std::string &path, std::vector<std::string> *out)
{
    xsm::Status st = Request(kDirectory, path);
    if (!st.ok())
        return st;
    if (!nodes_.count(path))
        return Refuse(kDirectory, ENOENT);
    out->clear();
    const std::string prefix = path + "/";
    for (auto it = nodes_.lower_bound(prefix);
         it != nodes_.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it)
        if (it->first.find('/', prefix.size()) == std::string::npos)
            out->push_back(it->first.substr(prefix.size()));
    return st;
}

xsm::Status FakeDomainStore::Read(const std::string &path, std::string *out)
{
    xsm::Status st = Request(kRead, path);
    if (!st.ok())
        return st;
    auto it = nodes_.find(path);
    if (it == nodes_.end())
        return Refuse(kRead, ENOENT);
    *out = it->second.value;
    return st;
}

xsm::Status FakeDomainStore::Permissions(const std::string &path, std::vector<Permission> *out,
                                         bool *exists)
{
    xsm::Status st = Request(kGetPerms, path);
    if (!st.ok())
        return st;
    auto it = nodes_.find(path);
    *exists = it != nodes_.end();
    out->clear();
    if (*exists)
        *out = it->second.perms;
    return st;
}

xsm::Status FakeDomainStore::Quotas(std::map<std::string, long> *out)
{
    xsm::Status st = Request(kQuota, "");
    if (st.ok())
        *out = quotas_;
    return st;
}

xsm::Status FakeDomainStore::Quiesce(unsigned int domid)
{
    xsm::Status st = Request(kQuiesce, std::to_string(domid) + " owned");
    if (!st.ok())
        return st;
    /* xenstored: a quiesced domain cannot be quiesced again. */
    if (!quiesced_.insert(domid).second)
        return Refuse(kQuiesce, EBUSY);
    return st;
}

xsm::Status FakeDomainStore::Unquiesce(unsigned int domid)
{
    xsm::Status st = Request(kUnquiesce, std::to_string(domid));
    if (!st.ok())
        return st;
    if (!quiesced_.erase(domid))
        return Refuse(kUnquiesce, EINVAL);
    return st;
}

xsm::Status FakeDomainStore::SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                                        xsm::StateImage *image)
{
    std::string args = std::to_string(domid);
    for (const std::string &r : roots)
        args += " " + r;
    xsm::Status st = Request(kSaveDomain, args);
    if (!st.ok())
        return st;
    /* xenstored saves only a domain it holds quiesced. */
    if (!quiesced_.count(domid))
        return Refuse(kSaveDomain, EINVAL);
    saved_roots_ = roots;
    auto it = saved_.find(domid);
    *image = xsm::StateImage::Owned(it == saved_.end() ? std::string() : it->second);
    return st;
}

xsm::Status FakeDomainStore::RestoreDomain(const xsm::RestoreRequest &r, const StateWriter &write)
{
    /* The scratch file: fails as a full file system would, if told to. */
    struct File : xsm::StringSink {
        int err = 0;
        bool Write(xsm::Bytes data) override
        {
            if (!err)
                return StringSink::Write(data);
            errno = err;
            return false;
        }
    } file;
    file.err = file_write_err_;
    xsm::Status st = write(file);
    if (!st.ok())
        return st;
    std::string args = std::to_string(r.domid) + " " + std::to_string(r.store_gfn) + " " +
                       std::to_string(r.store_port);
    if (r.keep_quiesced)
        args += " quiesced";
    if (r.trusted_stream)
        args += " trusted";
    for (unsigned int d : r.trusted)
        args += " trust=" + std::to_string(d);
    st = Request(kRestoreDomain, args);
    if (!st.ok())
        return st;
    /* Introduced already: xenstored refuses a second one. */
    for (const Restored &done : restored_)
        if (done.request.domid == r.domid)
            return Refuse(kRestoreDomain, EEXIST);
    restored_.push_back(Restored{r, file.str()});
    if (r.keep_quiesced)
        quiesced_.insert(r.domid);
    return st;
}

} // namespace xsm_test
