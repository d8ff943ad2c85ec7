#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# dom0's e2e scenario: the Xen daemons, the smoke guest, then the configuration's checks.
#
# One line per check: "E2E: PASS name" / "E2E: FAIL name: why" /
# "E2E: XFAIL name: facts" / "E2E: SKIP name: why".  The checks after the
# smoke test depend on the configuration (/e2e/config):
# scenario-stock.sh, scenario-plugin.sh or scenario-twohost.sh.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=e2e-lib.sh
. /e2e/e2e-lib.sh
G=/e2e/guests
E2E_GROUPS=$(sed -n 's/.*e2e\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
# e2e.xenstored=ox (E2E_XENSTORED=oxenstored): oxenstored is dom0's
# xenstored, as Debian starts it, and every PASS/FAIL line is named
# ox-<name> (E2E_PFX, e2e-lib.sh's pass and fail).
XS_DAEMON=$(sed -n 's/.*e2e\.xenstored=\([a-z]*\).*/\1/p' /proc/cmdline)
E2E_PFX=${XS_DAEMON:+$XS_DAEMON-}

# --- daemons -------------------------------------------------------------
if [ "$XS_DAEMON" = ox ]; then
	/usr/lib/xen-4.17/bin/oxenstored --pid-file /run/xenstored.pid >/tmp/xenstored.out 2>&1
else
	xenstored --pid-file=/run/xenstored.pid >/tmp/xenstored.out 2>&1
fi
if poll 50 0.2 xenstore-read / >/dev/null 2>&1; then pass xenstored-start; else
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

# osstest-leak-check's basis (plugin): before the first guest.
LEAK_BASIS=/run/e2e/leak.basis
mkdir -p /run/e2e
leak_inventory > $LEAK_BASIS.new && mv $LEAK_BASIS.new $LEAK_BASIS

# --- xenstore-smoke ------------------------------------------------------
# Its config and xl log stay in /tmp (osstest-leak-check knows them).
smoke() {
	guest_cfg xsm-smoke pv "$G/xenstore-smoke" 8 > /tmp/xsm-smoke.cfg
	create xsm-smoke /tmp/xsm-smoke.cfg /tmp/smoke.create || { fail smoke-create "$WHY"; return; }
	pass smoke-create
	wait_shutdown xsm-smoke 120 || fail smoke-finish "guest still running after 120s (state $(dom_state xsm-smoke))"
	res=$(xenstore-read "/local/domain/$ID/data/xtf/result" 2>/dev/null)
	checks=$(results "$ID")
	if [ -n "$checks" ]; then
		echo "$checks" | report smoke
	else
		fail smoke-checks "no data/check nodes (state '$(dom_state xsm-smoke)', console: $(console_tail xsm-smoke))"
	fi
	if [ "$res" = SUCCESS ]; then pass smoke-verdict; else
		fail smoke-verdict "result '${res:-none}' state '$(dom_state xsm-smoke)' console: $(console_tail xsm-smoke)"; fi
}

if [ -f $G/xenstore-smoke ]; then
	smoke
	finish xsm-smoke
else
	fail smoke-create "guest image $G/xenstore-smoke not built"
fi

# --- the configuration's own checks -----------------------------------------
config=$(cat /e2e/config 2>/dev/null)
e2e "INFO configuration: ${config:-unknown}"
case $config in
stock)
	# shellcheck source=scenario-stock.sh
	. /e2e/scenario-stock.sh;;
plugin)
	# shellcheck source=scenario-plugin.sh
	. /e2e/scenario-plugin.sh;;
twohost)
	# shellcheck source=scenario-twohost.sh
	. /e2e/scenario-twohost.sh;;
*) fail e2e-config "unknown configuration '$config'";;
esac
