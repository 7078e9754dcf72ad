#include "fault_book.h"

#include <utility>

namespace lcbe::sim {

FaultBook::FaultBook(std::vector<FaultSpec> faults) { Add(std::move(faults)); }

bool FaultBook::Matches(const FaultSpec& spec, const FaultTarget& target) {
  if (spec.endpoint != Endpoint::kAny && spec.endpoint != target.endpoint) {
    return false;
  }
  if (spec.job_id && *spec.job_id != target.job_id) return false;
  if (spec.offset && spec.offset != target.offset) return false;
  if (spec.window_from && target.elapsed < *spec.window_from) return false;
  if (spec.window_to && target.elapsed >= *spec.window_to) return false;
  return true;
}

bool FaultBook::Fires(Entry* entry) {
  const int64_t match = ++entry->matches;
  const FaultSpec& spec = entry->spec;
  if (match <= spec.skip) return false;
  if ((match - spec.skip) % spec.every != 0) return false;
  if (spec.requests && entry->fired >= *spec.requests) return false;
  ++entry->fired;
  return true;
}

FaultPlan FaultBook::Decide(const FaultTarget& target) {
  FaultPlan plan;
  std::lock_guard lock(mutex_);
  for (Entry& entry : entries_) {
    const bool latency = entry.spec.kind == FaultKind::kLatency;
    if (!latency && plan.response_fault) continue;
    if (!Matches(entry.spec, target) || !Fires(&entry)) continue;
    if (latency) {
      plan.delay_seconds += entry.spec.delay_seconds;
    } else {
      plan.response_fault = entry.spec;
    }
  }
  return plan;
}

void FaultBook::Add(std::vector<FaultSpec> faults) {
  std::lock_guard lock(mutex_);
  for (auto& fault : faults) entries_.push_back({std::move(fault)});
}

void FaultBook::Clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

size_t FaultBook::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace lcbe::sim
