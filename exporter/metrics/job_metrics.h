#ifndef LCBE_METRICS_JOB_METRICS_H_
#define LCBE_METRICS_JOB_METRICS_H_

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "collect/job_snapshot.h"
#include "config/config.h"

namespace lcbe {

// Turns the jobs a scrape sees into metric families. Jobs without a
// snapshot (never listed completely) get only their health metrics. With
// config.min_interval set, the HELP texts say that values may be that old.
std::vector<prometheus::MetricFamily> BuildJobMetrics(
    const std::vector<JobView>& jobs, const Config& config);

// Renders families in the Prometheus text format, version 0.0.4.
std::string SerializeMetrics(
    const std::vector<prometheus::MetricFamily>& families);

}  // namespace lcbe

#endif  // LCBE_METRICS_JOB_METRICS_H_
