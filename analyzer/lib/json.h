/*
** json: a small streaming JSON writer into a strbuf. Strings are always
** emitted as valid UTF-8: invalid bytes become U+FFFD, control characters
** are escaped, so any bytes from a log produce parseable JSON.
** Owns nothing beyond the caller's strbuf.
*/
#ifndef KSIFT_JSON_H
#define KSIFT_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct json {
	struct strbuf *out;
	bool need_comma[64];
	int depth;
};

void json_init(struct json *j, struct strbuf *out);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
/* key may be NULL inside arrays. val NULL writes null. */
void json_str(struct json *j, const char *key, const char *val);
void json_strn(struct json *j, const char *key, const char *val, size_t len);
void json_int(struct json *j, const char *key, long long val);
void json_uint(struct json *j, const char *key, unsigned long long val);
void json_double(struct json *j, const char *key, double val, int decimals);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);

/* Append s as a quoted, escaped, UTF-8-repaired JSON string. */
void json_quote(struct strbuf *out, const char *s, size_t len);

#endif
