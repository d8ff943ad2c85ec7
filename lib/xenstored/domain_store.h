/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Everything the engine asks of xenstored to move one domain's state, as
 * one interface: whether the daemon can, the plain reads that find a
 * domain's nodes and judge a restore against this host, its quotas, and
 * the domain-state commands of the patch series (quiesce, unquiesce,
 * save-domain, restore-domain) with the hand-off of the state file.
 *
 * The real one (xenstored/xenstored_domain_store.h) speaks to the daemon
 * with a timeout on every request; the unit tests use an in-memory one
 * that can be told to fail anywhere.  The engine knows no other.
 *
 * Every failure is classified here, where it happens: xenstored refused
 * (its errno), xenstored lost (unreachable, timed out: the connection is
 * dropped), xenstored lacks the command, or this host's I/O (the scratch
 * file).
 */
#ifndef XSM_XENSTORED_DOMAIN_STORE_H
#define XSM_XENSTORED_DOMAIN_STORE_H

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "stream/byte_io.h"
#include "xenstored/xs_answer.h"

namespace xsm {

/*
 * The state xenstored wrote for a domain, read in place: a mapping of the
 * file it wrote (the real daemon), or memory (a fake).  Move-only; the
 * mapping goes with it.
 */
class StateImage {
public:
    StateImage() = default;
    /* Takes over a mapping of len octets at addr (munmap()ed when dropped). */
    static StateImage Mapped(void *addr, size_t len);
    static StateImage Owned(std::string octets);
    ~StateImage();
    StateImage(StateImage &&o) noexcept;
    StateImage &operator=(StateImage &&o) noexcept;
    StateImage(const StateImage &) = delete;
    StateImage &operator=(const StateImage &) = delete;

    std::string_view bytes() const { return view_; }

private:
    void Release();

    void *map_ = nullptr;
    size_t map_len_ = 0;
    std::string owned_;
    std::string_view view_;
};

/* What restore-domain is asked to do, besides the state itself. */
struct RestoreRequest {
    unsigned int domid = 0;
    uint64_t store_gfn = 0;
    unsigned int store_port = 0;
    /* The connection stays quiesced until an unquiesce. */
    bool keep_quiesced = false;
    /* xenstored applies the rule itself, in the caller's mode and trust. */
    bool trusted_stream = false;
    std::set<unsigned int> trusted;
};

/* The octets one save-domain request of domid and roots takes: it must
 * fit in one xenstore message. */
size_t SaveDomainRequestOctets(unsigned int domid, const std::vector<std::string> &roots);

class DomainStore {
public:
    using Permission = XsPermission;
    /* Writes the state for restore-domain in xenstored's own format. */
    using StateWriter = std::function<Status(ByteSink &)>;

    virtual ~DomainStore() = default;

    /* Every request waits at most ms milliseconds (then ETIMEDOUT, lost). */
    virtual void set_timeout_ms(int ms) = 0;

    /*
     * Whether the daemon can move a domain's state: the four commands,
     * restore-domain able to leave the connection quiesced, and a socket
     * to hand it the state file.  ENOSYS in words a host's administrator
     * can act on, or the error reaching it.
     */
    virtual Status CheckCommands() = 0;
    /* Whether it has CONTROL command cmd; ENOSYS, in such words, if not. */
    virtual Status Has(const std::string &cmd) = 0;

    /* Children of path; ENOENT if it does not exist. */
    virtual Status Directory(const std::string &path, std::vector<std::string> *out) = 0;
    /* A node's value; ENOENT if it does not exist. */
    virtual Status Read(const std::string &path, std::string *out) = 0;
    /* A node's permissions, owner first; *exists false (and success) if
     * there is none. */
    virtual Status Permissions(const std::string &path, std::vector<Permission> *out,
                               bool *exists) = 0;
    /* The daemon's hard quotas: name -> value. */
    virtual Status Quotas(std::map<std::string, long> *out) = 0;

    /* An owned quiesce: undone by xenstored itself if this connection goes
     * away before a save-domain of the domain succeeds.  EBUSY: quiesced
     * already. */
    virtual Status Quiesce(unsigned int domid) = 0;
    virtual Status Unquiesce(unsigned int domid) = 0;

    /* save-domain of the subtrees at roots: *image is the state xenstored
     * wrote (empty if it wrote none). */
    virtual Status SaveDomain(unsigned int domid, const std::vector<std::string> &roots,
                              StateImage *image) = 0;
    /* restore-domain of the state write() produces: all of it or none. */
    virtual Status RestoreDomain(const RestoreRequest &r, const StateWriter &write) = 0;
};

} // namespace xsm

#endif
