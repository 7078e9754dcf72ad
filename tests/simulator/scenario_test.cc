#include "scenario.h"

#include <catch2/catch.hpp>
#include <string>

namespace lcbe::sim {
namespace {

std::string ErrorOf(const std::string& yaml) {
  auto scenario = ParseScenario(yaml);
  REQUIRE_FALSE(scenario.ok());
  return scenario.error().message();
}

TEST_CASE("The end-to-end scenario file loads") {
  auto scenario =
      LoadScenarioFile(LCBE_SOURCE_DIR "/simulator/scenarios/e2e.yaml");
  REQUIRE(scenario.ok());
  CHECK(scenario->api_key == "e2e-key");
  REQUIRE(scenario->jobs.size() == 3);
  CHECK(scenario->jobs[0].kind == ItemsKind::kFixed);
  CHECK(scenario->jobs[0].fixed.json.size() == 12);
  CHECK(scenario->jobs[1].synthetic.count == 2500);
  CHECK(scenario->jobs[2].synthetic.count == 2000);
  CHECK(scenario->faults.empty());
}

TEST_CASE("The demo scenario file loads") {
  auto scenario =
      LoadScenarioFile(LCBE_SOURCE_DIR "/deploy/demo/scenario.yaml");
  REQUIRE(scenario.ok());
  CHECK(scenario->api_key == "demo-key");
  CHECK(scenario->jobs.size() == 3);
  CHECK_FALSE(scenario->faults.empty());
}

TEST_CASE("Top-level settings are read with their units") {
  auto scenario = ParseScenario(R"(
api_key: k
project_id: prj-1
seed: 99
latency: 25ms
speed: 4
start_time: 2026-01-02T03:04:05.5+01:00
)");
  REQUIRE(scenario.ok());
  CHECK(scenario->seed == 99);
  CHECK(scenario->latency_seconds == Approx(0.025));
  CHECK(scenario->speed == 4);
  CHECK(scenario->project_id == "prj-1");
  CHECK(scenario->start_time_ms == 1767319445500);
}

TEST_CASE("A status mix of counts and fractions sums exactly to count") {
  auto scenario = ParseScenario(R"(
jobs:
  - id: j
    synthetic:
      count: 1001
      statuses: {failed: 7, completed: 0.5, skipped: 50%}
)");
  REQUIRE(scenario.ok());
  const auto& counts = scenario->jobs[0].synthetic.status_counts;
  REQUIRE(counts.size() == 3);
  CHECK(counts[0] == std::pair<std::string, int64_t>("failed", 7));
  CHECK(counts[1].second + counts[2].second == 994);
  CHECK(counts[1].second == 497);
}

TEST_CASE("Replicas expand the id pattern with zero padding") {
  auto scenario = ParseScenario(R"(
jobs:
  - id: bjb-bench-{i:4}
    replicas: 12
    synthetic: {count: 50}
)");
  REQUIRE(scenario.ok());
  REQUIRE(scenario->jobs.size() == 12);
  CHECK(scenario->jobs[0].id == "bjb-bench-0001");
  CHECK(scenario->jobs[11].id == "bjb-bench-0012");
  CHECK(scenario->jobs[11].synthetic.status_counts[0].second == 50);
}

TEST_CASE("Fixed items become JSON with quoted scalars kept as strings") {
  auto scenario = ParseScenario(R"(
jobs:
  - id: j
    items:
      - {item_id: a, status: 3, started_at: null, n: "5", ok: true}
      - {item_id: b, status: "completed", t: 2026-01-02T03:04:05+02:00}
)");
  REQUIRE(scenario.ok());
  const auto& fixed = scenario->jobs[0].fixed;
  CHECK(fixed.json[0] ==
        R"({"item_id":"a","status":3,"started_at":null,"n":"5","ok":true})");
  CHECK(
      fixed.json[1] ==
      R"({"item_id":"b","status":"completed","t":"2026-01-02T03:04:05+02:00"})");
  CHECK_FALSE(fixed.status[0].has_value());
  CHECK(fixed.status[1] == "completed");
}

TEST_CASE("Faults are read with their scope and parameters") {
  auto scenario = ParseScenario(R"(
faults:
  - {kind: error, status: 503, job: j, endpoint: items, offset: 1000,
     requests: 2, should_retry: false}
  - {kind: rate_limit, retry_after: 2, retry_after_ms: 1500,
     window: {from: 10s, to: 1m}}
  - {kind: total_size_offset, by: -5}
)");
  REQUIRE(scenario.ok());
  REQUIRE(scenario->faults.size() == 3);
  const FaultSpec& error = scenario->faults[0];
  CHECK(error.kind == FaultKind::kError);
  CHECK(error.status == 503);
  CHECK(error.endpoint == Endpoint::kItems);
  CHECK(error.offset == 1000);
  CHECK(error.requests == 2);
  CHECK(error.should_retry == false);
  const FaultSpec& limit = scenario->faults[1];
  CHECK(limit.status == 429);
  CHECK(limit.retry_after_seconds == 2);
  CHECK(limit.retry_after_ms == 1500);
  CHECK(limit.window_to == 60);
  CHECK(scenario->faults[2].total_size_delta == -5);
}

TEST_CASE("Errors name the key and its line") {
  CHECK(ErrorOf("seed: 1\nlatencyy: 5ms\n") == "line 2: latencyy: unknown key");
  CHECK(ErrorOf("jobs:\n  - id: j\n    synthetic:\n      count: -3\n") ==
        "line 4: jobs[0].synthetic.count: expected an integer >= 0");
  CHECK(ErrorOf("latency: soon\n") ==
        "line 1: latency: expected a duration such as 25ms, 1.5s, 2m or 1h");
  CHECK(ErrorOf("faults:\n  - kind: explode\n")
            .find("line 2: faults[0].kind: expected latency") == 0);
}

TEST_CASE("Inconsistent jobs are rejected") {
  CHECK(ErrorOf("jobs:\n  - id: j\n    items: []\n    synthetic: {count: 1}\n")
            .find("needs exactly one of items, synthetic, live") !=
        std::string::npos);
  CHECK(ErrorOf("jobs:\n  - {id: a, items: []}\n  - {id: a, items: []}\n") ==
        "jobs: duplicate job id a");
  CHECK(ErrorOf("jobs:\n  - id: j\n    synthetic:\n      count: 5\n"
                "      statuses: {completed: 6}\n")
            .find("does not fit count 5") != std::string::npos);
  CHECK(ErrorOf("jobs:\n  - id: j\n    replicas: 2\n    items: []\n")
            .find("placeholder") != std::string::npos);
}

TEST_CASE("Invalid YAML reports the parser's line") {
  CHECK(ErrorOf("jobs: [\n  {id: a\n").find("line ") == 0);
}

TEST_CASE("Durations and timestamps parse in their accepted forms") {
  CHECK(*ParseDurationSeconds("1.5s") == 1.5);
  CHECK(*ParseDurationSeconds("2m") == 120);
  CHECK(*ParseDurationSeconds("30") == 30);
  CHECK_FALSE(ParseDurationSeconds("-1s").ok());
  CHECK(*ParseTimestampMs("1970-01-01T00:00:01Z") == 1000);
  CHECK(*ParseTimestampMs("1970-01-01T01:00:00+01:00") == 0);
  CHECK(*ParseTimestampMs("1970-01-01T00:00:00.123456789") == 123);
  CHECK_FALSE(ParseTimestampMs("1970-13-01T00:00:00Z").ok());
}

}  // namespace
}  // namespace lcbe::sim
