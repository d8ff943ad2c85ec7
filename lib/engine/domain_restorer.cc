/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/domain_restorer.h, which says what it is. */
#include "engine/domain_restorer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "engine/domain_state.h"
#include "engine/restore_rule.h"
#include "engine/state_checker.h"

namespace xsm {

namespace {

/* Counts what the reader takes from the caller's source.  A source in
 * memory is read in place, whole: unless it is embedded in a larger
 * stream, whose end the reader alone knows, so then it is read as any. */
class CountingSource : public ByteSource {
public:
    CountingSource(ByteSource &in, bool embedded) : in_(in), embedded_(embedded) {}
    ssize_t Read(uint8_t *buf, size_t n) override
    {
        ssize_t got = in_.Read(buf, n);
        if (got > 0)
            octets_ += got;
        return got;
    }
    bool Whole(Bytes *all) const override
    {
        if (embedded_ || !in_.Whole(all))
            return false;
        octets_ = all->size();
        return true;
    }
    size_t octets() const { return octets_; }

private:
    ByteSource &in_;
    const bool embedded_;
    mutable size_t octets_ = 0;
};

} // namespace

Status DomainRestorer::Restore(ByteSource &src, bool embedded, const RestoreTarget &t)
{
    /* A daemon without the command is said so before anything else is
     * asked of it (an oxenstored without it has no quota settings). */
    Status st = store_.Has("restore-domain");
    if (!st.ok())
        return st;
    /* The limits first: the stream is bounded while it is read. */
    std::map<std::string, long> quotas;
    st = store_.Quotas(&quotas);
    if (!st.ok())
        return st;
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
    CountingSource counted(src, embedded);
    if (Status read = ReadDomainState(counted, ro, &state, &checker); !read.ok())
        /* The caller's stream, not its content: an I/O error. */
        return std::move(read).Prefixed(read.Is(StatusCode::kIo) ? "cannot read the stream"
                                                                  : "refused");
    auto lookup = [this](const std::string &path, std::vector<DomainStore::Permission> *perms) {
        bool exists = false;
        Status st = store_.Permissions(path, perms, &exists);
        if (st.ok() && !exists)
            perms->clear();
        return st;
    };
    if (Status st = CheckAgainstHost(state, policy_, co, t.domid, lookup); !st.ok())
        return st.Is(StatusCode::kBeyondDomain) ? std::move(st).Prefixed("refused") : st;
    if (t.from_domid != t.domid)
        RemapDomid(&state, policy_, t.from_domid, t.domid);
    /* Sizes as xenstored counts them: rewritten paths and values can grow. */
    if (Status st = CheckStoredSizes(state, limits.node_size); !st.ok())
        return std::move(st).Prefixed("refused");

    /* xenstored reads its own format: host byte order, version 1, padded len. */
    auto encode = [&state](ByteSink &sink) {
        EncodeOptions eo;
        eo.ctx.endian = kHostEndian;
        eo.ctx.version = 1;
        eo.ctx.layout = Layout::Xen;
        std::string wwhy;
        errno = 0; /* a failed write(2) sets it; an encoding error does not */
        if (WriteDomainState(state, sink, eo, &wwhy))
            return Status::Ok();
        return Status::Io(errno ? errno : EIO, "cannot write the state for xenstored: " + wwhy);
    };
    RestoreRequest r;
    r.domid = t.domid;
    r.store_gfn = t.store_gfn;
    r.store_port = t.store_port;
    r.keep_quiesced = t.keep_quiesced;
    /* xenstored applies the rule itself: the same mode, the same trust. */
    r.trusted_stream = trusted_stream_;
    r.trusted = trusted_;
    st = store_.RestoreDomain(r, encode);
    if (st.ok()) {
        counts_ = StateCounts::Of(state);
        octets_ = counted.octets();
        return st;
    }
    /* Its own rule (libxl-patches 0030): the node is in xenstored's log. */
    if (st.Is(StatusCode::kXenstoredRefused) && st.sys_errno() == EACCES)
        return Status::XenstoredRefused(EACCES, st.message() +
                                                        " (a node the domain could not have "
                                                        "created itself; xenstored's log "
                                                        "names it)")
                .From(StatusOrigin::kXenstored);
    return st;
}

} // namespace xsm
