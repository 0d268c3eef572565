#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_sym_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* "[<hex>]" or "[hex]" (powerpc); returns the end or NULL. */
static const char *parse_bracket_addr(const char *p, const char *end,
				      unsigned long long *addr)
{
	const char *q;
	bool angle;

	if (p >= end || *p != '[')
		return NULL;
	p++;
	angle = p < end && *p == '<';
	if (angle)
		p++;
	q = parse_hex(p, end, addr);
	if (!q || q - p < 6)
		return NULL;
	if (angle) {
		if (q >= end || *q != '>')
			return NULL;
		q++;
	}
	if (q >= end || *q != ']')
		return NULL;
	return q + 1;
}

/*
 * "name+0xOFF/0xSIZE" or "name+0xOFF" or "0xADDR". On success fills func,
 * off/size and returns the end.
 */
static const char *parse_symbol(const char *p, const char *end, struct frame *f)
{
	const char *name, *q;
	unsigned long long v;
	char *module = NULL;

	/*
	 * x86_64 printk_address() up to 2.6.24 puts the module before the
	 * symbol between colons: " [<ffffffff8853a1c6>] :mydrv:mydrv_read+0x46/0x1c0"
	 * (" %s%s%s%s+0x%lx/0x%lx" with delim ":" and modname).
	 */
	if (p < end && *p == ':') {
		q = ++p;
		while (q < end && (is_sym_char((unsigned char)*q) || *q == '-'))
			q++;
		if (q == p || q >= end || *q != ':')
			return NULL;
		module = xstrndup(p, (size_t)(q - p));
		p = q + 1;
	}
	name = p;
	while (p < end && is_sym_char((unsigned char)*p))
		p++;
	if (p == name)
		goto fail;
	if (p < end && *p == '+') {
		q = p + 1;
		if (q + 2 > end || q[0] != '0' || q[1] != 'x')
			goto fail;
		q = parse_hex(q, end, &v);
		if (!q)
			goto fail;
		f->off = v;
		f->has_off = true;
		if (q < end && *q == '/') {
			const char *r = parse_hex(q + 1, end, &v);
			if (!r)
				goto fail;
			f->size = v;
			q = r;
		}
		free(f->func);
		f->func = xstrndup(name, (size_t)(p - name));
		if (module) {
			free(f->module);
			f->module = module;
		}
		return q;
	}
	if (module)
		goto fail;
	/* A bare "0xffffffffc0123456" (unknown symbol). */
	if (p - name > 4 && name[0] == '0' && name[1] == 'x' &&
	    parse_hex(name, p, &v) == p) {
		f->addr = v;
		f->has_addr = true;
		return p;
	}
fail:
	free(module);
	return NULL;
}

/* " [module]" or " [module buildid]"; returns end (or p when absent). */
static const char *parse_module(const char *p, const char *end, struct frame *f)
{
	const char *q = skip_spaces(p, end), *name, *name_end;

	if (q >= end || *q != '[')
		return p;
	name = ++q;
	while (q < end && (is_sym_char((unsigned char)*q) || *q == '-'))
		q++;
	name_end = q;
	if (name_end == name)
		return p;
	if (q < end && *q == ' ') {
		const char *bid = ++q;
		while (q < end && is_hex_digit((unsigned char)*q))
			q++;
		if (q == bid || q >= end || *q != ']')
			return p;
		f->build_id = xstrndup(bid, (size_t)(q - bid));
	} else if (q >= end || *q != ']') {
		return p;
	}
	/* "[inline]" is the symbolized-trace marker, not a module. */
	if (name_end - name == 6 && !memcmp(name, "inline", 6))
		return p;
	free(f->module);
	f->module = xstrndup(name, (size_t)(name_end - name));
	return q + 1;
}

/* " path/file.c:123" and " [inline]" printed by syzkaller-symbolized traces. */
static const char *parse_source_suffix(const char *p, const char *end,
				       struct frame *f, bool *inline_mark)
{
	const char *q = skip_spaces(p, end), *s = q, *colon = NULL;

	while (q < end && *q != ' ') {
		if (*q == ':')
			colon = q;
		q++;
	}
	if (colon && colon > s && colon + 1 < q) {
		const char *d = colon + 1;
		while (d < q && *d >= '0' && *d <= '9')
			d++;
		if (d == q && memchr(s, '.', (size_t)(colon - s))) {
			free(f->src);
			f->src = xstrndup(s, (size_t)(q - s));
			p = q;
		}
	}
	q = skip_spaces(p, end);
	if (end - q >= 8 && !memcmp(q, "[inline]", 8)) {
		*inline_mark = true;
		p = q + 8;
	}
	return p;
}

bool frame_parse_line(const char *msg, size_t len, struct frame *out,
		      struct frame_span *span)
{
	const char *end = msg + len, *p = skip_spaces(msg, end), *q;
	unsigned long long addr;
	bool have_addr = false, inline_mark = false, paren = false;
	struct frame f;

	memset(&f, 0, sizeof(f));
	f.reliable = true;
	/*
	 * s390 show_stack() prints a frame the unwinder could not vouch for
	 * in parentheses: "([<%016lx>] %pSR)" (older kernels: the first,
	 * possibly stale, return address of each stack). Like x86's "? ".
	 */
	if (p < end && *p == '(') {
		paren = true;
		f.reliable = false;
		p++;
	}
	if (span)
		span->begin = (size_t)(p - msg);
	/* One or two bracketed addresses ("[sp] [ip]" on powerpc). */
	while ((q = parse_bracket_addr(p, end, &addr))) {
		f.addr = addr;
		f.has_addr = have_addr = true;
		p = skip_spaces(q, end);
	}
	if (p < end && *p == '?') {
		f.reliable = false;
		p = skip_spaces(p + 1, end);
	}
	/* arm: "[<803b1fe4>] (nfs_create_server) from [<803beaa4>] (f+0x44/0x2c0)" */
	if (have_addr && p < end && *p == '(' && !paren) {
		const char *n = p + 1;
		while (n < end && is_sym_char((unsigned char)*n))
			n++;
		if (n > p + 1 && n < end && (*n == ')' || *n == '+')) {
			f.func = xstrndup(p + 1, (size_t)(n - p - 1));
			p = n;
			goto ok_end;
		}
		/* a module's function: "%ps" prints "(mydrv_probe [mydrv])" */
		if (n > p + 1 && n < end && *n == ' ') {
			const char *m = parse_module(n, end, &f);
			if (m != n && m < end && *m == ')') {
				f.func = xstrndup(p + 1, (size_t)(n - p - 1));
				p = m;
				goto ok_end;
			}
			free(f.module);
			f.module = NULL;
			free(f.build_id);
			f.build_id = NULL;
		}
	}
	q = parse_symbol(p, end, &f);
	if (!q) {
		/* "[<ffffffff8104e8e6>]" alone: an address-only frame. */
		if (have_addr && skip_spaces(p, end) == end)
			goto ok_end;
		/* "func file.c:12 [inline]" from symbolized syzkaller traces. */
		const char *n = p;
		while (n < end && is_sym_char((unsigned char)*n))
			n++;
		if (n == p || n >= end || *n != ' ')
			goto fail;
		f.func = xstrndup(p, (size_t)(n - p));
		q = parse_source_suffix(n, end, &f, &inline_mark);
		if (!f.src)
			goto fail;
		p = q;
		goto ok_end;
	}
	if (!f.func && !have_addr && !f.has_addr)
		goto fail;
	p = parse_module(q, end, &f);
	p = parse_source_suffix(p, end, &f, &inline_mark);
	/*
	 * Without an address bracket a bare "name+0x1/0x2" must stand alone on
	 * the line (apart from known suffixes): "foo+0x1/0x2 bar" is prose.
	 */
	q = skip_spaces(p, end);
	if (q < end && paren && *q == ')')
		q++;
	q = skip_spaces(q, end);
	if (q < end && end - q >= 12 && !memcmp(q, "(unreliable)", 12)) {
		f.reliable = false;
		q += 12;
	}
	q = skip_spaces(q, end);
	if (q != end && !have_addr)
		goto fail;
	if (!f.func && !f.has_off && !have_addr)
		goto fail;
	if (!f.has_off && !have_addr && !inline_mark && !f.src)
		goto fail;
ok_end:
	if (span)
		span->end = (size_t)(p - msg);
	*out = f;
	return true;
fail:
	frame_release(&f);
	return false;
}

/*
 * s390 show_registers(): "Krnl PSW : 0704c00180000000 000003ff8012a0e6
 * (mydrv_probe+0x2e/0x98 [mydrv])" — the PSW mask, the address and, for
 * kernel mode, the symbol in parentheses.
 */
static bool parse_s390_psw(const char *p, const char *end, struct frame *out)
{
	unsigned long long mask, addr;
	const char *q;
	struct frame f;

	if (!(q = parse_hex(p, end, &mask)) || q - p < 8 ||
	    !(q = parse_hex(p = skip_spaces(q, end), end, &addr)) || q - p < 8)
		return false;
	memset(&f, 0, sizeof(f));
	f.reliable = true;
	f.addr = addr;
	f.has_addr = true;
	p = skip_spaces(q, end);
	if (p < end && *p == '(' && (q = parse_symbol(p + 1, end, &f)))
		parse_module(q, end, &f);
	*out = f;
	return true;
}

bool frame_parse_ip_line(const char *msg, size_t len, struct frame *out)
{
	const char *end = msg + len, *p = skip_spaces(msg, end);
	size_t rest = (size_t)(end - p);

	if (mem_skip_prefix(&p, &rest, "Krnl PSW : "))
		return parse_s390_psw(p, end, out);
	static const char *const prefixes[] = {
		"RIP: ", "EIP: ", "IP: ", "pc : ", "PC is at ", "NIP [", "NIP: ",
		"epc   : ", "epc : ", "RIP  [", "EIP is at ",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (mem_starts_with(p, (size_t)(end - p), prefixes[i]))
			break;
	if (i == ARRAY_SIZE(prefixes))
		return false;
	p += strlen(prefixes[i]);
	if (prefixes[i][strlen(prefixes[i]) - 1] == '[')
		p--;	/* keep the bracket for the address parser */
	/* "0010:" segment selector before the symbol or address. */
	if (end - p > 5 && p[4] == ':' && is_hex_digit((unsigned char)p[0]) &&
	    is_hex_digit((unsigned char)p[3]))
		p += 5;
	/* "RIP: 0010:[<addr>]  [<addr>] f+…": take the last bracket and symbol. */
	{
		unsigned long long addr;
		const char *q;
		struct frame f;

		memset(&f, 0, sizeof(f));
		f.reliable = true;
		while ((q = parse_bracket_addr(p, end, &addr))) {
			f.addr = addr;
			f.has_addr = true;
			p = skip_spaces(q, end);
		}
		q = parse_symbol(p, end, &f);
		if (!q) {
			if (!f.has_addr) {
				frame_release(&f);
				return false;
			}
		} else {
			parse_module(q, end, &f);
		}
		*out = f;
		return true;
	}
}

void frame_base_name(const char *func, char *buf, size_t bufsz)
{
	size_t n = strlen(func);
	const char *dot;

	if (!bufsz)
		return;
	/*
	 * 2.6 kernels (up to 2.6.20 on x86) moved spinlock contention loops
	 * out of line into ".text.lock.<file>" sections (LOCK_SECTION_START),
	 * and kallsyms names the code there by the section:
	 * ".text.lock.spinlock+0x2/0x30". A section name, kept whole.
	 */
	if (starts_with(func, ".text.")) {
		snprintf(buf, bufsz, "%s", func);
		return;
	}
	/* ppc64 ELFv1: kallsyms names a function by its entry symbol, the
	   function descriptor's name with a leading dot (".schedule"). */
	if (func[0] == '.' && (func[1] == '_' || (func[1] >= 'a' && func[1] <= 'z') ||
			       (func[1] >= 'A' && func[1] <= 'Z'))) {
		func++;
		n--;
	}
	/* Everything from the first ".isra"/".constprop"/… on is a suffix. */
	dot = strchr(func, '.');
	if (dot && dot != func)
		n = (size_t)(dot - func);
	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, func, n);
	buf[n] = '\0';
}
