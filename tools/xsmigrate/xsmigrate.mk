# The xsmigrate command.  It uses the C++ inside of the library, so it
# links the static archive rather than the C ABI.

XSM_CLI_SRCS := $(sort $(wildcard tools/xsmigrate/*.cc))
XSM_CLI_OBJS := $(patsubst %.cc,$(BUILD)/obj/%.o,$(XSM_CLI_SRCS))
XSM_CLI      := $(BUILD)/bin/xsmigrate

ALL_TARGETS += $(XSM_CLI)

$(XSM_CLI): $(XSM_CLI_OBJS) $(XSM_STATIC)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS) $(SAN_FLAGS) -o $@ $(XSM_CLI_OBJS) $(XSM_STATIC) $(XSM_LIB_LIBS)

.PHONY: install-cli
install-cli: $(XSM_CLI)
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man1
	$(INSTALL) -m 755 $(XSM_CLI) $(DESTDIR)$(bindir)/
	$(INSTALL) -m 644 docs/xsmigrate.1 $(DESTDIR)$(mandir)/man1/

.PHONY: install
install: install-lib install-cli

-include $(XSM_CLI_OBJS:.o=.d)
