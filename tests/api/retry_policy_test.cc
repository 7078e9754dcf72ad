#include "api/retry_policy.h"

#include <catch2/catch.hpp>

#include "fake_transport.h"

namespace lcbe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2024-01-01T00:00:00Z, the wall time the tests decide at.
const WallTime kNow{seconds(1704067200)};

const RetryPolicy kPolicy(4, seconds(60));

RetryDecision Decide(const TransportResult& outcome, int attempt = 0,
                     double random_unit = 0) {
  return kPolicy.Decide(attempt, outcome, kNow, random_unit);
}

TEST_CASE("Retryable statuses and transport errors are retried", "[retry]") {
  for (long status : {408L, 409L, 429L, 500L, 502L, 503L, 504L, 599L}) {
    INFO(status);
    CHECK(Decide(Answer(status, "")).retry);
  }
  CHECK(Decide(TransportError{TransportFailure::kTimeout, "t"}).retry);
  CHECK(Decide(TransportError{TransportFailure::kConnect, "c"}).retry);
  CHECK(Decide(TransportError{TransportFailure::kOther, "o"}).retry);
}

TEST_CASE("Success and other client errors are not retried", "[retry]") {
  for (long status : {200L, 204L, 301L, 400L, 401L, 402L, 403L, 404L, 422L}) {
    INFO(status);
    const RetryDecision decision = Decide(Answer(status, ""));
    CHECK_FALSE(decision.retry);
    CHECK(decision.reason.empty());
    CHECK_FALSE(decision.pause.has_value());
  }
}

TEST_CASE("x-should-retry overrides the status", "[retry]") {
  CHECK(Decide(Answer(400, "", "", "", "true")).retry);
  CHECK(Decide(Answer(404, "", "", "", " TRUE ")).retry);
  const RetryDecision no = Decide(Answer(503, "", "", "", "false"));
  CHECK_FALSE(no.retry);
  CHECK(no.reason == "the server asked not to retry");
  CHECK(Decide(Answer(503, "", "", "", "maybe")).retry);
  CHECK_FALSE(Decide(Answer(200, "", "", "", "true")).retry);
}

TEST_CASE("Backoff doubles from 0.5 s to 8 s with subtracting jitter",
          "[retry]") {
  CHECK(RetryPolicy::Backoff(0, 0) == milliseconds(500));
  CHECK(RetryPolicy::Backoff(1, 0) == milliseconds(1000));
  CHECK(RetryPolicy::Backoff(2, 0) == milliseconds(2000));
  CHECK(RetryPolicy::Backoff(3, 0) == milliseconds(4000));
  CHECK(RetryPolicy::Backoff(4, 0) == milliseconds(8000));
  CHECK(RetryPolicy::Backoff(30, 0) == milliseconds(8000));
  CHECK(RetryPolicy::Backoff(0, 0.5) == milliseconds(437));
  CHECK(RetryPolicy::Backoff(4, 0.999) > milliseconds(6000));
  CHECK(RetryPolicy::Backoff(4, 1) == milliseconds(6000));
  CHECK(Decide(Answer(503, ""), 2, 0).delay == milliseconds(2000));
  CHECK(Decide(TransportError{}, 1, 1).delay == milliseconds(750));
}

TEST_CASE("At most max_retries retries follow the first attempt", "[retry]") {
  CHECK(Decide(Answer(503, ""), 3).retry);
  const RetryDecision last = Decide(Answer(503, ""), 4);
  CHECK_FALSE(last.retry);
  CHECK(last.reason == "no retries left after 5 attempts");
  const RetryPolicy none(0, seconds(60));
  CHECK_FALSE(none.Decide(0, Answer(503, ""), kNow, 0).retry);
}

TEST_CASE("Server delays are honoured up to the cap", "[retry]") {
  CHECK(Decide(Answer(503, "", "3")).delay == seconds(3));
  CHECK(Decide(Answer(503, "", "0")).delay == milliseconds(0));
  CHECK(Decide(Answer(503, "", "1.5")).delay == milliseconds(1500));
  CHECK(Decide(Answer(503, "", "60")).retry);
  CHECK(Decide(Answer(503, "", "9", "250")).delay == milliseconds(250));
  CHECK(Decide(Answer(503, "", "", "1234.2")).delay == milliseconds(1235));
  // An unusable header falls back to the backoff.
  CHECK(Decide(Answer(503, "", "soon")).delay == milliseconds(500));
  CHECK(Decide(Answer(503, "", "-5")).delay == milliseconds(500));
  CHECK(Decide(Answer(503, "", "", "x")).delay == milliseconds(500));
}

TEST_CASE("A server delay over the cap is not waited for", "[retry]") {
  const RetryDecision decision = Decide(Answer(503, "", "120"));
  CHECK_FALSE(decision.retry);
  CHECK(decision.reason ==
        "the server asked to retry after 120 s, over the 60 s cap");
  CHECK_FALSE(Decide(Answer(503, "", "", "60001")).retry);
}

TEST_CASE("A server delay too large to count is over the cap, not negative",
          "[retry]") {
  for (const HttpResponse& answer :
       {Answer(429, "", "99999999999999999999"), Answer(429, "", "1e300"),
        Answer(429, "", "", "1e300")}) {
    const RetryDecision decision = Decide(answer);
    CHECK_FALSE(decision.retry);
    CHECK(decision.delay.count() >= 0);
    REQUIRE(decision.pause);
    CHECK(*decision.pause == seconds(60));
  }
}

TEST_CASE("Retry-After may be an HTTP date", "[retry]") {
  CHECK(Decide(Answer(503, "", "Mon, 01 Jan 2024 00:00:30 GMT")).delay ==
        seconds(30));
  // A date in the past means: retry now.
  const RetryDecision past =
      Decide(Answer(503, "", "Sun, 31 Dec 2023 23:00:00 GMT"));
  CHECK(past.retry);
  CHECK(past.delay == milliseconds(0));
  CHECK_FALSE(Decide(Answer(503, "", "Mon, 01 Jan 2024 01:00:00 GMT")).retry);
  // Not an IMF-fixdate: back off instead.
  CHECK(Decide(Answer(503, "", "Mon, 01 Foo 2024 00:00:30 GMT")).delay ==
        milliseconds(500));
  CHECK(Decide(Answer(503, "", "2024-01-01T00:00:30Z")).delay ==
        milliseconds(500));
}

TEST_CASE("A 429 asks every request to pause", "[retry]") {
  CHECK(Decide(Answer(429, "", "7")).pause == seconds(7));
  CHECK(Decide(Answer(429, ""), 1, 0).pause == milliseconds(1000));
  // Over the cap: the request fails, the pause is cut to the cap.
  const RetryDecision long_wait = Decide(Answer(429, "", "3600"));
  CHECK_FALSE(long_wait.retry);
  CHECK(long_wait.pause == seconds(60));
  // Even out of retries, the pause stands.
  CHECK(Decide(Answer(429, "", "2"), 4).pause == seconds(2));
  CHECK_FALSE(Decide(Answer(503, "", "2")).pause.has_value());
}

}  // namespace
}  // namespace lcbe
