#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# Runs in dom0.  Starts the Xen daemons and runs the checks; one line per
# check: "E2E: PASS name" / "E2E: FAIL name: why" / "E2E: XFAIL name: facts"
# / "E2E: SKIP name: why".  The checks after the smoke test depend on the
# configuration (/e2e/config): scenario-stock.sh or scenario-plugin.sh.
e2e() { echo "E2E: $*"; }
# e2e.xenstored=ox (E2E_XENSTORED=oxenstored): oxenstored is dom0's
# xenstored, as Debian starts it, and every line is named ox-<name>.
XS_DAEMON=$(sed -n 's/.*e2e\.xenstored=\([a-z]*\).*/\1/p' /proc/cmdline)
pfx=${XS_DAEMON:+$XS_DAEMON-}
pass() { e2e "PASS $pfx$1"; }
fail() { n=$1; shift; e2e "FAIL $pfx$n: $*"; }

# --- daemons -------------------------------------------------------------
if [ "$XS_DAEMON" = ox ]; then
	/usr/lib/xen-4.17/bin/oxenstored --pid-file /run/xenstored.pid >/tmp/xenstored.out 2>&1
else
	xenstored --pid-file=/run/xenstored.pid >/tmp/xenstored.out 2>&1
fi
ok=0
for i in $(seq 1 50); do
	xenstore-read / >/dev/null 2>&1 && { ok=1; break; }
	sleep 0.2
done
if [ $ok = 1 ]; then pass xenstored-start; else
	fail xenstored-start "xenstored not answering: $(cat /tmp/xenstored.out)"; exit 1; fi
timeout 30 xen-init-dom0 >/tmp/init-dom0.out 2>&1 || e2e "INFO xen-init-dom0: $(cat /tmp/init-dom0.out)"
xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console \
	>/tmp/xenconsoled.out 2>&1 ||
	fail xenconsoled-start "$(cat /tmp/xenconsoled.out)"

if timeout 60 xl info >/tmp/xlinfo 2>&1; then
	pass xl-info
	grep -E '^(xen_version|nr_cpus|free_memory)' /tmp/xlinfo | sed 's/^/E2E: INFO /'
else
	fail xl-info "$(tail -n 3 /tmp/xlinfo | tr '\n' ' ')"
fi

[ -d /xsm ] && e2e "INFO project build in dom0: $(cd /xsm && find . -type f -o -type l | tr '\n' ' ')"

# --- helpers -------------------------------------------------------------
G=/e2e/guests
# step, now, domid, xl_out, wait_for, xmigrate, xsave, after_move,
# leak_inventory
. /e2e/e2e-lib.sh

# osstest-leak-check's basis (plugin): before the first guest.
LEAK_BASIS=/run/e2e/leak.basis
mkdir -p /run/e2e
leak_inventory > $LEAK_BASIS.new && mv $LEAK_BASIS.new $LEAK_BASIS

# dom_state NAME: xl's state letters (r b p s c d), empty if gone
# xl list's last column is Time; the state is the 5th field.
dom_state() { xl list "$1" 2>/dev/null | awk 'NR==2 {print $5}' | tr -d '-' ; }

# wait_shutdown NAME SECONDS: until the domain is shut down/crashed/gone
wait_shutdown() {
	n=0
	while [ $n -lt $(($2 * 2)) ]; do
		s=$(dom_state "$1")
		case $s in ""|*s*|*c*) return 0;; esac
		sleep 0.5; n=$((n + 1))
	done
	return 1
}

# wait_value PATH VALUE SECONDS
wait_value() {
	n=0
	while [ $n -lt $(($3 * 2)) ]; do
		[ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.5; n=$((n + 1))
	done
	return 1
}

guest_cfg() { # NAME KERNEL
	cat > /tmp/$1.cfg <<CFG
name = "$1"
type = "pv"
kernel = "$2"
memory = 8
vcpus = 1
on_poweroff = "preserve"
on_crash = "preserve"
on_reboot = "preserve"
CFG
}

console_tail() { # NAME
	f=/var/log/xen/console/guest-$1.log
	[ -f "$f" ] && tail -n 5 "$f" | tr -d '\r' | tr '\n' '|'
}

guest_log() { # NAME: the guest's console, into the serial log for the record
	f=/var/log/xen/console/guest-$1.log
	[ -f "$f" ] && tr -d '\r' < "$f" | sed "s/^/GUEST $1: /"
}

# report_checks PREFIX DOMID: one result line per data/check/<name> node
report_checks() {
	found=0
	for c in $(xenstore-list /local/domain/$2/data/check 2>/dev/null); do
		v=$(xenstore-read /local/domain/$2/data/check/$c)
		found=1
		case $v in
		PASS) pass "$1-$c";;
		*) fail "$1-$c" "${v#FAIL: }";;
		esac
	done
	[ $found = 1 ]
}

# --- xenstore-smoke ------------------------------------------------------
if [ -f $G/xenstore-smoke ]; then
	guest_cfg xsm-smoke $G/xenstore-smoke
	if timeout 120 xl create /tmp/xsm-smoke.cfg >/tmp/smoke.create 2>&1; then
		pass smoke-create
		id=$(xl domid xsm-smoke)
		wait_shutdown xsm-smoke 120 || fail smoke-finish "guest still running after 120s (state $(dom_state xsm-smoke))"
		res=$(xenstore-read /local/domain/$id/data/xtf/result 2>/dev/null)
		report_checks smoke $id ||
			fail smoke-checks "no data/check nodes (state '$(dom_state xsm-smoke)', console: $(console_tail xsm-smoke))"
		if [ "$res" = SUCCESS ]; then pass smoke-verdict; else
			fail smoke-verdict "result '${res:-none}' state '$(dom_state xsm-smoke)' console: $(console_tail xsm-smoke)"; fi
		tr -d '\r' < /var/log/xen/console/guest-xsm-smoke.log 2>/dev/null | sed 's/^/GUEST xsm-smoke: /'
		timeout 60 xl destroy xsm-smoke >/dev/null 2>&1
	else
		fail smoke-create "$(tail -n 5 /tmp/smoke.create | tr '\n' ' ')"
	fi
else
	fail smoke-create "guest image $G/xenstore-smoke not built"
fi

# --- the configuration's own checks -----------------------------------------
config=$(cat /e2e/config 2>/dev/null)
e2e "INFO configuration: ${config:-unknown}"
case $config in
stock|plugin|twohost) . /e2e/scenario-$config.sh;;
*) fail e2e-config "unknown configuration '$config'";;
esac
