#include "collect/job_state.h"

#include <algorithm>

namespace lcbe {
namespace {

std::optional<double> ToUnixSeconds(std::optional<UnixNanos> nanos) {
  if (!nanos) return std::nullopt;
  return static_cast<double>(*nanos) / 1e9;
}

}  // namespace

JobState::JobState(const JobConfig* config)
    : config_(config),
      failed_durations_(config->duration_buckets.size()),
      completed_durations_(config->duration_buckets.size()) {}

std::shared_ptr<const JobSnapshot> JobState::Commit(ListingTotals totals) {
  CountNewFailures(totals.new_failures);
  completed_durations_.RaiseTo(totals.completed_durations);

  auto snapshot = std::make_shared<JobSnapshot>();
  snapshot->status_counts = totals.status_counts;
  snapshot->skip_reasons =
      CapSkipReasons(totals.skip_reasons, config_->max_skip_reasons);
  snapshot->completed_durations = completed_durations_;
  snapshot->failed_durations = failed_durations_;
  snapshot->completed_without_duration = totals.completed_without_duration;
  snapshot->failed_without_duration = totals.failed_without_duration;
  snapshot->failures_total = failures_total_;
  snapshot->last_completion_unix = ToUnixSeconds(totals.newest_completion);
  snapshot->oldest_processing_start_unix =
      ToUnixSeconds(totals.oldest_processing_start);
  return snapshot;
}

void JobState::CountNewFailures(std::vector<NewFailure>& failures) {
  // An item that moved between pages while the listing ran can appear
  // twice; the set keeps it from being counted twice.
  for (const NewFailure& failure : failures) {
    if (!seen_failures_.insert(failure.key).second) continue;
    ++failures_total_;
    if (failure.seconds) {
      failed_durations_.Observe(*failure.seconds, config_->duration_buckets);
    }
  }
}

std::vector<std::pair<std::string, int64_t>> CapSkipReasons(
    const SkipReasonCounts& counts, int limit) {
  std::vector<std::pair<std::string, int64_t>> reasons(counts.begin(),
                                                       counts.end());
  std::sort(reasons.begin(), reasons.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const size_t keep = static_cast<size_t>(std::max(limit, 0));
  if (reasons.size() > keep) {
    int64_t folded = 0;
    for (size_t i = keep; i < reasons.size(); ++i) folded += reasons[i].second;
    reasons.resize(keep);
    auto other = std::find_if(reasons.begin(), reasons.end(),
                              [](auto& r) { return r.first == "other"; });
    if (other != reasons.end()) {
      other->second += folded;
    } else {
      reasons.emplace_back("other", folded);
    }
  }
  std::sort(reasons.begin(), reasons.end());
  return reasons;
}

}  // namespace lcbe
