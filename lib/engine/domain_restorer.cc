#include "engine/domain_restorer.h"

#include <cerrno>
#include <cstring>

#include "engine/domain_state.h"
#include "engine/state_checker.h"
#include "engine/temp_file.h"

namespace xsm {

bool DomainRestorer::Restore(ByteSource &src, bool embedded, const RestoreTarget &t,
                             XsError *e)
{
    ReaderOptions ro;
    ro.embedded = embedded;
    DomainState state;
    std::string why;
    if (!ReadDomainState(src, ro, &state, &why)) {
        *e = XsError{EINVAL, "refused: " + why, true};
        return false;
    }

    std::map<std::string, long> quotas;
    if (!xs_.Quotas(&quotas, e))
        return false;
    CheckOptions co;
    co.domid = t.from_domid;
    co.trusted = trusted_;
    if (!CheckDomainState(state, policy_, XenstoredLimits::From(quotas), co, &why)) {
        *e = XsError{EPERM, "refused: " + why, true};
        return false;
    }
    if (t.from_domid != t.domid)
        RemapDomid(&state, policy_, t.from_domid, t.domid);

    /* xenstored reads its own format: host byte order, version 1, padded len. */
    TempFile tmp;
    if (!tmp.Create("restore")) {
        *e = XsError{errno, std::string("cannot create a scratch file: ") + std::strerror(errno)};
        return false;
    }
    FdSink sink(tmp.fd());
    EncodeOptions eo;
    eo.ctx.endian = kHostEndian;
    eo.ctx.version = 1;
    eo.ctx.layout = Layout::Xen;
    if (!WriteDomainState(state, sink, eo, &why)) {
        *e = XsError{EINVAL, "cannot write the state for xenstored: " + why};
        return false;
    }
    std::vector<std::string> args{"restore-domain", std::to_string(t.domid),
                                  std::to_string(t.store_gfn), std::to_string(t.store_port),
                                  tmp.path()};
    if (t.keep_quiesced)
        args.push_back("quiesced");
    std::string reply;
    return xs_.Control(args, &reply, e);
}

} // namespace xsm
