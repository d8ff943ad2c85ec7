# SPDX-License-Identifier: LGPL-2.1-only
# Per-domain save and restore against real (patched) xenstored on the
# simulated host: the xsmigrate save/restore commands, end to end.

# A C program using the installed-style API (header + shared library), as
# libxl does.
CAPI_MIGRATE := $(BUILD)/bin/capi_migrate
$(CAPI_MIGRATE): tests/integration/capi_migrate.c include/xsmigrate.h $(XSM_SHLIB)
	@mkdir -p $(@D)
	$(CC) -std=c99 -Wall -Werror -D_DEFAULT_SOURCE -Iinclude $(XENSTORE_CFLAGS) \
		$(XENTOOLLOG_CFLAGS) -o $@ $< -L$(BUILD)/lib -lxsmigrate $(XENSTORE_LIBS) \
		-Wl,-rpath,$(abspath $(BUILD))/lib

# The buffer interface libxl uses, one call per run.
CAPI_BUFFER := $(BUILD)/bin/capi_buffer
$(CAPI_BUFFER): tests/integration/capi_buffer.c include/xsmigrate.h $(XSM_SHLIB)
	@mkdir -p $(@D)
	$(CC) -std=c99 -Wall -Werror -D_DEFAULT_SOURCE -Iinclude $(XENSTORE_CFLAGS) \
		$(XENTOOLLOG_CFLAGS) -o $@ $< -L$(BUILD)/lib -lxsmigrate $(XENSTORE_LIBS) \
		$(XENTOOLLOG_LIBS) -Wl,-rpath,$(abspath $(BUILD))/lib

.PHONY: check-engine
check-engine: xensim $(XSM_CLI) $(CAPI_MIGRATE) $(CAPI_BUFFER)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(BUILD)/xensim XSM_BIN=$(BUILD)/bin \
		tests/integration/check-engine.sh $(BUILD)/check/engine.counts

CHECK_TARGETS += check-engine

# Forged streams from a hostile sender (tests/integration/forge.py hostile).
.PHONY: check-hostile
check-hostile: xensim $(XSM_CLI)
	@mkdir -p $(BUILD)/check
	XENSIM_BUILD=$(BUILD)/xensim XSM_BIN=$(BUILD)/bin \
		tests/integration/check-hostile.sh $(BUILD)/check/hostile.counts

CHECK_TARGETS += check-hostile
