/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A scratch file for handing a stream to xenstored, which reads and
 * writes its per-domain state through a file (the CONTROL reply is
 * limited to a page).  The file never has a name: it is created unlinked
 * (O_TMPFILE, else unlinked right after mkstemp), so no path of any
 * failure (a crash, a kill, a stalled daemon) leaves it behind, and it
 * goes to xenstored as a descriptor passed with the request (SCM_RIGHTS),
 * never by a name: a name such as /proc/PID/fd/N would be resolved in
 * xenstored's PID namespace, not this process's.
 */
#ifndef XSM_XENSTORED_TEMP_FILE_H
#define XSM_XENSTORED_TEMP_FILE_H

namespace xsm {

class TempFile {
public:
    TempFile() = default;
    ~TempFile();
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;

    /* In $XSM_STATE_DIR, else $TMPDIR, else /tmp.  False with errno. */
    bool Create(const char *tag);
    int fd() const { return fd_; }

private:
    int fd_ = -1;
};

} // namespace xsm

#endif
