#include "collect/duration_histogram.h"

#include <algorithm>
#include <cassert>

namespace lcbe {

void DurationHistogram::Observe(double seconds,
                                const std::vector<double>& bounds) {
  assert(buckets_.size() == bounds.size() + 1);
  const auto it = std::lower_bound(bounds.begin(), bounds.end(), seconds);
  ++buckets_[static_cast<size_t>(it - bounds.begin())];
  ++count_;
  sum_ += seconds;
}

void DurationHistogram::Add(const DurationHistogram& other) {
  if (buckets_.empty()) buckets_.assign(other.buckets_.size(), 0);
  assert(buckets_.size() == other.buckets_.size());
  for (size_t i = 0; i < buckets_.size(); ++i) {
    buckets_[i] += other.buckets_[i];
  }
  count_ += other.count_;
  sum_ += other.sum_;
}

void DurationHistogram::RaiseTo(const DurationHistogram& other) {
  if (buckets_.empty()) buckets_.assign(other.buckets_.size(), 0);
  assert(buckets_.size() == other.buckets_.size());
  // The maximum of two cumulative sequences is itself cumulative, so the
  // raised buckets can be stored back as differences.
  uint64_t mine = 0;
  uint64_t theirs = 0;
  uint64_t raised_below = 0;
  for (size_t i = 0; i < buckets_.size(); ++i) {
    mine += buckets_[i];
    theirs += other.buckets_[i];
    const uint64_t raised = std::max(mine, theirs);
    buckets_[i] = raised - raised_below;
    raised_below = raised;
  }
  count_ = raised_below;
  sum_ = std::max(sum_, other.sum_);
}

uint64_t DurationHistogram::Cumulative(size_t i) const {
  uint64_t total = 0;
  for (size_t j = 0; j <= i && j < buckets_.size(); ++j) total += buckets_[j];
  return total;
}

}  // namespace lcbe
