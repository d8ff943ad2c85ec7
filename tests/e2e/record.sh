# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The record group: libxl's quiesce marker and the xenstore records a receiver refuses.
#
# Lines xs-quiesce-marker-* and xs-record-*.  Sourced by
# scenario-plugin.sh, which has start_xsm, migrate and W.  One
# xenstore-migrate guest, xsm-rec, goes through all of them in order.

REC=xsm-rec

# marker DOMID: the marker libxl keeps while it holds the domain quiesced
marker() { xenstore-read /libxl/"$1"/xenstore-state-quiesced 2>/dev/null; }

# has_marker DOMID
has_marker() { [ -n "$(marker "$1")" ]; }

# start_of PID: the process's start time (field 22 of /proc/PID/stat)
start_of() { sed 's/.*) //' /proc/"$1"/stat | cut -d' ' -f20; }

# rec_serve: the guest, resumed in place, runs its checks and then serves
# (ping/pong answers only while xenstored serves it)
rec_serve() {
	d=/local/domain/$(domid $REC)/data
	wait_value "$d"/state resumed 60 || return 1
	xenstore-write "$d"/serve 1
	xenstore-write "$d"/go 1
	wait_value "$d"/state want-change 60 && xenstore-write "$d"/mig/watched rec
	wait_value "$d"/state serving 60
}

# xs-quiesce-marker-held-refused: with the marker of another running
# operation (pid 1's token) on the domain, xl save --xenstore-state -c is
# refused before the guest is suspended, and leaves the marker alone.
# Then, the marker of a process that is gone: the save takes it over and
# the guest is served again afterwards (xenstored acknowledges the
# unquiesce of a domain that was never quiesced).
rec_marker_held() {
	step rec_marker_held
	T=xs-quiesce-marker-held-refused
	id=$(domid $REC) why=""
	held="1 $(start_of 1) 00000000deadbeef"
	xenstore-write /libxl/"$id"/xenstore-state-quiesced "$held"
	if timeout 120 xl -vv save --xenstore-state -c $REC "$W"/held.img >"$W"/held.out 2>&1; then
		why="xl save -c succeeded over another operation's marker"
	elif ! grep -q "held by another operation" "$W"/held.out; then
		why="xl save failed without naming the marker: $(xl_out "$W"/held.out)"
	elif [ "$(marker "$id")" != "$held" ]; then
		why="the marker changed: '$(marker "$id")', was '$held'"
	elif [ "$(xenstore-read /local/domain/"$id"/data/state)" != ready-for-save ]; then
		why="the guest was suspended (data/state '$(xenstore-read /local/domain/"$id"/data/state)')"
	fi
	rm -f "$W"/held.img
	[ -z "$why" ] && e2e "INFO $T: xl save said: $(grep "held by another" "$W"/held.out | head -n 1)"

	# A process that is gone (its pid exited just now).
	gone=$(sh -c 'echo $$')
	xenstore-write /libxl/"$id"/xenstore-state-quiesced "$gone 0 00000000deadbeef"
	if ! timeout 120 xl -vv save --xenstore-state -c $REC "$W"/held.img >"$W"/stale.out 2>&1; then
		why="${why:+$why; }xl save -c over a stale marker: rc $? $(xl_out "$W"/stale.out)"
	elif [ -n "$(marker "$id")" ]; then
		why="${why:+$why; }marker left after xl save -c: '$(marker "$id")'"
	fi
	rm -f "$W"/held.img
	xenstore-rm /libxl/"$id"/xenstore-state-quiesced 2>/dev/null
	rec_serve || why="${why:+$why; }guest not serving after xl save -c (state '$(xenstore-read /local/domain/"$id"/data/state)')"
	alive $REC stale 30 || why="${why:+$why; }guest not served after xl save -c over a stale marker"
	if [ -z "$why" ]; then pass $T; else fail $T "$why"; fi
}

# xs-quiesce-marker-kept: xl migrate --xenstore-state whose receiver
# answers 20 s late (/e2e/xl-local-late): meanwhile a second
# xl save --xenstore-state of the same domain fails, and leaves the first
# one's marker and its suspended, quiesced guest alone; the migration then
# completes and the guest answers on the target.
rec_marker_kept() {
	step rec_marker_kept
	T=xs-quiesce-marker-kept
	old=$(domid $REC)
	migrate $REC /e2e/xl-local-late "$W"/hold.out &
	mpid=$!
	if ! wait_for 120 has_marker "$old"; then
		wait $mpid
		fail $T "no marker on domain $old during the migration: $(xl_out "$W"/hold.out)"
		return 1
	fi
	token=$(marker "$old")
	e2e "INFO $T: marker '$token'"
	why=""
	if timeout 90 xl -vv save --xenstore-state "$old" "$W"/second.img >"$W"/second.out 2>&1; then
		why="the second xl save succeeded"
	elif [ "$(marker "$old")" != "$token" ]; then
		why="the second xl save's failure changed the marker to '$(marker "$old")': $(xl_out "$W"/second.out)"
	else
		s=$(xl list "$old" 2>/dev/null | awk 'NR==2 {print $5}')
		case $s in *s*) ;; *) why="source domain $old state '$s' after the second save (want suspended)";; esac
	fi
	rm -f "$W"/second.img
	[ -z "$why" ] && e2e "INFO $T: second xl save said: $(grep -e "held by another" -e "xenstore" "$W"/second.out | head -n 2 | tr '\n' ' ')"
	wait $mpid
	rc=$?
	[ $rc -eq 0 ] || why="${why:+$why; }xl migrate: rc $rc $(xl_out "$W"/hold.out)"
	xl list 2>/dev/null | grep -q -- "--incoming\|--migratedaway" &&
		why="${why:+$why; }leftover domain: $(xl list | tr '\n' ';')"
	if [ -z "$why" ]; then
		after_move $REC "$old" || why=$WHY
	fi
	[ -z "$why" ] && { alive $REC kept 60 || why="guest does not answer after the migration"; }
	if [ -z "$why" ]; then pass $T; else fail $T "$why"; fi
}

# rec_refused T IMG WHAT...: xl restore of a forged IMG fails, naming the
# refusal (each WHAT must be in its log); no domain left, xenstore unchanged
rec_refused() {
	_t=$1 _img=$2
	shift 2
	xenstore-ls -fp > "$W"/xs.before 2>&1
	if timeout 180 xl -vv restore "$_img" >"$W"/rec.out 2>&1; then
		fail "$_t" "xl restore accepted it"
		timeout 60 xl destroy $REC >/dev/null 2>&1
		rm -f "$_img"
		return 1
	fi
	xenstore-ls -fp > "$W"/xs.after 2>&1
	rm -f "$_img"
	for _w in "$@"; do
		grep -q -F "$_w" "$W"/rec.out ||
			{ fail "$_t" "xl restore failed without '$_w': $(xl_out "$W"/rec.out)"; return 1; }
	done
	e2e "INFO $_t: xl restore said: $(grep -F "$1" "$W"/rec.out | head -n 1)"
	if [ "$(xl list | awk 'NR > 1' | wc -l)" != 1 ]; then
		fail "$_t" "domains left after the refusal: $(xl list | tr '\n' ';') $(xl_out "$W"/rec.out)"
		timeout 60 xl -vvv destroy $REC >"$W"/rec.destroy 2>&1
		e2e "INFO $_t: xl destroy of the leftover: $(xl_out "$W"/rec.destroy)"
		return 1
	fi
	cmp -s "$W"/xs.before "$W"/xs.after ||
		{ fail "$_t" "xenstore changed: $(diff "$W"/xs.before "$W"/xs.after | grep '^[-+]/' | head -n 5 | tr '\n' ';')"; return 1; }
	pass "$_t"
}

# xs-record-domid0-refused, xs-record-reserved-domid-refused,
# xs-record-before-libxc-refused: forge-record rewrites a save file's
# DOMAIN_XENSTORE_DATA header to name domain 0 or DOMID_FIRST_RESERVED, or
# moves the record before LIBXC_CONTEXT.  Control: the file unforged
# restores and the guest answers.
rec_records() {
	step rec_records
	timeout 180 xl -vv save --xenstore-state $REC "$W"/rec.img >"$W"/rec.save.out 2>&1 || {
		for t in domid0 reserved-domid before-libxc; do
			fail xs-record-$t-refused "xl save --xenstore-state: $(xl_out "$W"/rec.save.out)"
		done
		return 1
	}
	if ! { /e2e/forge-record --domid 0 "$W"/rec.img "$W"/rec-d0.img &&
	       /e2e/forge-record --domid 32752 "$W"/rec.img "$W"/rec-res.img &&
	       /e2e/forge-record --before-libxc "$W"/rec.img "$W"/rec-early.img; } 2>"$W"/forge.err; then
		for t in domid0 reserved-domid before-libxc; do
			fail xs-record-$t-refused "cannot forge: $(cat "$W"/forge.err)"
		done
		rm -f "$W"/rec*.img
		return 1
	fi
	rec_refused xs-record-domid0-refused "$W"/rec-d0.img \
		"Domain xenstore record with a bad header (domid 0)"
	rec_refused xs-record-reserved-domid-refused "$W"/rec-res.img \
		"Domain xenstore record with a bad header (domid 32752)"
	rec_refused xs-record-before-libxc-refused "$W"/rec-early.img \
		"Domain xenstore record before the LIBXC_CONTEXT record"
	timeout 180 xl -vv restore "$W"/rec.img >"$W"/rec.out 2>&1 ||
		{ fail xs-record-control "the unforged file does not restore: $(xl_out "$W"/rec.out)"; rm -f "$W"/rec.img; return 1; }
	rm -f "$W"/rec.img
	alive $REC control 30 || fail xs-record-control "restored guest does not answer"
}

# rec_fail_all WHY: every line of the group, failed for one reason
rec_fail_all() {
	for t in xs-quiesce-marker-held-refused xs-quiesce-marker-kept \
		 xs-record-domid0-refused xs-record-reserved-domid-refused \
		 xs-record-before-libxc-refused; do
		fail $t "$1"
	done
}

rec_all() {
	if [ ! -f "$G"/xenstore-migrate ]; then
		rec_fail_all "guest image $G/xenstore-migrate not built"
		return
	fi
	if ! start_xsm $REC; then
		rec_fail_all "$WHY"
		return
	fi
	rec_marker_held
	rec_marker_kept
	if [ -n "$(domid $REC)" ]; then
		rec_records
	else
		for t in domid0 reserved-domid before-libxc; do
			fail xs-record-$t-refused "not run: no domain $REC after xs-quiesce-marker-kept"
		done
	fi
	finish $REC
	for d in $(xl list | awk 'NR > 1 && $1 ~ /^xsm-rec/ {print $1}'); do
		timeout 60 xl destroy "$d" >/dev/null 2>&1
	done
}
