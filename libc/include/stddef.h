/* stddef.h: basic types and offsetof, from the compiler's own definitions. */
#ifndef _STDDEF_H
#define _STDDEF_H

#define NULL ((void *)0)

typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __WCHAR_TYPE__ wchar_t;

/* The strictest fundamental alignment: what malloc must guarantee (16 on x86-64). */
typedef struct {
	long long __ll __attribute__((aligned(__alignof__(long long))));
	long double __ld __attribute__((aligned(__alignof__(long double))));
} max_align_t;

#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
