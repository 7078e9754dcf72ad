#ifndef LCBE_COLLECT_DURATION_HISTOGRAM_H_
#define LCBE_COLLECT_DURATION_HISTOGRAM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lcbe {

// DurationHistogram counts observations in fixed buckets, Prometheus style:
// bucket i counts values <= bounds[i], the last one (+Inf) counts all. The
// bounds live with the job's configuration and are passed in, so a
// histogram is just its counts. Not thread-safe.
class DurationHistogram {
 public:
  DurationHistogram() = default;
  // A histogram for `bucket_count` finite bounds (plus +Inf).
  explicit DurationHistogram(size_t bucket_count)
      : buckets_(bucket_count + 1, 0) {}

  // Adds one observation. `bounds` must be the ones this histogram was
  // sized for.
  void Observe(double seconds, const std::vector<double>& bounds);
  // Adds every observation of `other` (same bounds).
  void Add(const DurationHistogram& other);
  // Raises each cumulative bucket, the sum and the count to at least those
  // of `other`: the result never reads lower than either input.
  void RaiseTo(const DurationHistogram& other);

  // Cumulative count of bucket i (i == bounds.size() is +Inf).
  uint64_t Cumulative(size_t i) const;
  size_t bucket_count() const { return buckets_.size(); }
  uint64_t count() const { return count_; }
  double sum() const { return sum_; }

 private:
  std::vector<uint64_t> buckets_;  // non-cumulative
  uint64_t count_ = 0;
  double sum_ = 0;
};

}  // namespace lcbe

#endif  // LCBE_COLLECT_DURATION_HISTOGRAM_H_
