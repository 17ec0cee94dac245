/*
 * arn.c - parsing and checking ARNs (see arn.h).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arn.h"

#define SECTIONS 6

static bool all_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* "-[a-z]+" repeated, `min` times at least, covering s exactly. */
static bool dash_words(const char *s, int min)
{
	int n = 0;
	while (*s) {
		const char *end;
		if (*s != '-')
			return false;
		end = strchr(s + 1, '-');
		if (!end)
			end = s + strlen(s);
		if (!all_lower(s + 1, (size_t)(end - s - 1)))
			return false;
		s = end;
		n++;
	}
	return n >= min;
}

static bool valid_partition(const char *p)
{
	return !strncmp(p, "aws", 3) && dash_words(p + 3, 0);
}

/* [a-z]{2}(-[a-z]+)+-[0-9] */
static bool valid_region(const char *r)
{
	size_t n = strlen(r);
	if (n < 7 || !all_lower(r, 2) || r[n - 2] != '-' || !isdigit((unsigned char)r[n - 1]))
		return false;
	char *mid = strndup(r + 2, n - 4);
	bool ok = mid && dash_words(mid, 1);
	free(mid);
	return ok;
}

static bool valid_account(const char *a)
{
	size_t n = strlen(a), digits = strspn(a, "0123456789");
	return !strcmp(a, "aws") || !strcmp(a, "aws-managed") || !strcmp(a, "third-party") ||
	       (n == 12 && digits == 12) || (n == 12 && !strncmp(a, "cw", 2));
}

static const char *check(const struct aws_arn *arn)
{
	if (!*arn->partition)
		return "missing partition value";
	if (!valid_partition(arn->partition))
		return "invalid partition value";
	if (*arn->region && !valid_region(arn->region))
		return "invalid region value";
	if (*arn->account && !valid_account(arn->account))
		return "invalid account ID value";
	if (!*arn->resource)
		return "missing resource value";
	return NULL;
}

int aws_arn_parse(const char *text, struct aws_arn *arn, const char **why)
{
	char **parts[SECTIONS - 1] = { &arn->partition, &arn->service, &arn->region,
				       &arn->account, &arn->resource };
	const char *p = text;
	memset(arn, 0, sizeof(*arn));
	if (strncmp(text, "arn:", 4)) {
		*why = "invalid prefix";
		return -1;
	}
	p += 4;
	for (int i = 0; i < SECTIONS - 1; i++) {
		const char *colon = i < SECTIONS - 2 ? strchr(p, ':') : p + strlen(p);
		if (!colon) {
			aws_arn_release(arn);
			*why = "not enough sections";
			return -1;
		}
		if (!(*parts[i] = strndup(p, (size_t)(colon - p)))) {
			aws_arn_release(arn);
			*why = "out of memory";
			return -1;
		}
		p = colon + 1;
	}
	if ((*why = check(arn)) != NULL) {
		aws_arn_release(arn);
		return -1;
	}
	return 0;
}

void aws_arn_release(struct aws_arn *arn)
{
	free(arn->partition);
	free(arn->service);
	free(arn->region);
	free(arn->account);
	free(arn->resource);
	memset(arn, 0, sizeof(*arn));
}
