# SPDX-License-Identifier: GPL-2.0-only
# tests/xensim/patched.mk: tests of the patched xenstored (libxl-patches/
# series: quiesce, unquiesce, save-domain, restore-domain), on two
# simulated hosts.  Included by tests/xensim/xensim.mk.
#
#   make check-patched  run tests/xensim/check-patched.sh

CHECK_TARGETS += check-patched

.PHONY: check-patched
check-patched: $(XENSIM_DIR)/xensim $(XENSIM_DIR)/xenstored-patched $(XSM_CLI)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(XENSIM_DIR) XSM_BIN=$(BUILD)/bin \
		XENSIM_XENSTORED=$(abspath $(XENSIM_DIR))/xenstored-patched \
		$(XENSIM_SRC)/check-patched.sh $(BUILD)/check/patched.counts

# Re-apply the series when a patch changes, not only the series file.
$(XENSIM_PATCHED_SRC)/.applied: $(wildcard $(dir $(XENSIM_SERIES))*.patch)
