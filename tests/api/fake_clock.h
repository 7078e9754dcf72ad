#ifndef LCBE_TESTS_API_FAKE_CLOCK_H_
#define LCBE_TESTS_API_FAKE_CLOCK_H_

#include <chrono>
#include <mutex>
#include <vector>

#include "common/clock.h"

namespace lcbe {

// FakeClock is a Clock whose time moves only when told to: SleepUntil()
// jumps straight to the requested time, so that waits cost nothing and can
// be read back. Thread-safe.
class FakeClock : public Clock {
 public:
  // Steady time starts well after its epoch; wall time at
  // 2024-01-01T00:00:00Z.
  FakeClock()
      : steady_start_(SteadyTime() + std::chrono::hours(1000)),
        now_(steady_start_),
        wall_start_(std::chrono::seconds(1704067200)) {}

  SteadyTime Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }

  WallTime WallNow() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return wall_start_ +
           std::chrono::duration_cast<WallTime::duration>(now_ - steady_start_);
  }

  void SleepUntil(SteadyTime until) const override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(until);
    if (until > now_) now_ = until;
  }

  void Advance(SteadyTime::duration by) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += by;
  }

  // Time since construction, in seconds.
  double Elapsed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::chrono::duration<double>(now_ - steady_start_).count();
  }

  SteadyTime start() const { return steady_start_; }

  std::vector<SteadyTime> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }

 private:
  const SteadyTime steady_start_;
  mutable std::mutex mu_;
  mutable SteadyTime now_;
  const WallTime wall_start_;
  mutable std::vector<SteadyTime> sleeps_;
};

}  // namespace lcbe

#endif  // LCBE_TESTS_API_FAKE_CLOCK_H_
