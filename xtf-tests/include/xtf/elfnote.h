/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Assembler only: the ELFNOTE macro for Xen's ELF notes
 * (xen/include/public/elfnote.h) and the notes every guest image carries.
 */
#ifndef XTF_ELFNOTE_H
#define XTF_ELFNOTE_H

#include <xen/elfnote.h>

.macro ELFNOTE type, desc:vararg
	.pushsection .note.Xen, "a", @note
	.p2align 2
	.long 2f - 1f
	.long 4f - 3f
	.long \type
1:	.asciz "Xen"
2:	.p2align 2
3:	\desc
4:	.p2align 2
	.popsection
.endm

ELFNOTE XEN_ELFNOTE_GUEST_OS,      .asciz "XSM-XTF"
ELFNOTE XEN_ELFNOTE_GUEST_VERSION, .asciz "0.1"
ELFNOTE XEN_ELFNOTE_XEN_VERSION,   .asciz "xen-3.0"

#endif
