#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-hostile: forged streams against the receiving host's xenstored.
#
# Hostile streams against real (patched) xenstored on tests/xensim: a
# compromised sender forges a domain's state (tests/integration/forge.py
# hostile), the receiving host restores it with `xsmigrate restore`.
# For every forgery:
#   - status 1 and a message naming the record and its offset, and why;
#   - the receiving host's whole `xenstore-ls -fp /` unchanged;
#   - xenstored alive and serving another domain;
#   - the genuine stream then restores the same domain correctly.
# Then trusted mode (an administrator's own stream) against untrusted mode.
#
# Usage: check-hostile.sh COUNTS-FILE
set -u

counts=${1:?usage: check-hostile.sh COUNTS-FILE}
here=$(cd "$(dirname "$0")" && pwd)
X=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)/xensim
XSM=$(cd "${XSM_BIN:-build/bin}" && pwd)/xsmigrate
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}

# shellcheck source=../lib/testlib.sh
. "$here/../lib/testlib.sh"
testlib_begin "$counts" xsm-hostile
A=$work/a
B=$work/b
export XSM_STATE_DIR=$work
testlib_host "$A"
testlib_host "$B"
# A command that must work; its failure is the check's failure.
must() { "$@" 2>>"$work/must.err" || { echo "command failed: $*: $(tail -n 3 "$work/must.err")"; return 1; }; }

"$X" host start "$A" >/dev/null || { fail host-a "$(cat "$A/xenstored.log")"; exit 1; }
# B without xenstored's trace (one write(2) per octet): the suite lists
# B's whole store twice per forgery.
"$X" host start "$B" --no-trace >/dev/null || { fail host-b "$(cat "$B/xenstored.log")"; exit 1; }

# --- domain 5 on A: what a real toolstack and guest leave in xenstore -----
H=/local/domain/5
BE=/local/domain/0/backend/vif/5/0
setup_a() {
	must "$X" domain create "$A" 5 --introduce >/dev/null &&
	must toolstack_write "$A/run/socket" <<EOF || return 1
$H/vm /vm/0000-5 n0 r5
$H/control - n0 r5
$H/control/shutdown - n0 b5
$BE - n0 r5
$BE/state 4 n0 r5
$BE/frontend $H/device/vif/0 n0 r5
EOF
	local out
	out=$(guest "$A" 5 <<EOF
write $H/data/x 1
setperms $H/data/x n5 r0
write $H/device/vif/0/backend $BE
write $H/device/vif/0/state 4
write $H/device/suspend/event-channel 7
watch $H/data tok
watch device tok2
watch @releaseDomain rel
EOF
)
	[ "$out" = "$(printf 'OK\nOK\nOK\nOK\nOK\nOK\nOK\nOK')" ] || { echo "guest setup: $out"; return 1; }
	guest "$A" 5 <<<"events 3 2000" >/dev/null
	out=$(printf 'tx-start\ntx-write 1 %s/data/y 2\n' $H | guest "$A" 5)
	[ "$out" = "$(printf 'tx 1\nOK')" ] || { echo "guest tx: $out"; return 1; }
}
if msg=$(setup_a)
then pass source-domain-set-up
else fail source-domain-set-up "$msg"; exit 1
fi
if xsm "$A" save --domid 5 -o "$work/s.xsm" 2>"$work/save.err"
then pass save
else fail save "$(cat "$work/save.err")"; exit 1
fi
# What xenstored wrote, read by the independent reader.
$PY "$here/../xensim/xsstate.py" "$work/s.xsm" > "$work/s.txt" 2>&1
if grep -q "^CONN id=[0-9]* type=ring domid=5 " "$work/s.txt" &&
	grep -q "^NODE path=$BE/state perms=n0,r5 data=4$" "$work/s.txt" &&
	grep -q "^NODE path=$H/name perms=n0,r5 " "$work/s.txt" &&
	grep -q "^NODE path=$H/data/x perms=n5,r0 data=1$" "$work/s.txt" &&
	grep -q "^WATCH conn=[0-9]* path=$H/data token=tok$" "$work/s.txt" &&
	grep -q "^TA conn=[0-9]* id=1$" "$work/s.txt" && [ "$(tail -n 1 "$work/s.txt")" = END ]
then pass saved-stream-holds-the-domain
else fail saved-stream-holds-the-domain "$(head -c 600 "$work/s.txt")"
fi

if $PY "$here/forge.py" hostile "$work/s.xsm" "$work/forged" 2>"$work/forge.err" &&
	[ "$(wc -l < "$work/forged/index")" -ge 60 ]
then pass forged-streams
else fail forged-streams "$(cat "$work/forge.err")"; exit 1
fi

# --- on B and C: two lanes of forgeries, each host with a bystander -----
C=$work/c
L=0	# lane tag in scratch file names
testlib_host "$C"
"$X" host start "$C" --no-trace >/dev/null || { fail host-c "$(cat "$C/xenstored.log")"; exit 1; }
for h in "$B" "$C"; do
	if ! must "$X" domain create "$h" 3 --introduce >/dev/null ||
		[ "$(guest "$h" 3 <<<"write /local/domain/3/mine alive")" != OK ]; then
		fail bystander "$(cat "$work/must.err")"
		exit 1
	fi
done
pass bystander

# The receiving toolstack's part: domain D exists, not yet introduced, and
# its home holds what this host's toolstack writes (as xensim's introduce).
# Done for all the domains of a lane at once: a process costs here.
toolstack() {	# DOMID... : creates them on $B, prints "DOMID PORT" per domain
	local d port lines="" made=""
	for d in "$@"; do
		read -r _ port < <("$X" domain create "$B" "$d") && [ -n "$port" ] || return 1
		lines+=$(testlib_home "$d" "$port")$'\n'
		made+="$d $port"$'\n'
	done
	must toolstack_write "$B/run/socket" <<<"$lines" && echo -n "$made"
}

snapshot() {	# VAR: $B's whole store as xenstore-ls -fp / prints it
	local -n into=$1
	into=$(XENSTORED_PATH=$B/run/socket $T xenstore-ls -fp / 2>"$work/ls$L.err") &&
		[ -n "$into" ] && [ ! -s "$work/ls$L.err" ]
}

# The genuine stream restores domain D; the guest sees its state.
genuine() {	# DOMID PORT [keep]
	local d=$1 out
	xsm "$B" restore --domid "$d" --from-domid 5 --port "$2" "$work/s.xsm" 2>"$work/genuine$L.err" ||
		{ echo "restore: $(<"$work/genuine$L.err")"; return 1; }
	out=$(printf 'read /local/domain/%s/data/x\ngetperms /local/domain/%s/data/x\ntx-end 1\n' "$d" "$d" |
		guest "$B" "$d")
	[ "$out" = $'1\n'"n$d r0"$'\nEAGAIN' ] || { echo "guest $d after restore: $out"; return 1; }
	# Done with it: xensim's dom0 has few event channels for introduced domains.
	[ -n "${3:-}" ] || "$X" domain destroy "$B" "$d" || echo "destroy $d failed"
}

# One lane: host $B, lane tag $L, domains from FIRST, one per forgery
# (index lines on stdin), plus EXTRA spare ones.  PASS/FAIL lines out.
lane() {	# FIRST EXTRA
	local first=$1 line name reason options d port rc err why msg t0 t1 t2 t3 t4 before after
	local -a forged ports domids
	mapfile -t forged
	mapfile -t domids < <(seq "$first" $((first + ${#forged[@]} + $2 - 1)))
	while read -r d port; do ports[d]=$port; done < <(toolstack "${domids[@]}")
	[ ${#ports[@]} -eq $((${#forged[@]} + $2)) ] ||
		{ echo "FAIL receiving-toolstack-$L: $(<"$work/must.err")"; return 1; }
	d=$first
	for line in "${forged[@]}"; do
		IFS=$'\t' read -r name reason options <<<"$line"
		port=${ports[d]}
		t0=$EPOCHREALTIME
		snapshot before || { echo "FAIL $name: xenstore-ls before: $(<"$work/ls$L.err")"; continue; }
		t1=$EPOCHREALTIME
		# shellcheck disable=SC2086 # options are words
		xsm "$B" restore --domid $d --from-domid 5 --port "$port" $options \
			"$work/forged/$name.xsm" >"$work/out$L" 2>"$work/err$L"
		rc=$?
		t2=$EPOCHREALTIME
		snapshot after || { echo "FAIL $name: xenstore-ls after: $(<"$work/ls$L.err")"; continue; }
		t3=$EPOCHREALTIME
		err=$(<"$work/err$L")
		why=""
		[ $rc = 1 ] || why="status $rc;"
		[[ $err =~ record\ \#[0-9]+\ .*offset\ [0-9]+|offset\ [0-9]+:\ record\ \#[0-9]+ ]] ||
			why="$why no record and offset;"
		[[ $err =~ $reason ]] || why="$why reason not /$reason/;"
		[ -s "$work/out$L" ] && why="$why stdout not empty;"
		[ "$before" = "$after" ] ||
			why="$why store changed: $(diff <(echo "$before") <(echo "$after") | head -n 4 | tr '\n' '|');"
		[ "$(guest "$B" 3 <<<"read /local/domain/3/mine")" = alive ] || why="$why bystander not served;"
		t4=$EPOCHREALTIME
		msg=$(genuine "$d" "$port") || why="$why then: $msg"
		[ -n "${HOSTILE_TIMES:-}" ] && echo "times $t0 $t1 $t2 $t3 $t4 $EPOCHREALTIME"
		if [ -z "$why" ]; then echo "PASS $name"; else echo "FAIL $name: $why ${err:0:300}" | tr '\n' ' '; echo; fi
		d=$((d + 1))
	done
}

grep -E -- "^(${HOSTILE_ONLY:-.*})"$'\t' "$work/forged/index" > "$work/selected"
half=$(( ($(wc -l < "$work/selected") + 1) / 2 ))
first=21
extra=$((first + half))	# B's spare domains, for the modes below
( L=1 lane $first 0 < <(head -n $half "$work/selected") ) > "$work/lane1" 2>&1 &
( L=2 B=$C lane $first 0 < <(tail -n +$((half + 1)) "$work/selected") ) > "$work/lane2" 2>&1 &
wait
while read -r verdict name rest; do
	case $verdict in
	PASS) pass "$name" ;;
	FAIL) fail "${name%:}" "$rest" ;;
	times) echo "times $name $rest" ;;
	*) fail lane-output "$verdict $name $rest" ;;
	esac
done < <(cat "$work/lane1" "$work/lane2")
if [ "$(grep -c '^[PF]' "$work/lane1" "$work/lane2" | awk -F: '{n += $2} END {print n}')" = \
	"$(wc -l < "$work/selected")" ]
then pass every-forgery-ran
else fail every-forgery-ran "lanes cut short"
fi

# --- the rule's table, on xenstored alone --------------------------------
# Each case of tests/vectors/restore-rule-cases handed to restore-domain
# directly (tests/integration/rule_cases.py), on a host of its own with
# xenstored's trace, where a refusal names the node.
R=$work/r
testlib_host "$R"
if "$X" host start "$R" >/dev/null; then
	while read -r verdict name rest; do
		case $verdict in
		PASS) pass "rule-daemon-$name" ;;
		FAIL) fail "rule-daemon-${name%:}" "$rest" ;;
		*) fail rule-daemon-output "$verdict $name $rest" ;;
		esac
	done < <(timeout 300 "$PY" "$here/rule_cases.py" "$here/../vectors/restore-rule-cases" "$X" "$R" 200 2>&1 ||
		echo "FAIL rule-cases: exit status $?")
	"$X" host stop "$R" >/dev/null
else
	fail host-r "$(cat "$R/xenstored.log")"
fi

d=$extra
# --- untrusted versus trusted mode, on the genuine stream ----------------
ports=()
while read -r dd port; do ports[dd]=$port; done < <(toolstack $extra $((extra + 1)) $((extra + 2)))
port=${ports[d]}
on "$B" xenstore-write /local/domain/0/backend/vif/$d/0/state 1 >/dev/null
# The receiving toolstack's fresh frontends, as libxl writes them: the
# guest's, state 1 (Initialising), for both restores below.
fresh_frontend() {	# DOMID
	must toolstack_write "$B/run/socket" <<EOF
/local/domain/$1/device - n$1 r0
/local/domain/$1/device/vif - n$1 r0
/local/domain/$1/device/vif/0 - n$1 r0
/local/domain/$1/device/vif/0/state 1 n$1 r0
EOF
}
frontend_kept() {	# DOMID: the frontend as this host's toolstack wrote it, nothing of the stream's
	printf 'read /local/domain/%s/device/vif/0/state\nread /local/domain/%s/device/vif/0/backend\n' \
		"$1" "$1" | guest "$B" "$1" | tr '\n' ' '
}
if ! fresh_frontend "$d" || ! fresh_frontend $((d + 1)); then
	fail fresh-frontends "$(tail -n 3 "$work/must.err")"
fi
if genuine $d "$port" keep >"$work/msg"
then pass untrusted-restore
else fail untrusted-restore "$(cat "$work/msg")"
fi
expect untrusted-toolstack-name-kept "guest$d" "$(on "$B" xenstore-read /local/domain/$d/name 2>&1)"
expect untrusted-vm-kept "/vm/0000-$d" "$(on "$B" xenstore-read /local/domain/$d/vm 2>&1)"
# This host's backend as its toolstack wrote it: nothing of the stream's.
expect untrusted-backend-not-taken "/local/domain/0/backend/vif/$d/0/state = \"1\" (n0)" \
	"$(on "$B" xenstore-ls -fp /local/domain/0/backend/vif/$d/0 2>&1 | tr -s ' ')"
expect untrusted-event-channel-reset "ENOENT" \
	"$(guest "$B" $d <<<"read /local/domain/$d/device/suspend/event-channel")"
expect untrusted-shutdown-reset "n0 b$d" \
	"$(guest "$B" $d <<<"getperms /local/domain/$d/control/shutdown")"
expect untrusted-frontend-not-taken "1 ENOENT " "$(frontend_kept $d)"

d=$((d + 1)); port=${ports[d]}
if xsm "$B" restore --domid $d --from-domid 5 --port "$port" --trusted-stream "$work/s.xsm" \
	2>"$work/trusted.err"
then pass trusted-restore
else fail trusted-restore "$(cat "$work/trusted.err")"
fi
expect trusted-backend-restored "4" \
	"$(on "$B" xenstore-read /local/domain/0/backend/vif/$d/0/state 2>&1)"
expect trusted-backend-perms "/local/domain/0/backend/vif/$d/0/state = \"4\" (n0,r$d)" \
	"$(on "$B" xenstore-ls -fp /local/domain/0/backend/vif/$d/0 2>&1 | grep /state | tr -s ' ')"
expect trusted-vm-restored "/vm/0000-5" "$(on "$B" xenstore-read /local/domain/$d/vm 2>&1)"
expect trusted-node "1" "$(guest "$B" $d <<<"read /local/domain/$d/data/x")"
expect trusted-event-channel-still-reset "ENOENT" \
	"$(guest "$B" $d <<<"read /local/domain/$d/device/suspend/event-channel")"
expect trusted-frontend-not-taken "1 ENOENT " "$(frontend_kept $d)"

# A forgery stays refused in trusted mode too.
d=$((d + 1)); port=${ports[d]}
snapshot before
xsm "$B" restore --domid $d --from-domid 5 --port "$port" --trusted-stream \
	"$work/forged/first-entry-w0-backend.xsm" 2>"$work/err"
rc=$?
snapshot after
if [ $rc = 1 ] && grep -q "write access" "$work/err" && [ "$before" = "$after" ]
then pass trusted-still-refuses-w0
else fail trusted-still-refuses-w0 "rc=$rc $(cat "$work/err")"
fi

# xenstored itself failing is status 5, not 1: a domain already there.
xsm "$B" restore --domid 3 --from-domid 5 --port 1 "$work/s.xsm" 2>"$work/err"
rc=$?
if [ $rc = 5 ]
then pass xenstored-failure-is-status-5
else fail xenstored-failure-is-status-5 "rc=$rc $(cat "$work/err")"
fi

# --- a driver domain's backend areas -------------------------------------
# On A, domain 11 is a driver domain (X) serving guest 10's vif 0 from its
# backend area; domain 12 is a third domain.  Of X's areas only the
# directories the guest's frontends name are the guest's state: what X
# keeps beside them is not saved (trusted mode would plant it, hundreds of
# areas would make the save too large), and what X lets into a saved one
# does not refuse an untrusted restore (the area is skipped whole).
V=10 XD=11 Z=12
XBE=/local/domain/$XD/backend/vif/$V/0
VF=/local/domain/$V/device/vif
driver_setup() {
	local d
	for d in "$V" "$XD" "$Z"; do must "$X" domain create "$A" "$d" --introduce >/dev/null || return 1; done
	# The toolstack's device, as libxl writes it: X's backend, V's frontend.
	must toolstack_write "$A/run/socket" <<EOF || return 1
/local/domain/$XD/backend - n$XD
$XBE - n$XD r$V
$XBE/state 4 n$XD r$V
$XBE/frontend $VF/0 n$XD r$V
/local/domain/$V/device - n0 r$V
/local/domain/$V/device/vif - n0 r$V
$VF/0 - n$V r$XD
$VF/0/backend $XBE n$V r$XD
$VF/0/backend-id $XD n$V r$XD
/local/domain/$XD/backend/vif/13/1/state 4 n$XD r13
EOF
	[ "$(guest "$A" $V <<<"write /local/domain/$V/data/x 1")" = OK ]
}
vsave() {	# FILE: save V on A, its messages in FILE.err; resumed after
	xsm "$A" save --domid $V -o "$1" 2>"$1.err"
	local rc=$?
	xsm "$A" resume --domid $V 2>>"$1.err"
	return $rc
}
in_stream() {	# FILE PATH: a node of the stream at or under PATH
	"$XSM" dump "$1" | grep -q "path=\"$2[/\"]"
}
if msg=$(driver_setup)
then pass driver-domain-set-up
else fail driver-domain-set-up "$msg"
fi

# (a) X lets domain Z create a node in the guest's vif area: a third
# domain's node, which the guest's untrusted restore skips with the area.
out=$(printf 'write %s/open x\nsetperms %s/open n%s w%s\n' "$XBE" "$XBE" $XD $Z | guest "$A" $XD)
out+=$(guest "$A" $Z <<<"write $XBE/open/z 1")
expect driver-third-domain-node $'OK\nOKOK' "$out"
if vsave "$work/v1.xsm" && in_stream "$work/v1.xsm" "$XBE/open/z"
then pass driver-third-node-saved
else fail driver-third-node-saved "$(cat "$work/v1.xsm.err")"
fi
vd=150
read -r _ vport < <(toolstack $vd $((vd + 1)) | head -n 1)
# X is trusted (--trust-domid), as a driver domain is: V's frontends name it.
if xsm "$B" restore --domid $vd --from-domid $V --port "$vport" --trust-domid $XD \
	"$work/v1.xsm" 2>"$work/v1r.err"; then
	expect driver-third-node-no-veto 1 "$(guest "$B" $vd <<<"read /local/domain/$vd/data/x")"
else
	fail driver-third-node-no-veto "$(cat "$work/v1r.err")"
fi
"$X" domain destroy "$B" $vd >/dev/null
# Trusted, where backend areas are applied, the node is still refused.
expect_error driver-third-node-trusted-refused "names domain $Z" \
	xsm "$B" restore --domid $((vd + 1)) --from-domid $V --port 1 --trust-domid $XD \
	--trusted-stream "$work/v1.xsm"

# (c) X's nodes in areas of the guest that no frontend names; (d) frontends
# of the guest naming another guest's area and another device's.
out=$(printf 'write /local/domain/%s/backend/vif/%s/5/evil 1\nwrite /local/domain/%s/backend/vbd/%s/51712/params /dev/sda\n' \
	$XD $V $XD $V | guest "$A" $XD)
must toolstack_write "$A/run/socket" <<EOF || out+=" toolstack failed"
$VF/1 - n$V r$XD
$VF/2 - n$V r$XD
EOF
out+=$(printf 'write %s/1/backend /local/domain/%s/backend/vif/13/1\nwrite %s/2/backend /local/domain/%s/backend/vbd/%s/51712\n' \
	"$VF" $XD "$VF" $XD $V | guest "$A" $V)
expect driver-unnamed-set-up $'OK\nOKOK\nOK' "$out"
if vsave "$work/v2.xsm"; then
	if in_stream "$work/v2.xsm" "$XBE/state"
	then pass driver-device-area-saved
	else fail driver-device-area-saved "$("$XSM" dump "$work/v2.xsm" | grep -c /backend/) backend nodes"
	fi
	if ! in_stream "$work/v2.xsm" /local/domain/$XD/backend/vif/$V/5 &&
		! in_stream "$work/v2.xsm" /local/domain/$XD/backend/vbd/$V
	then pass driver-unnamed-areas-not-saved
	else fail driver-unnamed-areas-not-saved "$("$XSM" dump "$work/v2.xsm" | grep -o "path=\"[^\"]*/backend/v[ib][fd]/$V/[^\"]*\"" | head -n 3)"
	fi
	if ! in_stream "$work/v2.xsm" /local/domain/$XD/backend/vif/13 &&
		[ "$(grep -c "warning: domain $V's frontend $VF/[12] names backend .*: that backend is not saved" \
			"$work/v2.xsm.err")" = 2 ]
	then pass driver-foreign-frontend-not-followed
	else fail driver-foreign-frontend-not-followed "$(cat "$work/v2.xsm.err")"
	fi
else
	fail driver-device-area-saved "$(cat "$work/v2.xsm.err")"
fi

# (b) X makes 400 backend areas for the guest: neither saved nor a reason
# for the guest's save to fail.
out=$(for n in $(seq 400); do echo "write /local/domain/$XD/backend/t$n/$V x"; done |
	guest "$A" $XD | sort | uniq -c)
expect driver-400-areas-set-up "400 OK" "$(awk '{ $1 = $1; print }' <<<"$out")"
if vsave "$work/v3.xsm"; then
	pass driver-400-areas-save
	if "$XSM" dump "$work/v3.xsm" | grep -q "path=\"/local/domain/$XD/backend/t[0-9]"
	then fail driver-400-areas-not-saved "in the stream"
	else pass driver-400-areas-not-saved
	fi
else
	fail driver-400-areas-save "$(cat "$work/v3.xsm.err")"
fi

[ "$failed" = 0 ]
