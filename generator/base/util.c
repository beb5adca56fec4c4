#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "banned.h"

static void die_oom(size_t n)
{
	fprintf(stderr, "avoin: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		die_oom(count * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	if (!fmt) /* never; tells GCC's -Wformat-truncation under UBSan so */
		abort();
	/* most results are short: one pass into a stack buffer, a second only when longer */
	char tmp[256];
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		die_oom(0);
	char *p = xmalloc((size_t)n + 1);
	if ((size_t)n < sizeof(tmp)) {
		memcpy(p, tmp, (size_t)n + 1);
		return p;
	}
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void *xgrow(void *items, size_t elem_size, size_t need, size_t *cap)
{
	if (need <= *cap)
		return items;
	size_t n = *cap ? *cap : 8;
	while (n < need)
		n *= 2;
	*cap = n;
	return xrealloc(items, n * elem_size);
}

int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	/*
	 * Sized once for a regular file, to its size and the NUL: the working-tree
	 * memo and a preview's kept state hold these (4 KiB of slack each was 42 MB
	 * over 10,000 records). A file that grows while it is read, or is not a
	 * regular file, grows the buffer.
	 */
	struct stat st;
	size_t cap = 4096, n = 0;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size < SIZE_MAX / 2)
		cap = (size_t)st.st_size + 2;
	char *data = xmalloc(cap);
	for (;;) {
		if (cap - n < 2) {
			cap = cap < 4096 ? 8192 : cap * 2;
			data = xrealloc(data, cap);
		}
		size_t r = fread(data + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	int err = ferror(f);
	fclose(f);
	if (err) {
		free(data);
		errno = EIO;
		return -1;
	}
	data[n] = '\0';
	*out = data;
	if (len)
		*len = n;
	return 0;
}

int is_slug(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

int is_iso_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

uint64_t str_hash(const char *s)
{
	return fnv1a(FNV1A_INIT, s, strlen(s));
}

int str_has_suffix(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

int str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

void run_threads(void *items, size_t n, size_t size, void *(*fn)(void *))
{
	char *base = items;
	pthread_t *tids = xcalloc(n ? n : 1, sizeof(*tids));
	size_t started = 0;
	for (size_t i = 1; i < n; i++) {
		if (pthread_create(&tids[i], NULL, fn, base + i * size) != 0)
			break;
		started = i;
	}
	if (n)
		fn(base);
	for (size_t i = 1; i <= started; i++)
		pthread_join(tids[i], NULL);
	for (size_t i = started + 1; i < n; i++) /* threads that could not start */
		fn(base + i * size);
	free(tids);
}

int pread_all(int fd, void *dst, size_t n, uint64_t off)
{
	char *p = dst;
	while (n) {
		ssize_t got = pread(fd, p, n, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			if (got == 0)
				errno = EIO; /* shorter than it was when checked */
			return -1;
		}
		p += got;
		n -= (size_t)got;
		off += (uint64_t)got;
	}
	return 0;
}

uint64_t le_get(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

void le_put(unsigned char *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

int map_file(const char *path, char **data, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	void *p = MAP_FAILED;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	*data = p;
	*len = (size_t)st.st_size;
	return 0;
}

#define WRITE_BUFFER (256u << 10)

FILE *fopen_buffered(const char *path, char **buffer)
{
	*buffer = NULL;
	FILE *f = fopen(path, "wb");
	if (!f)
		return NULL;
	*buffer = xmalloc(WRITE_BUFFER);
	setvbuf(f, *buffer, _IOFBF, WRITE_BUFFER);
	return f;
}

int fclose_buffered(FILE *f, char *buffer)
{
	int r = f ? fclose(f) : 0;
	free(buffer);
	return r;
}

int mkdir_parents(char *path)
{
	char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	int r = mkdir(path, 0755);
	if (r != 0 && errno == ENOENT)
		r = mkdir_parents(path) == 0 ? mkdir(path, 0755) : -1;
	if (r != 0 && errno == EEXIST)
		r = 0;
	*slash = '/';
	return r;
}

int dir_is_empty(const char *path)
{
	DIR *dir = opendir(path);
	if (!dir)
		return 0;
	int empty = 1;
	for (struct dirent *e; empty && (e = readdir(dir)) != NULL;)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(dir);
	return empty;
}

size_t str_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > 64 || nb > 64)
		return na > nb ? na : nb;
	size_t row[65];
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j], cost = a[i - 1] != b[j - 1];
			size_t best = diag + cost;
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

void mkdir_parent(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	free(dir);
}

uint64_t br_le(breader *r, size_t n)
{
	const unsigned char *p = br_bytes(r, n);
	return p ? le_get(p, n) : 0;
}

const unsigned char *br_bytes(breader *r, size_t n)
{
	if (r->bad || r->p > r->end || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return NULL;
	}
	const unsigned char *p = r->p;
	r->p += n;
	return p;
}

int br_byte(breader *r)
{
	const unsigned char *p = br_bytes(r, 1);
	return p ? *p : -1;
}

int br_uleb(breader *r, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64 && !r->bad; shift += 7) {
		int byte = br_byte(r);
		if (byte < 0)
			break;
		uint64_t part = (uint64_t)byte & 0x7f;
		if (shift == 63 && part > 1)
			break;
		v |= part << shift;
		if (!(byte & 0x80)) {
			/* one way to write each number: bytes read back are the bytes written */
			if ((byte == 0 && shift) || v > max)
				break;
			*out = v;
			return 0;
		}
	}
	r->bad = 1;
	return -1;
}

FILE *atomic_open(atomic_file *a, const char *path)
{
	a->path = xstrdup(path);
	a->tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	mkdir_parent(path);
	a->f = fopen_buffered(a->tmp, &a->buffer);
	if (!a->f) {
		/* nothing to commit: atomic_commit may still be called, and fails */
		fclose_buffered(NULL, a->buffer);
		free(a->tmp);
		free(a->path);
		*a = (atomic_file){ NULL, NULL, NULL, NULL };
	}
	return a->f;
}

int atomic_commit(atomic_file *a, int ok, int sync)
{
	if (!a->f)
		return -1;
	ok = ok && !ferror(a->f);
	if (ok && sync)
		ok = fflush(a->f) == 0 && fsync(fileno(a->f)) == 0;
	ok &= fclose_buffered(a->f, a->buffer) == 0;
	ok = ok && rename(a->tmp, a->path) == 0;
	if (!ok)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	*a = (atomic_file){ NULL, NULL, NULL, NULL };
	return ok ? 0 : -1;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		size_t k;
		unsigned cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if (k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))
			return 0;
		if (k == 3 && (cp < 0x10000 || cp > 0x10ffff))
			return 0;
		i += k + 1;
	}
	return 1;
}

size_t text_control_at(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return i;
	}
	return (size_t)-1;
}

long iso_days(const char *s)
{
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int is_hhmm(const char *s)
{
	return s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' &&
		s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' &&
		(s[0] - '0') * 10 + (s[1] - '0') < 24;
}

int meeting_when_parse(const char *s, char date[11], char start[6], char end[6])
{
	size_t n = strlen(s);
	start[0] = end[0] = '\0';
	if (n < 10)
		return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!is_iso_date(date))
		return 0;
	if (n == 10)
		return 1;
	if ((n != 16 && n != 22) || s[10] != ' ' || !is_hhmm(s + 11))
		return 0;
	memcpy(start, s + 11, 5);
	start[5] = '\0';
	if (n == 16)
		return 1;
	if (s[16] != '-' || !is_hhmm(s + 17) || memcmp(s + 17, start, 5) <= 0)
		return 0;
	memcpy(end, s + 17, 5);
	end[5] = '\0';
	return 1;
}

double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
