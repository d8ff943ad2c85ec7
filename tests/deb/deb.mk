# SPDX-License-Identifier: LGPL-2.1-only
# The Debian packages (debian/), built from a copy of the source under
# $(BUILD)/deb and checked unpacked.  Needs dpkg-dev, debhelper, fakeroot.

.PHONY: check-deb
check-deb:
	@mkdir -p $(BUILD)/check
	tests/deb/check-deb.sh $(BUILD)/check/deb.counts $(abspath $(BUILD))/deb

CHECK_TARGETS += check-deb
