/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Rules that span records: conn-ids are non-zero and unique, watches and
 * transactions name an earlier connection, pending nodes name an earlier
 * transaction, per-stream and per-domain records appear once.
 */
#ifndef XSM_STREAM_STREAM_VALIDATOR_H
#define XSM_STREAM_STREAM_VALIDATOR_H

#include <cstdint>
#include <string>
#include <unordered_set>

#include "stream/records.h"

namespace xsm {

class StreamValidator {
public:
    /* Checks one record in stream order; false with *reason if invalid. */
    bool Check(const Record &r, std::string *reason);

private:
    bool KnownConn(uint32_t conn_id, std::string *reason) const;
    static uint64_t TxKey(uint32_t conn, uint32_t tx) { return uint64_t{conn} << 32 | tx; }

    std::unordered_set<uint32_t> conns_;
    std::unordered_set<uint64_t> txs_;
    std::unordered_set<uint16_t> domains_;
    bool seen_global_ = false;
    bool seen_global_quota_ = false;
};

} // namespace xsm

#endif
