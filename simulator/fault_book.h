#ifndef LCBE_SIMULATOR_FAULT_BOOK_H_
#define LCBE_SIMULATOR_FAULT_BOOK_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "scenario.h"

namespace lcbe::sim {

// The API request a fault may apply to.
struct FaultTarget {
  Endpoint endpoint = Endpoint::kItems;
  std::string job_id;             // empty for the job list
  std::optional<int64_t> offset;  // listings only
  double elapsed = 0;             // virtual seconds since start
};

// What the faults decided for one request: extra delay, and at most one
// fault that changes the response.
struct FaultPlan {
  double delay_seconds = 0;
  std::optional<FaultSpec> response_fault;
};

// FaultBook holds the active faults and how often each has matched and
// fired. Thread-safe: requests are decided one at a time under a lock, so
// "the next 3 requests" means exactly three.
class FaultBook {
 public:
  explicit FaultBook(std::vector<FaultSpec> faults);

  // Decides the faults for one request and counts it against them.
  // Latency faults add up; of the others, the first that fires wins and
  // later ones neither fire nor count this request.
  FaultPlan Decide(const FaultTarget& target);

  // Appends faults; their counters start at zero.
  void Add(std::vector<FaultSpec> faults);

  // Removes every fault.
  void Clear();

  // Number of active faults.
  size_t size() const;

 private:
  struct Entry {
    FaultSpec spec;
    int64_t matches = 0;
    int64_t fired = 0;
  };

  static bool Matches(const FaultSpec& spec, const FaultTarget& target);
  static bool Fires(Entry* entry);

  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_FAULT_BOOK_H_
