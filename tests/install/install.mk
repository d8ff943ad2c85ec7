# SPDX-License-Identifier: LGPL-2.1-only
# make install DESTDIR=... as a packager runs it, checked.

.PHONY: check-install
check-install: all
	@mkdir -p $(BUILD)/check
	tests/install/check-install.sh $(BUILD)/check/install.counts $(abspath $(BUILD))/install-check

CHECK_TARGETS += check-install
