# SPDX-License-Identifier: LGPL-2.1-only
# Every source file carries its SPDX licence line (COPYING says which).

.PHONY: check-licence
check-licence:
	@mkdir -p $(BUILD)/check
	@tests/licence/check-licence.sh $(BUILD)/check/licence.counts

CHECK_TARGETS += check-licence
