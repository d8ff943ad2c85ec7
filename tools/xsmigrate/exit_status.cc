/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The CLI's one table from a failure's kind to its exit status, as
 * docs/xsmigrate.1 (EXIT STATUS) states them.
 */
#include "cli.h"

namespace xsm {

namespace {

struct ExitRule {
    StatusCode code;
    Exit status;
};

/* Indexed by StatusCode, in its order (checked below). */
constexpr ExitRule kExitRules[] = {
    {StatusCode::kOk, kOk},
    /* 1: the stream is invalid, or refused as reaching beyond the domain. */
    {StatusCode::kBadStream, kInvalid},
    {StatusCode::kBeyondDomain, kInvalid},
    {StatusCode::kBadArgument, kUsage},
    /* A node set one save-domain request cannot carry: xenstored's limit,
     * refused on its behalf before it is asked. */
    {StatusCode::kTooBig, kXenstored},
    /* 3: a file, pipe or device (the caller's, or the scratch file for
     * xenstored: this host's either way, never xenstored's). */
    {StatusCode::kIo, kIo},
    {StatusCode::kCannotConvert, kCannotConvert},
    /* 5: xenstored unreachable, too slow, without the series, or refusing. */
    {StatusCode::kXenstoredRefused, kXenstored},
    {StatusCode::kXenstoredLost, kXenstored},
    {StatusCode::kXenstoredLacks, kXenstored},
    /* Not in the man page: the CLI lets std::bad_alloc end it, and nothing
     * else makes these; this host's resources if one ever arrives. */
    {StatusCode::kNoMemory, kIo},
    {StatusCode::kInternal, kIo},
};

static_assert(OneRowPerCodeInOrder(kExitRules), "one exit rule per StatusCode, in its order");

} // namespace

int ExitStatusOf(StatusCode code)
{
    return kExitRules[static_cast<int>(code)].status;
}

} // namespace xsm
