#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-only
"""Forge hostile variants of a saved domain stream, as a compromised sender
would, for the refusal tests.  Its own reader and writer of xenstored's
stream (tools/xenstore/include/xenstore_state.h, little endian, as
xenstored writes it) on purpose: it must not depend on the codec under
test.

  forge.py rename-path IN OUT OLD NEW     a node's path (same length)
  forge.py perm-domid  IN OUT PATH DOMID  the domid of PATH's last permission
  forge.py hostile     IN OUTDIR          every forgery of the hostile suite:
        OUTDIR/NAME.xsm, and OUTDIR/index: "NAME<TAB>regex of the reason
        [<TAB>restore options]" per line.  IN is domain 5's state (see
        tests/integration/check-hostile.sh for what it holds).
"""
import os
import struct
import sys

END, GLOBAL, CONN, WATCH, TA, NODE = 0, 1, 2, 3, 4, 5


class Stream:
    """A stream as a header and a list of [type, fields] records."""

    def __init__(self, data):
        if data[:8] != b"xenstore" or struct.unpack("<I", data[12:16])[0] != 0:
            sys.exit("forge: not a little endian xenstore stream")
        self.header = data[:16]
        self.records = []
        off = 16
        while True:
            rtype, length = struct.unpack_from("<II", data, off)
            body = data[off + 8:off + 8 + length]
            off += 8 + ((length + 7) & ~7)
            self.records.append([rtype, self.decode(rtype, body)])
            if rtype == END:
                break

    @staticmethod
    def decode(rtype, b):
        if rtype == CONN:
            cid, ctype, fields, domid, tdomid, evtchn, din, dresp, dout = \
                struct.unpack_from("<IHHHHIHHI", b)
            return dict(id=cid, ctype=ctype, fields=fields, domid=domid, tdomid=tdomid,
                        evtchn=evtchn, resp=dresp, din=b[24:24 + din],
                        dout=b[24 + din:24 + din + dout])
        if rtype == WATCH:
            cid, plen, tlen = struct.unpack_from("<IHH", b)
            return dict(conn=cid, path=b[8:8 + plen - 1], token=b[8 + plen:8 + plen + tlen - 1])
        if rtype == TA:
            cid, tid = struct.unpack_from("<II", b)
            return dict(conn=cid, id=tid)
        if rtype == NODE:
            cid, tid, plen, dlen, access, nperm = struct.unpack_from("<IIHHHH", b)
            perms = [list(struct.unpack_from("<BBH", b, 16 + 4 * i)) for i in range(nperm)]
            p = 16 + 4 * nperm
            return dict(conn=cid, ta=tid, access=access, perms=perms,
                        path=b[p:p + plen - 1], data=b[p + plen:p + plen + dlen])
        return dict(raw=b)

    @staticmethod
    def encode(rtype, f):
        if rtype == CONN:
            body = struct.pack("<IHHHHIHHI", f["id"], f["ctype"], f["fields"], f["domid"],
                               f["tdomid"], f["evtchn"], len(f["din"]), f["resp"],
                               len(f["dout"])) + f["din"] + f["dout"]
        elif rtype == WATCH:
            body = struct.pack("<IHH", f["conn"], len(f["path"]) + 1,
                               len(f["token"]) + 1) + f["path"] + b"\0" + f["token"] + b"\0"
        elif rtype == TA:
            body = struct.pack("<II", f["conn"], f["id"])
        elif rtype == NODE:
            body = struct.pack("<IIHHHH", f["conn"], f["ta"], len(f["path"]) + 1,
                               len(f["data"]), f["access"], len(f["perms"]))
            body += b"".join(struct.pack("<BBH", *p) for p in f["perms"])
            body += f["path"] + b"\0" + f["data"]
        else:
            body = f["raw"]
        return struct.pack("<II", rtype, len(body)) + body + b"\0" * (-len(body) % 8)

    def bytes(self):
        return self.header + b"".join(self.encode(t, f) for t, f in self.records)

    # --- editing helpers -------------------------------------------------
    def node(self, path):
        for t, f in self.records:
            if t == NODE and f["path"] == path.encode() and not f["conn"]:
                return f
        sys.exit("forge: no node %s in the stream" % path)

    def conn(self):
        return next(f for t, f in self.records if t == CONN)

    def insert(self, rtype, fields):
        """Before END."""
        self.records.insert(len(self.records) - 1, [rtype, fields])


def perms(text):
    """'n5 r0' -> [[ord('n'), 0, 5], [ord('r'), 0, 0]]"""
    return [[ord(p[0]), 0, int(p[1:])] for p in text.split()]


def new_node(path, value=b"v", perm="n5"):
    return dict(conn=0, ta=0, access=0, perms=perms(perm),
                path=path.encode() if isinstance(path, str) else path, data=value)


def msg(length, payload=None):
    """An xsd_sockmsg: type 2 (READ), req_id 1, tx_id 0, len."""
    body = payload if payload is not None else b"p" * min(length, 64)
    return struct.pack("<IIII", 2, 1, 0, length) + body


H = "/local/domain/5"
BE = "/local/domain/0/backend/vif/5/0"


def variants():
    """(name, reason regex, options, edit(stream)) for every forgery."""
    v = []

    def add(name, reason, edit, options=""):
        v.append((name, reason, options, edit))

    def set_perms(path, text):
        return lambda s: s.node(path).__setitem__("perms", perms(text))

    def plant(path, perm="n5", value=b"v"):
        return lambda s: s.insert(NODE, new_node(path, value, perm))

    third = "a third domain"
    everyone = "every domain not listed write access"
    # First permission entry: the owner AND every unlisted domain's access.
    # Backend nodes are judged where they are applied, in trusted mode:
    # untrusted, a backend area is skipped whole, whatever is in it.
    tr = "--trusted-stream"
    add("first-entry-w0-backend", everyone, set_perms(BE + "/state", "w0 r5"), tr)
    add("first-entry-b0-backend", everyone, set_perms(BE + "/state", "b0 r5"), tr)
    add("first-entry-b0-backend-dir", everyone, set_perms(BE, "b0"), tr)
    add("first-entry-b3-domain3-backend", everyone,
        plant("/local/domain/3/backend/vbd/5/768", "b3"), "--trust-domid 3 " + tr)
    add("first-entry-w0-name", everyone, set_perms(H + "/name", "w0 r5"))
    add("first-entry-b0-vm", everyone, set_perms(H + "/vm", "b0"))
    add("first-entry-ignored-owner", "marked .ignore.",
        lambda s: s.node(H + "/data/x").__setitem__("perms", [[ord("n"), 1, 5]]))
    # Backend areas: the guest gains nothing on its backend's nodes.
    add("backend-writable-by-guest", "at most 'r'", set_perms(BE + "/state", "n0 w5"), tr)
    add("backend-both-by-guest", "at most 'r'", set_perms(BE + "/state", "n0 b5"), tr)
    add("backend-owned-by-guest", "not by its backend 0", set_perms(BE + "/state", "n5"), tr)
    add("backend-owned-by-third", "names domain 3", set_perms(BE + "/state", "n3"), tr)
    add("backend-owned-by-trusted", "not by its backend 0", set_perms(BE + "/state", "n3"),
        "--trust-domid 3 " + tr)
    add("backend-new-device-guest-owned", "not by its backend 0",
        plant("/local/domain/0/backend/vbd/5/51712/params", "n5", b"/dev/sda"), tr)
    add("backend-new-device-world-writable", everyone,
        plant("/local/domain/0/backend/vbd/5/51712/params", "w0", b"/dev/sda"), tr)
    # Permissions for third domains.
    add("perm-third-read", third, set_perms(H + "/data/x", "n5 r7"))
    add("perm-third-both", third, set_perms(H + "/data/x", "n5 b7"))
    add("perm-third-owner", "owned by domain 7", set_perms(H + "/data/x", "n7"),
        "--trust-domid 7")
    add("perm-third-owner-untrusted", third, set_perms(H + "/data/x", "n7"))
    add("perm-third-on-frontend", third, set_perms(H + "/device/vif/0/state", "n5 w9"))
    add("perm-toolstack-node-third", third, set_perms(H + "/name", "n0 r5 r8"))
    # Nodes planted outside the domain's area, or in another domain's.
    add("plant-dom0-area", "outside domain 5's nodes", plant("/local/domain/0/data/x"))
    add("plant-other-guest-area", "outside domain 5's nodes", plant("/local/domain/7/data/x", "n7"))
    add("plant-other-guest-device", "outside domain 5's nodes",
        plant("/local/domain/7/device/vif/0/backend", "n7"))
    add("plant-other-guest-backend", "outside domain 5's nodes",
        plant("/local/domain/0/backend/vif/7/0/state", "n0 r7"))
    add("plant-tool-xenstored", "outside domain 5's nodes", plant("/tool/xenstored/x", "n0"))
    add("plant-vm-tree", "outside domain 5's nodes", plant("/vm/00000000-evil/name", "n0"))
    add("plant-root", "outside domain 5's nodes", plant("/", "n5"))
    add("plant-local-domain", "outside domain 5's nodes", plant("/local/domain", "n5"))
    add("plant-lookalike-domid", "outside domain 5's nodes", plant("/local/domain/55/x"))
    add("plant-leading-zero-domid", "outside domain 5's nodes", plant("/local/domain/05/x"))
    add("rename-into-dom0", "outside domain 5's nodes",
        lambda s: s.node(H + "/data/x").__setitem__("path", b"/local/domain/0/data/x"))
    # Toolstack nodes of the guest's own area: this host's toolstack wins.
    add("toolstack-name-replaced", "exists on this host owned by domain 0",
        set_perms(H + "/name", "n5"))
    add("toolstack-vm-replaced", "exists on this host owned by domain 0",
        set_perms(H + "/vm", "n5"))
    add("toolstack-domid-replaced", "exists on this host owned by domain 0",
        set_perms(H + "/domid", "n5"))
    add("toolstack-store-port-replaced", "exists on this host owned by domain 0",
        set_perms(H + "/store/port", "n5"))
    add("toolstack-under-name", "cannot create nodes under /local/domain/[0-9]+/name",
        plant(H + "/name/sub"))
    add("toolstack-under-vm", "cannot create nodes under /local/domain/[0-9]+/vm",
        plant(H + "/vm/sub"))
    add("toolstack-under-domid", "cannot create nodes under /local/domain/[0-9]+/domid",
        plant(H + "/domid/sub"))
    add("parent-missing", "neither exists on this host nor is restored",
        plant(H + "/nowhere/a/b"))
    # Bounds (xenstored's quotas for a domain).
    add("quota-node-size", "node-size quota", plant(H + "/data/big", "n5", b"v" * 2049))
    add("quota-permissions", "permissions, more than xenstored's quota",
        set_perms(H + "/data/x", "n5 r0 r0 r0 r0 r0"))

    def many_nodes(n, perm, base):
        def edit(s):
            for i in range(n):
                s.insert(NODE, new_node("%s/n%d" % (base, i), b"", perm))
        return edit
    add("quota-nodes", "more than 1000 nodes owned by domain 5",
        many_nodes(1001, "n5", H + "/data"))
    add("quota-nodes-dom0-trusted", "more than 1000 nodes owned by domain 0",
        many_nodes(1001, "n0 r5", BE), "--trusted-stream")

    def watches(n, token=b"t", path=H.encode()):
        def edit(s):
            cid = s.conn()["id"]
            for i in range(n):
                s.insert(WATCH, dict(conn=cid, path=path, token=token + b"%d" % i))
        return edit
    add("quota-watches", "more than 128 watches", watches(129))
    add("watch-token-too-long", "do not fit in one XS_WATCH request", watches(1, b"t" * 4090))
    add("watch-duplicate", "appears twice",
        lambda s: s.insert(WATCH, dict(conn=s.conn()["id"], path=H.encode() + b"/data",
                                        token=b"tok")))

    def transactions(ids):
        def edit(s):
            cid = s.conn()["id"]
            for i in ids:
                s.insert(TA, dict(conn=cid, id=i))
        return edit
    add("quota-transactions", "more than 10 transactions", transactions(range(100, 111)))
    add("transaction-id-zero", "tx-id 0 is not a transaction", transactions([0]))
    add("transaction-id-twice", "transaction 1 on conn-id [0-9]+ repeated", transactions([1]))
    add("pending-node-unknown-tx", "transaction 77 .*which no earlier TRANSACTION_DATA opened",
        lambda s: s.insert(NODE, dict(new_node(H + "/data/p"), conn=s.conn()["id"], ta=77)))
    add("pending-output-over-memory-quota", "memory quota",
        lambda s: s.conn().__setitem__("dout", msg(4096, b"e" * 4096) * 700))
    add("pending-output-40mb", "len 41120024 exceeds the limit of",
        lambda s: s.conn().__setitem__("dout", msg(4096, b"e" * 4096) * 10000))
    add("pending-input-two-requests", "more than one request",
        lambda s: s.conn().__setitem__("din", msg(4096, b"i" * 4096) * 2))
    add("stream-huge-skipped-nodes", "the stream reaches octet [0-9]+, more than the",
        many_nodes(40000, "n0 r5", BE + "/pad" + "x" * 200))
    # Paths as xenstored validates them.
    for name, path in [("dotdot", H + "/data/../../0/x"), ("dot", H + "/data/."),
                       ("double-slash", H + "//data"), ("trailing-slash", H + "/data/"),
                       ("space", H + "/data/a b"), ("star", H + "/data/*"),
                       ("colon", H + "/data/a:b"), ("high-octet", H + "/data/\xff"),
                       ("relative", "local/domain/5/data/r"),
                       ("too-long", H + "/" + "x" * 2049),
                       ("newline", H + "/data/a\nb")]:
        add("path-" + name, "path .*(octets)", plant(path.encode("latin-1")))
    add("path-empty", "path .*(octets)", plant(b""))
    # Watch paths.
    for name, path in [("double-slash", H + "//data"), ("trailing-slash", H + "/data/"),
                       ("dotdot", H + "/../0"), ("special-too-long", "@" + "x" * 2048),
                       ("relative-space", "data x"), ("relative-empty", "")]:
        add("watch-path-" + name, "path", watches(1, b"w", path.encode()))
    # Permission entries.
    def raw_perm(entry):
        return lambda s: s.node(H + "/data/x").__setitem__("perms", [entry])
    add("perm-flag-bad", "permission flags 2 other than .ignore.", raw_perm([ord("n"), 2, 5]))
    add("perm-access-x", "perm #1 is 0x78, not one of w r b n", raw_perm([ord("x"), 0, 5]))
    add("perm-access-nul", "perm #1 is 0x00, not one of w r b n", raw_perm([0, 0, 5]))
    add("perm-reserved-domid", "permission for domain 32752, a reserved domid", raw_perm([ord("r"), 0, 0x7ff0]))
    add("perm-none", "committed node has no permissions",
        lambda s: s.node(H + "/data/x").__setitem__("perms", []))
    # Framing of the connection's buffered messages.
    add("framing-out-too-long", "pending output: a message of 5000",
        lambda s: s.conn().__setitem__("dout", msg(5000)))
    add("framing-out-cut-header", "pending output: a message header cut",
        lambda s: s.conn().__setitem__("dout", msg(3, b"abc") + b"\0" * 7))
    add("framing-out-cut-body", "pending output: a message cut",
        lambda s: s.conn().__setitem__("dout", msg(100, b"p" * 10)))
    add("framing-resp-past-out", "out-resp-len 9 exceeds out-data-len 0",
        lambda s: s.conn().update(dout=b"", resp=9))
    add("framing-in-too-long", "pending input: a message of 8000",
        lambda s: s.conn().__setitem__("din", msg(8000)))
    # Not one domain's state.
    add("conn-other-domain", "domain 7's, not domain 5's",
        lambda s: s.conn().__setitem__("domid", 7))
    add("conn-set-target", "SET_TARGET", lambda s: s.conn().__setitem__("tdomid", 0))
    add("conn-socket", "socket connection", lambda s: s.conn().__setitem__("ctype", 1))
    add("conn-second", "a second connection",
        lambda s: s.insert(CONN, dict(s.conn(), id=99)))
    add("global-record", "GLOBAL_DATA",
        lambda s: s.insert(GLOBAL, dict(raw=struct.pack("<ii", 3, 4))))
    add("unknown-record", "record type from the reserved range",
        lambda s: s.insert(0x77, dict(raw=b"\0" * 8)))
    return v


def hostile(src, outdir):
    data = open(src, "rb").read()
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "index"), "w") as index:
        for name, reason, options, edit in variants():
            s = Stream(data)
            edit(s)
            open(os.path.join(outdir, name + ".xsm"), "wb").write(s.bytes())
            index.write("%s\t%s\t%s\n" % (name, reason, options))
        # Framing of the stream itself: byte-level.
        for name, reason, blob in [
                ("stream-truncated", "stream ends|runs past", data[:len(data) // 2]),
                ("stream-no-end", "stream ends|runs past|END", data[:-8]),
                ("record-len-past-end", "runs past|stream ends",
                 data[:16] + struct.pack("<II", CONN, 0x00100000) + data[24:])]:
            open(os.path.join(outdir, name + ".xsm"), "wb").write(blob)
            index.write("%s\t%s\t\n" % (name, reason))


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    op, src, dst = argv[1], argv[2], argv[3]
    if op == "hostile":
        return hostile(src, dst)
    data = bytearray(open(src, "rb").read())
    if op == "rename-path":
        old, new = argv[4].encode() + b"\0", argv[5].encode() + b"\0"
        if len(old) != len(new):
            sys.exit("forge: paths must have the same length")
        at = data.find(old)
        if at < 0:
            sys.exit("forge: %s not in the stream" % argv[4])
        data[at:at + len(old)] = new
    elif op == "perm-domid":
        path = argv[4].encode() + b"\0"
        # NODE_DATA: the permissions (4 octets each) end where the path starts.
        at = data.find(path)
        if at < 8:
            sys.exit("forge: %s not in the stream" % argv[4])
        struct.pack_into("<H", data, at - 2, int(argv[5]))
    else:
        sys.exit(__doc__)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main(sys.argv)
