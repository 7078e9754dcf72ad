#ifndef LCBE_API_RETRY_POLICY_H_
#define LCBE_API_RETRY_POLICY_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "api/transport.h"
#include "common/clock.h"

namespace lcbe {

// What to do after one failed attempt.
struct RetryDecision {
  // True to try again after `delay`.
  bool retry = false;
  std::chrono::milliseconds delay{0};
  // How long the server asked every client to hold off (a 429's wait,
  // whether or not this request retries); other requests should pause as
  // long. Absent for anything but a 429.
  std::optional<std::chrono::milliseconds> pause;
  // Why a retryable failure is not retried, e.g. the retry budget is spent
  // or the server asked for a wait over the cap; empty otherwise.
  std::string reason;
};

// RetryPolicy decides, without reading clocks or randomness itself, whether
// and when a failed request is tried again, the way the official SDKs do:
// 408, 409, 429, 5xx and transport errors are retried, and a response
// header `x-should-retry: true|false` overrides that. The wait is the
// server's `retry-after-ms` or `Retry-After` (seconds or an HTTP date) when
// it is at most `max_retry_after`; a longer one is not waited for. Without
// one, the wait backs off exponentially from 0.5 s, doubling up to 8 s,
// shortened by up to 25 % of jitter. Immutable and thread-safe.
class RetryPolicy {
 public:
  // `max_retries` retries follow the first attempt at most.
  RetryPolicy(int max_retries, std::chrono::milliseconds max_retry_after);

  // Decides after attempt number `attempt` (0 for the first) ended in
  // `outcome`. `now` is the wall-clock time, against which an HTTP-date
  // Retry-After is read. `random_unit` is drawn uniformly from [0, 1) and
  // sets the jitter. A 2xx outcome is never retried.
  RetryDecision Decide(int attempt, const TransportResult& outcome,
                       WallTime now, double random_unit) const;

  // The wait before retry number `attempt` + 1 without a server hint.
  static std::chrono::milliseconds Backoff(int attempt, double random_unit);

 private:
  const int max_retries_;
  const std::chrono::milliseconds max_retry_after_;
};

// Reads the wait a response asks for from its `retry-after-ms` or
// `Retry-After` header, relative to `now`; absent when neither is usable.
// A date in the past reads as no wait. Exposed for tests.
std::optional<std::chrono::milliseconds> ServerRetryDelay(
    const HttpResponse& response, WallTime now);

}  // namespace lcbe

#endif  // LCBE_API_RETRY_POLICY_H_
