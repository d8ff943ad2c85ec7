/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * One domain's xenstore state, owned: what a per-domain stream carries.
 *
 * Unlike the codec's records (views into a buffer), this model owns its
 * strings, because restore rewrites paths and permissions for a new domid
 * and that changes lengths.  Every element remembers where in the stream
 * it came from, so that a refusal can name the record.
 */
#ifndef XSM_ENGINE_DOMAIN_STATE_H
#define XSM_ENGINE_DOMAIN_STATE_H

#include <string>
#include <vector>

#include "common/status.h"
#include "stream/byte_io.h"
#include "stream/record_encoder.h"
#include "stream/stream_reader.h"

namespace xsm {

/* Where an element was read from: record index, offset and type. */
struct Origin {
    int64_t index = -1;
    uint64_t offset = 0;
    uint32_t type = 0;

    /* "record #K (TYPE) at offset N" */
    std::string Describe() const;
};

struct ConnectionState {
    uint32_t conn_id = 0;
    uint16_t domid = 0;
    uint16_t tdomid = kDomidInvalid;
    uint32_t evtchn = 0;
    uint16_t fields = 0;
    uint64_t unique_id = 0;
    uint16_t out_resp_len = 0;
    std::string in_data, out_data;
    Origin at;
};

struct WatchState {
    std::string path, token;
    bool extended = false;
    uint16_t depth = kDepthUnlimited;
    Origin at;
};

struct TransactionState {
    uint32_t tx_id = 0;
    Origin at;
};

struct NodeState {
    std::string path, value;
    std::vector<Perm> perms;  /* first: owner */
    uint32_t tx_id = 0;       /* pending in this transaction if non-zero */
    uint16_t access = 0;
    Origin at;

    bool pending() const { return tx_id != 0; }
};

struct DomainState {
    StreamContext ctx;
    ConnectionState conn;
    std::vector<WatchState> watches;
    std::vector<TransactionState> transactions;
    std::vector<NodeState> nodes;   /* committed and pending, in stream order */
};

/* What a state holds, for the log line of a save or restore.  Counted from
 * the state the saver or restorer parsed anyway: on save this runs while
 * the guest is suspended, so it must not parse the stream again. */
struct StateCounts {
    size_t nodes = 0;          /* committed */
    size_t pending = 0;        /* written inside open transactions */
    size_t transactions = 0;
    size_t watches = 0;

    static StateCounts Of(const DomainState &s);
    /* "N nodes, N nodes pending in N transactions, N watches, N octets" */
    std::string Describe(size_t octets) const;
};

/*
 * Sees every element as it is read, before it is kept, so that a hostile
 * stream is refused (and its cost bounded) while reading, not after.
 * Each returns false with a reason (the caller adds the record).
 */
class StateFilter {
public:
    virtual ~StateFilter() = default;
    /* Every record, with its length, once read (at most max_record_len). */
    virtual bool Record(const Origin &at, uint32_t len, std::string *why) = 0;
    virtual bool Connection(const ConnectionState &c, std::string *why) = 0;
    virtual bool Watch(const WatchState &w, std::string *why) = 0;
    virtual bool Transaction(const TransactionState &t, std::string *why) = 0;
    /* *keep = false: a valid node that is not restored, dropped at once. */
    virtual bool Node(const NodeState &n, bool *keep, std::string *why) = 0;
    /* What the last refusal was: a malformed or oversized stream
     * (kBadStream), or one naming what the guest could not have created
     * (kBeyondDomain). */
    virtual StatusCode refusal() const { return StatusCode::kBadStream; }
};

/*
 * Reads a per-domain stream: exactly one ring CONNECTION_DATA, its
 * watches, transactions and nodes.  Anything else (GLOBAL_DATA, a socket
 * or second connection, unknown record types) is refused: such a stream
 * is a live-update image or from something we do not understand.  With a
 * filter, each element passes it before it is kept.  Failures: the
 * stream's (kBadStream, kIo reading it), and the filter's refusal() with
 * the record named.
 */
Status ReadDomainState(ByteSource &src, const ReaderOptions &opts, DomainState *out,
                       StateFilter *filter = nullptr);

/* The same checks, keeping only the connection and the counts: what a
 * save needs of the stream xenstored wrote, while the guest is paused. */
Status ScanDomainState(ByteSource &src, const ReaderOptions &opts, ConnectionState *conn,
                       StateCounts *counts);

/* Writes the state as a stream in opts' format (END included). */
bool WriteDomainState(const DomainState &s, ByteSink &sink, const EncodeOptions &opts,
                      std::string *why);

} // namespace xsm

#endif
