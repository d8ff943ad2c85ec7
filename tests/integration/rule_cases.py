#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-only
"""The restore rule's table (tests/vectors/restore-rule-cases) against
xenstored itself: for each case a state file holding the case's node is
handed to restore-domain directly, as any privileged client can, without
the library's check in between.

  rule_cases.py CASES XENSIM HOST FIRST-DOMID

For each case, domain FIRST-DOMID + i (the table's domain 5 renamed) is
created on HOST (not introduced), its home and the case's host nodes are
written as the toolstack would, then XS_CONTROL restore-domain is sent
with the case's words.  "take": the request succeeds and the node is
there as the stream has it.  "skip" and "refuse": the request fails, the
store (xenstore-ls -fp /) is unchanged and xenstored's trace names the
node.  Prints "PASS name" or "FAIL name: why" per case.  The log that
names a refused node is HOST/xenstored.trace (C xenstored's -T), or
$RULE_CASES_LOG (oxenstored's log file).
"""
import os
import socket
import struct
import subprocess
import sys
import tempfile

XS_CONTROL, XS_READ, XS_GET_PERMS, XS_WRITE, XS_SET_PERMS, XS_ERROR = 0, 2, 3, 11, 14, 16
CONN, NODE, END = 2, 5, 0


class Xenstored:
    """dom0 requests on xenstored's socket; every wait bounded."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.req_id = 0

    def _recv(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("xenstored closed the connection")
            data += chunk
        return data

    def request(self, rtype, payload):
        """(errno name or None, reply body)"""
        self.req_id += 1
        self.sock.sendall(struct.pack("<IIII", rtype, self.req_id, 0, len(payload)) + payload)
        while True:
            rtype_back, req_id, _, length = struct.unpack("<IIII", self._recv(16))
            body = self._recv(length)
            if req_id == self.req_id:
                break   # anything else is a watch event: dom0 sets none here
        if rtype_back == XS_ERROR:
            return body.rstrip(b"\0").decode(), body
        return None, body

    def must(self, rtype, payload):
        err, body = self.request(rtype, payload)
        if err:
            raise RuntimeError("request %d on %r: %s" % (rtype, payload[:60], err))
        return body

    def write(self, path, perms, value=b""):
        self.must(XS_WRITE, path.encode() + b"\0" + value)
        self.must(XS_SET_PERMS, path.encode() + b"\0" +
                  b"".join(p.encode() + b"\0" for p in perms))


def rename(text, domid):
    """The table's domain 5 as domain `domid`: its home, its backend areas
    and permission entries; any other domid stays."""
    comps = text.split("/")
    # /local/domain/5/... and /local/domain/X/backend/T/5/...
    if len(comps) > 3 and comps[1:3] == ["local", "domain"]:
        if comps[3] == "5":
            comps[3] = str(domid)
        elif len(comps) > 6 and comps[4] == "backend" and comps[6] == "5":
            comps[6] = str(domid)
    return "/".join(comps)


def perm_list(text, domid):
    out = []
    for p in text.split(","):
        d = int(p[1:])
        out.append(p[0] + str(domid if d == 5 else d))
    return out


def record(rtype, body):
    return struct.pack("<II", rtype, len(body) + (-len(body) % 8)) + body + b"\0" * (-len(body) % 8)


def state_file(domid, port, path, perms, value):
    """A version-1 little-endian stream as save-domain writes it: the
    domain's connection and one committed node."""
    conn = struct.pack("<IHHHHIHHI", 1, 0, 0, domid, 0x7ff4, port, 0, 0, 0)
    node = struct.pack("<IIHHHH", 0, 0, len(path) + 1, len(value), 0, len(perms))
    node += b"".join(struct.pack("<BBH", ord(p[0]), 0, int(p[1:])) for p in perms)
    node += path.encode() + b"\0" + value
    return (b"xenstore" + struct.pack(">I", 1) + struct.pack("<I", 0) +
            record(CONN, conn) + record(NODE, node) + record(END, b""))


def cases(table):
    for line in open(table):
        if not line.strip() or line.startswith("#"):
            continue
        words = line.split()
        name, mode, path, perms, host, value, verdict = words[:7]
        yield name, mode, path, perms, host, value, verdict


def snapshot(sockpath):
    env = dict(os.environ, XENSTORED_PATH=sockpath)
    r = subprocess.run(["xenstore-ls", "-fp", "/"], env=env, capture_output=True,
                       timeout=20, check=False)
    if r.returncode or r.stderr:
        raise RuntimeError("xenstore-ls: %s" % r.stderr.decode()[:200])
    return r.stdout


def run_case(xs, xensim, host, domid, case, scratch):
    name, mode, path, perms, host_nodes, value, verdict = case
    out = subprocess.run([xensim, "domain", "create", host, str(domid)], capture_output=True,
                         timeout=20, check=False, text=True)
    words = out.stdout.split()
    if out.returncode or len(words) < 2:
        return "domain create: %s" % out.stderr.strip()
    port = int(words[1])
    try:
        home = "/local/domain/%d" % domid
        xs.write(home, ["n%d" % domid])
        if host_nodes != "-":
            for item in host_nodes.split(";"):
                p, ps = item.split("=")
                xs.write(rename(p, domid), perm_list(ps, domid))
        path_d = rename(path, domid)
        perms_d = perm_list(perms, domid)
        data = b"v" if value == "-" else b"x" * int(value)
        fname = os.path.join(scratch, "%s.xsm" % name)
        with open(fname, "wb") as f:
            f.write(state_file(domid, port, path_d, perms_d, data))
        words = ["restore-domain", str(domid), "0", str(port), fname]
        if mode == "trusted":
            words.append("trusted")
        elif mode.startswith("trust="):
            words.append(mode)
        trace = os.environ.get("RULE_CASES_LOG") or os.path.join(host, "xenstored.trace")
        trace_at = os.path.getsize(trace) if os.path.exists(trace) else 0
        before = snapshot(xs.path)
        err, _ = xs.request(XS_CONTROL, b"".join(w.encode() + b"\0" for w in words))
        if verdict == "take":
            if err:
                return "refused (%s), expected taken" % err
            err, got = xs.request(XS_GET_PERMS, path_d.encode() + b"\0")
            got = got.decode().split("\0")[:-1] if not err else err
            if got != perms_d:
                return "taken with permissions %s, not %s" % (got, perms_d)
            err, got = xs.request(XS_READ, path_d.encode() + b"\0")
            if err or got != data:
                return "value after restore: %s" % (err or "%d octets" % len(got))
            return None
        if not err:
            return "taken, expected refused (%s)" % verdict
        after = snapshot(xs.path)
        if before != after:
            return "refused (%s) but the store changed" % err
        with open(trace, "rb") as f:
            f.seek(trace_at)
            logged = f.read().decode("utf-8", "replace")
        if "restore-domain: refused: %s: " % path_d not in logged:
            return "refused (%s) without naming %s in xenstored's trace" % (err, path_d)
        return None
    finally:
        subprocess.run([xensim, "domain", "destroy", host, str(domid)], capture_output=True,
                       timeout=20, check=False)


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    table, xensim, host, first = argv[1], argv[2], argv[3], int(argv[4])
    xs = Xenstored(os.path.join(host, "run", "socket"))
    xs.path = os.path.join(host, "run", "socket")
    with tempfile.TemporaryDirectory() as scratch:
        for i, case in enumerate(cases(table)):
            try:
                why = run_case(xs, xensim, host, first + i, case, scratch)
            except (RuntimeError, OSError, subprocess.SubprocessError) as e:
                why = "error: %s" % e
            print("PASS %s" % case[0] if why is None else "FAIL %s: %s" % (case[0], why),
                  flush=True)


if __name__ == "__main__":
    main(sys.argv)
