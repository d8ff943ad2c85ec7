/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/domain_restorer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/domain_state.h"
#include "engine/restore_rule.h"
#include "engine/state_checker.h"
#include "engine/temp_file.h"

namespace xsm {

bool DomainRestorer::Restore(ByteSource &src, bool embedded, const RestoreTarget &t,
                             XsError *e)
{
    /* A daemon without the command is said so before anything else is
     * asked of it (oxenstored's quota reply is not C xenstored's). */
    if (!xs_.Has("restore-domain", e))
        return false;
    /* The limits first: the stream is bounded while it is read. */
    std::map<std::string, long> quotas;
    if (!xs_.Quotas(&quotas, e))
        return false;
    const XenstoredLimits limits = XenstoredLimits::From(quotas);
    CheckOptions co;
    co.domid = t.from_domid;
    co.trusted = trusted_;
    co.trusted_stream = trusted_stream_;
    StateChecker checker(policy_, limits, co);

    ReaderOptions ro;
    ro.embedded = embedded;
    ro.max_record_len = static_cast<uint32_t>(std::min<uint64_t>(limits.StreamMax(), ro.max_record_len));
    DomainState state;
    Status read = ReadDomainState(src, ro, &state, &checker);
    if (!read.ok()) {
        /* The caller's stream, not its content: an I/O error. */
        *e = XsError::From(read.Is(StatusCode::kIo) ? std::move(read).Prefixed("cannot read the stream")
                                                    : std::move(read).Prefixed("refused"));
        return false;
    }
    auto lookup = [this](const std::string &path,
                         std::vector<XenstoredClient::Permission> *perms, XsError *le) {
        bool exists = false;
        if (!xs_.Permissions(path, perms, &exists, le))
            return false;
        if (!exists)
            perms->clear();
        return true;
    };
    if (!CheckAgainstHost(state, policy_, co, t.domid, lookup, e)) {
        if (e->refused)
            e->why = "refused: " + e->why;
        return false;
    }
    if (t.from_domid != t.domid)
        RemapDomid(&state, policy_, t.from_domid, t.domid);
    /* Sizes as xenstored counts them: rewritten paths and values can grow. */
    if (!CheckStoredSizes(state, limits.node_size, e)) {
        e->why = "refused: " + e->why;
        return false;
    }

    /* xenstored reads its own format: host byte order, version 1, padded len. */
    TempFile tmp;
    if (!tmp.Create("restore")) {
        /* This host's file, as the caller's stream is: not xenstored's failure. */
        *e = XsError{errno, std::string("cannot create a scratch file: ") + std::strerror(errno)};
        e->io = true;
        return false;
    }
    FdSink sink(tmp.fd());
    EncodeOptions eo;
    eo.ctx.endian = kHostEndian;
    eo.ctx.version = 1;
    eo.ctx.layout = Layout::Xen;
    std::string why;
    errno = 0; /* a failed write(2) sets it; an encoding error does not */
    if (!WriteDomainState(state, sink, eo, &why)) {
        *e = XsError{errno ? errno : EIO, "cannot write the state for xenstored: " + why};
        e->io = true;
        return false;
    }
    /* The empty file argument: the file passed with the request. */
    std::vector<std::string> args{"restore-domain", std::to_string(t.domid),
                                  std::to_string(t.store_gfn), std::to_string(t.store_port),
                                  ""};
    if (t.keep_quiesced)
        args.push_back("quiesced");
    /* xenstored applies the rule itself: the same mode, the same trust. */
    if (trusted_stream_)
        args.push_back("trusted");
    for (unsigned int d : trusted_)
        args.push_back("trust=" + std::to_string(d));
    std::string reply;
    if (xs_.Control(args, &reply, e, tmp.fd())) {
        counts_ = StateCounts::Of(state);
        return true;
    }
    /* Its own rule (libxl-patches 0030): the node is in xenstored's log. */
    if (e->err == EACCES && !e->lost)
        e->why += " (a node the domain could not have created itself; xenstored's log "
                  "names it)";
    return false;
}

} // namespace xsm
