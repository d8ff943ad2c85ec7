# SPDX-License-Identifier: LGPL-2.1-only
# shellcheck shell=bash
# The host-side shell library's simulated hosts (sourced by testlib.sh).
#
# For the host-side suites, benchmarks and the demo; the simulated hosts
# are tests/xensim's, and the scripts source testlib.sh only.  A host is a
# directory; its xenstored listens on HOST/run/socket.  The caller sets X
# (the xensim command) and, for xsm, XSM (the xsmigrate command).
#
#   host_start HOST [ARGS]      xensim host start, the host stopped at exit
#   on HOST CMD...              a dom0 tool talking to HOST's xenstored
#   reads HOST PATH VALUE       dom0 reads VALUE there (for wait_until)
#   xsm HOST ARGS...            xsmigrate against HOST's xenstored
#   ctl HOST ARGS...            xenstore-control: its answer or the errno name
#   guest HOST DOMID [ARGS]     the guest's requests (stdin) on its ring
#   home HOST DOMID PORT        the receiving toolstack's writes, checked
#
# Every one is bounded: a client by $T, a guest by xensim's own waits
# (XENSIM_TIMEOUT_MS each) and, as a whole, by timeout(1) as well.

testlib_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
XC=${XENSTORE_CONTROL:-/usr/lib/xen-4.17/bin/xenstore-control}
# python3 itself, not a slow shim in front of it: a process costs here.
PY=$(command -v /usr/bin/python3 || command -v python3)
testlib_hosts=()

testlib_stop_hosts() {
	local h
	for h in "${testlib_hosts[@]}"; do
		# One that never started is no failure (nor, under set -e, an exit).
		"$X" host stop "$h" >/dev/null 2>&1 || :
	done
}

# HOST is stopped at exit (started or not, by whoever).
testlib_host() {
	[ ${#testlib_hosts[@]} -gt 0 ] || testlib_at_exit testlib_stop_hosts
	testlib_hosts+=("$1")
}

host_start() {	# HOST [xensim host start ARGS...]
	testlib_host "$1"
	"$X" host start "$@" >/dev/null
}

on() { local h=$1; shift; XENSTORED_PATH=$h/run/socket $T "$@"; }
# dom0 reads VALUE at PATH (for wait_until).
reads() { [ "$(on "$1" xenstore-read "$2" 2>/dev/null)" = "$3" ]; }	# HOST PATH VALUE
xsm() { local h=$1; shift; XENSTORED_PATH=$h/run/socket $T "$XSM" "$@"; }

# Its stderr (the replies it dropped, say) is kept in $work/guest.err.
guest() {	# HOST DOMID [ARGS]
	local h=$1 bound
	shift
	bound=$((${XENSIM_TIMEOUT_MS:-5000} * 2 / 1000 + ${testlib_timeout:?testlib.sh first}))
	timeout "$bound" "$X" guest "$h" "$@" 2>>"${work:?no scratch directory}/guest.err"
}

# xenstore-control reports EINVAL as "Command not supported".
ctl() {	# HOST ARGS...
	local h=$1 out rc
	shift
	out=$(on "$h" "$XC" "$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then echo "$out"; return; fi
	case "$out" in
	"Error 2 "*) echo ENOENT ;;
	"Error 5 "*) echo EIO ;;
	"Error 7 "*) echo E2BIG ;;
	"Error 13 "*) echo EACCES ;;
	"Error 16 "*) echo EBUSY ;;
	"Error 17 "*) echo EEXIST ;;
	"Error 28 "*) echo ENOSPC ;;
	"Error 22 "*|"Command not supported"*) echo EINVAL ;;
	*) echo "rc=$rc $(echo "$out" | head -1)" ;;
	esac
}

# Nodes as tests/integration/toolstack.py lines (stdin), written by dom0.
toolstack_write() {	# SOCKET
	timeout 20 "$PY" "$testlib_lib/../integration/toolstack.py" "$1"
}

# The receiving toolstack's writes for a domain about to be restored, as
# tests/integration/toolstack.py lines: its home (owned by the guest, as
# xensim's introduce makes it) and the nodes the toolstack owns there.  A
# restore takes only what the guest could create itself on that host, so
# the home must be there first.
testlib_home() {	# DOMID PORT
	local d=$1 h=/local/domain/$1
	printf '%s\n' "$h - n$d" "$h/domid $d n0 r$d" "$h/name guest$d n0 r$d" \
		"$h/vm /vm/0000-$d n0 r$d" "$h/store/port $2 n0 r$d" "$h/store/ring-ref 1 n0 r$d" \
		"$h/control - n0 r$d" "$h/control/shutdown - n0 b$d"
}

# Writes those nodes on the host listening on SOCKET, as its toolstack.
testlib_write_home() {	# SOCKET DOMID PORT
	testlib_home "$2" "$3" | toolstack_write "$1"
}

home() {	# HOST DOMID PORT
	if testlib_write_home "$1/run/socket" "$2" "$3"; then
		pass "toolstack-home-$2"
	else
		fail "toolstack-home-$2" "toolstack.py failed"
	fi
}

# Octets waiting on a guest's ring page (HOST/hv/dom/DOMID/ring): "req"
# those the guest wrote and xenstored has not taken, "rsp" those
# xenstored wrote and the guest has not read.
ring_octets() {	# RING req|rsp
	"$PY" -c 'import struct, sys
r = open(sys.argv[1], "rb").read(2064)
cons, prod = struct.unpack_from("<II", r, 2048 if sys.argv[2] == "req" else 2056)
print(prod - cons)' "$1" "$2"
}
