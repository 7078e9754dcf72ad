#include "common/clock.h"

#include <thread>

namespace lcbe {

SteadyTime SystemClock::Now() const { return std::chrono::steady_clock::now(); }

WallTime SystemClock::WallNow() const {
  return std::chrono::system_clock::now();
}

void SystemClock::SleepUntil(SteadyTime until) const {
  std::this_thread::sleep_until(until);
}

const SystemClock& SystemClock::Get() {
  static const SystemClock clock;
  return clock;
}

double ToUnixSeconds(WallTime t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

}  // namespace lcbe
