/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/stream_validator.h, which says what it is. */
#include "stream/stream_validator.h"

namespace xsm {

bool StreamValidator::KnownConn(uint32_t conn_id, std::string *reason) const
{
    if (conns_.count(conn_id))
        return true;
    *reason = "conn-id " + std::to_string(conn_id) + " names no earlier CONNECTION_DATA";
    return false;
}

bool StreamValidator::Check(const Record &r, std::string *reason)
{
    if (const auto *c = std::get_if<ConnectionRecord>(&r)) {
        if (c->conn_id == 0) {
            *reason = "conn-id 0 is reserved (it marks committed nodes)";
            return false;
        }
        if (!conns_.insert(c->conn_id).second) {
            *reason = "conn-id " + std::to_string(c->conn_id) + " repeated";
            return false;
        }
    } else if (const auto *w = std::get_if<WatchRecord>(&r)) {
        return KnownConn(w->conn_id, reason);
    } else if (const auto *t = std::get_if<TransactionRecord>(&r)) {
        if (!KnownConn(t->conn_id, reason))
            return false;
        if (t->tx_id == 0) {
            *reason = "tx-id 0 is not a transaction";
            return false;
        }
        if (!txs_.insert(TxKey(t->conn_id, t->tx_id)).second) {
            *reason = "transaction " + std::to_string(t->tx_id) + " on conn-id " +
                      std::to_string(t->conn_id) + " repeated";
            return false;
        }
    } else if (const auto *n = std::get_if<NodeRecord>(&r)) {
        if (n->pending() && !txs_.count(TxKey(n->conn_id, n->tx_id))) {
            *reason = "pending node names transaction " + std::to_string(n->tx_id) +
                      " on conn-id " + std::to_string(n->conn_id) +
                      ", which no earlier TRANSACTION_DATA opened";
            return false;
        }
    } else if (const auto *d = std::get_if<DomainRecord>(&r)) {
        if (!domains_.insert(d->domid).second) {
            *reason = "DOMAIN_DATA for domain " + std::to_string(d->domid) + " repeated";
            return false;
        }
    } else if (std::holds_alternative<GlobalRecord>(r)) {
        if (seen_global_) {
            *reason = "GLOBAL_DATA repeated";
            return false;
        }
        seen_global_ = true;
    } else if (std::holds_alternative<GlobalQuotaRecord>(r)) {
        if (seen_global_quota_) {
            *reason = "GLOBAL_QUOTA_DATA repeated";
            return false;
        }
        seen_global_quota_ = true;
    }
    return true;
}

} // namespace xsm
