#ifndef LCBE_SIMULATOR_SIM_CLOCK_H_
#define LCBE_SIMULATOR_SIM_CLOCK_H_

#include <chrono>
#include <mutex>
#include <optional>

namespace lcbe::sim {

// SimClock measures time since the simulator started, both as it passed
// (real seconds) and as the scenario sees it (virtual seconds: real time
// times `speed`, plus any shift an operator applied, or frozen at a fixed
// value). Thread-safe.
class SimClock {
 public:
  explicit SimClock(double speed);

  // Real seconds since construction.
  double RealSeconds() const;

  // Virtual seconds since construction.
  double Elapsed() const;

  // Moves virtual time forward (or back, when negative) by `seconds`.
  void Advance(double seconds);

  // Stops virtual time at `seconds` until Resume().
  void Freeze(double seconds);

  // Lets a frozen clock run again from where it stands.
  void Resume();

 private:
  double ElapsedLocked() const;

  const std::chrono::steady_clock::time_point start_;
  const double speed_;
  mutable std::mutex mutex_;
  double shift_ = 0;
  std::optional<double> frozen_at_;
};

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_SIM_CLOCK_H_
