/* SPDX-License-Identifier: LGPL-2.1-only */
#ifndef XTF_LIB_H
#define XTF_LIB_H

#include <xtf/types.h>

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *d, const char *s);
void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Print to every console (HYPERVISOR_console_io and the PV console ring). */
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list args) __printf(1, 0);

/* Monotonic ns: Xen system time (PV), the TSC since boot (PVH). */
uint64_t xtf_now_ns(void);

void __noreturn panic(const char *fmt, ...) __printf(1, 2);
void __noreturn xtf_exit(void);

#endif
