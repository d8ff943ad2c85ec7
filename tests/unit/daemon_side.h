/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The daemon's side of a request, for the tests that stand in for
 * xenstored on a Unix socket: the header, the body, and the descriptor
 * passed with it (SCM_RIGHTS), as xenstored receives them.
 */
#ifndef XSM_TESTS_UNIT_DAEMON_SIDE_H
#define XSM_TESTS_UNIT_DAEMON_SIDE_H

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include <xen/io/xs_wire.h>

namespace xsm_test {

/* A socket listening at path, as xenstored's; -1 if it cannot be made. */
inline int ListenAt(const std::string &path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
    if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof(a)) < 0 ||
        listen(fd, 1) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

struct ReceivedRequest {
    xsd_sockmsg hdr{};
    std::string body;
    int fd = -1; /* passed with it; the caller closes it */
};

/* The next request on connection c; false when the client went away. */
inline bool ReceiveRequest(int c, ReceivedRequest *r)
{
    iovec iov{&r->hdr, sizeof(r->hdr)};
    union {
        cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control{};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    if (recvmsg(c, &msg, MSG_WAITALL) != sizeof(r->hdr))
        return false;
    r->fd = -1;
    cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    if (cm && cm->cmsg_type == SCM_RIGHTS)
        std::memcpy(&r->fd, CMSG_DATA(cm), sizeof(r->fd));
    r->body.assign(r->hdr.len, '\0');
    return !r->hdr.len || read(c, &r->body[0], r->hdr.len) == static_cast<ssize_t>(r->hdr.len);
}

} // namespace xsm_test

#endif
