# make install DESTDIR=... as a packager runs it, checked.

.PHONY: check-install
check-install: all
	@mkdir -p $(BUILD)/check
	tests/install/check-install.sh $(BUILD)/check/install.counts

CHECK_TARGETS += check-install
