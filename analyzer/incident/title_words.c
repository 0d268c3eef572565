#include "title_words.h"
#include "util.h"

#include <string.h>

bool title_word_is(const char *w, const char *we, const char *lit)
{
	return (size_t)(we - w) == strlen(lit) && !memcmp(w, lit, (size_t)(we - w));
}

bool title_word_has_digit(const char *w, const char *we)
{
	for (; w < we; w++)
		if (*w >= '0' && *w <= '9')
			return true;
	return false;
}

/*
 * Append a header message without its variable parts, so equal bugs get
 * equal titles: words holding numbers or addresses ("ffff88…{i=0,n=lo}",
 * "(1)", "[00000000]") are dropped; the message ends at "at X"/"on X"
 * (a location, CPU or address follows), "in process …", " - ", a bracketed
 * detail ("[unmount of …]"), a word ending in '!', and, when stop_at_colon,
 * a word ending in ':' ("scheduling while atomic: comm/pid").
 */
void title_add_stable_words(struct strbuf *sb, const char *p, const char *end,
			    bool stop_at_colon)
{
	bool first = true;

	while (p < end) {
		const char *w = p, *we, *next;
		bool stop = false;
		size_t n;

		while (w < end && *w == ' ')
			w++;
		we = w;
		while (we < end && *we != ' ')
			we++;
		if (we == w)
			break;
		next = we;
		while (next < end && *next == ' ')
			next++;
		if (title_word_is(w, we, "-"))
			break;
		if ((title_word_is(w, we, "at") || title_word_is(w, we, "on") || title_word_is(w, we, "in")) &&
		    next < end) {
			/* "at ffff…", "on CPU#2,", "in migration/1:14": an object. */
			const char *ne = next;
			bool variable;
			while (ne < end && *ne != ' ')
				ne++;
			if (mem_starts_with(next, (size_t)(end - next), "process"))
				break;
			variable = title_word_has_digit(next, ne) || memchr(next, '/', (size_t)(ne - next)) ||
				   memchr(next, ':', (size_t)(ne - next)) ||
				   mem_starts_with(next, (size_t)(end - next), "CPU");
			if (variable) {
				if (ne[-1] == ',' || (stop_at_colon && ne[-1] == ':'))
					break;
				p = ne;
				continue;
			}
		}
		if ((*w == '[' || *w == '(') && !(we[-1] == ']' && title_word_has_digit(w, we)))
			break;
		/* "mm:00000000 type:MM_FILEPAGES": key:value details follow */
		if (memchr(w, ':', (size_t)(we - w - 1)) && we - w > 1)
			break;
		if (we[-1] == '!' || (stop_at_colon && we[-1] == ':'))
			stop = true;
		n = (size_t)(we - w) - (stop ? 1 : 0);
		if (n && !title_word_has_digit(w, we)) {
			if (!first)
				strbuf_addch(sb, ' ');
			strbuf_add(sb, w, n);
			first = false;
		}
		if (stop)
			break;
		p = we;
	}
	while (sb->len && (sb->buf[sb->len - 1] == '.' || sb->buf[sb->len - 1] == ' ' ||
			   sb->buf[sb->len - 1] == ','))
		strbuf_setlen(sb, sb->len - 1);
}

/*
 * A message as printed with its variable parts made constant the way
 * syzkaller does: "+0x14/0x20" offsets dropped, numbers (decimal or 0x…)
 * replaced by NUM ("unknown-block(NUM,NUM)", "age=NUM cpu=NUM pid=NUM").
 */
void title_add_numbers_as_num(struct strbuf *sb, const char *p, const char *end)
{
	for (; p < end; p++) {
		if (*p == '+' && end - p > 3 && p[1] == '0' && p[2] == 'x') {
			/* "+0x14/0x20" */
			const char *q = p + 3;
			while (q < end && (is_hex_digit((unsigned char)*q) || *q == '/' || *q == 'x'))
				q++;
			p = q - 1;
			continue;
		}
		if (*p >= '0' && *p <= '9') {
			bool hex = p[0] == '0' && p + 1 < end && p[1] == 'x';
			if (hex)
				p += 2;
			while (p < end && ((*p >= '0' && *p <= '9') ||
					   (hex && is_hex_digit((unsigned char)*p))))
				p++;
			p--;
			strbuf_addstr(sb, "NUM");
			continue;
		}
		strbuf_addch(sb, *p);
	}
}

/* A word naming an instance: letters and digits mixed outside parentheses
   ("ptm3", "sda1", "eth0"), unlike "unknown-block(0,0)". */
static bool word_names_instance(const char *w, const char *we)
{
	bool alpha = false, digit = false;
	int depth = 0;

	for (; w < we; w++) {
		if (*w == '(')
			depth++;
		else if (*w == ')')
			depth--;
		else if (!depth && *w >= '0' && *w <= '9')
			digit = true;
		else if (!depth && ((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z')))
			alpha = true;
	}
	return alpha && digit;
}

/*
 * A panic message up to its first variable part: the words before a device
 * or task name, an "--- error" tail or a bare error code are kept (numbers
 * in them as NUM: "unknown-block(NUM,NUM)"), the rest is cut, and so is a
 * preposition left dangling ("Couldn't open N_TTY ldisc for ptm3 --- error
 * -12." → "Couldn't open N_TTY ldisc").
 */
void title_add_panic_words(struct strbuf *sb, const char *p, const char *end)
{
	static const char *const dangling[] = { "for", "on", "at", "of", "in", "to", "from", "with" };
	size_t start = sb->len, last_word = sb->len;

	while (p < end) {
		const char *w = p, *we;
		while (w < end && *w == ' ')
			w++;
		for (we = w; we < end && *we != ' '; we++)
			;
		if (we == w)
			break;
		if (title_word_is(w, we, "---") || word_names_instance(w, we) ||
		    ((*w == '-' || (*w >= '0' && *w <= '9')) && title_word_has_digit(w, we) &&
		     !memchr(w, '(', (size_t)(we - w))))
			break;
		last_word = sb->len;
		if (sb->len > start)
			strbuf_addch(sb, ' ');
		title_add_numbers_as_num(sb, w, we);
		p = we;
	}
	/* drop a dangling preposition and trailing punctuation */
	for (size_t i = 0; i < ARRAY_SIZE(dangling); i++)
		if (sb->len > start && !strcmp(sb->buf + last_word + (last_word > start),
					       dangling[i]))
			strbuf_setlen(sb, last_word);
	while (sb->len > start && (sb->buf[sb->len - 1] == ',' || sb->buf[sb->len - 1] == ':' ||
				   sb->buf[sb->len - 1] == '.' || sb->buf[sb->len - 1] == ' '))
		strbuf_setlen(sb, sb->len - 1);
}
