# SPDX-License-Identifier: LGPL-2.1-only
# tests/e2e: real Xen 4.17 + dom0 under QEMU (TCG), running the xtf-tests
# guests.  Included by the top-level Makefile.
#
#   make e2e        build the guests, boot, run, print results
#   make check-e2e  same, and write $(BUILD)/check/e2e.counts
#
# E2E_EXPECT_MIGRATE=fail|pass|auto selects the xenstore-migrate
# expectation (default: fail, the stock-tools baseline).  Artefacts and the
# serial log stay in $(BUILD)/e2e/.

E2E_DIR     := tests/e2e
E2E_OUT     := $(BUILD)/e2e
E2E_TIMEOUT ?= 540
E2E_EXPECT_MIGRATE ?= fail
E2E_RUN      = E2E_OUT=$(abspath $(E2E_OUT)) \
               E2E_GUESTS=$(abspath $(XTF_OUT)) \
               E2E_PROJECT_BUILD=$(abspath $(BUILD)) \
               E2E_TIMEOUT=$(E2E_TIMEOUT) \
               E2E_EXPECT_MIGRATE=$(E2E_EXPECT_MIGRATE) \
               $(E2E_DIR)/run-e2e.sh

.PHONY: e2e check-e2e
e2e: xtf-tests
	$(E2E_RUN)

check-e2e: xtf-tests
	@mkdir -p $(BUILD)/check
	E2E_COUNTS=$(abspath $(BUILD))/check/e2e.counts $(E2E_RUN)

CHECK_TARGETS += check-e2e
