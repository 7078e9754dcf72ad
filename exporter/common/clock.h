#ifndef LCBE_COMMON_CLOCK_H_
#define LCBE_COMMON_CLOCK_H_

#include <chrono>

namespace lcbe {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// Clock is the seam through which the exporter reads time and waits, so that
// tests can script both. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;

  virtual SteadyTime Now() const = 0;
  virtual WallTime WallNow() const = 0;
  // Blocks the calling thread until `until` (returns at once if it passed).
  virtual void SleepUntil(SteadyTime until) const = 0;
};

// SystemClock reads the real clocks and really sleeps.
class SystemClock final : public Clock {
 public:
  SteadyTime Now() const override;
  WallTime WallNow() const override;
  void SleepUntil(SteadyTime until) const override;

  // The process-wide instance.
  static const SystemClock& Get();
};

// Seconds since the Unix epoch, as Prometheus timestamps are written.
double ToUnixSeconds(WallTime t);

}  // namespace lcbe

#endif  // LCBE_COMMON_CLOCK_H_
