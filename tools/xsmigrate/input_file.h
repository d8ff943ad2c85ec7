/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A command-line input: a regular file is mapped and read in place (the
 * fast path for verify), anything else (a pipe, "-") is streamed.
 */
#ifndef XSM_TOOLS_INPUT_FILE_H
#define XSM_TOOLS_INPUT_FILE_H

#include <memory>
#include <string>

#include "common/status.h"
#include "stream/byte_io.h"

namespace xsm {

class InputFile {
public:
    ~InputFile();
    /* "-" is standard input.  kIo "PATH: reason" if it cannot be opened. */
    Status Open(const std::string &path);
    ByteSource &source() { return *source_; }
    /* What source() reads, for a reader of its own (the C API). */
    int fd() const { return fd_; }

private:
    int fd_ = -1;
    void *map_ = nullptr;
    size_t map_len_ = 0;
    std::unique_ptr<ByteSource> source_;
};

} // namespace xsm

#endif
