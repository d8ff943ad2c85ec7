/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Pages every guest has, PV or PVH: the hypercall page (filled in by Xen:
 * PV through XEN_ELFNOTE_HYPERCALL_PAGE, PVH through the MSR of Xen's
 * CPUID leaves, see pvh.c) and the boot stack.
 */
	.section .text.page_aligned, "ax", @progbits
	.p2align 12
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

	.section .bss.page_aligned, "aw", @nobits
	.p2align 12
	.globl boot_stack_top
boot_stack:
	.skip 4 * 4096
boot_stack_top:

	.section .note.GNU-stack, "", @progbits
