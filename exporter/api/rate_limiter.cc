#include "api/rate_limiter.h"

#include <algorithm>

namespace lcbe {
namespace {

SteadyTime::duration IntervalFor(double requests_per_second) {
  if (requests_per_second <= 0) return SteadyTime::duration::zero();
  return std::chrono::duration_cast<SteadyTime::duration>(
      std::chrono::duration<double>(1 / requests_per_second));
}

}  // namespace

RateLimiter::RateLimiter(double requests_per_second, const Clock* clock)
    : clock_(clock), interval_(IntervalFor(requests_per_second)) {}

bool RateLimiter::Acquire(SteadyTime deadline) {
  // Each waiter claims its slot before sleeping, so that waiters start in
  // order and exactly one interval apart. A pause set while a waiter
  // sleeps sends it back to claim a later slot.
  for (;;) {
    SteadyTime start;
    {
      std::lock_guard<std::mutex> lock(mu_);
      start = std::max({clock_->Now(), next_start_, paused_until_});
      if (start > deadline) return false;
      next_start_ = start + interval_;
    }
    clock_->SleepUntil(start);
    std::lock_guard<std::mutex> lock(mu_);
    if (paused_until_ <= start) return true;
  }
}

void RateLimiter::PauseUntil(SteadyTime until) {
  std::lock_guard<std::mutex> lock(mu_);
  paused_until_ = std::max(paused_until_, until);
}

SteadyTime RateLimiter::paused_until() const {
  std::lock_guard<std::mutex> lock(mu_);
  return paused_until_;
}

}  // namespace lcbe
