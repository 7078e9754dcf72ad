#ifndef LCBE_COLLECT_LISTING_TOTALS_H_
#define LCBE_COLLECT_LISTING_TOTALS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "api/item.h"
#include "collect/duration_histogram.h"

namespace lcbe {

// A hash that lets string-keyed maps be probed with a string_view, so that
// counting an already-known skip reason allocates nothing.
struct StringViewHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>{}(s);
  }
};
using SkipReasonCounts =
    std::unordered_map<std::string, int64_t, StringViewHash, std::equal_to<>>;

// Identifies one failed attempt of one item: the item's id with the id of
// the processing job of that attempt (or, when the API sends none, the
// attempt's start time). A 64-bit hash keeps the set of attempts seen small.
using AttemptKey = uint64_t;
using AttemptSet = std::unordered_set<AttemptKey>;

// A failed attempt not seen by an earlier listing, with its duration when
// the timestamps allow one.
struct NewFailure {
  AttemptKey key = 0;
  std::optional<double> seconds;
};

// ListingTotals is what a part of a listing (one page, or the pages merged
// so far) says about a job. Everything in it is additive across pages.
struct ListingTotals {
  std::array<int64_t, kItemStatusCount> status_counts{};
  SkipReasonCounts skip_reasons;
  // Durations of the completed items listed.
  DurationHistogram completed_durations;
  int64_t completed_without_duration = 0;
  int64_t failed_without_duration = 0;
  // Failed attempts that were not in the job's attempt set.
  std::vector<NewFailure> new_failures;
  std::optional<UnixNanos> newest_completion;
  std::optional<UnixNanos> oldest_processing_start;
  // Status texts the exporter does not know, at most a few.
  std::vector<std::string> unknown_statuses;

  // Adds `other` into this.
  void Merge(ListingTotals&& other);
};

// Skip reasons longer than this are cut, so that a hostile or broken
// response cannot blow up label sizes.
inline constexpr size_t kMaxSkipReasonBytes = 128;
// Distinct skip reasons tracked per listing before the rest count as
// "other" at once, bounding memory whatever the API sends.
inline constexpr size_t kMaxTrackedSkipReasons = 1000;

// PageAggregator folds the items of one page into a ListingTotals as the
// parser hands them over. `bounds` and `seen_failures` must outlive it and
// must not change while it runs.
class PageAggregator final : public ItemConsumer {
 public:
  PageAggregator(const std::vector<double>* bounds,
                 const AttemptSet* seen_failures);

  void Consume(const ItemView& item) override;

  ListingTotals& totals() { return totals_; }

 private:
  void CountSkipReason(const ItemView& item);
  void CountFailure(const ItemView& item, std::optional<double> seconds);

  const std::vector<double>* const bounds_;
  const AttemptSet* const seen_failures_;
  ListingTotals totals_;
};

// The attempt key of a failed item, as PageAggregator computes it.
AttemptKey FailedAttemptKey(const ItemView& item);

}  // namespace lcbe

#endif  // LCBE_COLLECT_LISTING_TOTALS_H_
