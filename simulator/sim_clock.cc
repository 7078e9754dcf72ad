#include "sim_clock.h"

namespace lcbe::sim {

SimClock::SimClock(double speed)
    : start_(std::chrono::steady_clock::now()), speed_(speed) {}

double SimClock::RealSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start_)
      .count();
}

double SimClock::ElapsedLocked() const {
  if (frozen_at_) return *frozen_at_;
  return RealSeconds() * speed_ + shift_;
}

double SimClock::Elapsed() const {
  std::lock_guard lock(mutex_);
  return ElapsedLocked();
}

void SimClock::Advance(double seconds) {
  std::lock_guard lock(mutex_);
  if (frozen_at_) {
    *frozen_at_ += seconds;
  } else {
    shift_ += seconds;
  }
}

void SimClock::Freeze(double seconds) {
  std::lock_guard lock(mutex_);
  frozen_at_ = seconds;
}

void SimClock::Resume() {
  std::lock_guard lock(mutex_);
  if (!frozen_at_) return;
  // Continue from the frozen value rather than jumping to where the
  // running clock would be now.
  shift_ = *frozen_at_ - RealSeconds() * speed_;
  frozen_at_.reset();
}

}  // namespace lcbe::sim
