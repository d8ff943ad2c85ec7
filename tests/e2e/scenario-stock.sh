# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The stock configuration's checks: the XFAIL baseline of what Debian's xl save/restore loses.
#
# Sourced by scenario.sh (after e2e-lib.sh) in the stock configuration:
# Debian's hypervisor and tools exactly as packaged.
# shellcheck source-path=SCRIPTDIR
# --- xenstore-migrate: baseline of what xl save/restore loses --------------

# What stock 4.17 tools are known to lose (the baseline): per check, a
# pattern the guest's observed facts must contain for an XFAIL.  Any other
# failure is a real FAIL; a pass is an XPASS (counted as a failure so that
# somebody updates this table).
baseline_facts() {
	case $1 in
	txn-eagain) echo "returned ENOENT";;   # xenstored forgot the transaction
	nodes)      echo "data/mig/a=<ENOENT>";; # the guest's nodes are gone
	perms)      echo "data/mig/b: ENOENT";;  # ... and so are their permissions
	watch)      echo "no watch event";;      # the watch died with the old domain
	*)          echo "@never@";;
	esac
}

# mig_result NAME CHECK VALUE: XFAIL (facts) / XPASS / FAIL against the
# stock baseline.
mig_result() {
	want=$(baseline_facts "$2")
	case $3 in
	PASS) e2e "XPASS $1-$2: passed with stock tools; update the baseline (baseline_facts)";;
	*"$want"*) e2e "XFAIL $1-$2: ${3#FAIL: }";;
	*) fail "$1-$2" "unexpected failure (baseline is '$want'): ${3#FAIL: }";;
	esac
}

# mig_run NAME MODE: one xenstore-migrate guest through MODE
#   save:    xl save + xl restore
#   migrate: xl migrate over a local pipe (-s '' runs "xl migrate-receive"
#            instead of ssh), i.e. a live localhost migration
mig_run() {
	T=$1 MODE=$2 N=xsm-$1
	guest_cfg "$N" pv "$G/xenstore-migrate" 8 > "/tmp/$N.cfg"
	create "$N" "/tmp/$N.cfg" "/tmp/$T.out" || { fail "$T-create" "$WHY"; return; }
	id1=$ID
	wait_value "/local/domain/$id1/data/state" ready-for-save 90 ||
		{ fail "$T-ready" "guest never wrote data/state=ready-for-save (state '$(dom_state "$N")', console: $(console_tail "$N"))"; return; }
	pass "$T-ready"
	e2e "INFO $T: before: $(xenstore-ls -p "/local/domain/$id1/data/mig" 2>&1 | sed 's/ [. ]*(/ (/' | tr '\n' ';')"

	if [ "$MODE" = save ]; then
		rm -f "/tmp/$N.save"
		if timeout 180 xl save "$N" "/tmp/$N.save" >"/tmp/$T.save.out" 2>&1; then
			pass "$T-save"
		else
			fail "$T-save" "rc $? $(tail -n 5 "/tmp/$T.save.out" | tr '\n' ' ')"; return
		fi
		e2e "INFO $T: image $(wc -c < "/tmp/$N.save") bytes; old domain's xenstore home after save: $(xenstore-ls "/local/domain/$id1" >/dev/null 2>&1 && echo present || echo gone)"
		if timeout 180 xl restore "/tmp/$N.save" >"/tmp/$T.restore.out" 2>&1; then
			pass "$T-restore"
		else
			fail "$T-restore" "rc $? $(tail -n 5 "/tmp/$T.restore.out" | tr '\n' ' ')"; return
		fi
		rm -f "/tmp/$N.save"
	else
		if timeout 240 xl -vv migrate -s '' "$N" "xl -vv migrate-receive" >"/tmp/$T.mig.out" 2>&1; then
			pass "$T-localhost"
		elif grep -q 'Failed to enable logdirty: 95' "/tmp/$T.mig.out"; then
			# EOPNOTSUPP: PV log-dirty needs shadow paging, which
			# Debian's Xen is built without (CONFIG_SHADOW_PAGING).
			e2e "SKIP $T-localhost: live migration unsupported by this Xen: $(grep -m1 'logdirty' "/tmp/$T.mig.out")"
			return
		else
			fail "$T-localhost" "rc $? $(grep -E 'error|fail' "/tmp/$T.mig.out" | tail -n 4 | tr '\n' ' ')"
			sed "s/^/XL $T: /" "/tmp/$T.mig.out"; return
		fi
	fi
	id2=$(domid "$N")
	e2e "INFO $T: domid $id1 -> $id2"
	wait_value "/local/domain/$id2/data/state" resumed 90 ||
		{ fail "$T-resumed" "restored guest never wrote data/state=resumed (state '$(dom_state "$N")', console: $(console_tail "$N"))"; return; }
	pass "$T-resumed"
	e2e "INFO $T: after: $(xenstore-ls -p "/local/domain/$id2/data" 2>&1 | sed 's/ [. ]*(/ (/' | tr '\n' ';')"

	xenstore-write "/local/domain/$id2/data/go" 1
	if wait_value "/local/domain/$id2/data/state" want-change 90; then
		xenstore-write "/local/domain/$id2/data/mig/watched" dom0-change
	else
		fail "$T-want-change" "guest did not ask for the watched change (state '$(xenstore-read "/local/domain/$id2/data/state" 2>&1)')"
	fi
	wait_shutdown "$N" 120 || fail "$T-finish" "guest still running 120s after go"

	checks=$(results "$id2")
	if [ -n "$checks" ]; then
		echo "$checks" | while read -r c v; do mig_result "$T" "$c" "$v"; done
	else
		fail "$T-checks" "no results from the restored guest (console: $(console_tail "$N"))"
	fi
	e2e "INFO $T: guest verdict: $(xenstore-read "/local/domain/$id2/data/xtf/result" 2>&1)"
}

if [ -f "$G/xenstore-migrate" ]; then
	mig_run mig-save save
	finish xsm-mig-save
	mig_run mig-local migrate
	finish xsm-mig-local
else
	fail mig-save-create "guest image $G/xenstore-migrate not built"
fi

# --- xenstore-noncoop (PVH): the non-cooperative guest, stock tools ---------
# Round 1 without a move (nc-nomove: all six checks must pass, which shows
# that they can), then round 2 across stock xl save + xl restore.
# shellcheck source=nc-lib.sh
. /e2e/nc-lib.sh

# The known loss (the baseline): stock libxl 4.17 cannot suspend this
# guest at all.  domain_suspend_callback_common() takes the
# xc_domain_shutdown(SHUTDOWN_suspend) branch only for type HVM without PV
# drivers; a PVH guest is asked through control/shutdown, which a guest
# without a suspend handler never answers, and xl save gives up.  Each
# nc-save-<check> is an XFAIL when xl save failed that way; if stock ever
# saves the guest, a check that passes is an XPASS and one that fails a
# FAIL: either way the baseline needs updating.
NC_STOCK_LOSS="did not respond to suspend request"

nc_stock() {
	N=xsm-nc start=$(date +%s)
	nc_cfg "$N" > "/tmp/$N.cfg"
	create "$N" "/tmp/$N.cfg" /tmp/nc.create || { fail nc-create "$WHY"; return; }
	nc_wait_ready "$N" 1 60 ||
		{ fail nc-ready "no ready-1 within 60s (state '$NC_STATE', domain state '$(dom_state "$N")', console: $(console_tail "$N"))"; return; }
	id1=$(domid "$N")

	# Round 1: no move.
	nc_premove "$id1"
	nc_postmove "$id1" 1 60 || e2e "INFO nc-nomove: no checked-1 within 60s (state '$NC_STATE')"
	nc_results "$N" "$id1" 1 > /tmp/nc.nomove
	if grep -qv ' PASS$' /tmp/nc.nomove; then
		fail nc-nomove "$(grep -v ' PASS$' /tmp/nc.nomove | tr '\n' ';')"
	else
		pass nc-nomove
	fi
	e2e "INFO nc-nomove: create + round 1 took $(( $(date +%s) - start ))s"

	# Round 2: stock xl save + xl restore.
	nc_wait_ready "$N" 2 60 ||
		{ fail nc-save-ready "no ready-2 within 60s (state '$NC_STATE', console: $(console_tail "$N"))"; return; }
	nc_premove "$id1"
	rm -f "/tmp/$N.save"
	t0=$(date +%s)
	timeout 120 xl -vvv save "$N" "/tmp/$N.save" >/tmp/nc.save.out 2>&1
	rc=$? t=$(( $(date +%s) - t0 ))
	if [ $rc -eq 0 ]; then
		timeout 120 xl restore "/tmp/$N.save" >/tmp/nc.restore.out 2>&1 ||
			{ fail nc-save-restore "rc $? $(tail -n 5 /tmp/nc.restore.out | tr '\n' ' ')"; return; }
		rm -f "/tmp/$N.save"
		id2=$(domid "$N")
		e2e "INFO nc-save: domid $id1 -> $id2"
		nc_postmove "$id2" 2 60 || e2e "INFO nc-save: no checked-2 within 60s (state '$NC_STATE')"
		nc_results "$N" "$id2" 2 | while read -r c v; do
			case $v in
			PASS) e2e "XPASS nc-save-$c: passed with stock tools; update the baseline (NC_STOCK_LOSS)";;
			*) fail "nc-save-$c" "stock xl save worked, unlike the baseline ('$NC_STOCK_LOSS'); the guest says: ${v#FAIL: }";;
			esac
		done
		return
	fi
	if ! grep -q "$NC_STOCK_LOSS" /tmp/nc.save.out; then
		fail nc-save-save "rc $rc after ${t}s, not the baseline ('$NC_STOCK_LOSS'): $(grep -E 'error|fail' /tmp/nc.save.out | tail -n 4 | tr '\n' ' ')"
		return
	fi
	how=$(grep -m1 -o 'issuing [^ ]* suspend request via [A-Za-z ]*' /tmp/nc.save.out)
	why=$(grep -m1 "$NC_STOCK_LOSS" /tmp/nc.save.out | sed 's/.*error: //')
	facts="not moved: stock xl save failed (rc $rc after ${t}s): libxl: '${how:-?}', then '$why'; domain $id1 still there, state '$(dom_state "$N")'"
	for c in $NC_CHECKS; do
		e2e "XFAIL nc-save-$c: $facts"
	done
	# The guest was never suspended: its round 2 must still complete.
	if nc_postmove "$id1" 2 60; then
		e2e "INFO nc-save: after the failed save, round 2 in place: $(nc_results "$N" "$id1" 2 | tr '\n' ';') ($(( $(date +%s) - start ))s in all)"
	else
		fail nc-save-guest-intact "no checked-2 within 60s after the failed save (state '$NC_STATE', console: $(console_tail "$N"))"
	fi
}

if [ -f "$NC_GUEST" ]; then
	nc_stock
	# It waits by halting between APIC ticks: little CPU, even in nested TCG.
	e2e "INFO nc: guest CPU time $(xl list xsm-nc 2>/dev/null | awk 'NR==2 {print $6}')s since it was created"
	finish xsm-nc
else
	fail nc-create "guest image $NC_GUEST not built"
fi
