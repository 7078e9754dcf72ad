#ifndef LCBE_API_RATE_LIMITER_H_
#define LCBE_API_RATE_LIMITER_H_

#include <mutex>

#include "common/clock.h"

namespace lcbe {

// RateLimiter decides when each request of the client may start. It holds
// two limits over every request of every job: an optional cap on requests
// per second, as a token bucket with a burst of one (so that starts are at
// least 1/rate apart), and a pause that a 429 sets, before whose end no
// request starts. Thread-safe; waits through the Clock seam.
class RateLimiter {
 public:
  // `requests_per_second` <= 0 turns the cap off. `clock` must outlive the
  // limiter.
  RateLimiter(double requests_per_second, const Clock* clock);

  // Blocks until a request may start and claims that start. Returns false
  // at once, claiming nothing, when the start would fall after `deadline`.
  bool Acquire(SteadyTime deadline);

  // Holds every request back until `until`. A shorter pause than the one
  // in force changes nothing.
  void PauseUntil(SteadyTime until);

  // When the pause in force ends (a time in the past when none is).
  SteadyTime paused_until() const;

 private:
  const Clock* const clock_;
  const SteadyTime::duration interval_;
  mutable std::mutex mu_;
  SteadyTime next_start_;    // guarded by mu_
  SteadyTime paused_until_;  // guarded by mu_
};

}  // namespace lcbe

#endif  // LCBE_API_RATE_LIMITER_H_
