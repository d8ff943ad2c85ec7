/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * One connection to xenstored speaking its wire protocol (xs_wire.h):
 * a request, then its reply, each within a deadline.  libxenstore has no
 * timeout at all, so a stalled daemon would hang a save with the guest
 * quiesced; this is the part that makes every wait bounded.
 *
 * The daemon is found as xs_open(0) finds it: $XENSTORED_PATH, else
 * /var/run/xenstored/socket, else the xenbus device.
 */
#ifndef XSM_XENSTORED_WIRE_CONNECTION_H
#define XSM_XENSTORED_WIRE_CONNECTION_H

#include <cstdint>
#include <string>

namespace xsm {

class WireConnection {
public:
    /* path: a socket or device; "" for the default (see above). */
    explicit WireConnection(std::string path = "") : path_(std::move(path)) {}
    ~WireConnection() { Close(); }
    WireConnection(const WireConnection &) = delete;
    WireConnection &operator=(const WireConnection &) = delete;

    /*
     * Sends one request and waits for its reply at most timeout_ms.
     * True: *reply is the payload, or *xs_errno the daemon's error
     * (XS_ERROR) with *reply empty.  False: errno (ETIMEDOUT, EPIPE,
     * ECONNRESET, EPROTO, ...) and *why; the connection is then closed,
     * which tells xenstored this client has gone.
     *
     * pass_fd >= 0: the descriptor goes with the request (SCM_RIGHTS),
     * which needs a socket (ENOTSOCK otherwise, nothing sent).
     */
    bool Talk(uint32_t type, const std::string &payload, int timeout_ms, std::string *reply,
              int *xs_errno, std::string *why, int pass_fd = -1);

    void Close();
    /* Where the daemon was looked for, for messages. */
    const std::string &where() const { return where_; }
    /* Reached through the kernel's xenbus device, not a daemon's socket:
     * as a xenstore stub domain is (known once a request was sent). */
    bool through_device() const { return through_device_; }

private:
    bool Open(std::string *why);
    bool WriteAll(const std::string &msg, int pass_fd, long long deadline, std::string *why);
    bool ReadAll(char *buf, size_t len, long long deadline, std::string *why);

    std::string path_, where_;
    int fd_ = -1;
    bool is_socket_ = false;
    bool through_device_ = false;
    uint32_t next_req_id_ = 1;
};

} // namespace xsm

#endif
