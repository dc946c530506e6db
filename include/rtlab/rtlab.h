/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rtlab.h - the whole public API of librtlab. */
#ifndef RTLAB_RTLAB_H
#define RTLAB_RTLAB_H

#include <rtlab/analysis.h>
#include <rtlab/bpf.h>
#include <rtlab/compare.h>
#include <rtlab/core.h>
#include <rtlab/cyclic.h>
#include <rtlab/correlate.h>
#include <rtlab/doctor.h>
#include <rtlab/ftrace.h>
#include <rtlab/hist.h>
#include <rtlab/load.h>
#include <rtlab/mutex.h>
#include <rtlab/sched.h>
#include <rtlab/sysinfo.h>
#include <rtlab/probe.h>
#include <rtlab/probe-export.h>
#include <rtlab/probe-record.h>
#include <rtlab/report.h>
#include <rtlab/run.h>
#include <rtlab/scenario.h>
#include <rtlab/store.h>
#include <rtlab/task.h>
#include <rtlab/watchdog.h>

#endif /* RTLAB_RTLAB_H */
