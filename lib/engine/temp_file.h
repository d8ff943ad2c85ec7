/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A scratch file for handing a stream to xenstored, which reads and
 * writes its per-domain state through the file system (the CONTROL reply
 * is limited to a page).  The file never has a name: it is created
 * unlinked (O_TMPFILE, else unlinked right after mkstemp), and xenstored
 * opens it through this process's /proc/PID/fd/N, so no path of any
 * failure (a crash, a kill, a stalled daemon) leaves it behind.
 */
#ifndef XSM_ENGINE_TEMP_FILE_H
#define XSM_ENGINE_TEMP_FILE_H

#include <string>

namespace xsm {

class TempFile {
public:
    TempFile() = default;
    ~TempFile();
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;

    /* In $XSM_STATE_DIR, else $TMPDIR, else /tmp.  False with errno. */
    bool Create(const char *tag);
    /* The name another process (xenstored) opens it by. */
    const std::string &path() const { return path_; }
    int fd() const { return fd_; }
    /*
     * Never close it: after a request timed out, xenstored may still
     * open path() later, and must not find another file under that fd
     * number.  Costs one open descriptor per such failure.
     */
    void Keep() { fd_ = -1; }

private:
    std::string path_;
    int fd_ = -1;
};

} // namespace xsm

#endif
