/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rt-sysinfo.c - system facts that matter for real-time latency, read below the context root. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cleanup.h"
#include "core-internal.h"
#include <rtlab/sysinfo.h>

#define CPUINFO_MAX (64 * 1024)

static const char *const preempt_names[_RTLAB_PREEMPT_MAX] = {
	[RTLAB_PREEMPT_UNKNOWN] = "unknown",
	[RTLAB_PREEMPT_NONE] = "none",
	[RTLAB_PREEMPT_VOLUNTARY] = "voluntary",
	[RTLAB_PREEMPT_FULL] = "full",
	[RTLAB_PREEMPT_LAZY] = "lazy",
	[RTLAB_PREEMPT_RT] = "rt",
};

/* What /boot/config-<release> says, when it is there. */
struct kconfig {
	bool found;
	bool dynamic;
	bool rt;
	enum rtlab_preempt_model choice;
	int hz;
};

/* rtlab_preempt_model_name - the name of a preemption model. */
const char *rtlab_preempt_model_name(enum rtlab_preempt_model model)
{
	if ((unsigned int)model >= _RTLAB_PREEMPT_MAX)
		return "unknown";
	return preempt_names[model];
}

/* model_from_name - "none", "voluntary", "full", "lazy" (@len bytes) to a model. */
static enum rtlab_preempt_model model_from_name(const char *s, size_t len)
{
	for (int m = RTLAB_PREEMPT_NONE; m < RTLAB_PREEMPT_RT; m++)
		if (strlen(preempt_names[m]) == len && strncmp(s, preempt_names[m], len) == 0)
			return (enum rtlab_preempt_model)m;
	return RTLAB_PREEMPT_UNKNOWN;
}

/* has_word - whether @word is one of the blank-separated words of @s. */
static bool has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; (p = strstr(p, word)); p += n) {
		bool start = p == s || isspace((unsigned char)p[-1]);
		bool end = p[n] == '\0' || isspace((unsigned char)p[n]);

		if (start && end)
			return true;
	}
	return false;
}

/* A kernel parameter as the kernel's next_arg() splits it. */
struct kparam {
	const char *name, *val;
	size_t name_len, val_len;
	bool has_val;
};

/* next_param - split the parameter at @p (quotes as in next_arg()); returns where it ends. */
static const char *next_param(const char *p, struct kparam *kp)
{
	bool in_quote = false, quoted = false;
	const char *eq = NULL, *end, *last;

	if (*p == '"') {
		p++;
		in_quote = quoted = true;
	}
	for (end = p; *end && (in_quote || !isspace((unsigned char)*end)); end++) {
		if (!eq && *end == '=')
			eq = end;
		if (*end == '"')
			in_quote = !in_quote;
	}
	last = end;
	kp->name = p;
	kp->has_val = eq != NULL;
	kp->val = eq ? eq + 1 : end;
	if (eq && *kp->val == '"') {
		kp->val++;
		if (last > p && last[-1] == '"')
			last--;
	} else if (quoted && last > p && last[-1] == '"') {
		last--;
	}
	kp->name_len = (size_t)((eq ? eq : last) - p);
	kp->val_len = last > kp->val ? (size_t)(last - kp->val) : 0;
	return end;
}

/* param_eq - parameter names compare equal, '-' and '_' being the same (parameq()). */
static bool param_eq(const char *a, size_t alen, const char *b)
{
	size_t i;

	for (i = 0; i < alen && b[i]; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return false;
	}
	return i == alen && b[i] == '\0';
}

/* rtlab_cmdline_param - the value of the last @name on @cmdline, up to "--". */
int rtlab_cmdline_param(const char *cmdline, const char *name, char *buf, size_t size)
{
	struct kparam kp, found = { 0 };
	const char *p = cmdline;
	bool present = false;
	size_t n;

	if (!cmdline || !name || !*name || strchr(name, '='))
		return -EINVAL;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		p = next_param(p, &kp);
		if (!kp.has_val && kp.name_len == 2 && strncmp(kp.name, "--", 2) == 0)
			break;
		if (param_eq(kp.name, kp.name_len, name)) {
			found = kp;
			present = true;
		}
	}
	if (!present)
		return 0;
	if (size == 0)
		return buf ? -ENOSPC : 1;
	n = found.val_len < size ? found.val_len : size - 1;
	memcpy(buf, found.val, n);
	buf[n] = '\0';
	return n == found.val_len ? 1 : -ENOSPC;
}

/* read_fact - first line of <root>@path into @buf; a miss is logged at debug level. */
static int read_fact(struct rtlab_ctx *ctx, const char *path, char *buf, size_t size)
{
	ssize_t n = rtlab_read_line(ctx, path, buf, size);

	if (n < 0) {
		buf[0] = '\0';
		rtlab_log(ctx, RTLAB_LOG_DEBUG, "cannot read %s%s: %s", ctx->root, path,
			  strerror((int)-n));
		return (int)n;
	}
	return 0;
}

/* read_uname - uname(2) for the real root, <root>/proc/sys/kernel files for a fixture tree. */
static int read_uname(struct rtlab_ctx *ctx, struct rtlab_sysinfo *si)
{
	static const struct {
		const char *path;
		size_t off;
	} files[] = {
		{ "/proc/sys/kernel/ostype", offsetof(struct rtlab_sysinfo, sysname) },
		{ "/proc/sys/kernel/hostname", offsetof(struct rtlab_sysinfo, nodename) },
		{ "/proc/sys/kernel/osrelease", offsetof(struct rtlab_sysinfo, release) },
		{ "/proc/sys/kernel/version", offsetof(struct rtlab_sysinfo, version) },
		{ "/proc/sys/kernel/arch", offsetof(struct rtlab_sysinfo, machine) },
	};
	struct utsname u;
	int found = 0;

	if (!ctx->root[0] && uname(&u) == 0) {
		rtlab_strlcpy(si->sysname, u.sysname, sizeof(si->sysname));
		rtlab_strlcpy(si->nodename, u.nodename, sizeof(si->nodename));
		rtlab_strlcpy(si->release, u.release, sizeof(si->release));
		rtlab_strlcpy(si->version, u.version, sizeof(si->version));
		rtlab_strlcpy(si->machine, u.machine, sizeof(si->machine));
		return 1;
	}
	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(files); i++)
		if (read_fact(ctx, files[i].path, (char *)si + files[i].off,
			      sizeof(si->sysname)) == 0)
			found++;
	return found > 0;
}

/* read_cpuset - a CPU list file into @set; "(null)" (old nohz_full) is the empty set. */
static int read_cpuset(struct rtlab_ctx *ctx, const char *path, cpu_set_t *set)
{
	char buf[4096];
	int r;

	r = read_fact(ctx, path, buf, sizeof(buf));
	if (r < 0)
		return r;
	if (strcmp(buf, "(null)") == 0)
		buf[0] = '\0';
	r = rtlab_cpulist_parse(buf, set, NULL);
	if (r < 0) {
		CPU_ZERO(set);
		rtlab_log(ctx, RTLAB_LOG_DEBUG, "%s%s: malformed CPU list", ctx->root, path);
	}
	return r;
}

/* parse_isolcpus - the CPU list of an isolcpus= value, after its flags ("managed_irq,domain,"). */
static int parse_isolcpus(const char *val, cpu_set_t *set)
{
	const char *p = val;

	while (isalpha((unsigned char)*p)) {
		const char *q = p;

		while (isalpha((unsigned char)*q) || *q == '_')
			q++;
		if (*q != ',')
			return -EINVAL;
		p = q + 1;
	}
	return rtlab_cpulist_parse(p, set, NULL);
}

/* cmdline_cpus - the CPU list of kernel parameter @name; "all" is every online CPU. */
static int cmdline_cpus(const struct rtlab_sysinfo *si, const char *name, cpu_set_t *set)
{
	char val[1024];
	int r;

	CPU_ZERO(set);
	r = rtlab_cmdline_param(si->cmdline, name, val, sizeof(val));
	if (r <= 0)
		return r;
	if (strcmp(val, "all") == 0) {
		*set = si->online;
		return 1;
	}
	if (strcmp(name, "isolcpus") == 0)
		r = parse_isolcpus(val, set);
	else
		r = rtlab_cpulist_parse(val, set, NULL);
	return r < 0 ? r : 1;
}

/* read_cpus - online, isolated, nohz_full and rcu_nocbs CPU sets. */
static int read_cpus(struct rtlab_ctx *ctx, struct rtlab_sysinfo *si)
{
	int found = 0;

	if (read_cpuset(ctx, "/sys/devices/system/cpu/online", &si->online) == 0) {
		si->nr_online = CPU_COUNT(&si->online);
		found++;
	}
	if (read_cpuset(ctx, "/sys/devices/system/cpu/isolated", &si->isolated) == 0) {
		si->isolated_known = true;
		found++;
	} else if (si->cmdline[0] && cmdline_cpus(si, "isolcpus", &si->isolated) >= 0) {
		si->isolated_known = true;
	}
	if (read_cpuset(ctx, "/sys/devices/system/cpu/nohz_full", &si->nohz_full) == 0) {
		si->nohz_full_known = true;
		found++;
	}
	if (si->cmdline[0] && cmdline_cpus(si, "rcu_nocbs", &si->rcu_nocbs) >= 0)
		si->rcu_nocbs_known = true;
	return found;
}

/* read_cpuinfo - model name and the hypervisor flag from the first CPU of /proc/cpuinfo. */
static int read_cpuinfo(struct rtlab_ctx *ctx, struct rtlab_sysinfo *si)
{
	static const char *const keys[] = { "model name", "Model", "cpu model", "Processor" };
	_cleanup_(freep) char *buf = malloc(CPUINFO_MAX);
	char *line, *save = NULL;
	ssize_t n;

	if (!buf)
		return 0;
	n = rtlab_read_file(ctx, "/proc/cpuinfo", buf, CPUINFO_MAX);
	if (n < 0) {
		rtlab_log(ctx, RTLAB_LOG_DEBUG, "cannot read %s/proc/cpuinfo: %s", ctx->root,
			  strerror((int)-n));
		return 0;
	}
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':');
		size_t klen;

		if (!colon)
			continue;
		klen = (size_t)(colon - line);
		while (klen > 0 && isspace((unsigned char)line[klen - 1]))
			klen--;
		colon++;
		colon += strspn(colon, " \t");
		if (klen == 5 && strncmp(line, "flags", 5) == 0 && !si->hypervisor)
			si->hypervisor = has_word(colon, "hypervisor");
		for (size_t i = 0; i < RTLAB_ARRAY_SIZE(keys) && !si->cpu_model[0]; i++)
			if (strlen(keys[i]) == klen && strncmp(line, keys[i], klen) == 0)
				rtlab_strlcpy(si->cpu_model, colon, sizeof(si->cpu_model));
	}
	return 1;
}

/* config_line - note what one line of a kernel .config says about preemption and HZ. */
static void config_line(const char *line, struct kconfig *kc)
{
	static const struct {
		const char *opt;
		enum rtlab_preempt_model model;
	} choices[] = {
		{ "CONFIG_PREEMPT_NONE=y", RTLAB_PREEMPT_NONE },
		{ "CONFIG_PREEMPT_VOLUNTARY=y", RTLAB_PREEMPT_VOLUNTARY },
		{ "CONFIG_PREEMPT=y", RTLAB_PREEMPT_FULL },
		{ "CONFIG_PREEMPT_LAZY=y", RTLAB_PREEMPT_LAZY },
	};

	for (size_t i = 0; i < RTLAB_ARRAY_SIZE(choices); i++)
		if (strcmp(line, choices[i].opt) == 0)
			kc->choice = choices[i].model;
	if (strcmp(line, "CONFIG_PREEMPT_DYNAMIC=y") == 0)
		kc->dynamic = true;
	if (strcmp(line, "CONFIG_PREEMPT_RT=y") == 0)
		kc->rt = true;
	if (strncmp(line, "CONFIG_HZ=", 10) == 0)
		kc->hz = atoi(line + 10);
}

/* read_kconfig - /boot/config-<release>, if the distribution installed it. */
static void read_kconfig(struct rtlab_ctx *ctx, const struct rtlab_sysinfo *si, struct kconfig *kc)
{
	char path[128], full[PATH_MAX], line[256];
	FILE *f;

	memset(kc, 0, sizeof(*kc));
	if (!si->release[0] || strchr(si->release, '/'))
		return;
	snprintf(path, sizeof(path), "/boot/config-%s", si->release);
	if (rtlab_path(ctx, path, full, sizeof(full)) < 0)
		return;
	f = fopen(full, "re");
	if (!f) {
		rtlab_log(ctx, RTLAB_LOG_DEBUG, "cannot read %s: %s", full, strerror(errno));
		return;
	}
	kc->found = true;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		config_line(line, kc);
	}
	fclose(f);
}

/* model_from_debugfs - the parenthesized model of "none voluntary (full) lazy". */
static enum rtlab_preempt_model model_from_debugfs(struct rtlab_ctx *ctx)
{
	char buf[128], *open, *close;

	if (read_fact(ctx, "/sys/kernel/debug/sched/preempt", buf, sizeof(buf)) < 0)
		return RTLAB_PREEMPT_UNKNOWN;
	open = strchr(buf, '(');
	close = open ? strchr(open, ')') : NULL;
	if (!close)
		return RTLAB_PREEMPT_UNKNOWN;
	return model_from_name(open + 1, (size_t)(close - open - 1));
}

/* set_model - record the model and where it came from. */
static void set_model(struct rtlab_sysinfo *si, enum rtlab_preempt_model m, const char *source)
{
	si->preempt = m;
	rtlab_strlcpy(si->preempt_source, source, sizeof(si->preempt_source));
}

/* model_from_cmdline - preempt= of the command line, honoured by PREEMPT_DYNAMIC kernels only. */
static enum rtlab_preempt_model model_from_cmdline(const struct rtlab_sysinfo *si)
{
	char val[32];

	if (!si->preempt_dynamic)
		return RTLAB_PREEMPT_UNKNOWN;
	if (rtlab_cmdline_param(si->cmdline, "preempt", val, sizeof(val)) <= 0)
		return RTLAB_PREEMPT_UNKNOWN;
	return model_from_name(val, strlen(val));
}

/* find_model - debugfs, then preempt= (dynamic kernels), then .config, then uname -v. */
static void find_model(struct rtlab_ctx *ctx, struct rtlab_sysinfo *si, const struct kconfig *kc,
		       const char *rt_source)
{
	enum rtlab_preempt_model m;

	if (si->preempt_rt) {
		set_model(si, RTLAB_PREEMPT_RT, rt_source);
	} else if ((m = model_from_debugfs(ctx)) != RTLAB_PREEMPT_UNKNOWN) {
		set_model(si, m, "debugfs");
	} else if ((m = model_from_cmdline(si)) != RTLAB_PREEMPT_UNKNOWN) {
		set_model(si, m, "cmdline");
	} else if (kc->found && kc->choice != RTLAB_PREEMPT_UNKNOWN) {
		set_model(si, kc->choice, "config");
	} else if (si->preempt_dynamic) {
		set_model(si, RTLAB_PREEMPT_FULL, "uname, PREEMPT_DYNAMIC default assumed");
	} else if (has_word(si->version, "PREEMPT")) {
		set_model(si, RTLAB_PREEMPT_FULL, "uname");
	} else if (si->version[0]) {
		set_model(si, RTLAB_PREEMPT_UNKNOWN, "uname, no PREEMPT flag: none or voluntary");
	} else {
		set_model(si, RTLAB_PREEMPT_UNKNOWN, "");
	}
}

/* read_preempt - PREEMPT_RT, PREEMPT_DYNAMIC and the current preemption model. */
static int read_preempt(struct rtlab_ctx *ctx, struct rtlab_sysinfo *si)
{
	const char *rt_source = NULL;
	struct kconfig kc;
	int64_t rt = 0;
	int found = 0;

	if (rtlab_read_i64(ctx, "/sys/kernel/realtime", &rt) == 0)
		found++;
	read_kconfig(ctx, si, &kc);
	if (rt == 1)
		rt_source = "sysfs realtime";
	else if (has_word(si->version, "PREEMPT_RT"))
		rt_source = "uname";
	else if (kc.rt)
		rt_source = "config";
	si->preempt_rt = rt_source != NULL;
	si->preempt_dynamic = has_word(si->version, "PREEMPT_DYNAMIC") || kc.dynamic;
	si->hz = kc.hz > 0 ? kc.hz : 0;
	find_model(ctx, si, &kc, rt_source);
	return found + (kc.found ? 1 : 0);
}

/* read_misc - RT throttling, the kernel command line and the clocksource. */
static int read_misc(struct rtlab_ctx *ctx, struct rtlab_sysinfo *si)
{
	int found = 0;

	if (rtlab_read_i64(ctx, "/proc/sys/kernel/sched_rt_runtime_us", &si->rt_runtime_us) == 0 &&
	    rtlab_read_i64(ctx, "/proc/sys/kernel/sched_rt_period_us", &si->rt_period_us) == 0) {
		si->rt_throttle_known = true;
		found++;
	} else {
		si->rt_runtime_us = 0;
		si->rt_period_us = 0;
		rtlab_log(ctx, RTLAB_LOG_DEBUG, "RT throttling settings unreadable below '%s'",
			  ctx->root);
	}
	if (read_fact(ctx, "/proc/cmdline", si->cmdline, sizeof(si->cmdline)) == 0)
		found++;
	if (read_fact(ctx, "/sys/devices/system/clocksource/clocksource0/current_clocksource",
		      si->clocksource, sizeof(si->clocksource)) == 0)
		found++;
	return found;
}

/* rtlab_sysinfo_read - gather every fact; unknown ones stay unknown. */
int rtlab_sysinfo_read(struct rtlab_ctx *ctx, struct rtlab_sysinfo *ret)
{
	int found = 0;

	memset(ret, 0, sizeof(*ret));
	found += read_uname(ctx, ret);
	found += read_misc(ctx, ret);
	found += read_cpus(ctx, ret);
	found += read_cpuinfo(ctx, ret);
	found += read_preempt(ctx, ret);
	if (found == 0)
		return rtlab_err(ctx, -ENOENT, "no system facts could be read below '%s'",
				 ctx->root[0] ? ctx->root : "/");
	return 0;
}
