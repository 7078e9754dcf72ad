#ifndef LCBE_COLLECT_JOB_STATE_H_
#define LCBE_COLLECT_JOB_STATE_H_

#include <memory>

#include "collect/duration_histogram.h"
#include "collect/job_snapshot.h"
#include "collect/listing_totals.h"
#include "config/config.h"

namespace lcbe {

// JobState is what the exporter remembers of one job between listings, so
// that its histograms and failure counter never go down:
//  - failed attempts already counted, so that a retried item neither
//    vanishes from nor re-enters the failure histogram and counter;
//  - the completed-duration histogram's high-water mark, so that an item
//    leaving `completed` cannot lower a bucket.
// Not thread-safe; the collector serialises access.
class JobState {
 public:
  // `config` must outlive the state.
  explicit JobState(const JobConfig* config);

  // Failed attempts counted so far. Page aggregation reads it while a
  // listing runs; it changes only in Commit().
  const AttemptSet& seen_failures() const { return seen_failures_; }

  // Folds a complete listing into the cumulative state and returns the
  // snapshot to publish.
  std::shared_ptr<const JobSnapshot> Commit(ListingTotals totals);

 private:
  void CountNewFailures(std::vector<NewFailure>& failures);

  const JobConfig* const config_;
  AttemptSet seen_failures_;
  DurationHistogram failed_durations_;
  DurationHistogram completed_durations_;
  uint64_t failures_total_ = 0;
};

// The skip reasons to export: the `limit` most frequent (ties by name), the
// rest summed as "other", sorted by reason.
std::vector<std::pair<std::string, int64_t>> CapSkipReasons(
    const SkipReasonCounts& counts, int limit);

}  // namespace lcbe

#endif  // LCBE_COLLECT_JOB_STATE_H_
