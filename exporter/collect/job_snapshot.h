#ifndef LCBE_COLLECT_JOB_SNAPSHOT_H_
#define LCBE_COLLECT_JOB_SNAPSHOT_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/item.h"
#include "collect/duration_histogram.h"
#include "config/config.h"

namespace lcbe {

// JobSnapshot is everything the exporter reports about one job's items, as
// of its last complete listing. Immutable once published; shared between
// the collector and the scrapes that render it.
struct JobSnapshot {
  std::array<int64_t, kItemStatusCount> status_counts{};
  // At most the job's max_skip_reasons entries, plus "other" for the rest;
  // sorted by reason.
  std::vector<std::pair<std::string, int64_t>> skip_reasons;
  // Cumulative over the life of the process: never lower than in an earlier
  // snapshot of the same job.
  DurationHistogram completed_durations;
  DurationHistogram failed_durations;
  // Items now completed or failed whose timestamps give no duration.
  int64_t completed_without_duration = 0;
  int64_t failed_without_duration = 0;
  // Distinct failed attempts seen since the process started.
  uint64_t failures_total = 0;
  std::optional<double> last_completion_unix;
  std::optional<double> oldest_processing_start_unix;
};

// How the job's collections have gone.
struct JobHealth {
  // True when the job's latest listing completed in time.
  bool up = false;
  // The job turned final and its last listing is served from now on.
  bool frozen = false;
  std::optional<double> last_collect_seconds;
  std::optional<double> last_attempt_unix;
  std::optional<double> last_success_unix;
  // Why the latest listing failed; empty after a success.
  std::string last_error;
};

// One job as a scrape sees it.
struct JobView {
  const JobConfig* config = nullptr;
  // Null until the job's first listing completes.
  std::shared_ptr<const JobSnapshot> snapshot;
  JobHealth health;
};

}  // namespace lcbe

#endif  // LCBE_COLLECT_JOB_SNAPSHOT_H_
