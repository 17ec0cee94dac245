/*
 * cert_time.c - the timestamps of certificates in state: Go's
 * time.MarshalText output, time.Parse(RFC3339) input, and the renewal
 * window test.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tls.h"

char *tls_time_format(int64_t sec, long nsec)
{
	time_t t = (time_t)sec;
	struct tm tm;
	char frac[24] = "", zone[24] = "Z", *text = malloc(96);
	if (!text || !localtime_r(&t, &tm)) {
		free(text);
		return NULL;
	}
	if (nsec > 0) {
		snprintf(frac, sizeof(frac), ".%09ld", nsec % 1000000000L);
		for (size_t n = strlen(frac); frac[n - 1] == '0'; n--)
			frac[n - 1] = '\0';
	}
	long off = tm.tm_gmtoff / 60;
	if (off)
		snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 60,
			 labs(off) % 60);
	snprintf(text, 96, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac, zone);
	return text;
}

/* n digits at *p as a number; false if they are not all digits. */
static bool digits(const char **p, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return false;
		*out = *out * 10 + (**p - '0');
	}
	return true;
}

static bool expect(const char **p, char c)
{
	return **p == c && (++*p, true);
}

/* Fraction ".ddd" (1 to 9 digits) into nanoseconds; none is fine. */
static bool fraction(const char **p, long *nsec)
{
	*nsec = 0;
	if (**p != '.')
		return true;
	int n = 0;
	for ((*p)++; isdigit((unsigned char)**p); (*p)++, n++)
		if (n < 9)
			*nsec = *nsec * 10 + (**p - '0');
	if (n == 0)
		return false;
	for (; n < 9; n++)
		*nsec *= 10;
	return true;
}

/* "Z" or "+hh:mm" / "-hh:mm" as seconds east of UTC. */
static bool zone_offset(const char **p, long *off)
{
	int h, m;
	char sign = **p;
	*off = 0;
	if (expect(p, 'Z'))
		return true;
	if ((sign != '+' && sign != '-') || !(++*p, digits(p, 2, &h)) || !expect(p, ':') ||
	    !digits(p, 2, &m) || h > 23 || m > 59)
		return false;
	*off = (sign == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return true;
}

bool tls_time_parse(const char *s, int64_t *sec, long *nsec)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se;
	long off;
	const char *p = s;
	if (!digits(&p, 4, &y) || !expect(&p, '-') || !digits(&p, 2, &mo) || !expect(&p, '-') ||
	    !digits(&p, 2, &d) || !expect(&p, 'T') || !digits(&p, 2, &h) || !expect(&p, ':') ||
	    !digits(&p, 2, &mi) || !expect(&p, ':') || !digits(&p, 2, &se) ||
	    !fraction(&p, nsec) || !zone_offset(&p, &off) || *p)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*sec = (int64_t)timegm(&tm) - off;
	return true;
}

bool tls_renewal_due(int64_t end_sec, long end_nsec, int64_t early_hours, int64_t now_sec,
		     long now_nsec)
{
	int64_t due = end_sec - early_hours * 3600;
	return now_sec > due || (now_sec == due && now_nsec >= end_nsec);
}
