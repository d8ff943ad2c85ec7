/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xenstored/wire_connection.h, which says what it is. */
#include "xenstored/wire_connection.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <xen/io/xs_wire.h>

#include "xen/xenstored_path.h"

namespace xsm {

namespace {

long long NowMs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until fd is ready for events or the deadline passes. */
bool WaitFor(int fd, short events, long long deadline)
{
    for (;;) {
        long long left = deadline - NowMs();
        if (left <= 0) {
            errno = ETIMEDOUT;
            return false;
        }
        pollfd p{fd, events, 0};
        int n = poll(&p, 1, static_cast<int>(left));
        if (n > 0)
            return true;
        if (n < 0 && errno != EINTR)
            return false;
    }
}

std::string FormatSeconds(int ms)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g s", ms / 1000.0);
    return buf;
}

int ErrnoFromName(const std::string &name)
{
    for (const struct xsd_errors &x : xsd_errors)
        if (name == x.errstring)
            return x.errnum;
    return EIO; /* what libxenstore makes of an unknown name too */
}

} // namespace

void WireConnection::Close()
{
    if (fd_ >= 0)
        close(fd_);
    fd_ = -1;
}

bool WireConnection::Open(std::string *why)
{
    if (fd_ >= 0)
        return true;
    const std::optional<std::string> env = XenstoredPathFromEnv();
    std::string sock = path_;
    if (sock.empty())
        sock = env && !env->empty() ? *env : kXenstoredSocket;
    where_ = sock;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (fd >= 0 && sock.size() < sizeof(addr.sun_path)) {
        std::memcpy(addr.sun_path, sock.c_str(), sock.size() + 1);
        if (connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof(addr)) == 0) {
            fd_ = fd;
            is_socket_ = true;
            return true;
        }
    }
    int err = errno;
    if (fd >= 0)
        close(fd);
    /* As xs_open(0): without a daemon socket, the kernel's xenbus device. */
    if (path_.empty() && !env) {
        for (const char *dev : kXenbusDevices) {
            fd = open(dev, O_RDWR | O_CLOEXEC);
            if (fd >= 0) {
                where_ = dev;
                fd_ = fd;
                is_socket_ = false;
                through_device_ = true;
                return true;
            }
        }
    }
    errno = err;
    *why = "cannot connect to xenstored at " + sock + ": " + std::strerror(err);
    return false;
}

namespace {

/* One sendmsg() with fd as SCM_RIGHTS; as send() below, never a signal. */
ssize_t SendWithFd(int sock, const char *data, size_t len, int fd)
{
    iovec iov{const_cast<char *>(data), len};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    union {
        cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control{};
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
    return sendmsg(sock, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

} // namespace

bool WireConnection::WriteAll(const std::string &msg, int pass_fd, long long deadline,
                              std::string *why)
{
    size_t done = 0;
    while (done < msg.size()) {
        if (!WaitFor(fd_, POLLOUT, deadline))
            break;
        /* The descriptor goes with the request's first octet, once. */
        ssize_t n = !is_socket_ ? write(fd_, msg.data() + done, msg.size() - done)
                    : pass_fd >= 0 && !done
                        ? SendWithFd(fd_, msg.data(), msg.size(), pass_fd)
                        /* MSG_NOSIGNAL: a dead daemon is an error here, not a signal. */
                        : send(fd_, msg.data() + done, msg.size() - done,
                               MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break;
        done += n;
    }
    if (done == msg.size())
        return true;
    *why = std::strerror(errno);
    return false;
}

bool WireConnection::ReadAll(char *buf, size_t len, long long deadline, std::string *why)
{
    size_t done = 0;
    while (done < len) {
        if (!WaitFor(fd_, POLLIN, deadline))
            break;
        ssize_t n = is_socket_ ? recv(fd_, buf + done, len - done, MSG_DONTWAIT)
                               : read(fd_, buf + done, len - done);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n == 0)
            errno = ECONNRESET; /* the daemon closed the connection */
        if (n <= 0)
            break;
        done += n;
    }
    if (done == len)
        return true;
    *why = std::strerror(errno);
    return false;
}

bool WireConnection::Talk(uint32_t type, const std::string &payload, int timeout_ms,
                          std::string *reply, int *xs_errno, std::string *why, int pass_fd)
{
    if (!Open(why))
        return false;
    if (pass_fd >= 0 && !is_socket_) {
        errno = ENOTSOCK;
        *why = "xenstored is reached through " + where_ +
               ", not a socket: it cannot be handed a file";
        return false;
    }
    if (payload.size() > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        *why = "request larger than a xenstore message";
        return false;
    }
    long long deadline = NowMs() + timeout_ms;
    xsd_sockmsg hdr{};
    hdr.type = type;
    hdr.req_id = next_req_id_++;
    hdr.len = static_cast<uint32_t>(payload.size());
    std::string msg(reinterpret_cast<const char *>(&hdr), sizeof(hdr));
    msg += payload;
    bool ok = WriteAll(msg, pass_fd, deadline, why);
    xsd_sockmsg rhdr{};
    std::string body;
    while (ok) {
        ok = ReadAll(reinterpret_cast<char *>(&rhdr), sizeof(rhdr), deadline, why);
        if (ok && rhdr.len > XENSTORE_PAYLOAD_MAX) {
            errno = EPROTO;
            *why = "reply of " + std::to_string(rhdr.len) + " octets";
            ok = false;
        }
        if (ok) {
            body.assign(rhdr.len, '\0');
            ok = ReadAll(&body[0], body.size(), deadline, why);
        }
        /* Watch events (none asked for) and late replies are not ours. */
        if (ok && rhdr.type != XS_WATCH_EVENT && rhdr.req_id == hdr.req_id)
            break;
    }
    if (!ok) {
        int err = errno;
        if (err == ETIMEDOUT)
            *why = "no reply from xenstored within " + FormatSeconds(timeout_ms);
        Close();
        errno = err;
        return false;
    }
    if (rhdr.type == XS_ERROR) {
        *xs_errno = ErrnoFromName(std::string(body.c_str()));
        reply->clear();
        return true;
    }
    if (rhdr.type != type) {
        Close();
        errno = EPROTO;
        *why = "reply of type " + std::to_string(rhdr.type) + " to a request of type " +
               std::to_string(type);
        return false;
    }
    *xs_errno = 0;
    *reply = std::move(body);
    return true;
}

} // namespace xsm
