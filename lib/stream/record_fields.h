/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The fields of each record, described once: their names (the design
 * document's, in kebab case), their order (the stream's) and their kind.
 * Whatever walks every field of a record -- dump's text and JSON
 * renderings, the tests that compare them -- goes through VisitFields,
 * so that two walkers cannot disagree on which fields a record has.
 *
 * VisitFields(record, layout, v) calls v(name, field) once per field,
 * where field is one of the kinds below; a visitor overloads operator()
 * on the kinds (a generic lambda takes them all).  Length and count
 * fields are visited too: the decoder has checked each against what it
 * measures, and the encoder computes them, so they are shown, never set.
 * Padding is not a field.
 */
#ifndef XSM_STREAM_RECORD_FIELDS_H
#define XSM_STREAM_RECORD_FIELDS_H

#include <cstdint>
#include <string_view>

#include "stream/records.h"

namespace xsm {
namespace field {

/* A number: ids, file descriptors, ports, bit sets. */
struct Integer {
    int64_t value;
};
/* A number people read in hexadecimal (an MFN, a unique id, a type code);
 * digits: the least number of hex digits to show, 0 for no padding. */
struct Hex {
    uint64_t value;
    int digits;
};
/* The length or count of a later field of the same record. */
struct Length {
    uint64_t value;
};
/* A domain id. */
struct Domid {
    uint16_t value;
};
/* One of a fixed set of words standing for a code: "ring", "socket". */
struct Word {
    std::string_view value;
};
/* A string as the guest or xenstored gave it: paths, tokens, values.
 * Any octet may occur, NUL included (a node's value). */
struct Text {
    Bytes value;
};
/* Opaque octets: pending ring data, the body of an unknown record. */
struct Octets {
    Bytes value;
};
/* A node's permissions, the owner first. */
struct Perms {
    PermList value;
};
/* Quota entries [from, to) of a record's quota list, name and value. */
struct Quotas {
    const QuotaList &list;
    size_t from, to;
};

} // namespace field

template <typename V>
void VisitFields(const EndRecord &, Layout, V &&)
{
}

template <typename V>
void VisitFields(const GlobalRecord &r, Layout layout, V &&v)
{
    v("rw-socket-fd", field::Integer{r.rw_socket_fd});
    v(layout == Layout::Xen ? "evtchn-fd" : "ro-socket-fd", field::Integer{r.second_fd});
}

/* The two layouts' conn-spec differ (docs/format-findings.md); fields a
 * layout lacks are not visited. */
template <typename V>
void VisitFields(const ConnectionRecord &r, Layout layout, V &&v)
{
    const bool xen = layout == Layout::Xen;
    v("conn-id", field::Integer{r.conn_id});
    v("conn-type", field::Word{r.is_ring() ? "ring" : "socket"});
    if (xen)
        v("fields", field::Integer{r.fields});
    else
        v("flags", field::Integer{r.flags});
    if (r.is_ring()) {
        v("domid", field::Domid{r.domid});
        v("tdomid", field::Domid{r.tdomid});
        v("evtchn", field::Integer{r.evtchn});
        if (!xen)
            v("mfn", field::Hex{r.mfn, 0});
    } else {
        v("socket-fd", field::Integer{r.socket_fd});
    }
    if (xen) {
        v("in-data-len", field::Length{r.in_data.size()});
        v("out-resp-len", field::Integer{r.out_resp_len});
        v("out-data-len", field::Length{r.out_data.size()});
        v("in-data", field::Octets{r.in_data});
        v("out-data", field::Octets{r.out_data});
        if (r.has_unique_id())
            v("unique-id", field::Hex{r.unique_id, 0});
    } else {
        v("data-len", field::Length{r.out_data.size()});
        v("data", field::Octets{r.out_data});
    }
}

/* WATCH_DATA and WATCH_DATA_EXTENDED: the latter adds depth. */
template <typename V>
void VisitFields(const WatchRecord &r, Layout, V &&v)
{
    v("conn-id", field::Integer{r.conn_id});
    v("wpath-len", field::Length{r.wpath.size() + 1});
    v("token-len", field::Length{r.token.size() + 1});
    if (r.extended)
        v("depth", field::Integer{r.depth});
    v("wpath", field::Text{r.wpath});
    v("token", field::Text{r.token});
}

template <typename V>
void VisitFields(const TransactionRecord &r, Layout, V &&v)
{
    v("conn-id", field::Integer{r.conn_id});
    v("tx-id", field::Integer{r.tx_id});
}

template <typename V>
void VisitFields(const NodeRecord &r, Layout, V &&v)
{
    v("conn-id", field::Integer{r.conn_id});
    v("tx-id", field::Integer{r.tx_id});
    v("path-len", field::Length{r.path.size() + 1});
    v("value-len", field::Length{r.value.size()});
    v("access", field::Integer{r.access});
    v("perm-count", field::Length{r.perms.size()});
    v("perms", field::Perms{r.perms});
    v("path", field::Text{r.path});
    v("value", field::Text{r.value});
}

/* The per-domain defaults first, then the global ones: one list in the
 * stream, split by n-dom-quota. */
template <typename V>
void VisitFields(const GlobalQuotaRecord &r, Layout, V &&v)
{
    v("n-dom-quota", field::Length{r.n_dom_quota});
    v("n-glob-quota", field::Length{r.n_glob_quota});
    v("domain-quotas", field::Quotas{r.quotas, 0, r.n_dom_quota});
    v("global-quotas", field::Quotas{r.quotas, r.n_dom_quota, r.quotas.size()});
}

template <typename V>
void VisitFields(const DomainRecord &r, Layout, V &&v)
{
    v("domid", field::Domid{r.domid});
    v("n-quota", field::Length{r.quotas.size()});
    v("features", field::Integer{r.features});
    v("quotas", field::Quotas{r.quotas, 0, r.quotas.size()});
}

/* A reserved type: its code (the record header's) and the body as read. */
template <typename V>
void VisitFields(const UnknownRecord &r, Layout, V &&v)
{
    v("type-code", field::Hex{r.type, 8});
    v("body", field::Octets{r.body});
}

template <typename V>
void VisitFields(const Record &r, Layout layout, V &&v)
{
    std::visit([&](const auto &rec) { VisitFields(rec, layout, v); }, r);
}

} // namespace xsm

#endif
