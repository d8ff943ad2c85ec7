# SPDX-License-Identifier: LGPL-2.1-only
# libxsmigrate: shared (versioned soname, only the C API exported) and
# static.  Objects are position-independent so both come from one build.
# It links libxentoollog only (it speaks the xenstore wire protocol itself,
# with a timeout, so it needs no libxenstore): less than libxl already loads.

XSM_CXXSTD    := -std=c++17
XSM_WARN      := -Wall -Wextra -Wno-missing-field-initializers
XSM_CPPFLAGS  := -Iinclude -Ilib $(XENSTORE_CFLAGS) $(XENTOOLLOG_CFLAGS)
# SAN_FLAGS: set by the sanitizer build (check-sanitize).  CPPFLAGS and
# CXXFLAGS come last so that a distribution's (dpkg-buildflags) apply.
XSM_CXXFLAGS   = $(XSM_CXXSTD) $(XSM_WARN) -fPIC -fvisibility=hidden \
                 $(XSM_CPPFLAGS) $(CPPFLAGS) $(CXXFLAGS) $(SAN_FLAGS)

XSM_LIB_SRCS  := $(sort $(wildcard lib/common/*.cc lib/xen/*.cc lib/stream/*.cc lib/engine/*.cc \
                                   lib/xenstored/*.cc)) \
                 $(sort $(wildcard lib/c_api*.cc))
XSM_LIB_OBJS  := $(patsubst %.cc,$(BUILD)/obj/%.o,$(XSM_LIB_SRCS))

# The ABI version, not the package's: docs/abi.md says when each part
# changes.  MAJOR is the soname's; MINOR counts the releases that added
# interfaces since; PATCH the releases that changed none.
XSM_SO_MAJOR  := 0
XSM_SO_MINOR  := 0
XSM_SO_PATCH  := 0
XSM_SONAME    := libxsmigrate.so.$(XSM_SO_MAJOR)
XSM_SO_FILE   := $(XSM_SONAME).$(XSM_SO_MINOR).$(XSM_SO_PATCH)
XSM_SHLIB     := $(BUILD)/lib/$(XSM_SO_FILE)
XSM_STATIC    := $(BUILD)/lib/libxsmigrate.a
XSM_LIB_LIBS  := $(XENTOOLLOG_LIBS)

ALL_TARGETS += $(XSM_SHLIB) $(XSM_STATIC) $(BUILD)/xsmigrate.pc

$(BUILD)/obj/%.o: %.cc
	@mkdir -p $(@D)
	$(CXX) $(XSM_CXXFLAGS) $(XSM_EXTRA_CFLAGS) -MMD -MP -c $< -o $@

$(XSM_STATIC): $(XSM_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && $(AR) rcs $@ $^

$(XSM_SHLIB): $(XSM_LIB_OBJS) lib/libxsmigrate.map
	@mkdir -p $(@D)
	$(CXX) -shared -Wl,-soname,$(XSM_SONAME) -Wl,--version-script=lib/libxsmigrate.map \
		-Wl,--no-undefined -Wl,--as-needed $(CXXFLAGS) $(LDFLAGS) $(SAN_FLAGS) \
		-o $@ $(XSM_LIB_OBJS) $(XSM_LIB_LIBS)
	ln -sf $(@F) $(@D)/$(XSM_SONAME)
	ln -sf $(XSM_SONAME) $(@D)/libxsmigrate.so

$(BUILD)/xsmigrate.pc: xsmigrate.pc
	@mkdir -p $(@D)
	cp $< $@

.PHONY: install-lib uninstall-lib
install-lib: $(XSM_SHLIB) $(XSM_STATIC)
	$(INSTALL) -d $(DESTDIR)$(libdir) $(DESTDIR)$(libdir)/pkgconfig $(DESTDIR)$(includedir)
	$(INSTALL) -m 644 $(XSM_STATIC) $(DESTDIR)$(libdir)/
	$(INSTALL) -m 644 $(XSM_SHLIB) $(DESTDIR)$(libdir)/
	ln -sf $(XSM_SO_FILE) $(DESTDIR)$(libdir)/$(XSM_SONAME)
	ln -sf $(XSM_SONAME) $(DESTDIR)$(libdir)/libxsmigrate.so
	$(INSTALL) -m 644 include/xsmigrate.h $(DESTDIR)$(includedir)/
	$(INSTALL) -m 644 xsmigrate.pc $(DESTDIR)$(libdir)/pkgconfig/

uninstall-lib:
	rm -f $(DESTDIR)$(libdir)/$(XSM_SO_FILE) $(DESTDIR)$(libdir)/$(XSM_SONAME) \
		$(DESTDIR)$(libdir)/libxsmigrate.so $(DESTDIR)$(libdir)/libxsmigrate.a \
		$(DESTDIR)$(libdir)/pkgconfig/xsmigrate.pc $(DESTDIR)$(includedir)/xsmigrate.h

-include $(XSM_LIB_OBJS:.o=.d)
