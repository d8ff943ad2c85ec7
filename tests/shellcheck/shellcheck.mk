# SPDX-License-Identifier: LGPL-2.1-only
# shellcheck over the tree's shell scripts (tests/e2e/ included).

.PHONY: check-shellcheck
check-shellcheck:
	@mkdir -p $(BUILD)/check
	tests/shellcheck/check-shellcheck.sh $(BUILD)/check/shellcheck.counts

CHECK_TARGETS += check-shellcheck
