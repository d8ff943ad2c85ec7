# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The plugin configuration's checks: xenstore state across xl save/restore/migrate, patched tools.
#
# Sourced by scenario.sh (after e2e-lib.sh) in the plugin configuration:
# the self-built hypervisor (CONFIG_SHADOW_PAGING=y), xenstored/libxl/xl
# with the project's patch series, and libxsmigrate.so.0 in the system
# library directory.  Every check here must PASS; the names are an
# interface (docs/e2e.md).
# shellcheck source-path=SCRIPTDIR

W=/run/e2e            # the harness's own files: /tmp is checked for leftovers
mkdir -p $W

# State before the first guest, for xs-leak-check.
ls -A /tmp > $W/tmp.before
ls -A /var/lib/xen > $W/varlibxen.before

# xs_fail_all PREFIX WHY: the four xenstore-migrate lines, all failed
xs_fail_all() { fail_checks "$1" "$2" txn-eagain nodes perms watch; }

# read_checks PREFIX DOMID: the guest's four verdicts, strictly: a check
# without one fails
read_checks() {
	results "$2" txn-eagain nodes perms watch |
		report "$1" "the guest recorded no result (state '$(xenstore-read "/local/domain/$2/data/state" 2>&1)', console: $(console_tail "$NAME"))"
}

# start_xsm NAME: create a xenstore-migrate guest, wait until it is ready
# for save; sets NAME and ID, or WHY.
start_xsm() {
	NAME=$1
	guest_cfg "$NAME" pv "$G/xenstore-migrate" 8 > "$W/$NAME.cfg"
	create "$NAME" "$W/$NAME.cfg" "$W/$NAME.create" || return 1
	wait_value "/local/domain/$ID/data/state" ready-for-save 90 ||
		{ WHY="guest never became ready-for-save (console: $(console_tail "$NAME"))"; return 1; }
}

# migrate NAME WRAPPER LOG: xl migrate --xenstore-state to localhost, the
# receiver run by WRAPPER instead of ssh (see /e2e/xl-local)
migrate() { xmigrate --xenstore-state "$@"; }

# events: how many times the guest saw its old watch fire
events() { xenstore-read "/local/domain/$(domid "$NAME")/data/events" 2>/dev/null; }

# wait_events N SECONDS: until data/events = N; then N must hold for 3 s
# more (a duplicate arrives late, not never)
wait_events() {
	wait_value "/local/domain/$(domid "$NAME")/data/events" "$1" "$2" || return 1
	sleep 3
	[ "$(events)" = "$1" ]
}

# --- xs-save-*: xl save --xenstore-state + xl restore -----------------------
xs_save() {
	step xs_save
	start_xsm xsm-save || { xs_fail_all xs-save "$WHY"; return; }
	e2e "INFO xs-save: before: $(xenstore-ls -p /local/domain/"$ID"/data/mig 2>&1 | sed 's/ [. ]*(/ (/' | tr '\n' ';')"
	old=$ID
	timeout 180 xl -vv save --xenstore-state "$NAME" $W/save.img >$W/save.out 2>&1 ||
		{ xs_fail_all xs-save "xl save --xenstore-state: rc $? $(xl_out $W/save.out)"; return; }
	timeout 180 xl -vv restore $W/save.img >$W/restore.out 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		xs_fail_all xs-save "xl restore: rc $rc $(xl_out $W/restore.out)"
		ignore_state_diagnosis $W/save.img
		return
	fi
	rm -f $W/save.img
	after_move "$NAME" "$old" || { xs_fail_all xs-save "$WHY"; return; }
	xs_checks xs-save ""
	wait_shutdown "$NAME" 60 || e2e "INFO xs-save: guest still running after its checks"
}

# ignore_state_diagnosis FILE: after a failed restore, whether the same
# file restores without its xenstore record (tells a broken record path from
# a broken file); the domain is destroyed again either way
ignore_state_diagnosis() {
	if timeout 180 xl -vv restore --ignore-xenstore-state "$1" >$W/ignore.out 2>&1; then
		e2e "INFO diagnosis: $1 restores with --ignore-xenstore-state"
	else
		e2e "INFO diagnosis: $1 does not restore with --ignore-xenstore-state either: $(xl_out $W/ignore.out)"
	fi
	timeout 60 xl destroy "$NAME" >/dev/null 2>&1
	rm -f "$1"
}

# xs_checks PREFIX SERVE: let the moved guest run its four checks
xs_checks() {
	d=/local/domain/$ID/data
	wait_value "$d"/state resumed 90 ||
		{ xs_fail_all "$1" "moved guest never wrote data/state=resumed (state '$(xenstore-read "$d"/state 2>&1)', console: $(console_tail "$NAME"))"; return; }
	e2e "INFO $1: after: $(xenstore-ls -p "$d" 2>&1 | sed 's/ [. ]*(/ (/' | tr '\n' ';')"
	[ -n "$2" ] && xenstore-write "$d"/serve 1
	xenstore-write "$d"/go 1
	if wait_value "$d"/state want-change 90; then
		xenstore-write "$d"/mig/watched dom0-change
	else
		e2e "INFO $1: guest did not ask for the watched change"
	fi
	if [ -n "$2" ]; then
		wait_value "$d"/state serving 60 || e2e "INFO $1: guest not serving after its checks"
	else
		wait_value "$d/state" "done" 60 || e2e "INFO $1: guest not done after its checks"
	fi
	read_checks "$1" "$ID"
}

# --- xs-migrate-*, then the same guest through everything else -------------
xs_migrate() {
	step xs_migrate
	start_xsm xsm-mig || { xs_fail_all xs-migrate "$WHY"; return 1; }
	old=$ID
	migrate "$NAME" /e2e/xl-local $W/mig.out ||
		{ xs_fail_all xs-migrate "xl migrate --xenstore-state: rc $? $(xl_out $W/mig.out)"; return 1; }
	after_move "$NAME" "$old" || { xs_fail_all xs-migrate "$WHY"; return 1; }
	xs_checks xs-migrate serve
	[ "$(xenstore-read /local/domain/"$ID"/data/state)" = serving ]
}

# xs-localmigrate-x5: five more in a row, alive after each, and the old
# watch fires exactly once per change at the end.
xs_localmigrate_x5() {
	step xs_localmigrate_x5
	T=xs-localmigrate-x5
	e0=$(events)
	for i in 1 2 3 4 5; do
		old=$(domid "$NAME") t0=$(date +%s)
		migrate "$NAME" /e2e/xl-local $W/x5.out ||
			{ fail $T "migration $i: rc $? $(xl_out $W/x5.out)"; return 1; }
		after_move "$NAME" "$old" || { fail $T "migration $i: $WHY"; return 1; }
		alive "$NAME" x5-$i 30 ||
			{ fail $T "no answer through xenstore after migration $i (pong '$(xenstore-read "/local/domain/$(domid "$NAME")/data/pong" 2>&1)', console: $(console_tail "$NAME"))"; return 1; }
		e2e "INFO $T: migration $i to domain $(domid "$NAME") answered, $(( $(date +%s) - t0 ))s"
	done
	for k in 1 2 3; do
		xenstore-write "/local/domain/$(domid "$NAME")/data/mig/watched" "x5-change-$k"
		wait_events $((e0 + k)) 20 ||
			{ fail $T "change $k of data/mig/watched: guest counted $(events) watch events, want exactly $((e0 + k)) (before the migrations: $e0)"; return 1; }
	done
	pass $T
}

# live_change OLDID: once the receiver's domain exists, dom0 changes the
# watched node of the source, and sets when and st; also done when the
# migration ended.  The receiver's domain appears in xenstore when it is
# created, before any memory arrives; xenstore-list is much cheaper than xl
# list.  The source's state is read after the write: running then means
# running when it was written.
live_change() {
	[ -f "$W/live.rc" ] && return 0
	new=$(xenstore-list /local/domain 2>/dev/null | grep -vx -e 0 -e "$1" | head -n 1)
	[ -n "$new" ] || return 1
	xenstore-write "/local/domain/$1/data/mig/watched" live-change
	st=$(xl list "$1" 2>/dev/null | awk 'NR==2 {print $5}')
	when="receiver's domain $new existed, source state afterwards '${st:-gone}'"
}

# xs-live-event: dom0 changes the watched node while xl migrate copies
# memory (the receiver's domain exists, the source still runs).  The
# receiver's input is held for 5 s once its domain exists (xl-local-slow),
# so that window does not depend on how loaded the machine is.
xs_live_event() {
	step xs_live_event
	T=xs-live-event
	e0=$(events) old=$(domid "$NAME")
	( migrate "$NAME" /e2e/xl-local-slow "$W/live.out"; echo $? > "$W/live.rc" ) &
	mpid=$!
	when="" st=""
	poll 2400 0.05 live_change "$old"
	wait $mpid
	rc=$(cat $W/live.rc 2>/dev/null); rm -f $W/live.rc
	[ "$rc" = 0 ] || { fail $T "xl migrate: rc $rc $(xl_out $W/live.out)"; return 1; }
	[ -n "$when" ] || { fail $T "never saw the receiver's domain while migrating: no change made during the copy"; return 1; }
	# xl's state letters: r running, b blocked, ------ runnable; p paused,
	# s shut down (suspended), d dying, c crashed.
	case ${st:-gone} in
	gone|*[psdc]*) fail $T "the source was no longer running when dom0 wrote ($when); xl: $(xl_out $W/live.out)"; return 1;;
	esac
	e2e "INFO $T: dom0 wrote data/mig/watched while $when"
	after_move "$NAME" "$old" || { fail $T "$WHY"; return 1; }
	wait_events $((e0 + 1)) 20 ||
		{ fail $T "guest counted $(events) watch events after the migration, want exactly $((e0 + 1))"; return 1; }
	alive "$NAME" live 30 || { fail $T "guest does not answer after the migration"; return 1; }
	pass $T
}

# xs-receiver-refuses: a receiver without libxsmigrate makes the migration
# fail before the guest is suspended; the guest keeps running here.
xs_receiver_refuses() {
	step xs_receiver_refuses
	T=xs-receiver-refuses
	id=$(domid "$NAME") e0=$(events)
	s0=$(xenstore-read /local/domain/"$id"/data/suspends)
	if migrate "$NAME" /e2e/xl-local-nolib $W/refuse.out; then
		fail $T "xl migrate --xenstore-state succeeded to a receiver without libxsmigrate"
		return 1
	fi
	e2e "INFO $T: xl said: $(grep -i -E 'xsmigrate|xenstore|error|fail' $W/refuse.out | tail -n 4 | tr '\n' ' ')"
	xl list 2>/dev/null | grep -q -- "--incoming\|--migratedaway" &&
		{ fail $T "leftover domain: $(xl list | tr '\n' ';')"; return 1; }
	untouched "$id" "$s0" "$e0" refused || { fail $T "on the source: $WHY"; return 1; }
	pass $T
}

# untouched ID SUSPENDS EVENTS TAG: after a refused move the guest is still
# domain ID, running, was never suspended (data/suspends still SUSPENDS),
# answers (ping TAG) and its old watch fires exactly once for one more
# change (EVENTS before); sets WHY
untouched() {
	[ "$(domid "$NAME")" = "$1" ] ||
		{ WHY="guest is not domain $1 any more (now '$(domid "$NAME")')"; return 1; }
	dom_running "$NAME" ||
		{ WHY="guest state '$(dom_state "$NAME")' after the refusal (want running)"; return 1; }
	_us=$(xenstore-read "/local/domain/$1/data/suspends")
	[ "$_us" = "$2" ] || { WHY="guest was suspended ($2 -> $_us suspends) before the refusal"; return 1; }
	alive "$NAME" "$4" 30 || { WHY="guest does not answer after the refusal"; return 1; }
	xenstore-write "/local/domain/$1/data/mig/watched" "after-$4"
	wait_events $(($3 + 1)) 20 ||
		{ WHY="watch: guest counted $(events) events, want exactly $(($3 + 1))"; return 1; }
}

# xs-forged-record-refused: a save file whose xenstore record holds a node
# under /local/domain/0; the unforged file is the control.
xs_forged_record() {
	step xs_forged_record
	T=xs-forged-record-refused
	id=$(domid "$NAME")
	timeout 180 xl -vv save --xenstore-state "$NAME" $W/good.img >$W/good.out 2>&1 ||
		{ fail $T "xl save --xenstore-state: rc $? $(xl_out $W/good.out)"; return 1; }
	forged=$(/e2e/forge-record $W/good.img $W/forged.img /local/domain/"$id"/data/mig/a 2>$W/forge.err) ||
		{ fail $T "cannot forge: $(cat $W/forge.err)"; return 1; }
	xenstore-ls -fp > $W/xs.before 2>&1
	if timeout 180 xl -vv restore $W/forged.img >$W/forged.out 2>&1; then
		fail $T "xl restore accepted a record with $forged"
		timeout 60 xl destroy "$NAME" >/dev/null 2>&1
		return 1
	fi
	xenstore-ls -fp > $W/xs.after 2>&1
	rm -f $W/forged.img
	grep -q -e "$forged" -e "outside domain" $W/forged.out ||
		{ fail $T "xl restore failed without naming the refusal: $(xl_out $W/forged.out)"; return 1; }
	e2e "INFO $T: xl restore said: $(grep -e "$forged" -e "outside domain" $W/forged.out | head -n 2 | tr '\n' ' ')"
	[ "$(xl list | awk 'NR > 1' | wc -l)" = 1 ] ||
		{ fail $T "domains left after the refusal: $(xl list | tr '\n' ';')"; return 1; }
	cmp -s $W/xs.before $W/xs.after ||
		{ fail $T "xenstore changed: $(diff $W/xs.before $W/xs.after | grep '^[-+]/' | head -n 5 | tr '\n' ';')"; return 1; }
	# Control: the same file unforged restores and the guest answers.
	timeout 180 xl -vv restore $W/good.img >$W/good.out 2>&1 ||
		{ fail $T "control: the unforged file does not restore either: $(xl_out $W/good.out)"; return 1; }
	rm -f $W/good.img
	alive "$NAME" control 30 || { fail $T "control: restored guest does not answer"; return 1; }
	pass $T
}

# xs-linux-guest: a Linux PV guest's xenbus works after save/restore and
# after a migration (a write from inside the guest is seen by dom0).
xs_linux_guest() {
	step xs_linux_guest
	T=xs-linux-guest L=xsm-linux
	guest_cfg "$L" pv /e2e/linux/vmlinuz 128 'ramdisk = "/e2e/linux/initrd.gz"' \
		'extra = "console=hvc0 quiet"' > "$W/$L.cfg"
	create "$L" "$W/$L.cfg" "$W/$L.create" || { fail $T "$WHY"; return; }
	t0=$(date +%s)
	wait_value "/local/domain/$ID/data/linux" up 180 ||
		{ fail $T "guest never wrote data/linux=up (console: $(console_tail $L))"; return; }
	e2e "INFO $T: Linux up $(( $(date +%s) - t0 ))s after xl create"
	alive $L boot 30 || { fail $T "no pong before any move (console: $(console_tail $L))"; return; }
	old=$(domid $L)
	timeout 180 xl -vv save --xenstore-state $L $W/linux.img >$W/linux.out 2>&1 ||
		{ fail $T "xl save --xenstore-state: rc $? $(xl_out $W/linux.out)"; return; }
	timeout 180 xl -vv restore $W/linux.img >$W/linux.out 2>&1 ||
		{ fail $T "xl restore: rc $? $(xl_out $W/linux.out)"; return; }
	rm -f $W/linux.img
	after_move $L "$old" || { fail $T "save/restore: $WHY"; return; }
	alive $L restored 60 || { fail $T "no pong after save/restore (console: $(console_tail $L))"; return; }
	old=$(domid $L)
	migrate $L /e2e/xl-local $W/linux.out ||
		{ fail $T "xl migrate --xenstore-state: rc $? $(xl_out $W/linux.out)"; return; }
	after_move $L "$old" || { fail $T "migrate: $WHY"; return; }
	alive $L migrated 60 || { fail $T "no pong after migrate (console: $(console_tail $L))"; return; }
	pass $T
}

# --- nc-pv-refused: xl save --non-cooperative of a PV guest ---------------
# A PV guest cannot be suspended without its help: refused with a message
# saying so, before the file is created or the guest touched.
nc_pv_refused() {
	step nc_pv_refused
	T=nc-pv-refused
	id=$(domid "$NAME") e0=$(events)
	s0=$(xenstore-read /local/domain/"$id"/data/suspends)
	rm -f $W/pv.img
	if timeout 60 xl save --non-cooperative "$NAME" $W/pv.img >$W/pv.out 2>&1; then
		fail $T "xl save --non-cooperative of PV domain $id exited 0: $(xl_out $W/pv.out)"
		return 1
	fi
	grep -q "domain $id is a PV guest, which cannot be suspended without its help" $W/pv.out ||
		{ fail $T "no clear message: $(xl_out $W/pv.out)"; return 1; }
	[ ! -e $W/pv.img ] || { fail $T "xl created $W/pv.img anyway"; rm -f $W/pv.img; return 1; }
	untouched "$id" "$s0" "$e0" pv-refused || { fail $T "$WHY"; return 1; }
	pass $T
}

# --- nc-save-*: the PVH guest that never cooperates, xl save/restore ----------
# xl save --non-cooperative + xl restore while round 1 is in flight (a
# request half-written on its ring); the guest then runs its six checks.
# shellcheck source=nc-lib.sh
. /e2e/nc-lib.sh
NC=xsm-nc

# nc_suspend_path LOG: nc-save-suspended-by-toolstack, from xl save's
# DEBUG lines: libxl shut the guest down for suspend itself, and never
# asked it (control/shutdown, suspend event channel).
nc_suspend_path() {
	T=nc-save-suspended-by-toolstack
	asked=$(grep -a 'suspend request via' "$1" | tr '\n' ' ')
	if [ -n "$asked" ]; then
		fail $T "libxl asked the guest: $asked"
	elif grep -a -q 'Suspending the guest without its help' "$1"; then
		pass $T
	else
		fail $T "no 'Suspending the guest without its help' in xl save's log: $(xl_out "$1")"
	fi
}

nc_save() {
	step nc_save
	nc_cfg $NC > "$W/$NC.cfg"
	create $NC "$W/$NC.cfg" "$W/nc.create" || { nc_fail_all nc-save "$WHY"; return 1; }
	nc_wait_ready $NC 1 60 ||
		{ nc_fail_all nc-save "no ready-1 within 60s (state '$NC_STATE', domain state '$(dom_state $NC)', console: $(console_tail $NC))"; return 1; }
	old=$(domid $NC)
	nc_premove "$old" ||
		{ nc_fail_all nc-save "cannot write the changes before the move"; return 1; }
	# -vvv: libxl's DEBUG lines say how the guest was suspended.
	timeout 120 xl -vvv save --non-cooperative $NC $W/nc.img >$W/nc.save.out 2>&1 ||
		{ nc_fail_all nc-save "xl save --non-cooperative: rc $? $(xl_out $W/nc.save.out)"; rm -f $W/nc.img; return 1; }
	nc_suspend_path $W/nc.save.out
	timeout 120 xl -vv restore $W/nc.img >$W/nc.restore.out 2>&1
	rc=$?
	rm -f $W/nc.img
	e2e "INFO nc-save: xl restore said: $(grep -a -E 'recently used|Keeping the guest|xenstore state restored' $W/nc.restore.out | tr '\n' ' ')"
	[ $rc -eq 0 ] ||
		{ nc_fail_all nc-save "xl restore: rc $rc $(xl_out $W/nc.restore.out)"; return 1; }
	id=$(domid $NC)
	e2e "INFO nc-save: domid $old -> ${id:-none}"
	[ -n "$id" ] || { nc_fail_all nc-save "no domain $NC after xl restore"; return 1; }
	nc_postmove "$id" 1 60 ||
		e2e "INFO nc-save: no checked-1 within 60s (state '$NC_STATE')"
	nc_results $NC "$id" 1 | report nc-save
}

# nc-save-domid-taken-refused: xl save --non-cooperative -c (the guest is
# resumed without its help and carries on), then xl restore of that image
# while the guest still holds its domid: refused with a clear message, no
# domain built, the guest unharmed (it completes its next round).
nc_domid_taken() {
	step nc_domid_taken
	T=nc-save-domid-taken-refused
	id=$(domid $NC)
	[ -n "$id" ] || { fail $T "no domain $NC to start from"; return; }
	nc_wait_ready $NC 2 60 ||
		{ fail $T "no ready-2 within 60s (state '$NC_STATE')"; return; }
	before=$(xl list | awk 'NR > 1 {print $1}' | sort | tr '\n' ' ')
	timeout 120 xl -vv save --non-cooperative -c $NC $W/nc2.img >$W/nc2.save.out 2>&1 ||
		{ fail $T "xl save --non-cooperative -c: rc $? $(xl_out $W/nc2.save.out)"; rm -f $W/nc2.img; return; }
	dom_running $NC ||
		{ fail $T "guest state '$(dom_state $NC)' after xl save -c (want running)"; rm -f $W/nc2.img; return; }
	if timeout 120 xl -vv restore $W/nc2.img >$W/nc2.restore.out 2>&1; then
		fail $T "xl restore succeeded while domain $id exists: $(xl_out $W/nc2.restore.out)"
		rm -f $W/nc2.img
		return
	fi
	rm -f $W/nc2.img
	grep -q "domain id $id is in use here" $W/nc2.restore.out ||
		{ fail $T "no clear message: $(xl_out $W/nc2.restore.out)"; return; }
	after=$(xl list | awk 'NR > 1 {print $1}' | sort | tr '\n' ' ')
	[ "$after" = "$before" ] ||
		{ fail $T "domains before '$before', after '$after'"; return; }
	[ "$(domid $NC)" = "$id" ] || { fail $T "guest is not domain $id any more"; return; }
	{ nc_premove "$id" && nc_postmove "$id" 2 60; } ||
		{ fail $T "guest did not complete round 2 after the refusal (state '$NC_STATE', console: $(console_tail $NC))"; return; }
	pass $T
}

nc_all() {
	if [ ! -f "$NC_GUEST" ]; then
		nc_fail_all nc-save "guest image $NC_GUEST not built"
		fail nc-save-domid-taken-refused "guest image $NC_GUEST not built"
		return
	fi
	if nc_save; then
		nc_domid_taken
	else
		fail nc-save-domid-taken-refused "not run: nc-save failed first"
	fi
	finish $NC
}

# xs-leak-check: nothing left of the guests once they are gone.
xs_leak_check() {
	step xs_leak_check
	T=xs-leak-check
	why=""
	others=$(xl list 2>/dev/null | awk 'NR > 1 && $2 != 0 {print $1 "(" $2 ")"}' | tr '\n' ' ')
	[ -z "$others" ] || why="$why stray domains: $others;"
	xenstore-ls -fp > $W/xs.end 2>&1
	dead=$(grep -E '^/(local/domain|libxl)/[1-9]' $W/xs.end | head -n 3 | tr '\n' ' ')
	[ -z "$dead" ] || why="$why nodes of dead domains: $dead;"
	perms=$(grep -E '\((.*,)?[nrwb][1-9][0-9]*[,)]' $W/xs.end | head -n 3 | tr '\n' ' ')
	[ -z "$perms" ] || why="$why permissions naming dead domains: $perms;"
	vm=$(grep -E '^/vm/' $W/xs.end | head -n 3 | tr '\n' ' ')
	[ -z "$vm" ] || why="$why /vm entries: $vm;"
	q=$(grep -i quiesce $W/xs.end | head -n 3 | tr '\n' ' ')
	[ -z "$q" ] || why="$why quiesce marker: $q;"
	ls -A /tmp > $W/tmp.after
	t=$(diff $W/tmp.before $W/tmp.after | grep '^+[^+]' | tr '\n' ' ')
	[ -z "$t" ] || why="$why new in /tmp: $t;"
	ls -A /var/lib/xen > $W/varlibxen.after
	v=$(diff $W/varlibxen.before $W/varlibxen.after | grep '^+[^+]' | tr '\n' ' ')
	[ -z "$v" ] || why="$why new in /var/lib/xen: $v;"
	if [ -z "$why" ]; then pass $T; else fail $T "$why"; fi
}

# --- xs-ring-fresh: the ring the receiver gets is fresh ---------------------
# A guest that leaves its ring page alone while xl migrate copies its
# memory (xenstore-ringfresh: it waits on its suspend event channel only).
# The receiver gets the first RF_HOLD_KIB KiB of the stream, then nothing
# for 5 s (xl-local-hold): libxc's first pass sends the 8 MiB guest's pages
# in PFN order, so by then the ring page (the guest says where it is) has
# been copied, and the guest still runs.  dom0 writes the watched node
# then, so xenstored writes the watch event into the ring through its
# grant mapping; the guest must find it on its ring in the new domain.
RF=xsm-ringfresh
RF_HOLD_KIB=6144
xs_ring_fresh() {
	step xs_ring_fresh
	T=xs-ring-fresh
	guest_cfg $RF pv "$G/xenstore-ringfresh" 8 > "$W/$RF.cfg"
	create $RF "$W/$RF.cfg" "$W/$RF.create" || { fail $T "$WHY"; return; }
	old=$ID
	d=/local/domain/$old/data
	wait_value "$d"/state quiet 90 ||
		{ fail $T "guest never became quiet (state '$(xenstore-read "$d"/state 2>&1)', console: $(console_tail $RF))"; return; }
	pfn=$(xenstore-read "$d"/ringfresh/ring-pfn)
	case $pfn in ''|*[!0-9]*) fail $T "guest gave no ring PFN ('$pfn')"; return;; esac
	[ $((pfn * 4)) -lt $((RF_HOLD_KIB - 1024)) ] ||
		{ fail $T "ring page at PFN $pfn is not well before the hold at $RF_HOLD_KIB KiB of the stream"; return; }
	rm -f $W/rf.hold $W/rf.rc
	(
		export E2E_HOLD_KIB=$RF_HOLD_KIB E2E_HOLD_MARK=$W/rf.hold E2E_HOLD_S=5
		migrate $RF /e2e/xl-local-hold $W/rf.out
		echo $? > $W/rf.rc
	) &
	mpid=$!
	wait_for 120 test -e $W/rf.hold -o -e $W/rf.rc
	if [ ! -e $W/rf.hold ]; then
		wait $mpid
		fail $T "the stream was never held (xl migrate: rc $(cat $W/rf.rc 2>/dev/null) $(xl_out $W/rf.out))"
		return
	fi
	xenstore-write "$d"/ringfresh/watched live-change
	st=$(xl list "$old" 2>/dev/null | awk 'NR==2 {print $5}')
	q=$(xenstore-read "$d"/state 2>/dev/null)
	wait $mpid
	rc=$(cat $W/rf.rc 2>/dev/null); rm -f $W/rf.rc $W/rf.hold
	[ "$rc" = 0 ] || { fail $T "xl migrate: rc $rc $(xl_out $W/rf.out)"; return; }
	case ${st:-gone} in
	gone|*[psdc]*) fail $T "the source was no longer running when dom0 wrote (xl state '${st:-gone}')"; return;;
	esac
	[ "$q" = quiet ] || { fail $T "guest state '$q' when dom0 wrote, want quiet"; return; }
	e2e "INFO $T: ring at PFN $pfn, dom0 wrote after $RF_HOLD_KIB KiB of the stream, source state '$st'"
	after_move $RF "$old" || { fail $T "$WHY"; return; }
	r=/local/domain/$ID/data
	wait_value "$r"/state "done" 60 ||
		{ fail $T "moved guest never wrote data/state=done (state '$(xenstore-read "$r"/state 2>&1)', console: $(console_tail $RF))"; return; }
	verdict $T "$(xenstore-read "$r/ringfresh/result" 2>/dev/null)" \
		"the guest recorded no result (console: $(console_tail $RF))"
}

if ! only xs; then
	:
elif [ -f "$G/xenstore-migrate" ]; then
	xs_save
	finish xsm-save

	# One guest through all of these, in order: a step that fails leaves
	# it in no state to run the next ones, which then say so.
	broken=""
	xs_migrate || broken=xs-migrate
	for check in nc_pv_refused:nc-pv-refused \
		    xs_localmigrate_x5:xs-localmigrate-x5 xs_live_event:xs-live-event \
		    xs_receiver_refuses:xs-receiver-refuses \
		    xs_forged_record:xs-forged-record-refused; do
		if [ -n "$broken" ]; then
			fail "${check#*:}" "not run: $broken failed first"
			continue
		fi
		${check%%:*} || broken=${check#*:}
	done
	finish xsm-mig
else
	fail xs-save-create "guest image $G/xenstore-migrate not built"
fi

if ! only ring; then
	:
elif [ -f "$G/xenstore-ringfresh" ]; then
	xs_ring_fresh
	finish $RF
else
	fail xs-ring-fresh "guest image $G/xenstore-ringfresh not built"
fi

only nc && nc_all

# libxl's quiesce marker and the records a receiver refuses (record.sh).
if only record; then
	# shellcheck source=record.sh
	. /e2e/record.sh
	rec_all
fi

if only linux; then
	xs_linux_guest
	finish xsm-linux
fi

# With oxenstored, this machine runs what tests the daemon on one host, and
# the PV device guest only: the PVH one crosses between the two daemons in
# twohost (twohost-*-pvh-*), and xs-localmigrate-x5 moves a guest five
# times in a row through oxenstored, which the ten moves of osstest's
# x10 would repeat for seven more minutes of make check.
DEVG_KINDS="pv pvh"
[ "$XS_DAEMON" = ox ] && DEVG_KINDS=pv

# The Linux guests with a vbd and a vif, PV then PVH (devguest.sh):
# dev-*, linux-*, nc-pvdevice-refused.
if only dev; then
	# shellcheck source=devguest.sh
	. /e2e/devguest.sh
	devg_plugin pv 169.254.77.2
	if [ "$DEVG_KINDS" = pv ]; then
		e2e "INFO the PVH device guest moves in twohost with oxenstored, not here"
	else
		devg_plugin pvh 169.254.77.3
	fi
	linux_report
fi

# osstest's migration jobs: its device guest ten times through each move
# (osstest.sh); the downtime benchmark only when named (make bench-e2e).
if only osstest || named bench; then
	# shellcheck source=devguest.sh
	. /e2e/devguest.sh
	# shellcheck source=osstest.sh
	. /e2e/osstest.sh
	if ! only osstest; then
		:
	elif [ "$XS_DAEMON" = ox ]; then
		e2e "INFO osstest's x10 runs with C xenstored only (make e2e)"
	else
		osstest_x10
	fi
fi
if named bench; then
	# shellcheck source=bench-downtime.sh
	. /e2e/bench-downtime.sh
	bench_downtime
fi

xs_leak_check
# An if: the scenario's exit status is its last command's.
if only osstest; then osstest_leak_check; fi
