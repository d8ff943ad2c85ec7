/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Talking to xenstored: the CONTROL commands of the xsmigrate patch
 * series (quiesce, save-domain, restore-domain) and the few plain
 * requests the engine needs.  Every request has a timeout (see
 * wire_connection.h): on expiry it fails with ETIMEDOUT and the
 * connection is dropped, which xenstored takes as the client giving up
 * (an unsaved quiesce it made is undone).  Knows nothing of the stream
 * format or of libxl.
 */
#ifndef XSM_XENSTORED_XENSTORED_CLIENT_H
#define XSM_XENSTORED_XENSTORED_CLIENT_H

#include <map>
#include <string>
#include <vector>

#include "xen/timeout.h"
#include "xenstored/wire_connection.h"
#include "xenstored/xs_answer.h"

struct xs_handle;

namespace xsm {

class XenstoredClient {
public:
    /* The default daemon, as xs_open(0) finds it (XENSTORED_PATH). */
    XenstoredClient() = default;
    /*
     * A caller's libxenstore handle cannot bound a request in time, so
     * it is not used: the client opens its own connection to the daemon
     * xs_open(0) reaches now (XENSTORED_PATH as set at construction),
     * which is the one libxl's handle talks to.
     */
    explicit XenstoredClient(xs_handle *) : conn_(DefaultPath()) {}
    /* The daemon listening on socket (or device) path. */
    explicit XenstoredClient(const std::string &path) : conn_(path) {}

    /* Per request; default DefaultXenstoredTimeoutMs(). */
    void set_timeout_ms(int ms) { timeout_ms_ = ms; }
    int timeout_ms() const { return timeout_ms_; }

    /*
     * Every request's failure is classified here, where it happens:
     * kXenstoredRefused with xenstored's errno (EPROTO for a reply that
     * makes no sense), kXenstoredLost for the transport (the connection
     * is dropped), kXenstoredLacks for a command the daemon does not
     * have (ENOSYS) or a file it cannot be handed (ENOTSOCK).
     */

    /* XS_CONTROL with NUL-separated arguments; the reply.
     * pass_fd >= 0 goes with the request (SCM_RIGHTS): the file an
     * empty <file> argument of save-domain or restore-domain means. */
    Status Control(const std::vector<std::string> &args, std::string *reply, int pass_fd = -1);

    /* Whether the daemon has CONTROL command cmd; if not, kXenstoredLacks
     * with Lacks(cmd).  ("help" is asked once per client.) */
    Status Has(const std::string &cmd);

    /* Children of path; ENOENT if it does not exist. */
    Status Directory(const std::string &path, std::vector<std::string> *out);

    /* A node's value; ENOENT if it does not exist. */
    Status Read(const std::string &path, std::string *out);

    /* The CONTROL commands xenstored knows, with their parameters as
     * "help" lists them: name -> parameter synopsis.  Asked once per
     * client.  None for oxenstored as released, which has no "help". */
    Status Commands(std::map<std::string, std::string> *out);

    /*
     * What keeps command (one of the domain-state commands) from working
     * with this daemon, in words a host's administrator can act on: which
     * daemon answers (C xenstored, oxenstored, or one reached only
     * through the kernel's xenbus device, as a stub domain is) and what
     * the host needs instead.  Call after Commands().
     */
    std::string Lacks(const std::string &command) const;
    /* Commands() found the daemon reached through the xenbus device. */
    bool through_device() const { return conn_.through_device(); }

    /* xenstored's hard quotas ("quota" CONTROL command): name -> value. */
    Status Quotas(std::map<std::string, long> *out);

    /* A node's permissions on this host, owner first; *exists false
     * (and ok) if there is none. */
    using Permission = XsPermission;
    Status Permissions(const std::string &path, std::vector<Permission> *out, bool *exists);

private:
    static std::string DefaultPath();
    /* The transport's failure; else ok, and *xs_errno is the daemon's. */
    Status Talk(uint32_t type, const std::string &payload, const std::string &what,
                std::string *reply, int *xs_errno, int pass_fd = -1);
    bool Knows(const std::string &cmd);

    WireConnection conn_;
    int timeout_ms_ = DefaultXenstoredTimeoutMs();
    std::map<std::string, std::string> commands_;
    bool commands_known_ = false;
    bool oxenstored_ = false;
};

} // namespace xsm

#endif
