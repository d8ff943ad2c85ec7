/* SPDX-License-Identifier: LGPL-2.1-only */
#ifndef XTF_REPORT_H
#define XTF_REPORT_H

#include <xtf/types.h>

/* As XTF: the worst status reported wins; xtf_exit() prints the verdict. */
void xtf_success(const char *fmt, ...) __printf(1, 2);
void xtf_warning(const char *fmt, ...) __printf(1, 2);
void xtf_skip(const char *fmt, ...) __printf(1, 2);
void xtf_error(const char *fmt, ...) __printf(1, 2);
void xtf_failure(const char *fmt, ...) __printf(1, 2);
bool xtf_status_reported(void);

/* "SUCCESS", "SKIP", "ERROR", "FAILURE" (or "RUNNING"). */
const char *xtf_status_string(void);

#endif
