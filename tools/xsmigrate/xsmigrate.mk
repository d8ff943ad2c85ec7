# SPDX-License-Identifier: LGPL-2.1-only
# The xsmigrate command, its man pages and its bash completion.  It uses
# the C++ inside of the library, so it links the static archive rather
# than the C ABI; the renderings of `dump` (yajl for JSON) live here, not
# in the library.

XSM_CLI_SRCS := $(sort $(wildcard tools/xsmigrate/*.cc))
XSM_CLI_OBJS := $(patsubst %.cc,$(BUILD)/obj/%.o,$(XSM_CLI_SRCS))
XSM_CLI      := $(BUILD)/bin/xsmigrate
XSM_MAN1     := docs/xsmigrate.1
XSM_MAN7     := docs/xenstored-domain-state.7
XSM_BASHCOMP := tools/xsmigrate/bash-completion
bashcompdir  ?= $(datadir)/bash-completion/completions

ALL_TARGETS += $(XSM_CLI)

$(XSM_CLI_OBJS): XSM_EXTRA_CFLAGS += $(YAJL_CFLAGS) -DXSM_PACKAGE_VERSION='"$(PACKAGE_VERSION)"'

$(XSM_CLI): $(XSM_CLI_OBJS) $(XSM_STATIC)
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(LDFLAGS) $(SAN_FLAGS) -o $@ $(XSM_CLI_OBJS) $(XSM_STATIC) \
		$(XSM_LIB_LIBS) $(YAJL_LIBS)

.PHONY: install-cli uninstall-cli
install-cli: $(XSM_CLI)
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1 $(DESTDIR)$(mandir)/man7 \
		$(DESTDIR)$(bashcompdir)
	$(INSTALL) -m 755 $(XSM_CLI) $(DESTDIR)$(bindir)/
	$(INSTALL) -m 644 $(XSM_MAN1) $(DESTDIR)$(mandir)/man1/
	$(INSTALL) -m 644 $(XSM_MAN7) $(DESTDIR)$(mandir)/man7/
	$(INSTALL) -m 644 $(XSM_BASHCOMP) $(DESTDIR)$(bashcompdir)/xsmigrate

uninstall-cli:
	rm -f $(DESTDIR)$(bindir)/xsmigrate $(DESTDIR)$(mandir)/man1/$(notdir $(XSM_MAN1)) \
		$(DESTDIR)$(mandir)/man7/$(notdir $(XSM_MAN7)) $(DESTDIR)$(bashcompdir)/xsmigrate

.PHONY: install uninstall
install: install-lib install-cli
uninstall: uninstall-lib uninstall-cli

-include $(XSM_CLI_OBJS:.o=.d)
