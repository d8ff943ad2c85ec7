# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The device guests: Linux PV/PVH guests with a vbd and a vif, moved and checked.
#
# dev-*, linux-* and nc-pvdevice-refused (docs/e2e.md, "Linux guests with
# PV devices"): the Linux guest of /e2e/linux (linux-guest-init) as PV or
# PVH, with a loop-backed vbd (/e2e/block-e2e) and a vif without a bridge
# (/e2e/vif-e2e: dom0 is DEVG_HOST on every vif, a host route to the
# guest).  Sourced in dom0 by scenario-plugin.sh and scenario-twohost.sh
# after scenario.sh's and e2e-lib.sh's helpers; the scenario sets W.
#
#   devg_disk FILE            the 4 MiB backing file, the same bytes on every host
#   devg_start NAME TYPE IP DISK  xl create, wait for the guest; sets ID or WHY
#   gcmd NAME SECONDS CMD     run CMD in the guest; GOUT, its exit status
#   devg_check NAME IP DISK TAG  the checks after a move: sets DEVG_STATES,
#                             DEVG_DISK, DEVG_NET (empty: passed, else why)
#   devg_watch_arm / devg_watch_check NAME   linux-*-watch
#   devg_txn_arm / devg_txn_check NAME       linux-*-txn-eagain
# Addresses: 169.254.77.0/24, away from twohost's 169.254.1.1/.2.

DEVG_HOST=169.254.77.1   # vif-e2e's dom0 address
DEVG_MEM=${DEVG_MEM:-96}
# The kinds of device guest the plugin machine moves (scenario-plugin.sh)
DEVG_KINDS=${DEVG_KINDS:-pv pvh}
# The region read back with O_DIRECT (4 KiB blocks 16..31) and the
# marker's 512-byte block (2 MiB in).
DEVG_SKIP=16 DEVG_COUNT=16 DEVG_MARK=4096

devg_disk() { # FILE
	dd if=/dev/zero of="$1" bs=1M count=4 2>/dev/null &&
		seq 1 30000 | dd of="$1" bs=4096 seek=$DEVG_SKIP conv=notrunc 2>/dev/null &&
		DEVG_SUM=$(dd if="$1" bs=4096 skip=$DEVG_SKIP count=$DEVG_COUNT 2>/dev/null | md5sum | cut -d' ' -f1)
}

devg_cfg() { # NAME TYPE IP DISK: the xl config on stdout
	guest_cfg "$1" "$2" /e2e/linux/vmlinuz "$DEVG_MEM" \
		'ramdisk = "/e2e/linux/initrd.gz"' \
		"extra = \"console=hvc0 quiet xsm.ip=$3/24\"" \
		"disk = [ \"format=raw,vdev=xvda,access=rw,script=/e2e/block-e2e,target=$4\" ]" \
		"vif = [ \"ip=$3,script=/e2e/vif-e2e\" ]"
}

devg_start() { # NAME TYPE IP DISK
	devg_cfg "$@" > "$W/$1.cfg"
	create "$1" "$W/$1.cfg" "$W/$1.create" || return 1
	_t0=$(now)
	wait_value "/local/domain/$ID/data/linux" up 240 ||
		{ WHY="guest never wrote data/linux=up (console: $(console_tail "$1"))"; return 1; }
	e2e "INFO $1: Linux up $(since "$_t0")s after xl create"
}

# The sequence number lives in a file (gcmd may run in a subshell) and
# names the host (twohost: a guest that moved must not see a number again).
gcmd() { # NAME SECONDS CMD: sets GOUT; the command's status, 124 if no answer
	_gs=$(($(cat "$W/gseq" 2>/dev/null || echo 0) + 1))
	echo $_gs > "$W/gseq"
	GSEQ=${ROLE:-p}$_gs
	_gd=/local/domain/$(domid "$1")/data
	xenstore-write "$_gd/cmd" "$GSEQ $3" ||
		{ GOUT="cannot write $_gd/cmd"; return 125; }
	_go=
	if ! wait_for "$2" gcmd_answered; then
		GOUT="no answer within $2s (data/out '$_go', console: $(console_tail "$1"))"
		return 124
	fi
	_go=${_go#* }; GOUT=${_go#* }
	return "${_go%% *}"
}

# gcmd_answered: data/out (in _go) answers command GSEQ of _gd
gcmd_answered() {
	_go=$(xenstore-read "$_gd/out" 2>/dev/null)
	case $_go in "$GSEQ "*) return 0;; esac
	return 1
}

# devg_dev_states ID: every vbd and vif connected, frontend and backend
# (XenbusStateConnected = 4); prints what is not
devg_dev_states() {
	_bad=
	for _k in vbd vif; do
		_ids=$(xenstore-list "/local/domain/$1/device/$_k" 2>/dev/null)
		[ -n "$_ids" ] || { _bad="$_bad no $_k frontend;"; continue; }
		for _i in $_ids; do
			_f=$(xenstore-read "/local/domain/$1/device/$_k/$_i/state" 2>/dev/null)
			_b=$(xenstore-read "/local/domain/0/backend/$_k/$1/$_i/state" 2>/dev/null)
			[ "$_f/$_b" = 4/4 ] || _bad="$_bad $_k/$_i ${_f:-none}/${_b:-none};"
		done
	done
	echo "$_bad"
}

devg_connected() { [ -z "$(devg_dev_states "$1")" ]; }

# devg_kernel_errors: the xenbus, blkback and netback complaints in dom0's
# kernel log since the last call (dmesg -c; everything is kept in
# $W/dmesg.log for the record)
devg_kernel_errors() {
	dmesg -c 2>/dev/null | tee -a "$W/dmesg.log" |
		grep -iE 'xenbus|blkback|netback|blkfront|netfront|vif[0-9]|xen[:_ -]' |
		grep -iE 'error|fail|bug|warn|unable|cannot' | head -n 3 | tr '\n' '|'
}

# The guest's own: the same patterns in its kernel log since its last
# dmesg -c.
DEVG_GUEST_DMESG="dmesg -c | grep -iE 'xenbus|blkback|netback|blkfront|netfront|vif[0-9]|xen[:_ -]' | grep -iE 'error|fail|bug|warn|unable|cannot'"

# devg_check NAME IP DISK TAG: the three verdicts after a move (or before
# any, TAG boot); the disk marker is TAG-specific
devg_check() {
	_id=$(domid "$1")
	DEVG_STATES='' DEVG_DISK='' DEVG_NET=''
	[ -n "$_id" ] || { DEVG_STATES="no domain $1" DEVG_DISK=$DEVG_STATES DEVG_NET=$DEVG_STATES; return; }
	# States: both devices 4/4 (60 s to reconnect), no error node, no
	# complaint in either kernel log.
	wait_for 60 devg_connected "$_id" ||
		DEVG_STATES="not connected (frontend/backend):$(devg_dev_states "$_id")"
	# libxl creates each domain's error/ empty; xenbus_dev_error() and
	# xenbus_dev_fatal() write error/<device path>/error under it.
	_e=$(xenstore-ls -f /local/domain 2>/dev/null | grep -E '^/local/domain/[0-9]+/error/' | head -n 3 | tr '\n' '|')
	[ -z "$_e" ] || DEVG_STATES="${DEVG_STATES:+$DEVG_STATES; }error nodes: $_e"
	_e=$(devg_kernel_errors)
	[ -z "$_e" ] || DEVG_STATES="${DEVG_STATES:+$DEVG_STATES; }dom0 kernel: $_e"
	if gcmd "$1" 30 "$DEVG_GUEST_DMESG"; then
		DEVG_STATES="${DEVG_STATES:+$DEVG_STATES; }guest kernel: $GOUT"
	elif [ $? -ge 124 ]; then
		DEVG_STATES="${DEVG_STATES:+$DEVG_STATES; }guest kernel log unread: $GOUT"
	fi
	# Disk: the region read with O_DIRECT matches, and a marker written
	# now reaches the loop device under the backend.
	if ! gcmd "$1" 60 "dd if=/dev/xvda bs=4096 skip=$DEVG_SKIP count=$DEVG_COUNT iflag=direct 2>/dev/null | md5sum"; then
		DEVG_DISK="O_DIRECT read failed: $GOUT"
	elif [ "${GOUT%% *}" != "$DEVG_SUM" ]; then
		DEVG_DISK="O_DIRECT read of blocks $DEVG_SKIP+$DEVG_COUNT: md5 '${GOUT%% *}', want $DEVG_SUM"
	fi
	_m="marker-$4-$_id"
	if ! gcmd "$1" 60 "printf %s $_m | dd of=/dev/xvda bs=512 seek=$DEVG_MARK count=1 conv=sync,fsync oflag=direct"; then
		DEVG_DISK="${DEVG_DISK:+$DEVG_DISK; }marker write failed: $GOUT"
	else
		_l=$(xenstore-read "/local/domain/0/backend/vbd/$_id/51712/physical-device-path" 2>/dev/null)
		_r=$([ -b "$_l" ] && dd if="$_l" bs=512 skip=$DEVG_MARK count=1 iflag=direct 2>/dev/null | tr -d '\0')
		[ "$_r" = "$_m" ] ||
			DEVG_DISK="${DEVG_DISK:+$DEVG_DISK; }dom0 read '$_r' from ${_l:-no loop device} (backing $3), want '$_m'"
	fi
	# Net: ping both ways (netfront may still be reconnecting: 20 s).
	wait_for 20 ping -c 1 -W 1 "$2" >/dev/null 2>&1 ||
		DEVG_NET="dom0 -> $2: no answer (route: $(ip route get "$2" 2>&1 | head -n 1))"
	gcmd "$1" 30 "ping -c 2 -w 10 $DEVG_HOST" ||
		DEVG_NET="${DEVG_NET:+$DEVG_NET; }guest -> $DEVG_HOST: $GOUT"
}

# devg_verdict NAME: all three verdicts in one (for a control line)
devg_verdict() {
	_v=
	[ -z "$DEVG_STATES" ] || _v="states: $DEVG_STATES"
	[ -z "$DEVG_DISK" ] || _v="${_v:+$_v; }disk: $DEVG_DISK"
	[ -z "$DEVG_NET" ] || _v="${_v:+$_v; }net: $DEVG_NET"
	echo "$_v"
}

# devg_report PREFIX: PASS/FAIL lines PREFIX-states, -disk, -net
devg_report() {
	for _c in states disk net; do
		eval "_v=\$DEVG_$(echo "$_c" | tr '[:lower:]' '[:upper:]')"
		if [ -z "$_v" ]; then pass "$1-$_c"; else fail "$1-$_c" "$_v"; fi
	done
}

# --- Linux's xenbus as a client of the carried state ------------------------
# devg_watch_arm NAME: a fresh xenstore-watch in the guest on its own
# data/watched (its output one line per event); sets WHY
devg_watch_arm() {
	gcmd "$1" 30 "kill \$(cat /tmp/watch.pid 2>/dev/null) 2>/dev/null; xenstore-write data/watched armed && { xenstore-watch data/watched >/tmp/watch.log 2>&1 & echo \$! >/tmp/watch.pid; } && sleep 2 && wc -l </tmp/watch.log" ||
		{ WHY="cannot start xenstore-watch in the guest: $GOUT"; return 1; }
	e2e "INFO $1: xenstore-watch started, ${GOUT%|} event(s) at registration"
}

devg_watch_count() { # NAME: sets WCOUNT, 1 if xenstore-watch is gone
	gcmd "$1" 20 "kill -0 \$(cat /tmp/watch.pid) && wc -l </tmp/watch.log" || return 1
	# gcmd joins output lines with |; a count that is not a number is a
	# failure, never an arithmetic error that ends the scenario.
	WCOUNT=${GOUT%|}
	case $WCOUNT in ''|*[!0-9]*) GOUT="not a count: '$GOUT'"; return 1;; esac
}

# devg_watch_check NAME: after the move, three changes by dom0 give
# exactly three more events (3 s quiet after each: a duplicate arrives
# late, not never); sets WHY
devg_watch_check() {
	sleep 3
	devg_watch_count "$1" ||
		{ WHY="xenstore-watch not running after the move: $GOUT (log: $(gcmd "$1" 10 'cat /tmp/watch.log'; echo "$GOUT"))"; return 1; }
	_w0=$WCOUNT
	e2e "INFO $1: $_w0 event(s) seen by xenstore-watch when the move was over"
	for _k in 1 2 3; do
		xenstore-write "/local/domain/$(domid "$1")/data/watched" "after-$_k" ||
			{ WHY="dom0 cannot write data/watched"; return 1; }
		sleep 3
		devg_watch_count "$1" || { WHY="xenstore-watch died after change $_k: $GOUT"; return 1; }
		[ "$WCOUNT" = $((_w0 + _k)) ] ||
			{ WHY="change $_k: $WCOUNT events, want exactly $((_w0 + _k)) ($_w0 when the move was over)"; return 1; }
	done
}

# devg_txn_arm NAME: xs-txn-hold in the guest, its transaction open on
# data/txn/n (0 before); sets WHY
devg_txn_arm() {
	gcmd "$1" 30 "xenstore-write data/txn/n 0 && rm -f /tmp/txn.go && { xs-txn-hold data/txn/n /tmp/txn.go >/tmp/txn.log 2>&1 & echo \$! >/tmp/txn.pid; } && sleep 2 && cat /tmp/txn.log" ||
		{ WHY="cannot start xs-txn-hold: $GOUT"; return 1; }
	[ "$GOUT" = "held 1|" ] || { WHY="xs-txn-hold did not hold its transaction: '$GOUT'"; return 1; }
}

# devg_txn_check NAME: told to end after the move: the end says EAGAIN,
# the retry commits, and the counter went up by exactly one; sets WHY
devg_txn_check() {
	gcmd "$1" 60 "touch /tmp/txn.go; i=0; while kill -0 \$(cat /tmp/txn.pid) 2>/dev/null && [ \$i -lt 40 ]; do sleep 0.5; i=\$((i + 1)); done; cat /tmp/txn.log" ||
		{ WHY="no result from xs-txn-hold: $GOUT"; return 1; }
	_n=$(xenstore-read "/local/domain/$(domid "$1")/data/txn/n" 2>&1)
	e2e "INFO $1: xs-txn-hold said: $GOUT; data/txn/n '$_n'"
	case $GOUT in
	*"end 1: EAGAIN|end 2: OK|committed 1 after 2 ends|"*) ;;
	*) WHY="xs-txn-hold: '$GOUT' (want end 1 EAGAIN, end 2 OK, committed 1)"; return 1;;
	esac
	[ "$_n" = 1 ] || { WHY="data/txn/n is '$_n' after the commit, want 1 (committed once, nothing lost)"; return 1; }
}

# --- moves and the configurations' flows ------------------------------------
# devg_move NAME save|migrate FLAG: to localhost, FLAG --xenstore-state or
# empty; sets ID, or WHY
devg_move() {
	_old=$(domid "$1") _t=$(now)
	case $2 in
	save) xsave "$3" "$1" "$W/devg.img" "$W/devg-move.out" || return 1;;
	*) xmigrate "$3" "$1" /e2e/xl-local "$W/devg-move.out" ||
		{ WHY="xl migrate $3: rc $? $(xl_out "$W/devg-move.out")"; return 1; };;
	esac
	e2e "INFO $1: xl $2 ${3:-without --xenstore-state} took $(since "$_t")s"
	after_move "$1" "$_old"
}

# linux_note LINE KIND WHY: one guest's verdict on a linux-* line (WHY
# empty: passed); linux_report prints each line once every guest of
# $DEVG_KINDS gave theirs
linux_note() { echo "$1 $2 $3" >> "$W/linux-lines"; }
linux_report() {
	_want=$(echo "$DEVG_KINDS" | awk '{print NF}')
	for _l in linux-save-watch linux-save-txn-eagain linux-migrate-watch linux-migrate-txn-eagain; do
		_v=$(grep "^$_l " "$W/linux-lines" 2>/dev/null | cut -d' ' -f2-)
		_bad=$(echo "$_v" | awk 'NF > 1' | tr '\n' ';')
		_n=$(echo "$_v" | grep -c .)
		if [ -n "$_bad" ]; then fail "$_l" "$_bad"
		elif [ "$_n" != "$_want" ]; then fail "$_l" "verdicts from $_n guest(s), want $_want ($DEVG_KINDS): $(echo "$_v" | tr '\n' ' ')"
		else pass "$_l"; fi
	done
}

# nc-pvdevice-refused: xl save --non-cooperative of the PVH guest with its
# vbd and vif is refused before the guest is touched
devg_nc_refused() { # NAME
	T=nc-pvdevice-refused
	_id=$(domid "$1")
	rm -f "$W/ncdev.img"
	if timeout 60 xl save --non-cooperative "$1" "$W/ncdev.img" >"$W/ncdev.out" 2>&1; then
		fail $T "xl save --non-cooperative of PVH domain $_id with a vbd and a vif exited 0: $(xl_out "$W/ncdev.out")"
		rm -f "$W/ncdev.img"
		return
	fi
	grep -q -E "has PV device (vbd|vif)/[0-9]+" "$W/ncdev.out" ||
		{ fail $T "no message naming the device: $(xl_out "$W/ncdev.out")"; return; }
	e2e "INFO $T: xl said: $(grep -E 'has PV device' "$W/ncdev.out" | head -n 1)"
	[ ! -e "$W/ncdev.img" ] || { fail $T "xl created $W/ncdev.img anyway"; rm -f "$W/ncdev.img"; return; }
	[ "$(domid "$1")" = "$_id" ] || { fail $T "guest is not domain $_id any more (now '$(domid "$1")')"; return; }
	dom_running "$1" || { fail $T "guest state '$(dom_state "$1")' after the refusal (want running)"; return; }
	devg_connected "$_id" || { fail $T "devices after the refusal:$(devg_dev_states "$_id")"; return; }
	gcmd "$1" 30 true || { fail $T "guest does not answer after the refusal: $GOUT"; return; }
	pass $T
}

# devg_plugin KIND IP: one guest of KIND (pv or pvh), booted once: the
# moves without --xenstore-state (dev-KIND-*-control), then with it
# (dev-KIND-*-{states,disk,net}, linux-*), then (PVH) nc-pvdevice-refused
devg_plugin() {
	dp_k=$1 dp_ip=$2 dp_n=devg-$1 dp_disk=$W/devg-$1.img
	step "devg_$dp_k"
	if ! devg_disk "$dp_disk" || ! devg_start "$dp_n" "$dp_k" "$dp_ip" "$dp_disk"; then
		dp_why=${WHY:-cannot create $dp_disk}
		fail_checks "dev-$dp_k" "$dp_why" save-control migrate-control \
			save-states save-disk save-net migrate-states migrate-disk migrate-net
		for dp_l in save migrate; do
			linux_note "linux-$dp_l-watch" "$dp_k" "$dp_why"
			linux_note "linux-$dp_l-txn-eagain" "$dp_k" "$dp_why"
		done
		[ "$dp_k" = pvh ] && fail nc-pvdevice-refused "$dp_why"
		finish "$dp_n"; rm -f "$dp_disk"
		return
	fi
	devg_check "$dp_n" "$dp_ip" "$dp_disk" boot
	dp_v=$(devg_verdict)
	e2e "INFO $dp_n before any move: ${dp_v:-all checks pass}"
	for dp_how in save migrate; do
		if devg_move "$dp_n" $dp_how ""; then
			devg_check "$dp_n" "$dp_ip" "$dp_disk" $dp_how-control
			dp_v=$(devg_verdict)
			if [ -z "$dp_v" ]; then pass "dev-$dp_k-$dp_how-control"; else fail "dev-$dp_k-$dp_how-control" "$dp_v"; fi
		else
			fail "dev-$dp_k-$dp_how-control" "$WHY"
		fi
	done
	for dp_how in save migrate; do
		dp_w=1 dp_t=1
		devg_watch_arm "$dp_n" || { linux_note "linux-$dp_how-watch" "$dp_k" "before the move: $WHY"; dp_w=; }
		devg_txn_arm "$dp_n" || { linux_note "linux-$dp_how-txn-eagain" "$dp_k" "before the move: $WHY"; dp_t=; }
		if ! devg_move "$dp_n" $dp_how --xenstore-state; then
			fail_checks "dev-$dp_k-$dp_how" "$WHY" states disk net
			[ -n "$dp_w" ] && linux_note "linux-$dp_how-watch" "$dp_k" "$WHY"
			[ -n "$dp_t" ] && linux_note "linux-$dp_how-txn-eagain" "$dp_k" "$WHY"
			continue
		fi
		devg_check "$dp_n" "$dp_ip" "$dp_disk" $dp_how
		devg_report "dev-$dp_k-$dp_how"
		if [ -n "$dp_w" ]; then
			WHY=; devg_watch_check "$dp_n"
			linux_note "linux-$dp_how-watch" "$dp_k" "$WHY"
		fi
		if [ -n "$dp_t" ]; then
			WHY=; devg_txn_check "$dp_n"
			linux_note "linux-$dp_how-txn-eagain" "$dp_k" "$WHY"
		fi
	done
	# Last: an xl that wrongly accepts it destroys the guest.
	[ "$dp_k" = pvh ] && devg_nc_refused "$dp_n"
	finish "$dp_n"
	rm -f "$dp_disk"
}

# twohost: the PVH guest a -> b -> a with xl migrate --xenstore-state
# (scenario-twohost.sh's there_and_back, kind "dev"); each host checks it
# on arrival and prints $LINE_DEV-{states,disk,net} (scenario-twohost.sh:
# dev-pvh-twohost, or the daemons the move crossed).
DEVG_TH_NAME=th-devg DEVG_TH_IP=169.254.77.3
DEVG_TH_DISK=$W/devg-th.img

dev_create() {
	devg_disk "$DEVG_TH_DISK" || { WHY="cannot create $DEVG_TH_DISK"; return 1; }
	devg_start $DEVG_TH_NAME pvh $DEVG_TH_IP "$DEVG_TH_DISK" || return 1
	devg_check $DEVG_TH_NAME $DEVG_TH_IP "$DEVG_TH_DISK" boot
	_v=$(devg_verdict)
	e2e "INFO $DEVG_TH_NAME before any move: ${_v:-all checks pass}"
}

dev_arm_back() { :; }

dev_fail_all() { fail_checks "$LINE_DEV" "$1" states disk net; }

dev_a() {
	step dev_a
	there_and_back dev $DEVG_TH_NAME --xenstore-state ||
		{ dev_fail_all "$WHY"; finish $DEVG_TH_NAME; rm -f "$DEVG_TH_DISK"; return; }
	devg_check $DEVG_TH_NAME $DEVG_TH_IP "$DEVG_TH_DISK" back
	devg_report "$LINE_DEV"
	finish $DEVG_TH_NAME
	rm -f "$DEVG_TH_DISK"
}

dev_b() {
	step dev_b
	# The same bytes as a's, before the guest arrives.
	devg_disk "$DEVG_TH_DISK" || { dev_fail_all "cannot create $DEVG_TH_DISK"; return; }
	if receive dev $DEVG_TH_NAME --xenstore-state; then
		devg_check $DEVG_TH_NAME $DEVG_TH_IP "$DEVG_TH_DISK" there
		devg_report "$LINE_DEV"
		send_back dev $DEVG_TH_NAME --xenstore-state
	else
		dev_fail_all "$WHY"
	fi
	rm -f "$DEVG_TH_DISK"
}
