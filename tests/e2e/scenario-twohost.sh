# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The twohost configuration's checks: guests moved by xl migrate to another Xen host and back.
#
# Sourced by scenario.sh (after e2e-lib.sh) in the twohost configuration: two QEMU machines,
# each the plugin hypervisor and dom0 tools, joined by one QEMU socket
# network (docs/e2e.md, "Two hosts").  e2e.role=a|b on the kernel command
# line says which one this is.  a creates the guests and sends them to b;
# b checks them and sends them back; a checks them again.  Each host prints
# its own lines; run-e2e.sh merges both serial logs into one result set.
#
# Lines:  twohost-net-<role>            the link works (e1000, 169.254/16)
#         twohost-pv-migrate (b)        xl migrate --xenstore-state a -> b
#         twohost-pv-migrate-back (a)   and back, b -> a
#         nc-migrate-<check> (b)        xl migrate --non-cooperative a -> b
#         nc-migrate-back (a)           and back: all six checks again
#         dev-pvh-twohost-{states,disk,net} (b, then a)  the PVH Linux guest
#                                       with a vbd and a vif, xl migrate
#                                       --xenstore-state a -> b and back,
#                                       checked on arrival (devguest.sh)
#
# e2e.mixed=ox (make e2e-ox): b runs oxenstored, a C xenstored, and the
# same moves are named for the daemons they cross (LINE_PV, LINE_NC,
# LINE_DEV below): twohost-c-to-ox (b) and twohost-ox-to-c (a) for the PV
# guest, twohost-c-to-ox-nc-<check> and twohost-ox-to-c-nc for the
# non-cooperative one, twohost-{c-to-ox,ox-to-c}-pvh-{states,disk,net} for
# the Linux guest.

# shellcheck source-path=SCRIPTDIR
W=/run/e2e
mkdir -p $W
TH_ADDR_A=169.254.1.1 TH_ADDR_B=169.254.1.2
TH_PORT_MSG=7000       # the mailbox (th-mailbox)
TH_PORT_TO_B=8001      # b's migrate-receive listener
TH_PORT_TO_A=8002      # a's, for the way back
TH_INBOX=$W/inbox
NC_NAME=xenstore-noncoop
# nc_cfg, nc_wait_ready, nc_premove, nc_postmove, nc_results, NC_CHECKS
# shellcheck source=nc-lib.sh
. /e2e/nc-lib.sh
# the device guest: dev_create, dev_a, dev_b (kind "dev" below)
# shellcheck source=devguest.sh
. /e2e/devguest.sh

# --- the network -------------------------------------------------------------
# net_up: e1000 from the Debian kernel's modules, the role's link-local
# address, and the peer answering ping
net_up() {
	step net_up
	T=twohost-net-$ROLE
	insmod /lib/modules/e1000.ko 2>$W/insmod.out ||
		{ fail "$T" "insmod e1000: $(cat $W/insmod.out)"; return 1; }
	poll 21 0.5 ip link show eth0 >/dev/null 2>&1 ||
		{ fail "$T" "no eth0 10s after loading e1000"; return 1; }
	ip link set lo up
	{ ip link set eth0 up && ip addr add "$ME/16" dev eth0; } ||
		{ fail "$T" "cannot configure eth0 as $ME/16"; return 1; }
	# The peer may still be booting: about 180 s (ping waits 1 s itself).
	t0=$(now)
	poll 91 1 ping -c 1 -W 1 "$PEER" >/dev/null 2>&1 ||
		{ fail "$T" "$PEER does not answer ping (eth0: $(ip addr show eth0 | tr '\n' ' '))"; return 1; }
	e2e "INFO $T: $ME up, $PEER answered after $(since "$t0")s; eth0 $(cat /sys/class/net/eth0/address) (e1000)"
	pass "$T"
}

# --- sequencing: one-line messages to the peer's mailbox ----------------------
mailbox_start() {
	: > $TH_INBOX
	nc -ll -p $TH_PORT_MSG -e /e2e/th-mailbox $TH_INBOX >/dev/null 2>&1 &
}

# tell LINE: LINE to the peer's mailbox
tell() { echo "$1" | nc -w 5 "$PEER" $TH_PORT_MSG >/dev/null 2>&1; }

# send_msg KEY TEXT: bounded retries (the peer's mailbox may not be up yet)
send_msg() {
	poll 61 1 tell "$1 ${2:-}" || { e2e "INFO could not tell $PEER '$1 ${2:-}'"; return 1; }
}

# has_msg KEY: the peer's message KEY is in the inbox
has_msg() { grep -q "^$1 \|^$1\$" $TH_INBOX; }

# wait_msg KEY SECONDS: the text of the peer's message KEY; 1 on timeout
wait_msg() {
	wait_for "$2" has_msg "$1" || return 1
	grep "^$1 \|^$1\$" $TH_INBOX | head -n1 | sed "s/^$1 *//"
}

# --- the transport: nc -l runs th-receive, th-connect is xl's -s --------------
# start_receiver PORT FLAGS...: one migrate-receive on PORT, in the background
start_receiver() {
	p=$1; shift
	rm -f $W/recv-"$p".*
	( timeout 400 nc -l -p "$p" -e /e2e/th-receive $W/recv-"$p" "$@" >/dev/null 2>&1
	  echo $? > $W/recv-"$p".nc ) &
}

# wait_receiver PORT SECONDS: until its nc has ended; prints
# migrate-receive's exit status (empty: it never ran), 1 on timeout
wait_receiver() {
	wait_for "$2" test -f "$W/recv-$1.nc" || return 1
	cat "$W/recv-$1.rc" 2>/dev/null
}

# send_guest NAME PORT LOG FLAGS...: xl migrate to the peer; sets MIG_S
send_guest() {
	n=$1 p=$2 log=$3; shift 3
	t0=$(now)
	timeout 300 xl -vv migrate "$@" -s "/e2e/th-connect $p" "$n" "$PEER" >"$log" 2>&1
	rc=$?
	MIG_S=$(since "$t0")
	e2e "INFO $n: xl migrate $* to $PEER: rc $rc in ${MIG_S}s"
	return $rc
}

# received NAME PORT: after the peer's "sent" message, the receiver's end;
# sets ID or WHY
received() {
	rc=$(wait_receiver "$2" 120) || { WHY="migrate-receive still running 120s after the sender finished"; return 1; }
	[ "$rc" = 0 ] || { WHY="xl migrate-receive: rc ${rc:-none (no connection)} $(xl_out $W/recv-"$2".log)"; return 1; }
	ID=$(domid "$1")
	[ -n "$ID" ] || { WHY="no domain $1 after migrate-receive"; return 1; }
	e2e "INFO $1: arrived as domain $ID"
}

# --- one guest there and back: a's half and b's half ---------------------------
# K is the guest kind (pv, nc): its messages are b-listening-K, a-sent-K,
# b-sent-K, and K_create / K_arm_back are its hooks.  FLAG is xl's.

# there_and_back K NAME FLAG: a creates and arms the guest (K_create),
# sends it to b and receives it back; sets ID, or WHY (return 1)
there_and_back() {
	wait_msg b-listening-"$1" 120 >/dev/null || { WHY="b never listened"; return 1; }
	WHY=
	"${1}_create" || { send_msg a-sent-"$1" "FAIL $WHY"; return 1; }
	start_receiver $TH_PORT_TO_A "$3"
	if ! send_guest "$2" $TH_PORT_TO_B $W/"$1".mig "$3"; then
		WHY="xl migrate $3 to b: $(xl_out $W/"$1".mig)"
		send_msg a-sent-"$1" "FAIL $WHY"; return 1
	fi
	send_msg a-sent-"$1" "OK $ID ${MIG_S}s"
	back=$(wait_msg b-sent-"$1" 300) || { WHY="b never sent the guest back"; return 1; }
	case $back in OK*) ;; *) WHY="b: $back"; return 1;; esac
	received "$2" $TH_PORT_TO_A
}

# receive K NAME FLAG: b's first half, the guest from a; sets ID and SENT
# (a's message), or WHY (return 1, and a is told)
receive() {
	start_receiver $TH_PORT_TO_B "$3"
	send_msg b-listening-"$1"
	SENT=$(wait_msg a-sent-"$1" 300) || { WHY="a never sent the guest"; return 1; }
	case $SENT in OK*) ;; *) WHY="a: $SENT"; send_msg b-sent-"$1" "FAIL nothing to send back"; return 1;; esac
	e2e "INFO $2: a says $SENT"
	received "$2" $TH_PORT_TO_B ||
		{ send_msg b-sent-"$1" "FAIL nothing to send back"; return 1; }
}

# send_back K NAME FLAG: b's second half (K_arm_back first), a is told;
# then the guest's console goes to the serial log
send_back() {
	if ! "${1}_arm_back"; then
		send_msg b-sent-"$1" "FAIL $WHY"
	elif send_guest "$2" $TH_PORT_TO_A $W/"$1".back "$3"; then
		send_msg b-sent-"$1" "OK ${MIG_S}s"
	else
		send_msg b-sent-"$1" "FAIL xl migrate $3 to a: $(xl_out $W/"$1".back)"
	fi
	finish "$2"
}

# --- PV guest, xl migrate --xenstore-state across the two hosts ---------------
PV_NAME=th-pv

pv_create() {
	guest_cfg $PV_NAME pv "$G/xenstore-migrate" 8 > $W/$PV_NAME.cfg
	create $PV_NAME $W/$PV_NAME.cfg $W/$PV_NAME.create || return 1
	wait_value /local/domain/"$ID"/data/state ready-for-save 90 ||
		{ WHY="guest never became ready-for-save (console: $(console_tail $PV_NAME))"; return 1; }
}

pv_arm_back() { :; } # it serves suspend requests after its checks

pv_a() {
	step pv_a
	T=$LINE_PV
	there_and_back pv $PV_NAME --xenstore-state || { fail "$T" "$WHY"; finish $PV_NAME; return; }
	s=$(xenstore-read /local/domain/"$ID"/data/suspends 2>/dev/null)
	if alive $PV_NAME back 60 && [ "$s" = 1 ]; then pass "$T"; else
		fail "$T" "after the way back: suspends '${s}' (want 1), pong '$(xenstore-read /local/domain/"$ID"/data/pong 2>&1)' (console: $(console_tail $PV_NAME))"; fi
	finish $PV_NAME
}

pv_b() {
	step pv_b
	T=$LINE_PV
	receive pv $PV_NAME --xenstore-state || { fail "$T" "$WHY"; return; }
	d=/local/domain/$ID/data
	WHY=
	if ! wait_value "$d"/state resumed 90; then
		WHY="moved guest never wrote data/state=resumed (state '$(xenstore-read "$d"/state 2>&1)', console: $(console_tail $PV_NAME))"
	else
		xenstore-write "$d"/serve 1
		xenstore-write "$d"/go 1
		wait_value "$d"/state want-change 90 && xenstore-write "$d"/mig/watched dom0-change
		wait_value "$d"/state serving 60 ||
			WHY="guest not serving after its checks (state '$(xenstore-read "$d"/state 2>&1)', console: $(console_tail $PV_NAME))"
		bad=$(results "$ID" txn-eagain nodes perms watch |
			awk '$2 != "PASS" {c = $1; sub(/^[^ ]+ ?/, ""); printf " %s: %s;", c, ($0 == "" ? "no result" : $0)}')
		[ -z "$bad" ] || WHY="${WHY:+$WHY; }checks:$bad"
		alive $PV_NAME there 30 || WHY="${WHY:+$WHY; }no pong on b"
	fi
	if [ -z "$WHY" ]; then pass "$T"; else fail "$T" "$WHY"; fi
	send_back pv $PV_NAME --xenstore-state
}

# --- the non-cooperative PVH guest (nc-lib.sh, the shared interface) ---------
# nc_missing: why the non-cooperative move cannot run here, or nothing
nc_missing() {
	[ -f "$G"/$NC_NAME ] || { echo "guest $G/$NC_NAME not built"; return; }
	grep -q -a -e --non-cooperative "$(command -v xl)" ||
		echo "this xl has no --non-cooperative"
}

# nc_verdicts PREFIX ROUND: nc_results as result lines (none if PREFIX is
# empty); sets NC_BAD to the failing checks with their facts
nc_verdicts() {
	nc_results $NC_NAME "$ID" "$2" > "$W/nc-results-$2"
	[ -z "$1" ] || report "$1" < "$W/nc-results-$2"
	NC_BAD=$(awk '$2 != "PASS" {c = $1; sub(/^[^ ]+ (FAIL: )?/, ""); printf " %s: %s;", c, $0}' "$W/nc-results-$2")
}

# nc_arm ROUND: wait until the guest armed ROUND, then dom0's changes
nc_arm() {
	nc_wait_ready $NC_NAME "$1" 120 ||
		{ WHY="guest never armed round $1 (state '$(xenstore-read /local/domain/"$ID"/data/nc/state 2>&1)', console: $(console_tail $NC_NAME))"; return 1; }
	nc_premove "$ID"
}

nc_create() {
	nc_cfg $NC_NAME > $W/$NC_NAME.cfg
	create $NC_NAME $W/$NC_NAME.cfg $W/$NC_NAME.create || return 1
	NC_ID0=$ID
	nc_arm 1
}

nc_arm_back() { nc_arm 2; }

nc_a() {
	step nc_a
	T=$LINE_NC
	there_and_back nc $NC_NAME --non-cooperative || { fail "$T" "$WHY"; finish $NC_NAME; return; }
	[ "$ID" = "$NC_ID0" ] || e2e "INFO $T: back as domain $ID, left as $NC_ID0"
	nc_postmove "$ID" 2 || e2e "INFO $T: round 2 never reached checked-2"
	nc_verdicts "" 2
	if [ -z "$NC_BAD" ]; then pass "$T"; else fail "$T" "round 2:$NC_BAD"; fi
	finish $NC_NAME
}

nc_b() {
	step nc_b
	receive nc $NC_NAME --non-cooperative || { nc_fail_all "$LINE_NC" "$WHY"; return; }
	# a's message: "OK <domid on a> <seconds>s"
	sent_id=${SENT#OK }
	sent_id=${sent_id%% *}
	[ "$ID" = "$sent_id" ] || e2e "INFO $LINE_NC: domain $sent_id on a arrived as $ID on b"
	nc_postmove "$ID" 1 || e2e "INFO $LINE_NC: round 1 never reached checked-1"
	nc_verdicts "$LINE_NC" 1
	send_back nc $NC_NAME --non-cooperative
}

# --- main --------------------------------------------------------------------
ROLE=$(sed -n 's/.*e2e\.role=\([^ ]*\).*/\1/p' /proc/cmdline)
case $ROLE in
a) ME=$TH_ADDR_A PEER=$TH_ADDR_B PEER_ROLE=b;;
b) ME=$TH_ADDR_B PEER=$TH_ADDR_A PEER_ROLE=a;;
*) ROLE=;;
esac
# The lines of this host's moves (see the top)
if grep -q 'e2e\.mixed=ox' /proc/cmdline; then
	# b's "ox-" prefix is for the lines of one daemon; these cross two.
	# shellcheck disable=SC2034 # e2e-lib.sh's pass and fail read it
	E2E_PFX=
	case $ROLE in
	a) LINE_PV=twohost-ox-to-c LINE_NC=twohost-ox-to-c-nc LINE_DEV=twohost-ox-to-c-pvh;;
	b) LINE_PV=twohost-c-to-ox LINE_NC=twohost-c-to-ox-nc LINE_DEV=twohost-c-to-ox-pvh;;
	esac
else
	case $ROLE in
	a) LINE_PV=twohost-pv-migrate-back LINE_NC=nc-migrate-back;;
	b) LINE_PV=twohost-pv-migrate LINE_NC=nc-migrate;;
	esac
	LINE_DEV=dev-pvh-twohost
fi
if [ -z "$ROLE" ]; then
	fail twohost-role "no e2e.role=a|b on the kernel command line: $(cat /proc/cmdline)"
elif net_up; then
	mailbox_start
	"pv_$ROLE"
	why=$(nc_missing)
	if [ -n "$why" ]; then
		[ "$ROLE" = b ] && nc_fail_all "$LINE_NC" "cannot run: $why"
		[ "$ROLE" = a ] && fail "$LINE_NC" "cannot run: $why"
	else
		"nc_$ROLE"
	fi
	"dev_$ROLE"
	# Neither host powers off while the other may still need it.
	send_msg "$ROLE-finished"
	wait_msg "$PEER_ROLE-finished" 120 >/dev/null ||
		e2e "INFO the peer never said it finished"
	step end
fi
