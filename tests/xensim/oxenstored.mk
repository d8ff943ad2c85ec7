# SPDX-License-Identifier: GPL-2.0-only
# tests/xensim/oxenstored.mk: oxenstored (tools/ocaml/xenstored of the
# patched Xen tree) on a simulated host.  Included by xensim.mk.
#
#   make xensim     also builds build/xensim/oxenstored-patched when
#                   ocamlfind is installed (scripts/debian-packages)
#   make check-ox   tests/xensim/check-ox.sh: oxenstored serves dom0 and a
#                   guest on a simulated host, quiesces it, and saves it as
#                   C xenstored-patched does
#
# XENSIM_XENSTORED=tests/xensim/oxenstored-xensim makes `xensim host start`
# run it (see docs/oxenstored.md).

XENSIM_OX := $(XENSIM_DIR)/oxenstored-patched
XENSIM_HAVE_OCAML := $(shell command -v ocamlfind >/dev/null 2>&1 && echo y)
ifeq ($(XENSIM_HAVE_OCAML)$(XENSIM_PATCHED),yy)
xensim: $(XENSIM_OX)
endif
CHECK_TARGETS += check-ox

.PHONY: check-ox
$(XENSIM_OX): $(XENSIM_PATCHED_SRC)/.applied $(XENSIM_DIR)/libxensim-hv.a \
		$(XENSIM_SRC)/build-oxenstored.sh
	CC="$(CC)" $(XENSIM_SRC)/build-oxenstored.sh $(abspath $(XENSIM_PATCHED_SRC)) \
		$(abspath $(XENSIM_DIR))/obj-ox $(abspath $(XENSIM_DIR))/libxensim-hv.a
	cp $(XENSIM_DIR)/obj-ox/oxenstored $@

check-ox: $(XENSIM_DIR)/xensim $(XENSIM_OX) $(XENSIM_DIR)/xenstored-patched $(XSM_CLI)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(XENSIM_DIR) XSM_BIN=$(BUILD)/bin \
		XENSIM_XENSTORED=$(abspath $(XENSIM_SRC))/oxenstored-xensim \
		$(XENSIM_SRC)/check-ox.sh $(BUILD)/check/ox.counts
