#ifndef LCBE_SIMULATOR_ITEM_SOURCE_H_
#define LCBE_SIMULATOR_ITEM_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "scenario.h"

namespace lcbe::sim {

// How many items of a job are in each status at one moment.
struct StatusCounts {
  int64_t total = 0;
  int64_t pending = 0;
  int64_t processing = 0;
  int64_t completed = 0;
  int64_t failed = 0;
  int64_t skipped = 0;
  int64_t cancelled = 0;

  // Items in no known status (fixed items may carry anything).
  int64_t other() const {
    return total - pending - processing - completed - failed - skipped -
           cancelled;
  }
  // Adds `n` items in `status`; `total` is the caller's to keep.
  void Add(std::string_view status, int64_t n = 1);
};

// Whether an item in `status` will not change any more.
bool IsFinalStatus(std::string_view status);

// When a job's items were first started and all finished, in milliseconds
// since the epoch, as far as known at one moment.
struct JobTimes {
  int64_t created_ms = 0;
  std::optional<int64_t> first_started_ms;
  std::optional<int64_t> all_final_ms;
  int64_t last_update_ms = 0;
};

// ItemSource produces a job's items, by index, as they are at virtual time
// `elapsed` (seconds since the scenario start). Implementations are
// immutable after construction apart from internal caches, and safe to use
// from many threads at once.
class ItemSource {
 public:
  virtual ~ItemSource() = default;

  // Number of items in the job; constant.
  virtual int64_t size() const = 0;

  // The status of item `index`, or "" if it has no string status.
  // REQUIRES: 0 <= index < size().
  virtual std::string_view StatusAt(int64_t index, double elapsed) const = 0;

  // Appends item `index` as one JSON object. REQUIRES: 0 <= index < size().
  virtual void AppendItem(int64_t index, double elapsed,
                          std::string* out) const = 0;

  // Appends, comma-separated, the items in `status` (all when unset) with
  // rank offset..offset+limit-1 among those, in index order, and returns
  // how many items are in `status` in total.
  virtual int64_t AppendPage(std::optional<std::string_view> status,
                             int64_t offset, int64_t limit, double elapsed,
                             std::string* out) const;

  // Counts the items per status at `elapsed`.
  virtual StatusCounts Count(double elapsed) const;

  // The job's creation and activity times at `elapsed`.
  virtual JobTimes Times(double elapsed) const = 0;
};

// Builds the item source of `job`. `start_ms` maps virtual time 0 to the
// wall clock; `seed` makes generated values reproducible.
std::unique_ptr<ItemSource> MakeItemSource(const JobSpec& job, uint64_t seed,
                                           int64_t start_ms);

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_ITEM_SOURCE_H_
