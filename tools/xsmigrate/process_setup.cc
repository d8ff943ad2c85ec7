/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What the process needs before any command runs: standard fds that are
 * really open, and a closed pipe reported as an error, not a signal.
 */
#include <csignal>
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "cli.h"

namespace xsm {

namespace {
bool closed_at_start[3];
} // namespace

void PrepareProcess()
{
    /*
     * A std fd left closed would be the next one opened: libxenstore's or
     * our xenstored socket would become "standard output" and a stream
     * written there would go to xenstored as requests.
     */
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        closed_at_start[fd] = true;
        int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
    /* EPIPE then fails the write: a save can still resume its guest. */
    std::signal(SIGPIPE, SIG_IGN);
}

bool StdFdWasClosed(int fd)
{
    return fd >= 0 && fd < 3 && closed_at_start[fd];
}

} // namespace xsm
