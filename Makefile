# SPDX-License-Identifier: LGPL-2.1-only
# xsmigrate: top-level, non-recursive Makefile.
#
# ./configure writes config.mk; everything is built under $(BUILD).
# `make` (all) builds what a distribution ships: the library, the command,
# the pkg-config file (the man pages are sources).  Test harnesses, guests,
# the simulated host and the Xen source they need belong to `make check`
# and `make demo`; no rule here runs sudo or apt or writes outside $(BUILD)
# (scripts/setup installs packages and fetches the Xen source).
# Test suites register themselves in CHECK_TARGETS; `make check` runs every
# one of them, even after a failure, and ends with one summary line.

-include config.mk

BUILD     ?= build
XSM_CACHE ?= $(abspath $(BUILD))/cache
XEN_SRC   ?= $(XSM_CACHE)/xen-src/src
export XSM_CACHE

.DEFAULT_GOAL := all

ALL_TARGETS   :=
CHECK_TARGETS :=

ifeq ($(filter clean distclean,$(MAKECMDGOALS))$(wildcard config.mk),)
$(error run ./configure first (or scripts/setup, which installs what configure needs))
endif

include lib/lib.mk
include tools/xsmigrate/xsmigrate.mk

# Anything a test makefile adds to ALL_TARGETS stays out of `all`.
DIST_TARGETS := $(ALL_TARGETS)

ifeq ($(ENABLE_TESTS),yes)
include tests/unit/unit.mk
include fuzz/fuzz.mk
-include tests/xensim/xensim.mk
include tests/integration/integration.mk
include tests/install/install.mk
include tests/faults/faults.mk
include tests/deb/deb.mk
include tests/licence/licence.mk
include tests/shellcheck/shellcheck.mk
-include tests/e2e/e2e.mk
-include xtf-tests/xtf.mk
endif
ifeq ($(ENABLE_BENCH),yes)
include bench/bench.mk
endif

.PHONY: all
all: $(DIST_TARGETS)

# Every suite writes $(BUILD)/check/<suite>.counts ("<passed> <failed>");
# a suite that breaks before writing it counts as one failure.
.PHONY: check
ifneq ($(ENABLE_TESTS),yes)
check demo:
	@echo "$@: the tests were disabled by ./configure --disable-tests" >&2; exit 1
else
# The suites whose builds are plain compiles (the unit tests, again under
# ASan+UBSan and with --coverage, the fuzzers) build them with a job per
# CPU: make check runs the README's way, without -j, and on two cores
# these builds are minutes of it.  The others run one step at a time
# (e2e's builds share build/dom0).
CHECK_PARALLEL := check-unit check-sanitize check-coverage check-fuzz
CHECK_JOBS     ?= $(shell nproc 2>/dev/null || echo 1)
check:
	@rm -rf $(BUILD)/check && mkdir -p $(BUILD)/check
	@for t in $(CHECK_TARGETS); do \
		echo "=== $$t"; \
		case " $(CHECK_PARALLEL) " in *" $$t "*) j=-j$(CHECK_JOBS);; *) j=;; esac; \
		$(MAKE) --no-print-directory $$j $$t || echo "$$t" >> $(BUILD)/check/broken; \
	done
	@scripts/check-summary $(BUILD)/check $(CHECK_TARGETS)
endif

.PHONY: clean
clean:
	rm -rf $(BUILD)/obj $(BUILD)/lib $(BUILD)/bin $(BUILD)/tests $(BUILD)/check \
		$(BUILD)/deb $(BUILD)/install-check $(BUILD)/install-check.log

.PHONY: distclean
distclean:
	rm -rf $(BUILD) config.mk config.log config.status xsmigrate.pc autom4te.cache

.PHONY: demo
ifeq ($(ENABLE_TESTS),yes)
demo: $(XSM_CLI) xensim
	@scripts/demo
endif

# `make print-VAR`: a make variable's value, for scripts (check-install).
print-%:
	@echo '$($*)'
