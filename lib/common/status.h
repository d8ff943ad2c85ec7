/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The one way a failure travels, from where it happens to the edge (the
 * C API's errno, the CLI's exit status): a value saying what kind of
 * failure it is, the errno behind it if any, and a message naming what
 * and where (record index, offset, path, domain).
 *
 * The kind is decided where the failure happens, by the code that knows
 * (the reader knows a stream is malformed, the xenstored client knows the
 * daemon refused or went away); the layers above add context to the
 * message (Prefixed()) and never reclassify it.  The edges each have one
 * table from the kind: c_api_status.cc to errno, the CLI's exit_status.cc
 * to exit status.
 */
#ifndef XSM_COMMON_STATUS_H
#define XSM_COMMON_STATUS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace xsm {

/*
 * The kinds the edges tell apart.  Each says who is to blame, because
 * that is what a caller acts on: fix the stream, fix the arguments, fix
 * the file, fix xenstored.
 */
enum class StatusCode : uint8_t {
    kOk = 0,
    kBadStream,       /* a stream is malformed, or beyond this host's bounds */
    kBeyondDomain,    /* a stream names what the guest could not have created */
    kBadArgument,     /* the caller's argument (a domid, a template, flags) */
    kTooBig,          /* a request xenstore cannot carry in one message */
    kIo,              /* this host's file, pipe or device: read, write, create */
    kCannotConvert,   /* a valid stream, not expressible as asked without loss */
    kXenstoredRefused,/* xenstored answered the request with an error */
    kXenstoredLost,   /* xenstored unreachable, timed out, connection dropped */
    kXenstoredLacks,  /* xenstored has no such command (C xenstored unpatched, ...) */
    kNoMemory,        /* allocation failed */
    kInternal,        /* a bug: an exception nothing else classified */
};
inline constexpr int kStatusCodeCount = static_cast<int>(StatusCode::kInternal) + 1;

/* Which room classified it; for logs and tests, never for decisions. */
enum class StatusOrigin : uint8_t { kNone, kStream, kEngine, kXenstored, kCApi, kCli };

class [[nodiscard]] Status {
public:
    /* Success. */
    Status() = default;
    static Status Ok() { return Status(); }

    static Status BadStream(std::string msg)
    {
        return Status(StatusCode::kBadStream, 0, std::move(msg));
    }
    static Status BeyondDomain(std::string msg)
    {
        return Status(StatusCode::kBeyondDomain, 0, std::move(msg));
    }
    static Status BadArgument(std::string msg)
    {
        return Status(StatusCode::kBadArgument, 0, std::move(msg));
    }
    static Status TooBig(std::string msg)
    {
        return Status(StatusCode::kTooBig, 0, std::move(msg));
    }
    /* err: errno of the failed call, 0 if none (a short read). */
    static Status Io(int err, std::string msg)
    {
        return Status(StatusCode::kIo, err, std::move(msg));
    }
    static Status CannotConvert(std::string msg)
    {
        return Status(StatusCode::kCannotConvert, 0, std::move(msg));
    }
    /* err: xenstored's (EEXIST, EBUSY, EACCES, ...), or EPROTO for a reply
     * that makes no sense. */
    static Status XenstoredRefused(int err, std::string msg)
    {
        return Status(StatusCode::kXenstoredRefused, err, std::move(msg));
    }
    /* err: the transport's (ECONNREFUSED, ETIMEDOUT, EPIPE, ...). */
    static Status XenstoredLost(int err, std::string msg)
    {
        return Status(StatusCode::kXenstoredLost, err, std::move(msg));
    }
    /* err: ENOSYS, or ENOTSOCK (a daemon reached only through xenbus
     * cannot be handed a file). */
    static Status XenstoredLacks(int err, std::string msg)
    {
        return Status(StatusCode::kXenstoredLacks, err, std::move(msg));
    }
    static Status NoMemory(std::string msg)
    {
        return Status(StatusCode::kNoMemory, 0, std::move(msg));
    }
    static Status Internal(std::string msg)
    {
        return Status(StatusCode::kInternal, 0, std::move(msg));
    }

    bool ok() const { return code_ == StatusCode::kOk; }
    StatusCode code() const { return code_; }
    /* The errno the failure came with, 0 if it had none: an edge's table
     * decides whether it is passed on. */
    int sys_errno() const { return errno_; }
    const std::string &message() const { return message_; }
    StatusOrigin origin() const { return origin_; }

    bool Is(StatusCode c) const { return code_ == c; }
    /* Any of the three xenstored kinds. */
    bool IsXenstored() const
    {
        return code_ == StatusCode::kXenstoredRefused || code_ == StatusCode::kXenstoredLost ||
               code_ == StatusCode::kXenstoredLacks;
    }

    /* Context from a layer above: "context: message".  Kind and errno stay. */
    Status &Prefix(std::string_view context);
    Status Prefixed(std::string_view context) const &;
    Status Prefixed(std::string_view context) &&;
    /* More after the message: "message; more" (what the cleanup did). */
    Status &Append(std::string_view more);
    Status &From(StatusOrigin o)
    {
        if (origin_ == StatusOrigin::kNone)
            origin_ = o;
        return *this;
    }

    /* "CODE-NAME (errno N): message", for logs and tests; "ok" on success. */
    std::string ToString() const;

private:
    Status(StatusCode c, int err, std::string msg)
        : code_(c), errno_(err), message_(std::move(msg))
    {
    }

    StatusCode code_ = StatusCode::kOk;
    StatusOrigin origin_ = StatusOrigin::kNone;
    int errno_ = 0;
    std::string message_;
};

/* "bad-stream", "xenstored-lost", ...: stable names, for logs and tests. */
std::string_view StatusCodeName(StatusCode c);

/*
 * For an edge's table (rows with a .code, indexed by it): one row per
 * StatusCode, in its order.  static_assert it, so that a new kind cannot
 * be added without saying what each edge makes of it.
 */
template <typename Row, std::size_t N>
constexpr bool OneRowPerCodeInOrder(const Row (&rows)[N])
{
    for (std::size_t i = 0; i < N; i++)
        if (static_cast<std::size_t>(rows[i].code) != i)
            return false;
    return N == static_cast<std::size_t>(kStatusCodeCount);
}

} // namespace xsm

#endif
