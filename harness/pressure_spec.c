// SPDX-License-Identifier: GPL-2.0
/*
 * pressure_spec.c - the --pressure SPEC string: NAME[:KEY=VALUE,...] parsed
 * into a struct pressure_cfg with each scenario's defaults and bounds, the
 * canonical string written back (JSON config.pressure, the oracle's module
 * parameters), and `ptbench list [-v] pressures`.  The scenarios and their
 * keys are pressure.c's registry.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pressure.h"

#define LEVEL_MAX_PAGES (1ULL << 40)	/* 4 PiB: keeps level arithmetic far from overflow */

static const char *const zone_class_names[PRESSURE_ZONE_NR + 1] = {
	[PRESSURE_ZONE_DMA32] = "dma32",
	[PRESSURE_ZONE_DMA] = "dma",
	[PRESSURE_ZONE_NORMAL] = "normal",
	[PRESSURE_ZONE_NONE] = "none",
};

static const char *const level_names[LEVEL_NR] = {
	[LEVEL_WMARK_MIN] = "min",
	[LEVEL_WMARK_LOW] = "low",
	[LEVEL_WMARK_HIGH] = "high",
	[LEVEL_WMARK_ATOMIC] = "atomic",
	[LEVEL_BOOT] = "boot",
};

/* ---- parsing and the canonical string ---- */

static int parse_digits(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

/* "0.25", "1.0", "0": millionths of the way from min to low. */
static int parse_fraction(const char *s, uint32_t *ppm)
{
	const char *dot = strchr(s, '.');
	uint32_t frac = 0, scale = PRESSURE_PPM;
	const char *d;

	if (dot - s != 1 || (s[0] != '0' && s[0] != '1') || !dot[1] || strlen(dot + 1) > 6)
		return -EINVAL;
	for (d = dot + 1; *d; d++) {
		if (*d < '0' || *d > '9')
			return -EINVAL;
		scale /= 10;
		frac += (uint32_t)(*d - '0') * scale;
	}
	if (s[0] == '1' && frac)
		return -EINVAL;
	*ppm = s[0] == '1' ? PRESSURE_PPM : frac;
	return 0;
}

static int parse_level(const char *s, struct pressure_level *out)
{
	uint64_t v;
	bool wmark;

	memset(out, 0, sizeof(*out));
	if (strchr(s, '.')) {
		out->base = LEVEL_FRACTION;
		return parse_fraction(s, &out->fraction_ppm);
	}
	if (!parse_digits(s, &v)) {
		if (v > LEVEL_MAX_PAGES)
			return -EINVAL;
		out->base = LEVEL_PAGES;
		out->pages = (int64_t)v;
		return 0;
	}
	wmark = !strncasecmp(s, "wmark_", 6);
	if (wmark)
		s += 6;
	for (int b = LEVEL_WMARK_MIN; b <= LEVEL_BOOT; b++) {
		size_t n = strlen(level_names[b]);

		if (strncasecmp(s, level_names[b], n) || (wmark && b == LEVEL_BOOT))
			continue;
		out->base = (enum pressure_level_base)b;
		s += n;
		if (!*s)
			return 0;
		if ((*s != '+' && *s != '-') || parse_digits(s + 1, &v) || v > LEVEL_MAX_PAGES)
			return -EINVAL;
		out->pages = *s == '-' ? -(int64_t)v : (int64_t)v;
		return 0;
	}
	return -EINVAL;
}

static const char *format_level(const struct pressure_level *l, char *buf, size_t buf_bytes)
{
	if (l->base == LEVEL_PAGES) {
		snprintf(buf, buf_bytes, "%" PRId64, l->pages);
	} else if (l->base == LEVEL_FRACTION) {
		char digits[8];
		int n;

		if (l->fraction_ppm == PRESSURE_PPM) {
			snprintf(buf, buf_bytes, "1.0");
			return buf;
		}
		snprintf(digits, sizeof(digits), "%06u", l->fraction_ppm);
		for (n = 6; n > 1 && digits[n - 1] == '0'; n--)
			;
		snprintf(buf, buf_bytes, "0.%.*s", n, digits);
	} else {
		snprintf(buf, buf_bytes, "%s%c%" PRIu64, level_names[l->base], l->pages < 0 ? '-' : '+',
			 l->pages < 0 ? (uint64_t)-l->pages : (uint64_t)l->pages);
	}
	return buf;
}

static int parse_key_value(const struct pressure_scenario *s, const struct pressure_key *k,
			   const char *val, struct pressure_cfg *cfg, char *err, size_t err_bytes)
{
	void *field = (char *)cfg + k->offset;
	uint64_t v;

	switch (k->kind) {
	case PRESSURE_KEY_ZONE:
		for (int z = 0; z < PRESSURE_ZONE_NR; z++) {
			if (!strcmp(val, zone_class_names[z])) {
				*(enum pressure_zone *)field = (enum pressure_zone)z;
				return 0;
			}
		}
		snprintf(err, err_bytes, "%s: zone: '%s' is not one of dma32, dma, normal", s->name, val);
		return -EINVAL;
	case PRESSURE_KEY_ZONE_MAP:
		for (int z = 0; z <= PRESSURE_ZONE_NONE; z++) {
			if (!strcmp(val, zone_class_names[z])) {
				*(enum pressure_zone *)field = (enum pressure_zone)z;
				return 0;
			}
		}
		snprintf(err, err_bytes, "%s: %s: '%s' is not one of dma32, dma, normal, none",
			 s->name, k->name, val);
		return -EINVAL;
	case PRESSURE_KEY_LEVEL:
		if (parse_level(val, field)) {
			snprintf(err, err_bytes, "%s: %s: '%s' is not a level (N pages, "
				 "min|low|high|atomic|boot[+-N], or a fraction 0..1 from min to low)",
				 s->name, k->name, val);
			return -EINVAL;
		}
		return 0;
	case PRESSURE_KEY_PATH:
		/* the canonical string must read back: a ',' would split it */
		if (strchr(val, ',')) {
			snprintf(err, err_bytes, "%s: %s: '%s' has a ',' (the key separator): "
				 "rename or link the file", s->name, k->name, val);
			return -EINVAL;
		}
		PTB_BUG_ON(strlen(val) >= PRESSURE_ARG_MAX);
		strcpy(field, val);
		return 0;
	case PRESSURE_KEY_U64:
		if (parse_digits(val, &v)) {
			snprintf(err, err_bytes, "%s: %s: '%s' is not a number", s->name, k->name, val);
			return -EINVAL;
		}
		if (v < k->min || v > k->max) {
			snprintf(err, err_bytes, "%s: %s: %" PRIu64 " is outside %" PRIu64 "..%" PRIu64,
				 s->name, k->name, v, k->min, k->max);
			return -EINVAL;
		}
		*(uint64_t *)field = v;
		return 0;
	}
	return -EINVAL;
}

static const struct pressure_key *find_key(const struct pressure_scenario *s, const char *name)
{
	for (unsigned int i = 0; i < s->nr_keys; i++)
		if (!strcmp(s->keys[i].name, name))
			return &s->keys[i];
	return NULL;
}

static void key_list(const struct pressure_scenario *s, char *buf, size_t buf_bytes)
{
	size_t n = 0;

	buf[0] = '\0';
	for (unsigned int i = 0; i < s->nr_keys && n < buf_bytes; i++)
		n += (size_t)snprintf(buf + n, buf_bytes - n, "%s%s", i ? ", " : "", s->keys[i].name);
}

void pressure_cfg_default(struct pressure_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->id = PRESSURE_NONE;
}

int pressure_parse(const char *arg, struct pressure_cfg *cfg, char *err, size_t err_bytes)
{
	char buf[PRESSURE_ARG_MAX], keys[128];
	bool given[PRESSURE_MAX_KEYS] = { false };
	const struct pressure_scenario *s = NULL;
	char *colon, *item, *save = NULL;

	if (strlen(arg) >= sizeof(buf)) {
		snprintf(err, err_bytes, "longer than %d characters", PRESSURE_ARG_MAX - 1);
		return -EINVAL;
	}
	strcpy(buf, arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	pressure_cfg_default(cfg);
	for (int i = 0; i < PRESSURE_NR && !s; i++) {
		if (!strcmp(pressure_get((enum pressure_id)i)->name, buf)) {
			cfg->id = (enum pressure_id)i;
			s = pressure_get((enum pressure_id)i);
		}
	}
	if (!s) {
		snprintf(err, err_bytes, "unknown scenario '%s' (see ptbench list pressures)", buf);
		return -EINVAL;
	}
	PTB_BUG_ON(s->nr_keys > PRESSURE_MAX_KEYS);
	/* every key's default first, through the same parser as a user's value */
	for (unsigned int i = 0; i < s->nr_keys; i++)
		PTB_BUG_ON(s->keys[i].dflt &&
			   parse_key_value(s, &s->keys[i], s->keys[i].dflt, cfg, err, err_bytes));
	if (!colon)
		goto check;
	if (!s->nr_keys) {
		snprintf(err, err_bytes, "%s takes no keys", s->name);
		return -EINVAL;
	}
	/* "trace:FILE": a value alone is the bare key's */
	if (s->bare_key && colon[1] && !strchr(colon + 1, '=')) {
		if (parse_key_value(s, find_key(s, s->bare_key), colon + 1, cfg, err, err_bytes))
			return -EINVAL;
		goto check;
	}
	key_list(s, keys, sizeof(keys));
	/* strtok_r would skip empty items: walk the commas by hand */
	for (item = colon + 1; item; item = save) {
		const struct pressure_key *k;
		char *eq;

		save = strchr(item, ',');
		if (save)
			*save++ = '\0';
		eq = strchr(item, '=');
		if (eq)
			*eq = '\0';
		if (!*item) {
			snprintf(err, err_bytes, "%s: empty key (keys: %s)", s->name, keys);
			return -EINVAL;
		}
		k = find_key(s, item);
		if (!k) {
			snprintf(err, err_bytes, "%s: unknown key '%s' (keys: %s)", s->name, item, keys);
			return -EINVAL;
		}
		if (!eq || !eq[1]) {
			snprintf(err, err_bytes, "%s: '%s' needs a value (%s=VALUE)", s->name, item, item);
			return -EINVAL;
		}
		if (given[k - s->keys]) {
			snprintf(err, err_bytes, "%s: key '%s' given twice", s->name, item);
			return -EINVAL;
		}
		given[k - s->keys] = true;
		if (parse_key_value(s, k, eq + 1, cfg, err, err_bytes))
			return -EINVAL;
	}
check:
	if (s->parse && s->parse(cfg, err, err_bytes))
		return -EINVAL;
	return 0;
}

const char *pressure_format(const struct pressure_cfg *cfg, char *buf, size_t buf_bytes)
{
	const struct pressure_scenario *s = pressure_get(cfg->id);
	size_t n;

	PTB_BUG_ON(!s);
	n = (size_t)snprintf(buf, buf_bytes, "%s", s->name);
	for (unsigned int i = 0; i < s->nr_keys && n < buf_bytes; i++) {
		const struct pressure_key *k = &s->keys[i];
		const void *field = (const char *)cfg + k->offset;
		char val[64];
		const char *v = val;

		if (k->kind == PRESSURE_KEY_ZONE || k->kind == PRESSURE_KEY_ZONE_MAP)
			v = zone_class_names[*(const enum pressure_zone *)field];
		else if (k->kind == PRESSURE_KEY_LEVEL)
			format_level(field, val, sizeof(val));
		else if (k->kind == PRESSURE_KEY_PATH)
			v = field;
		else
			snprintf(val, sizeof(val), "%" PRIu64, *(const uint64_t *)field);
		n += (size_t)snprintf(buf + n, buf_bytes - n, "%c%s=%s", i ? ',' : ':', k->name, v);
	}
	return buf;
}

const char *pressure_zone_class_name(enum pressure_zone zone)
{
	return (unsigned int)zone < PRESSURE_ZONE_NR ? zone_class_names[zone] : NULL;
}

const char *pressure_level_base_name(enum pressure_level_base base)
{
	if (base == LEVEL_PAGES)
		return "pages";
	if (base == LEVEL_FRACTION)
		return "fraction";
	return (unsigned int)base < LEVEL_NR ? level_names[base] : NULL;
}

void pressure_list(FILE *out, bool verbose)
{
	for (int i = 0; i < PRESSURE_NR; i++) {
		const struct pressure_scenario *s = pressure_get((enum pressure_id)i);

		if (!verbose) {
			fprintf(out, "%s\n", s->name);
			continue;
		}
		fprintf(out, "%-13s %s\n", s->name, s->what);
		for (unsigned int k = 0; k < s->nr_keys; k++) {
			char kv[64];

			snprintf(kv, sizeof(kv), "%s=%s", s->keys[k].name,
				 s->keys[k].dflt ? s->keys[k].dflt : "FILE");
			fprintf(out, "    %-18s %s\n", kv, s->keys[k].what);
		}
	}
	if (verbose)
		fputs("Levels: N pages, min|low|high|atomic[+-N] (the zone's watermarks; atomic = min as\n"
		      "GFP_ATOMIC sees it), boot[+-N] (the zone's free pages when the scenario starts),\n"
		      "or a fraction 0..1 of the way from min to low, e.g. 0.5.\n", out);
}
