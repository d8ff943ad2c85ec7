#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
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
T="timeout 10"
PY=$(command -v /usr/bin/python3 || command -v python3)	# not through a slow shim

. "$here/../lib/testlib.sh"
testlib_begin "$counts" xsm-hostile
A=$work/a
B=$work/b
export XSM_STATE_DIR=$work
testlib_host "$A"
testlib_host "$B"
on() { local h=$1; shift; XENSTORED_PATH=$h/run/socket $T "$@"; }
guest() { local h=$1; shift; $T "$X" guest "$h" "$@" 2>>"$work/guest.err"; }
xsm() { local h=$1; shift; XENSTORED_PATH=$h/run/socket $T "$XSM" "$@"; }
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
	must $PY "$here/toolstack.py" "$A/run/socket" <<EOF || return 1
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
msg=$(setup_a) && pass source-domain-set-up || { fail source-domain-set-up "$msg"; exit 1; }
xsm "$A" save --domid 5 -o "$work/s.xsm" 2>"$work/save.err" && pass save ||
	{ fail save "$(cat "$work/save.err")"; exit 1; }
# What xenstored wrote, read by the independent reader.
$PY "$here/../xensim/xsstate.py" "$work/s.xsm" > "$work/s.txt" 2>&1
grep -q "^CONN id=[0-9]* type=ring domid=5 " "$work/s.txt" &&
	grep -q "^NODE path=$BE/state perms=n0,r5 data=4$" "$work/s.txt" &&
	grep -q "^NODE path=$H/name perms=n0,r5 " "$work/s.txt" &&
	grep -q "^NODE path=$H/data/x perms=n5,r0 data=1$" "$work/s.txt" &&
	grep -q "^WATCH conn=[0-9]* path=$H/data token=tok$" "$work/s.txt" &&
	grep -q "^TA conn=[0-9]* id=1$" "$work/s.txt" && [ "$(tail -n 1 "$work/s.txt")" = END ] &&
	pass saved-stream-holds-the-domain || fail saved-stream-holds-the-domain "$(head -c 600 "$work/s.txt")"

$PY "$here/forge.py" hostile "$work/s.xsm" "$work/forged" 2>"$work/forge.err" &&
	[ "$(wc -l < "$work/forged/index")" -ge 60 ] && pass forged-streams ||
	{ fail forged-streams "$(cat "$work/forge.err")"; exit 1; }

# --- on B and C: two lanes of forgeries, each host with a bystander -----
C=$work/c
L=0	# lane tag in scratch file names
testlib_host "$C"
"$X" host start "$C" --no-trace >/dev/null || { fail host-c "$(cat "$C/xenstored.log")"; exit 1; }
for h in "$B" "$C"; do
	must "$X" domain create "$h" 3 --introduce >/dev/null &&
		[ "$(guest "$h" 3 <<<"write /local/domain/3/mine alive")" = OK ] ||
		{ fail bystander "$(cat "$work/must.err")"; exit 1; }
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
	must $PY "$here/toolstack.py" "$B/run/socket" <<<"$lines" && echo -n "$made"
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
	local -a forged ports
	mapfile -t forged
	while read -r d port; do ports[d]=$port; done < <(toolstack $(seq $first $((first + ${#forged[@]} + $2 - 1))))
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
		msg=$(genuine $d "$port") || why="$why then: $msg"
		[ -n "${HOSTILE_TIMES:-}" ] && echo "times $t0 $t1 $t2 $t3 $t4 $EPOCHREALTIME"
		if [ -z "$why" ]; then echo "PASS $name"; else echo "FAIL $name: $why ${err:0:300}" | tr '\n' ' '; echo; fi
		d=$((d + 1))
	done
}

grep -E -- "^(${HOSTILE_ONLY:-.*})"$'\t' "$work/forged/index" > "$work/selected"
half=$(( ($(wc -l < "$work/selected") + 1) / 2 ))
first=21
extra=$((first + half))	# B's spare domains, for the modes below
( L=1; lane $first 0 < <(head -n $half "$work/selected") ) > "$work/lane1" 2>&1 &
( L=2; B=$C; lane $first 0 < <(tail -n +$((half + 1)) "$work/selected") ) > "$work/lane2" 2>&1 &
wait
while read -r verdict name rest; do
	case $verdict in
	PASS) pass "$name" ;;
	FAIL) fail "${name%:}" "$rest" ;;
	times) echo "times $name $rest" ;;
	*) fail lane-output "$verdict $name $rest" ;;
	esac
done < <(cat "$work/lane1" "$work/lane2")
[ "$(grep -c '^[PF]' "$work/lane1" "$work/lane2" | awk -F: '{n += $2} END {print n}')" = \
	"$(wc -l < "$work/selected")" ] && pass every-forgery-ran || fail every-forgery-ran "lanes cut short"

d=$extra
# --- untrusted versus trusted mode, on the genuine stream ----------------
ports=()
while read -r dd port; do ports[dd]=$port; done < <(toolstack $extra $((extra + 1)) $((extra + 2)))
port=${ports[d]}
on "$B" xenstore-write /local/domain/0/backend/vif/$d/0/state 1 >/dev/null
# The receiving toolstack's fresh frontends, as libxl writes them: the
# guest's, state 1 (Initialising), for both restores below.
fresh_frontend() {	# DOMID
	must $PY "$here/toolstack.py" "$B/run/socket" <<EOF
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
fresh_frontend $d && fresh_frontend $((d + 1)) || fail fresh-frontends "$(tail -n 3 "$work/must.err")"
genuine $d "$port" keep >"$work/msg" && pass untrusted-restore || fail untrusted-restore "$(cat "$work/msg")"
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
xsm "$B" restore --domid $d --from-domid 5 --port "$port" --trusted-stream "$work/s.xsm" \
	2>"$work/trusted.err" && pass trusted-restore || fail trusted-restore "$(cat "$work/trusted.err")"
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
[ $rc = 1 ] && grep -q "write access" "$work/err" && [ "$before" = "$after" ] &&
	pass trusted-still-refuses-w0 || fail trusted-still-refuses-w0 "rc=$rc $(cat "$work/err")"

# xenstored itself failing is status 5, not 1: a domain already there.
xsm "$B" restore --domid 3 --from-domid 5 --port 1 "$work/s.xsm" 2>"$work/err"
rc=$?
[ $rc = 5 ] && pass xenstored-failure-is-status-5 || fail xenstored-failure-is-status-5 "rc=$rc $(cat "$work/err")"

[ "$failed" = 0 ]
