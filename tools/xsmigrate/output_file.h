/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A command-line output.  A regular file (or a new one) is written
 * through a temporary file renamed into place, so that a failure never
 * leaves half a stream behind.  Anything else that exists (a device, a
 * FIFO, a symlink) is written in place: renaming over it would replace
 * /dev/null or the link itself.  "-" is standard output.
 */
#ifndef XSM_TOOLS_OUTPUT_FILE_H
#define XSM_TOOLS_OUTPUT_FILE_H

#include <string>

#include "common/status.h"

namespace xsm {

class OutputFile {
public:
    OutputFile() = default;
    ~OutputFile();
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;

    /* kIo "PATH: reason" if it cannot be opened. */
    Status Open(const std::string &path);
    /* Everything written reached the file (synced, closed, renamed);
     * kIo otherwise. */
    Status Commit();
    int fd() const { return fd_; }

private:
    std::string path_, tmp_;
    int fd_ = -1;
};

} // namespace xsm

#endif
