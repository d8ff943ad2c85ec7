/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/domain_state.h, which says what it is. */
#include "engine/domain_state.h"

#include "stream/stream_parser.h"
#include "stream/stream_writer.h"

namespace xsm {

std::string Origin::Describe() const
{
    return "record #" + std::to_string(index) + " (" + RecordTypeLabel(type) + ") at offset " +
           std::to_string(offset);
}

StateCounts StateCounts::Of(const DomainState &s)
{
    StateCounts c;
    for (const auto &n : s.nodes)
        c.pending += n.pending();
    c.nodes = s.nodes.size() - c.pending;
    c.transactions = s.transactions.size();
    c.watches = s.watches.size();
    return c;
}

std::string StateCounts::Describe(size_t octets) const
{
    return std::to_string(nodes) + " nodes, " + std::to_string(pending) +
           " nodes pending in " + std::to_string(transactions) + " transactions, " +
           std::to_string(watches) + " watches, " + std::to_string(octets) + " octets";
}

namespace {

/* Collects records into a DomainState, refusing what is not per-domain. */
struct Collector {
    DomainState *s;
    Origin at;
    bool have_conn = false;
    std::string *why;
    StateFilter *filter;
    StateCounts *counts = nullptr; /* set: nodes are counted, not kept */

    bool Refuse(const std::string &reason)
    {
        *why = at.Describe() + ": " + reason;
        return false;
    }
    /* A filter's refusal, named by the record. */
    bool Filtered(bool ok)
    {
        if (!ok)
            *why = at.Describe() + ": " + *why;
        return ok;
    }

    bool operator()(const EndRecord &) { return true; }
    bool operator()(const GlobalRecord &)
    {
        return Refuse("GLOBAL_DATA belongs to a live-update image, not a domain's state");
    }
    bool operator()(const GlobalQuotaRecord &)
    {
        return Refuse("GLOBAL_QUOTA_DATA belongs to a live-update image, not a domain's state");
    }
    bool operator()(const DomainRecord &) { return true; /* per-domain quotas: not applied */ }
    bool operator()(const UnknownRecord &)
    {
        return Refuse("record type from the reserved range in a domain's state");
    }
    bool operator()(const ConnectionRecord &r)
    {
        if (have_conn)
            return Refuse("a second connection: a domain's state has exactly one");
        if (!r.is_ring())
            return Refuse("a socket connection: a domain's state has a ring connection");
        have_conn = true;
        ConnectionState &c = s->conn;
        c.conn_id = r.conn_id;
        c.domid = r.domid;
        c.tdomid = r.tdomid;
        c.evtchn = r.evtchn;
        c.fields = r.fields;
        c.unique_id = r.unique_id;
        c.out_resp_len = r.out_resp_len;
        c.in_data.assign(r.in_data);
        c.out_data.assign(r.out_data);
        c.at = at;
        return !filter || Filtered(filter->Connection(c, why));
    }
    bool operator()(const WatchRecord &r)
    {
        WatchState w{std::string(r.wpath), std::string(r.token), r.extended, r.depth, at};
        if (filter && !Filtered(filter->Watch(w, why)))
            return false;
        s->watches.push_back(std::move(w));
        return true;
    }
    bool operator()(const TransactionRecord &r)
    {
        TransactionState t{r.tx_id, at};
        if (filter && !Filtered(filter->Transaction(t, why)))
            return false;
        s->transactions.push_back(t);
        return true;
    }
    bool operator()(const NodeRecord &r)
    {
        if (counts) {
            /* Counted as StateCounts::Of would count the kept node. */
            (r.pending() && r.tx_id ? counts->pending : counts->nodes)++;
            return true;
        }
        NodeState n;
        n.path.assign(r.path);
        n.value.assign(r.value);
        n.perms.reserve(r.perms.size());
        for (size_t i = 0; i < r.perms.size(); i++)
            n.perms.push_back(r.perms[i]);
        n.tx_id = r.pending() ? r.tx_id : 0;
        n.access = r.access;
        n.at = at;
        bool keep = true;
        if (filter && !Filtered(filter->Node(n, &keep, why)))
            return false;
        if (keep)
            s->nodes.push_back(std::move(n));
        return true;
    }
};

} // namespace

namespace {

Status Collect(ByteSource &src, const ReaderOptions &opts, DomainState *out,
               StateFilter *filter, StateCounts *counts)
{
    StreamParser parser(src, opts);
    Status st = parser.Start();
    if (!st.ok())
        return st;
    out->ctx = parser.context();
    std::string why;
    Collector c{out, {}, false, &why, filter, counts};
    ParsedRecord rec;
    while (parser.Next(&rec, &st)) {
        c.at = Origin{rec.raw.index, rec.raw.offset, rec.raw.type};
        if ((filter && !c.Filtered(filter->Record(c.at, rec.raw.len, &why))) ||
            !std::visit(c, rec.record)) {
            Status refused = filter && filter->refusal() == StatusCode::kBeyondDomain
                                     ? Status::BeyondDomain(why)
                                     : Status::BadStream(why);
            return std::move(refused.From(StatusOrigin::kEngine));
        }
    }
    if (st.ok() && !c.have_conn)
        return std::move(Status::BadStream("the stream has no CONNECTION_DATA: it is not a "
                                           "domain's state")
                                 .From(StatusOrigin::kEngine));
    return st;
}

} // namespace

Status ReadDomainState(ByteSource &src, const ReaderOptions &opts, DomainState *out,
                       StateFilter *filter)
{
    return Collect(src, opts, out, filter, nullptr);
}

Status ScanDomainState(ByteSource &src, const ReaderOptions &opts, ConnectionState *conn,
                       StateCounts *counts)
{
    DomainState s;
    *counts = StateCounts{};
    Status st = Collect(src, opts, &s, nullptr, counts);
    if (!st.ok())
        return st;
    *conn = std::move(s.conn);
    counts->transactions = s.transactions.size();
    counts->watches = s.watches.size();
    return st;
}

bool WriteDomainState(const DomainState &s, ByteSink &sink, const EncodeOptions &opts,
                      std::string *why)
{
    StreamWriter w(sink, opts);
    if (!w.WriteHeader(why))
        return false;

    const ConnectionState &c = s.conn;
    ConnectionRecord cr;
    cr.conn_id = c.conn_id;
    cr.conn_type = static_cast<uint16_t>(ConnType::Ring);
    cr.fields = c.fields;
    cr.domid = c.domid;
    cr.tdomid = c.tdomid;
    cr.evtchn = c.evtchn;
    cr.unique_id = c.unique_id;
    cr.out_resp_len = c.out_resp_len;
    cr.in_data = c.in_data;
    cr.out_data = c.out_data;
    if (!w.Write(cr, why))
        return false;

    for (const WatchState &ws : s.watches) {
        if (!w.Write(WatchRecord{c.conn_id, ws.path, ws.token, ws.extended, ws.depth}, why))
            return false;
    }
    for (const TransactionState &t : s.transactions) {
        if (!w.Write(TransactionRecord{c.conn_id, t.tx_id}, why))
            return false;
    }

    std::string perms;
    for (const NodeState &n : s.nodes) {
        perms.resize(n.perms.size() * PermList::kSize);
        auto *p = reinterpret_cast<uint8_t *>(&perms[0]);
        for (size_t i = 0; i < n.perms.size(); i++, p += PermList::kSize) {
            p[0] = static_cast<uint8_t>(n.perms[i].perm);
            p[1] = n.perms[i].flags;
            Store<uint16_t>(p + 2, n.perms[i].domid, kHostEndian);
        }
        NodeRecord r;
        r.conn_id = n.pending() ? c.conn_id : 0;
        r.tx_id = n.tx_id;
        r.access = n.access;
        r.perms = PermList(reinterpret_cast<const uint8_t *>(perms.data()),
                           static_cast<uint16_t>(n.perms.size()), kHostEndian);
        r.path = n.path;
        r.value = n.value;
        if (!w.Write(r, why))
            return false;
    }
    return w.Write(EndRecord{}, why);
}

} // namespace xsm
