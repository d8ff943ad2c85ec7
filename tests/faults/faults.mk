# SPDX-License-Identifier: LGPL-2.1-only
# The fault suite: xenstored stopped and killed around save and restore,
# concurrent saves, hostile guest behaviour, the CLI's own faults.

.PHONY: check-faults
check-faults: xensim $(XSM_CLI)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(BUILD)/xensim XSM_BIN=$(BUILD)/bin \
		tests/faults/check-faults.sh $(BUILD)/check/faults.counts

CHECK_TARGETS += check-faults
