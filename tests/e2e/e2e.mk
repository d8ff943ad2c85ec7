# SPDX-License-Identifier: LGPL-2.1-only
# tests/e2e: real Xen 4.17 + dom0 under QEMU (TCG), running the xtf-tests
# guests in two configurations, one boot each (see docs/e2e.md):
#   stock   Debian's hypervisor and tools as packaged (the XFAIL baseline)
#   plugin  hypervisor, xenstored, libxl and xl built from the same Debian
#           source with CONFIG_SHADOW_PAGING=y and the project's patch
#           series, plus libxsmigrate.so.0
#   twohost two plugin machines at once on one QEMU socket network, xl
#           migrate from one to the other and back
# Included by the top-level Makefile.
#
#   make e2e-dom0   build (or reuse) the plugin dom0 under $(BUILD)/dom0
#   make e2e        build everything it needs, boot, run, print results
#   make check-e2e  same, and write $(BUILD)/check/e2e.counts
#   make e2e-ox     plugin and twohost with oxenstored as (one host's) dom0 daemon
#   make check-e2e-ox  same, and write $(BUILD)/check/e2e-ox.counts
#
# Knobs: E2E_CONFIGS="stock plugin twohost" (order, subset), E2E_SERIES=DIR (the
# patch series the plugin dom0 is built with: DIR/series, default
# libxl-patches), E2E_PROJECT_BUILD=DIR (whose lib/libxsmigrate.so.0 goes
# into dom0, default $(BUILD)), E2E_TIMEOUT (per configuration, s).  Artefacts and the
# serial logs stay in $(BUILD)/e2e/<config>/.

E2E_DIR     := tests/e2e
E2E_OUT     := $(BUILD)/e2e
E2E_DOM0    := $(BUILD)/dom0
E2E_SERIES  ?= libxl-patches
E2E_CONFIGS ?= stock plugin twohost
# The project build whose libxsmigrate.so.0 (and CLI) go into dom0.
E2E_PROJECT_BUILD ?= $(BUILD)
E2E_FORGE   := $(E2E_OUT)/forge-record
E2E_TXNHOLD := $(E2E_OUT)/xs-txn-hold
E2E_GAPWATCH := $(E2E_OUT)/gapwatch
E2E_RUN      = E2E_OUT=$(abspath $(E2E_OUT)) \
               E2E_GUESTS=$(abspath $(XTF_OUT)) \
               E2E_PROJECT_BUILD=$(abspath $(E2E_PROJECT_BUILD)) \
               E2E_DOM0=$(abspath $(E2E_DOM0)) \
               E2E_FORGE=$(abspath $(E2E_FORGE)) \
               E2E_TXNHOLD=$(abspath $(E2E_TXNHOLD)) \
               E2E_GAPWATCH=$(abspath $(E2E_GAPWATCH)) \
               E2E_CONFIGS="$(E2E_CONFIGS)" \
               $(if $(E2E_TIMEOUT),E2E_TIMEOUT=$(E2E_TIMEOUT)) \
               $(if $(E2E_ONLY),E2E_ONLY=$(E2E_ONLY)) \
               $(E2E_DIR)/run-e2e.sh

# The plugin (and twohost) configuration's inputs; stock needs none of them.
E2E_PLUGIN_DEPS := $(if $(filter plugin twohost,$(E2E_CONFIGS)),e2e-dom0 $(XSM_SHLIB) $(E2E_FORGE) $(E2E_TXNHOLD) $(E2E_GAPWATCH))

# build-dom0 decides itself whether its inputs changed (a key over config,
# series and patches), so it is always asked.  A build that fails leaves no
# output: the plugin run then reports e2e-setup as FAIL, and stock still runs.
.PHONY: e2e-dom0
e2e-dom0: $(if $(wildcard $(XEN_SRC)/xen/Makefile),,$(XENSIM_FETCHED))
	-XEN_SRC=$(XEN_SRC) scripts/build-dom0 xen $(E2E_DOM0)
	-XEN_SRC=$(XEN_SRC) E2E_SERIES=$(abspath $(E2E_SERIES)) \
		scripts/build-dom0 tools $(E2E_DOM0)

# oxenstored from the same source and series (its own key: a change of the
# C daemon's inputs alone rebuilds it too, as the series is one input).
.PHONY: e2e-dom0-ox
e2e-dom0-ox: $(if $(wildcard $(XEN_SRC)/xen/Makefile),,$(XENSIM_FETCHED))
	XEN_SRC=$(XEN_SRC) E2E_SERIES=$(abspath $(E2E_SERIES)) \
		scripts/build-dom0 oxenstored $(E2E_DOM0)

# Runs in the e2e dom0 (busybox only): static.
$(E2E_FORGE): $(E2E_DIR)/forge-record.c
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -Wextra -o $@ $<

# Runs in the Linux guest (make bench-e2e): static, no libraries to copy.
$(E2E_GAPWATCH): $(E2E_DIR)/gapwatch.c
	@mkdir -p $(@D)
	$(CC) -static -O2 -Wall -Wextra -o $@ $<

# Runs in the Linux guest, on the system's libxenstore (libxen-dev), whose
# libraries mklinuxguest.sh copies in with it.
$(E2E_TXNHOLD): $(E2E_DIR)/xs-txn-hold.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -o $@ $< -lxenstore

.PHONY: e2e check-e2e
e2e: xtf-tests $(E2E_PLUGIN_DEPS)
	$(E2E_RUN)

check-e2e: xtf-tests $(E2E_PLUGIN_DEPS)
	@mkdir -p $(BUILD)/check
	E2E_COUNTS=$(abspath $(BUILD))/check/e2e.counts $(E2E_RUN)

CHECK_TARGETS += check-e2e

# oxenstored as dom0's xenstored (scripts/build-dom0 oxenstored,
# docs/oxenstored.md), in its own output directory: the plugin machine
# (its lines are named ox-<name>), then twohost with oxenstored on b only
# (twohost-c-to-ox, twohost-ox-to-c...); E2E_ONLY as for e2e.
E2E_OX_OUT := $(BUILD)/e2e-ox
E2E_OX_DEPS := xtf-tests e2e-dom0 e2e-dom0-ox $(XSM_SHLIB) $(E2E_FORGE) $(E2E_TXNHOLD) $(E2E_GAPWATCH)
.PHONY: e2e-ox check-e2e-ox
e2e-ox check-e2e-ox: E2E_OUT = $(E2E_OX_OUT)
e2e-ox check-e2e-ox: E2E_CONFIGS = plugin twohost
e2e-ox: $(E2E_OX_DEPS)
	E2E_XENSTORED=oxenstored $(E2E_RUN)

check-e2e-ox: $(E2E_OX_DEPS)
	@mkdir -p $(BUILD)/check
	E2E_COUNTS=$(abspath $(BUILD))/check/e2e-ox.counts E2E_XENSTORED=oxenstored $(E2E_RUN)

# Debian starts oxenstored by default: make check moves guests with it too.
CHECK_TARGETS += check-e2e-ox

# The downtime benchmark (docs/benchmarks.md): the plugin machine of the
# e2e, its bench group only (never part of a whole run), in its own output
# directory; prints the BENCH lines of the dom0 scenario.  Pairs of moves:
# E2E_BENCH_PAIRS (default 5); E2E_DOM0_ALT=DIR (environment) also
# measures the flag with the libxl of another build-dom0 tools output.
BENCH_E2E_OUT := $(BUILD)/bench-e2e
.PHONY: bench-e2e
bench-e2e: E2E_OUT = $(BENCH_E2E_OUT)
bench-e2e: E2E_CONFIGS = plugin
bench-e2e: E2E_ONLY = bench
bench-e2e: xtf-tests e2e-dom0 $(XSM_SHLIB) $(E2E_FORGE) $(E2E_TXNHOLD) $(E2E_GAPWATCH)
	-$(if $(E2E_BENCH_PAIRS),E2E_BENCH_PAIRS=$(E2E_BENCH_PAIRS)) $(E2E_RUN) > $(BENCH_E2E_OUT).log 2>&1
	@l=$(BENCH_E2E_OUT)/plugin/e2e-lines.txt; \
	grep -a '^BENCH ' $$l | sed 's/^BENCH //'; \
	grep -aq '^BENCH downtime' $$l && ! grep -aq '^BENCH error' $$l || \
		{ echo "bench-e2e: no result; see $(BENCH_E2E_OUT).log and $(BENCH_E2E_OUT)/plugin/serial.log" >&2; exit 1; }
