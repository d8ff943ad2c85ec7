/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * 64-bit PVH entry point, Xen ELF note, boot page tables, GDT and the
 * interrupt entry stubs.
 *
 * Xen enters at _start (XEN_ELFNOTE_PHYS32_ENTRY) in 32-bit flat protected
 * mode, paging off, with %ebx = the physical address of hvm_start_info
 * (docs/misc/pvh.pandoc).  We identity-map the low 4 GiB with 2 MiB pages
 * (the image, the special pages below 4 GiB and the local APIC), enable
 * long mode and call xtf_pvh_main(start_info) in 64-bit mode.  The image
 * is linked at its physical address, so no relocation is needed.
 */
#include <xtf/elfnote.h>

ELFNOTE XEN_ELFNOTE_PHYS32_ENTRY,  .long _start

#define X86_CR0_PE    0x00000001
#define X86_CR0_PG    0x80000000
#define X86_CR4_PAE   0x00000020
#define MSR_EFER      0xc0000080
#define EFER_LME      0x00000100
#define PDE_2M        0x83          /* present, writable, 2 MiB page */
#define PTE_TABLE     0x03          /* present, writable */

	.section .text.head, "ax", @progbits
	.code32
	.globl _start
_start:
	cld
	cli
	mov	%ebx, pvh_start_info_pa

	mov	$l4_table, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(X86_CR0_PG | X86_CR0_PE), %eax
	mov	%eax, %cr0

	lgdt	gdt_ptr
	ljmp	$0x08, $start64

	.code64
start64:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	lea	boot_stack_top(%rip), %rsp
	mov	pvh_start_info_pa(%rip), %edi
	call	xtf_pvh_main
	ud2

/*
 * Interrupt entries.  Exceptions (vectors 0-31) are fatal: each stub is 16
 * octets and pushes its vector for pvh_exception().  The local APIC timer
 * only wakes the vCPU from hlt (see pvh.c), so its handler just sends EOI.
 */
	.text
	.p2align 4
	.globl pvh_exception_stubs
pvh_exception_stubs:
	vec = 0
	.rept 32
	.p2align 4
	push	$vec
	jmp	exception_common
	vec = vec + 1
	.endr

exception_common:
	mov	(%rsp), %rdi
	and	$~0xf, %rsp
	call	pvh_exception
	ud2

	.globl pvh_lapic_timer_entry
pvh_lapic_timer_entry:
	push	%rax
	mov	$0xfee000b0, %eax       /* APIC EOI register */
	movl	$0, (%rax)
	pop	%rax
	iretq

	.globl pvh_spurious_entry
pvh_spurious_entry:
	iretq

	.section .data.page_aligned, "aw", @progbits
	.p2align 12
l4_table:
	.quad	l3_table + PTE_TABLE
	.fill	511, 8, 0
l3_table:
	.quad	l2_tables + 0 * 4096 + PTE_TABLE
	.quad	l2_tables + 1 * 4096 + PTE_TABLE
	.quad	l2_tables + 2 * 4096 + PTE_TABLE
	.quad	l2_tables + 3 * 4096 + PTE_TABLE
	.fill	508, 8, 0
l2_tables:
	pde = 0
	.rept 2048
	.quad	(pde << 21) + PDE_2M
	pde = pde + 1
	.endr

	.data
	.p2align 3
gdt:
	.quad	0
	.quad	0x00af9a000000ffff      /* 0x08: 64-bit code */
	.quad	0x00cf92000000ffff      /* 0x10: flat data */
gdt_end:
gdt_ptr:
	.word	gdt_end - gdt - 1
	.long	gdt

	.globl pvh_start_info_pa
pvh_start_info_pa:
	.long	0

	.section .note.GNU-stack, "", @progbits
