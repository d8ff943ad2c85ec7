/* SPDX-License-Identifier: LGPL-2.1-only */
/* Freestanding string helpers and a small vsnprintf for the runtime. */
#include <xtf.h>

size_t strlen(const char *s) { size_t n = 0; while ( s[n] ) n++; return n; }
size_t strnlen(const char *s, size_t max) { size_t n = 0; while ( n < max && s[n] ) n++; return n; }
int strcmp(const char *a, const char *b)
{
    while ( *a && *a == *b ) { a++; b++; }
    return (unsigned char)*a - (unsigned char)*b;
}
int strncmp(const char *a, const char *b, size_t n)
{
    for ( ; n; n--, a++, b++ )
        if ( *a != *b || !*a )
            return (unsigned char)*a - (unsigned char)*b;
    return 0;
}
char *strcpy(char *d, const char *s) { char *r = d; while ( (*d++ = *s++) ) ; return r; }
void *memset(void *s, int c, size_t n) { uint8_t *p = s; while ( n-- ) *p++ = c; return s; }
void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d; const uint8_t *sp = s;
    while ( n-- ) *dp++ = *sp++;
    return d;
}
int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for ( ; n; n--, x++, y++ )
        if ( *x != *y )
            return *x - *y;
    return 0;
}

struct out { char *buf; size_t size, len; };

static void put(struct out *o, char c)
{
    if ( o->len + 1 < o->size )
        o->buf[o->len] = c;
    o->len++;
}

static void put_num(struct out *o, unsigned long long v, unsigned base,
                    bool neg, int width, char pad, bool upper)
{
    char tmp[24];
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;

    do { tmp[n++] = dig[v % base]; v /= base; } while ( v );
    if ( neg ) tmp[n++] = '-';
    while ( width-- > n ) put(o, pad);
    while ( n ) put(o, tmp[--n]);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
    struct out o = { buf, size, 0 };

    for ( ; *fmt; fmt++ )
    {
        int width = 0, lng = 0;
        char pad = ' ';

        if ( *fmt != '%' ) { put(&o, *fmt); continue; }
        fmt++;
        if ( *fmt == '0' ) { pad = '0'; fmt++; }
        while ( *fmt >= '0' && *fmt <= '9' ) width = width * 10 + (*fmt++ - '0');
        while ( *fmt == 'l' || *fmt == 'z' ) { lng++; fmt++; }
        switch ( *fmt )
        {
        case 'd': case 'i':
        {
            long long v = lng ? va_arg(args, long) : va_arg(args, int);
            put_num(&o, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10, v < 0, width, pad, false);
            break;
        }
        case 'u': case 'x': case 'X':
        {
            unsigned long long v = lng ? va_arg(args, unsigned long) : va_arg(args, unsigned int);
            put_num(&o, v, *fmt == 'u' ? 10 : 16, false, width, pad, *fmt == 'X');
            break;
        }
        case 'p':
            put(&o, '0'); put(&o, 'x');
            put_num(&o, (unsigned long)va_arg(args, void *), 16, false, 0, ' ', false);
            break;
        case 's':
        {
            const char *s = va_arg(args, const char *);
            int n;
            if ( !s ) s = "(null)";
            n = strlen(s);
            while ( width-- > n ) put(&o, ' ');
            while ( *s ) put(&o, *s++);
            break;
        }
        case 'c': put(&o, (char)va_arg(args, int)); break;
        case '%': put(&o, '%'); break;
        default: put(&o, '%'); if ( *fmt ) put(&o, *fmt); else fmt--; break;
        }
    }
    if ( size )
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list a;
    int n;

    va_start(a, fmt);
    n = vsnprintf(buf, size, fmt, a);
    va_end(a);
    return n;
}
