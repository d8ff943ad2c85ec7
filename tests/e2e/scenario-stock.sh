# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# Sourced by scenario.sh in the stock configuration (Debian's hypervisor and
# tools exactly as packaged).
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
	guest_cfg $N $G/xenstore-migrate
	timeout 120 xl create /tmp/$N.cfg >/tmp/$T.out 2>&1 ||
		{ fail $T-create "$(tail -n 5 /tmp/$T.out | tr '\n' ' ')"; return; }
	id1=$(xl domid $N)
	wait_value /local/domain/$id1/data/state ready-for-save 90 ||
		{ fail $T-ready "guest never wrote data/state=ready-for-save (state '$(dom_state $N)', console: $(console_tail $N))"; return; }
	pass $T-ready
	e2e "INFO $T: before: $(xenstore-ls -p /local/domain/$id1/data/mig 2>&1 | sed 's/ [. ]*(/ (/' | tr '\n' ';')"

	if [ $MODE = save ]; then
		rm -f /tmp/$N.save
		if timeout 180 xl save $N /tmp/$N.save >/tmp/$T.save.out 2>&1; then
			pass $T-save
		else
			fail $T-save "rc $? $(tail -n 5 /tmp/$T.save.out | tr '\n' ' ')"; return
		fi
		e2e "INFO $T: image $(wc -c < /tmp/$N.save) bytes; old domain's xenstore home after save: $(xenstore-ls /local/domain/$id1 >/dev/null 2>&1 && echo present || echo gone)"
		if timeout 180 xl restore /tmp/$N.save >/tmp/$T.restore.out 2>&1; then
			pass $T-restore
		else
			fail $T-restore "rc $? $(tail -n 5 /tmp/$T.restore.out | tr '\n' ' ')"; return
		fi
		rm -f /tmp/$N.save
	else
		if timeout 240 xl -vv migrate -s '' $N "xl -vv migrate-receive" >/tmp/$T.mig.out 2>&1; then
			pass $T-localhost
		elif grep -q 'Failed to enable logdirty: 95' /tmp/$T.mig.out; then
			# EOPNOTSUPP: PV log-dirty needs shadow paging, which
			# Debian's Xen is built without (CONFIG_SHADOW_PAGING).
			e2e "SKIP $T-localhost: live migration unsupported by this Xen: $(grep -m1 'logdirty' /tmp/$T.mig.out)"
			return
		else
			fail $T-localhost "rc $? $(grep -E 'error|fail' /tmp/$T.mig.out | tail -n 4 | tr '\n' ' ')"
			sed "s/^/XL $T: /" /tmp/$T.mig.out; return
		fi
	fi
	id2=$(xl domid $N)
	e2e "INFO $T: domid $id1 -> $id2"
	wait_value /local/domain/$id2/data/state resumed 90 ||
		{ fail $T-resumed "restored guest never wrote data/state=resumed (state '$(dom_state $N)', console: $(console_tail $N))"; return; }
	pass $T-resumed
	e2e "INFO $T: after: $(xenstore-ls -p /local/domain/$id2/data 2>&1 | sed 's/ [. ]*(/ (/' | tr '\n' ';')"

	xenstore-write /local/domain/$id2/data/go 1
	if wait_value /local/domain/$id2/data/state want-change 90; then
		xenstore-write /local/domain/$id2/data/mig/watched dom0-change
	else
		fail $T-want-change "guest did not ask for the watched change (state '$(xenstore-read /local/domain/$id2/data/state 2>&1)')"
	fi
	wait_shutdown $N 120 || fail $T-finish "guest still running 120s after go"

	found=0
	for c in $(xenstore-list /local/domain/$id2/data/check 2>/dev/null); do
		found=1
		mig_result $T "$c" "$(xenstore-read /local/domain/$id2/data/check/$c)"
	done
	[ $found = 1 ] || fail $T-checks "no results from the restored guest (console: $(console_tail $N))"
	e2e "INFO $T: guest verdict: $(xenstore-read /local/domain/$id2/data/xtf/result 2>&1)"
}

if [ -f $G/xenstore-migrate ]; then
	for m in "mig-save save" "mig-local migrate"; do
		set -- $m
		mig_run $1 $2
		guest_log xsm-$1
		timeout 60 xl destroy xsm-$1 >/dev/null 2>&1
	done
else
	fail mig-save-create "guest image $G/xenstore-migrate not built"
fi

# --- xenstore-noncoop (PVH): the non-cooperative guest, stock tools ---------
# Round 1 without a move (nc-nomove: all six checks must pass, which shows
# that they can), then round 2 across xl save + xl restore.  Stock libxl
# suspends a PVH guest without PV drivers with xc_domain_shutdown: the
# non-cooperative path as stock has it.
. /e2e/nc-lib.sh

# What stock 4.17 tools are known to lose across save/restore of this
# guest: per check, a pattern its observed facts must contain (XFAIL).
# Anything else failing is a FAIL, a pass an XPASS (update the table).
nc_stock_facts() {
	case $1 in
	txn-eagain)      echo "returned ENOENT, not EAGAIN";;       # the transaction is gone
	nodes)           echo "data/nc/n1=<ENOENT>";;               # the guest's nodes are gone
	perms)           echo "data/nc/n1: ENOENT";;                # ... and their permissions
	watch)           echo "no watch event after the ring page was rewritten";;
	partial-request) echo "the ring page was rewritten under the guest";; # libxc zeroed it
	domid-port)      echo "domid ";;                            # a new domid
	*)               echo "@never@";;
	esac
}

nc_stock_result() { # NAME CHECK VALUE
	want=$(nc_stock_facts "$2")
	case $3 in
	PASS) e2e "XPASS $1-$2: passed with stock tools; update the baseline (nc_stock_facts)";;
	*"$want"*) e2e "XFAIL $1-$2: ${3#FAIL: }";;
	*) fail "$1-$2" "unexpected failure (baseline is '$want'): ${3#FAIL: }";;
	esac
}

nc_stock() {
	N=xsm-nc
	nc_cfg $N
	timeout 60 xl create /tmp/$N.cfg >/tmp/nc.create 2>&1 ||
		{ fail nc-create "$(tail -n 5 /tmp/nc.create | tr '\n' ' ')"; return; }
	nc_wait_ready $N 1 60 ||
		{ fail nc-ready "no ready-1 within 60s (state '$NC_STATE', domain state '$(dom_state $N)', console: $(console_tail $N))"; return; }
	id1=$(xl domid $N)

	# Round 1: no move.
	nc_premove $id1
	nc_postmove $id1 1 60 || fail nc-nomove-checked "no checked-1 within 60s (state '$NC_STATE')"
	nc_results $N $id1 1 > /tmp/nc.nomove
	if grep -qv ' PASS$' /tmp/nc.nomove; then
		fail nc-nomove "$(grep -v ' PASS$' /tmp/nc.nomove | tr '\n' ';')"
	else
		pass nc-nomove
	fi

	# Round 2: stock xl save + xl restore.
	nc_wait_ready $N 2 60 ||
		{ fail nc-save-ready "no ready-2 within 60s (state '$NC_STATE', console: $(console_tail $N))"; return; }
	nc_premove $id1
	rm -f /tmp/$N.save
	timeout 120 xl save $N /tmp/$N.save >/tmp/nc.save.out 2>&1 ||
		{ fail nc-save-save "rc $? $(tail -n 5 /tmp/nc.save.out | tr '\n' ' ')"; return; }
	timeout 120 xl restore /tmp/$N.save >/tmp/nc.restore.out 2>&1 ||
		{ fail nc-save-restore "rc $? $(tail -n 5 /tmp/nc.restore.out | tr '\n' ' ')"; return; }
	rm -f /tmp/$N.save
	id2=$(xl domid $N)
	e2e "INFO nc-save: domid $id1 -> $id2"
	nc_postmove $id2 2 60 ||
		e2e "INFO nc-save: no checked-2 within 60s (state '$NC_STATE')"
	nc_results $N $id2 2 | while read -r c v; do
		nc_stock_result nc-save "$c" "$v"
	done
}

if [ -f "$NC_GUEST" ]; then
	nc_stock
	guest_log xsm-nc
	timeout 60 xl destroy xsm-nc >/dev/null 2>&1
else
	fail nc-create "guest image $NC_GUEST not built"
fi
