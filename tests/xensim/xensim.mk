# SPDX-License-Identifier: GPL-2.0-only
# tests/xensim: a simulated hypervisor, upstream xenstored linked against it,
# and the `xensim` command driving both.  Included by the top-level Makefile;
# every name defined here starts with XENSIM_/xensim- (or check-xensim).
#
#   make xensim        build/xensim/{xensim,xenstored,libxensim-hv.a}
#   make check-xensim  run tests/xensim/check-xensim.sh

XENSIM_DIR    := $(BUILD)/xensim
XENSIM_SRC    := tests/xensim
# The unpacked Debian xen source: scripts/setup puts it in the cache (it
# may need apt and the network); make only checks that it is there.
XEN_SRC_VERSION ?= 4.17.5+72-g01140da4e8-1
XENSIM_FETCHED := $(XSM_CACHE)/xen-src/.unpacked-$(XEN_SRC_VERSION)

# XENSTORED_OBJS-y of tools/xenstore/Makefile.common (Linux, daemon build).
XENSIM_XS_OBJS := xenstored_core xenstored_watch xenstored_domain \
	xenstored_transaction xenstored_control xs_lib talloc utils tdb \
	hashtable xenstored_posix

# Xen's tools build uses -fno-strict-aliasing and gnu99.  The run directory
# has no usable default: xensim always sets XENSTORED_RUNDIR, and a daemon
# started without it fails at once instead of touching the real /run/xen*.
XENSIM_XS_CFLAGS := -std=gnu99 $(CFLAGS) -fno-strict-aliasing \
	-Wall -Wno-unused-but-set-variable -Wno-unused-local-typedefs \
	-include $(XENSIM_DIR)/config.h -D__XEN_TOOLS__ \
	-DXEN_RUN_STORED='"/nonexistent/xensim-sets-XENSTORED_RUNDIR"'

XENSIM_HV_OBJS := $(patsubst %,$(XENSIM_DIR)/obj/%.o,hv hvport xenlibs osdep \
	xcforeign)
XENSIM_CMD_OBJS := $(patsubst %,$(XENSIM_DIR)/obj/%.o,xensim host domain \
	lu guest guestcmd hv hvport)
XENSIM_CFLAGS := -std=gnu11 $(CFLAGS) -Wall -Wextra -Wno-unused-parameter \
	-Wno-sign-compare -Wno-format-truncation -D_GNU_SOURCE -D__XEN_TOOLS__

# The default xenstored of a simulated host: the project's patched daemon
# (libxl-patches/series), built by default; make XENSIM_PATCHED=n builds
# only the stock one, and `host start --stock` runs stock anyway.
XENSIM_PATCHED ?= y
XENSIM_BINS := $(XENSIM_DIR)/xensim $(XENSIM_DIR)/xenstored \
	$(XENSIM_DIR)/xenstored-stock
ifeq ($(XENSIM_PATCHED),y)
XENSIM_BINS += $(XENSIM_DIR)/xenstored-patched
endif

CHECK_TARGETS += check-xensim

.PHONY: xensim check-xensim
xensim: $(XENSIM_BINS)

$(XENSIM_FETCHED):
	@echo "xensim: no Xen source in $(XSM_CACHE)/xen-src (xen $(XEN_SRC_VERSION))." >&2; \
	 echo "xensim: run scripts/setup once (it fetches it), or set XSM_CACHE to a cache that has it." >&2; \
	 exit 1

# Sources appear when the Xen tree is unpacked; never rebuilt from here,
# and never deleted as intermediates either.
$(XEN_SRC)/tools/xenstore/%.c: | $(XENSIM_FETCHED) ;
.PRECIOUS: $(XEN_SRC)/tools/xenstore/%.c

$(XENSIM_DIR)/config.h:
	@mkdir -p $(@D)
	echo '#define INCLUDE_ENDIAN_H <endian.h>' > $@

$(XENSIM_DIR)/obj/%.o: $(XENSIM_SRC)/%.c $(wildcard $(XENSIM_SRC)/*.h)
	@mkdir -p $(@D)
	$(CC) $(XENSIM_CFLAGS) -c $< -o $@

$(XENSIM_DIR)/libxensim-hv.a: $(XENSIM_HV_OBJS)
	rm -f $@ && $(AR) rcs $@ $^

# $(1): variant, $(2): Xen source tree it is built from.
define XENSIM_XENSTORED_RULES
$(XENSIM_DIR)/obj-$(1)/%.o: $(2)/tools/xenstore/%.c $(XENSIM_DIR)/config.h
	@mkdir -p $$(@D)
	$(CC) $(XENSIM_XS_CFLAGS) $$(XENSIM_XS_EXTRA) -I$(2)/tools/xenstore \
		-I$(2)/tools/xenstore/include -idirafter $(2)/tools/include \
		-c $$< -o $$@

# dom0's ring and port: see osdep.c.
$(XENSIM_DIR)/obj-$(1)/xenstored_posix.o: XENSIM_XS_EXTRA := -Dopen=xensim_osdep_open

$(XENSIM_DIR)/xenstored-$(1): $(patsubst %,$(XENSIM_DIR)/obj-$(1)/%.o,$(XENSIM_XS_OBJS)) $(XENSIM_DIR)/libxensim-hv.a
	$(CC) $(LDFLAGS) -o $$@ $$^
endef

$(eval $(call XENSIM_XENSTORED_RULES,stock,$(XEN_SRC)))

# The patched daemon: Xen source with libxl-patches/series applied.
XENSIM_PATCHED_SRC := $(XENSIM_DIR)/src-patched
XENSIM_SERIES ?= libxl-patches/series
$(XENSIM_PATCHED_SRC)/.applied: $(XENSIM_SERIES) | $(XENSIM_FETCHED)
	rm -rf $(XENSIM_PATCHED_SRC) && mkdir -p $(XENSIM_PATCHED_SRC)
	cp -a $(XEN_SRC)/. $(XENSIM_PATCHED_SRC)/
	set -e; for p in $$(grep -v '^#' $(XENSIM_SERIES)); do \
		patch -p1 -s -d $(XENSIM_PATCHED_SRC) < $(dir $(XENSIM_SERIES))$$p; done
	touch $@
$(XENSIM_PATCHED_SRC)/tools/xenstore/%.c: $(XENSIM_PATCHED_SRC)/.applied ;
.PRECIOUS: $(XENSIM_PATCHED_SRC)/tools/xenstore/%.c
$(eval $(call XENSIM_XENSTORED_RULES,patched,$(XENSIM_PATCHED_SRC)))

$(XENSIM_DIR)/xenstored: $(XENSIM_DIR)/xenstored-stock
	cp $< $@

$(XENSIM_DIR)/xensim: $(XENSIM_CMD_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^

# The codec interop checks run the project's CLI: a hard prerequisite.
check-xensim: xensim $(XSM_CLI)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(XENSIM_DIR) XSM_BIN=$(BUILD)/bin \
		$(XENSIM_SRC)/check-xensim.sh $(BUILD)/check/xensim.counts

# oxenstored-patched: the OCaml xenstored, where the OCaml toolchain is.
include tests/xensim/oxenstored.mk

# check-patched: the xenstored patches (quiesce/save-domain/restore-domain).
include tests/xensim/patched.mk
