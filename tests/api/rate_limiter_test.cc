#include "api/rate_limiter.h"

#include <catch2/catch.hpp>

#include "fake_clock.h"

namespace lcbe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("Without a cap or pause requests start at once", "[limiter]") {
  FakeClock clock;
  RateLimiter limiter(0, &clock);
  for (int i = 0; i < 5; ++i) REQUIRE(limiter.Acquire(clock.start()));
  CHECK(clock.Elapsed() == 0);
}

TEST_CASE("A cap spaces starts exactly 1/rate apart", "[limiter]") {
  FakeClock clock;
  RateLimiter limiter(4, &clock);
  const SteadyTime deadline = clock.start() + seconds(10);
  std::vector<double> starts;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(limiter.Acquire(deadline));
    starts.push_back(clock.Elapsed());
  }
  CHECK(starts == std::vector<double>{0, 0.25, 0.5, 0.75, 1.0});

  // Idle time earns no burst: after a gap the next start is immediate,
  // the one after it an interval later.
  clock.Advance(seconds(5));
  REQUIRE(limiter.Acquire(deadline));
  CHECK(clock.Elapsed() == 6.0);
  REQUIRE(limiter.Acquire(deadline));
  CHECK(clock.Elapsed() == 6.25);
}

TEST_CASE("Acquire refuses a start past the deadline without claiming it",
          "[limiter]") {
  FakeClock clock;
  RateLimiter limiter(1, &clock);
  REQUIRE(limiter.Acquire(clock.start()));
  CHECK_FALSE(limiter.Acquire(clock.start() + milliseconds(999)));
  CHECK(clock.Elapsed() == 0);
  REQUIRE(limiter.Acquire(clock.start() + seconds(1)));
  CHECK(clock.Elapsed() == 1.0);
}

TEST_CASE("A pause holds every request until it ends", "[limiter]") {
  FakeClock clock;
  RateLimiter limiter(0, &clock);
  limiter.PauseUntil(clock.start() + seconds(3));
  limiter.PauseUntil(clock.start() + seconds(1));  // shorter: ignored
  CHECK(limiter.paused_until() == clock.start() + seconds(3));
  CHECK_FALSE(limiter.Acquire(clock.start() + seconds(2)));
  CHECK(clock.Elapsed() == 0);
  REQUIRE(limiter.Acquire(clock.start() + seconds(10)));
  CHECK(clock.Elapsed() == 3.0);
  REQUIRE(limiter.Acquire(clock.start() + seconds(10)));
  CHECK(clock.Elapsed() == 3.0);
}

TEST_CASE("A pause and a cap combine", "[limiter]") {
  FakeClock clock;
  RateLimiter limiter(2, &clock);
  const SteadyTime deadline = clock.start() + seconds(10);
  REQUIRE(limiter.Acquire(deadline));
  limiter.PauseUntil(clock.start() + seconds(2));
  REQUIRE(limiter.Acquire(deadline));
  CHECK(clock.Elapsed() == 2.0);
  REQUIRE(limiter.Acquire(deadline));
  CHECK(clock.Elapsed() == 2.5);
}

// A clock whose first sleep lets a "concurrent" 429 extend the pause, as
// another thread would while this one waits.
class PausingClock : public FakeClock {
 public:
  RateLimiter* limiter = nullptr;
  SteadyTime pause_to;
  void SleepUntil(SteadyTime until) const override {
    if (limiter != nullptr) {
      RateLimiter* once = limiter;
      const_cast<PausingClock*>(this)->limiter = nullptr;
      once->PauseUntil(pause_to);
    }
    FakeClock::SleepUntil(until);
  }
};

TEST_CASE("A pause set while a request waits holds it back too", "[limiter]") {
  PausingClock clock;
  RateLimiter limiter(1, &clock);
  REQUIRE(limiter.Acquire(clock.start() + seconds(10)));
  clock.limiter = &limiter;
  clock.pause_to = clock.start() + seconds(4);
  REQUIRE(limiter.Acquire(clock.start() + seconds(10)));
  CHECK(clock.Elapsed() == 4.0);
}

}  // namespace
}  // namespace lcbe
