/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gpu-parse.c - amdgpu pp_dpm_* clock tables, PCI device uevents. */
#include <errno.h>
#include <string.h>

#include "hw/hw-internal.h"
#include "probe-parse.h"

/* dpm_line - "N: 1400Mhz *" (or "S: 19Mhz"); false if the line is not that. */
static bool dpm_line(const char *p, const char *eol, bool *sleep, uint64_t *mhz, bool *cur)
{
	uint64_t level;

	p = pp_skip_blanks(p, eol);
	*sleep = p < eol && *p == 'S';
	if (*sleep)
		p++;
	else if (!pp_u64(&p, eol, &level))
		return false;
	if (!pp_lit(&p, eol, ":") || !pp_u64(&p, eol, mhz))
		return false;
	if (!pp_lit(&p, eol, "Mhz") && !pp_lit(&p, eol, "MHz"))
		return false;
	p = pp_skip_blanks(p, eol);
	*cur = p < eol && *p == '*';
	if (*cur)
		p = pp_skip_blanks(p + 1, eol);
	return p == eol || (p + 1 == eol && *p == '\r');
}

/* gpu_dpm_parse - levels, the current one, the lowest and highest. */
int gpu_dpm_parse(const char *buf, size_t len, struct gpu_dpm *out)
{
	const char *p = buf, *end = buf + len;
	int r = 0;

	PV_NA(out->cur_mhz, RTLAB_PV_ABSENT);
	PV_NA(out->min_mhz, RTLAB_PV_ABSENT);
	PV_NA(out->max_mhz, RTLAB_PV_ABSENT);
	out->levels = 0;
	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end);
		bool sleep, cur;
		uint64_t mhz;

		if (pp_skip_blanks(p, eol) == eol)
			continue;
		if (!dpm_line(p, eol, &sleep, &mhz, &cur)) {
			r = -EBADMSG;
			continue;
		}
		if (cur)
			PV_SET(out->cur_mhz, mhz);
		if (sleep)
			continue;
		out->levels++;
		if (out->min_mhz.st != RTLAB_PV_OK || mhz < out->min_mhz.v)
			PV_SET(out->min_mhz, mhz);
		if (out->max_mhz.st != RTLAB_PV_OK || mhz > out->max_mhz.v)
			PV_SET(out->max_mhz, mhz);
	}
	if (out->levels == 0 && out->cur_mhz.st != RTLAB_PV_OK)
		r = -EBADMSG;
	return r;
}

/* hex_u32 - 1 to 8 hex digits. */
static bool hex_u32(const char **pp, const char *end, uint32_t *ret)
{
	const char *p = *pp;
	uint32_t v = 0;
	int n = 0;

	for (; p < end && n < 8; p++, n++) {
		char c = *p;
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			break;
		v = v << 4 | d;
	}
	if (n == 0)
		return false;
	*ret = v;
	*pp = p;
	return true;
}

/* drm_uevent_parse - the keys a GPU's identity needs. */
int drm_uevent_parse(const char *buf, size_t len, struct drm_pci *out)
{
	const char *p = buf, *end = buf + len;
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (; p < end; p = pp_next_line(p, end)) {
		const char *eol = pp_eol(p, end), *v = p;

		if (pp_lit(&v, eol, "DRIVER=")) {
			hw_str_copy(out->driver, sizeof(out->driver), v, (size_t)(eol - v));
		} else if (pp_lit(&v, eol, "PCI_SLOT_NAME=")) {
			hw_str_copy(out->slot, sizeof(out->slot), v, (size_t)(eol - v));
		} else if (pp_lit(&v, eol, "PCI_ID=")) {
			if (hex_u32(&v, eol, &out->vendor) && pp_lit(&v, eol, ":") &&
			    hex_u32(&v, eol, &out->device) && v == eol)
				out->has_id = true;
			else
				r = -EBADMSG;
		}
	}
	return r;
}
