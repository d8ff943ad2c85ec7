# SPDX-License-Identifier: LGPL-2.1-only
# xtf-tests: XTF-style test guests, built with plain gcc/ld against this
# project's small runtime (xtf-tests/runtime): 64-bit PV guests (head.S,
# setup.c) and 64-bit PVH guests (head-pvh.S, pvh.c), sharing common.c,
# lib.c and xenstore.c.  Included by the top-level Makefile; everything
# goes to $(BUILD)/xtf-tests/.

XTF_DIR    := xtf-tests
XTF_OUT    := $(BUILD)/xtf-tests
XTF_TESTS  := xenstore-smoke xenstore-migrate xenstore-ringfresh
XTF_PVH_TESTS := xenstore-noncoop
XTF_CC     ?= gcc
XTF_LD     ?= ld
XTF_CFLAGS := -m64 -O2 -g -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
              -Wno-format-zero-length -Werror \
              -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
              -fno-asynchronous-unwind-tables -fno-builtin \
              -mno-red-zone -mgeneral-regs-only -mcmodel=small \
              -I$(XTF_DIR)/include
XTF_LDFLAGS := -m elf_x86_64 -nostdlib -static --build-id=none \
               -z noexecstack -z max-page-size=4096 --no-warn-rwx-segments -T $(XTF_DIR)/runtime/link.lds

XTF_RT_COMMON := $(XTF_DIR)/runtime/pages.S $(XTF_DIR)/runtime/common.c \
                 $(XTF_DIR)/runtime/lib.c $(XTF_DIR)/runtime/xenstore.c
XTF_RT_SRC := $(XTF_DIR)/runtime/head.S $(XTF_DIR)/runtime/setup.c $(XTF_RT_COMMON)
XTF_RT_PVH_SRC := $(XTF_DIR)/runtime/head-pvh.S $(XTF_DIR)/runtime/pvh.c $(XTF_RT_COMMON)
xtf_objs    = $(patsubst $(XTF_DIR)/%,$(XTF_OUT)/obj/%.o,$(1))
XTF_RT_OBJ := $(call xtf_objs,$(XTF_RT_SRC))
XTF_RT_PVH_OBJ := $(call xtf_objs,$(XTF_RT_PVH_SRC))
XTF_HDRS   := $(wildcard $(XTF_DIR)/include/*.h $(XTF_DIR)/include/xtf/*.h)
XTF_GUESTS := $(addprefix $(XTF_OUT)/,$(XTF_TESTS) $(XTF_PVH_TESTS))

$(XTF_OUT)/obj/%.c.o: $(XTF_DIR)/%.c $(XTF_HDRS) $(XTF_DIR)/xtf.mk
	@mkdir -p $(dir $@)
	$(XTF_CC) $(XTF_CFLAGS) -c $< -o $@

$(XTF_OUT)/obj/%.S.o: $(XTF_DIR)/%.S $(XTF_HDRS) $(XTF_DIR)/xtf.mk
	@mkdir -p $(dir $@)
	$(XTF_CC) $(XTF_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(addprefix $(XTF_OUT)/,$(XTF_TESTS)): $(XTF_OUT)/%: $(XTF_OUT)/obj/tests/%/main.c.o \
		$(XTF_RT_OBJ) $(XTF_DIR)/runtime/link.lds
	$(XTF_LD) $(XTF_LDFLAGS) -o $@ $(XTF_RT_OBJ) $<

$(addprefix $(XTF_OUT)/,$(XTF_PVH_TESTS)): $(XTF_OUT)/%: $(XTF_OUT)/obj/tests/%/main.c.o \
		$(XTF_RT_PVH_OBJ) $(XTF_DIR)/runtime/link.lds
	$(XTF_LD) $(XTF_LDFLAGS) -o $@ $(XTF_RT_PVH_OBJ) $<

.SECONDARY: $(XTF_RT_OBJ) $(XTF_RT_PVH_OBJ) \
	$(patsubst %,$(XTF_OUT)/obj/tests/%/main.c.o,$(XTF_TESTS) $(XTF_PVH_TESTS))

.PHONY: xtf-tests
xtf-tests: $(XTF_GUESTS)
