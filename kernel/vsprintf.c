/* vsnprintf for the kernel: %d %i %u %x %X %o %p %s %c %%, the l/ll/z/h
 * length modifiers, width, precision and the - 0 + space # flags, plus
 * Linux's %pS (symbol+offset of a code address, used by backtraces). */
#include "kernel/printk.h"
#include "kernel/ksyms.h"
#include "kernel/string.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* what would have been written, as C's snprintf counts */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_str(struct out *o, const char *s, int len, int width, bool left)
{
	int pad = width > len ? width - len : 0;

	if (!left)
		while (pad--)
			put(o, ' ');
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (left)
		while (pad-- > 0)
			put(o, ' ');
}

struct num_spec {
	int base, width, precision;
	bool left, zero, plus, space, alt, upper, is_signed;
};

static void put_num(struct out *o, unsigned long long v, bool negative, const struct num_spec *s)
{
	const char *digits = s->upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len, pad;
	char sign = negative ? '-' : s->plus ? '+' : s->space ? ' ' : 0;
	const char *prefix = "";

	do {
		tmp[n++] = digits[v % s->base];
		v /= s->base;
	} while (v);
	if (s->precision == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	if (s->alt && s->base == 16)
		prefix = s->upper ? "0X" : "0x";
	else if (s->alt && s->base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";
	len = MAX(n, s->precision) + (sign ? 1 : 0) + (int)strlen(prefix);
	pad = s->width > len ? s->width - len : 0;
	if (!s->left && !(s->zero && s->precision < 0))
		for (; pad > 0; pad--)
			put(o, ' ');
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	if (!s->left && s->zero && s->precision < 0)
		for (; pad > 0; pad--)
			put(o, '0');
	for (int i = n; i < s->precision; i++)
		put(o, '0');
	while (n)
		put(o, tmp[--n]);
	for (; pad > 0; pad--)
		put(o, ' ');
}

static void put_symbol(struct out *o, unsigned long addr)
{
	unsigned long offset;
	const char *name = ksym_lookup(addr, &offset);
	char tmp[24];
	struct num_spec hex = {.base = 16, .precision = -1, .alt = true};
	struct out sub = {tmp, sizeof(tmp), 0};

	if (!name) {
		hex.width = 18;
		hex.zero = true;
		put_num(o, addr, false, &hex);
		return;
	}
	put_str(o, name, (int)strlen(name), 0, false);
	put(o, '+');
	put_num(&sub, offset, false, &hex);
	put_str(o, tmp, (int)MIN(sub.len, sizeof(tmp) - 1), 0, false);
}

/* Parses flags, width and precision at *fmt; returns the length modifier
 * count of 'l' (2 for ll and z, -1 for h). */
static int parse_spec(const char **fmt, va_list *ap, struct num_spec *s)
{
	const char *f = *fmt;
	int lmod = 0;

	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else if (*f == '+')
			s->plus = true;
		else if (*f == ' ')
			s->space = true;
		else if (*f == '#')
			s->alt = true;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->precision = 0;
		if (*f == '*') {
			s->precision = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->precision = s->precision * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			lmod++;
		else if (*f == 'z')
			lmod = 2;
		else if (*f == 'h')
			lmod = -1;
		else
			break;
	}
	*fmt = f;
	return lmod;
}

static void format_integer(struct out *o, char conv, int lmod, va_list *ap, struct num_spec *s)
{
	unsigned long long v;
	bool negative = false;

	s->base = (conv == 'x' || conv == 'X') ? 16 : conv == 'o' ? 8 : 10;
	s->upper = conv == 'X';
	if (conv == 'd' || conv == 'i') {
		long long sv = lmod >= 1 ? va_arg(*ap, long) : va_arg(*ap, int);
		if (lmod < 0)
			sv = (short)sv;
		negative = sv < 0;
		v = negative ? -(unsigned long long)sv : (unsigned long long)sv;
	} else {
		v = lmod >= 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
		if (lmod < 0)
			v = (unsigned short)v;
	}
	put_num(o, v, negative, s);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = {buf, size, 0};
	va_list ap;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		struct num_spec s = {.precision = -1};
		int lmod;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		lmod = parse_spec(&fmt, &ap, &s);
		switch (*fmt) {
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_str(&o, &c, 1, s.width, s.left);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			int len = (int)strnlen(str, s.precision < 0 ? ~0UL : (size_t)s.precision);
			put_str(&o, str, len, s.width, s.left);
			break;
		}
		case 'p':
			if (fmt[1] == 'S') {
				fmt++;
				put_symbol(&o, (unsigned long)va_arg(ap, void *));
				break;
			}
			s.base = 16;
			s.alt = true;
			put_num(&o, (unsigned long)va_arg(ap, void *), false, &s);
			break;
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			format_integer(&o, *fmt, lmod, &ap, &s);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	va_end(ap);
	if (size)
		buf[MIN(o.len, size - 1)] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
