# xsmigrate: top-level, non-recursive Makefile.
#
# ./configure writes config.mk; everything is built under $(BUILD).
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

ifeq ($(wildcard config.mk),)
$(error run ./configure first (or scripts/setup, which installs what configure needs))
endif

include lib/lib.mk
include tools/xsmigrate/xsmigrate.mk
include tests/unit/unit.mk
include fuzz/fuzz.mk
include bench/bench.mk
-include tests/xensim/xensim.mk
include tests/integration/integration.mk
include tests/install/install.mk
include tests/faults/faults.mk
-include tests/e2e/e2e.mk
-include xtf-tests/xtf.mk

.PHONY: all
all: $(ALL_TARGETS)

# Every suite writes $(BUILD)/check/<suite>.counts ("<passed> <failed>");
# a suite that breaks before writing it counts as one failure.
.PHONY: check
check:
	@rm -rf $(BUILD)/check && mkdir -p $(BUILD)/check
	@for t in $(CHECK_TARGETS); do \
		echo "=== $$t"; \
		$(MAKE) --no-print-directory $$t || echo "$$t" >> $(BUILD)/check/broken; \
	done
	@scripts/check-summary $(BUILD)/check $(CHECK_TARGETS)

.PHONY: clean
clean:
	rm -rf $(BUILD)/obj $(BUILD)/lib $(BUILD)/bin $(BUILD)/tests $(BUILD)/check

.PHONY: distclean
distclean:
	rm -rf $(BUILD) config.mk config.log config.status xsmigrate.pc autom4te.cache

.PHONY: demo
demo: $(XSM_CLI) xensim
	@scripts/demo
