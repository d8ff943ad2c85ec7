/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * 64-bit PV entry point and Xen ELF notes (the hypercall page is in
 * pages.S).
 * Xen enters at _start with %rsi = start_info (virtual address).
 */
#include <xtf/elfnote.h>

ELFNOTE XEN_ELFNOTE_LOADER,        .asciz "generic"
ELFNOTE XEN_ELFNOTE_VIRT_BASE,     .quad 0
ELFNOTE XEN_ELFNOTE_PADDR_OFFSET,  .quad 0
ELFNOTE XEN_ELFNOTE_ENTRY,         .quad _start
ELFNOTE XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
ELFNOTE XEN_ELFNOTE_FEATURES,      .asciz "!writable_page_tables"
ELFNOTE XEN_ELFNOTE_PAE_MODE,      .asciz "yes"
ELFNOTE XEN_ELFNOTE_SUSPEND_CANCEL, .long 1

	.section .text.head, "ax", @progbits
	.code64
	.globl _start
_start:
	lea	boot_stack_top(%rip), %rsp
	mov	%rsi, %rdi
	call	xtf_pv_main
	ud2

	.section .note.GNU-stack, "", @progbits
