#include "item_source.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "job_model.h"
#include "scenario.h"

namespace lcbe::sim {
namespace {

constexpr int64_t kStartMs = 1772366400000;  // 2026-03-01T12:00:00Z

JobSpec SpecFrom(const std::string& yaml) {
  auto scenario = ParseScenario(yaml);
  REQUIRE(scenario.ok());
  REQUIRE(scenario->jobs.size() == 1);
  return scenario->jobs[0];
}

nlohmann::json Page(const ItemSource& source,
                    std::optional<std::string_view> status, int64_t offset,
                    int64_t limit, double elapsed, int64_t* total = nullptr) {
  std::string text = "[";
  const int64_t count =
      source.AppendPage(status, offset, limit, elapsed, &text);
  if (total != nullptr) *total = count;
  return nlohmann::json::parse(text + "]");
}

nlohmann::json Item(const ItemSource& source, int64_t index, double elapsed) {
  std::string text;
  source.AppendItem(index, elapsed, &text);
  return nlohmann::json::parse(text);
}

const char kSynthetic[] = R"(
jobs:
  - id: bjb-s
    synthetic:
      count: 2500
      statuses: {completed: 2200, failed: 150, skipped: 100, processing: 30,
                 pending: 20}
      duration: {min: 1, max: 5}
)";

TEST_CASE("Synthetic statuses match the configured counts exactly") {
  const auto source = MakeItemSource(SpecFrom(kSynthetic), 7, kStartMs);
  StatusCounts scanned;
  for (int64_t i = 0; i < source->size(); ++i) {
    scanned.Add(source->StatusAt(i, 0));
  }
  CHECK(scanned.completed == 2200);
  CHECK(scanned.failed == 150);
  CHECK(scanned.skipped == 100);
  CHECK(scanned.processing == 30);
  CHECK(scanned.pending == 20);
  CHECK(source->Count(0).failed == 150);
}

TEST_CASE("Synthetic items are a function of seed, job and index") {
  const auto a = MakeItemSource(SpecFrom(kSynthetic), 7, kStartMs);
  const auto b = MakeItemSource(SpecFrom(kSynthetic), 7, kStartMs);
  const auto c = MakeItemSource(SpecFrom(kSynthetic), 8, kStartMs);
  CHECK(Page(*a, {}, 100, 50, 0) == Page(*b, {}, 100, 50, 0));
  CHECK(Page(*a, {}, 100, 50, 0) != Page(*c, {}, 100, 50, 0));
}

TEST_CASE("Synthetic item fields follow their status") {
  const auto source = MakeItemSource(SpecFrom(kSynthetic), 7, kStartMs);
  const nlohmann::json items = Page(*source, {}, 0, 2500, 0);
  std::set<std::string> ids;
  for (const auto& item : items) {
    ids.insert(item["item_id"].get<std::string>());
    const std::string status = item["status"];
    CHECK(item["started_at"].is_null() ==
          (status == "pending" || status == "skipped"));
    CHECK(item["completed_at"].is_null() ==
          (status != "completed" && status != "failed"));
    CHECK(item["error_message"].is_null() == (status != "failed"));
    CHECK(item["job_id"].is_null() ==
          (status == "pending" || status == "skipped"));
    if (!item["completed_at"].is_null()) {
      // Millisecond precision in UTC, and every item ended by the start.
      const std::string completed = item["completed_at"];
      CHECK(completed.size() == 24);
      CHECK(completed <= "2026-03-01T12:00:00.000Z");
    }
  }
  CHECK(ids.size() == 2500);
}

TEST_CASE("A status filter pages through the matching items in order") {
  const auto source = MakeItemSource(SpecFrom(kSynthetic), 7, kStartMs);
  const nlohmann::json all = Page(*source, {}, 0, 2500, 0);
  nlohmann::json expected = nlohmann::json::array();
  for (const auto& item : all) {
    if (item["status"] == "failed") expected.push_back(item);
  }
  int64_t total = 0;
  nlohmann::json paged = Page(*source, "failed", 0, 100, 0, &total);
  for (const auto& item : Page(*source, "failed", 100, 100, 0)) {
    paged.push_back(item);
  }
  CHECK(total == 150);
  CHECK(paged == expected);
  CHECK(Page(*source, "failed", 150, 100, 0).empty());
  CHECK(Page(*source, "cancelled", 0, 100, 0, &total).empty());
  CHECK(total == 0);
}

TEST_CASE("Fixed items are sent verbatim and filtered by their status") {
  const auto source = MakeItemSource(SpecFrom(R"(
jobs:
  - id: f
    items:
      - {item_id: a, status: archived}
      - {item_id: b, status: failed, extra: [1]}
      - {item_id: c, status: 4}
)"),
                                     1, kStartMs);
  int64_t total = 0;
  CHECK(Page(*source, "failed", 0, 10, 0, &total) ==
        nlohmann::json::parse(R"([{"item_id":"b","status":"failed",
                                   "extra":[1]}])"));
  CHECK(total == 1);
  CHECK(Page(*source, {}, 0, 10, 0, &total).size() == 3);
  CHECK(source->Count(0).other() == 2);
}

const char kLive[] = R"(
jobs:
  - id: bjb-live
    live:
      count: 200
      start_delay: 10s
      rate: 10
      duration: {min: 1, max: 3}
      failure_probability: 0.3
      skip_probability: 0.1
      retry: {probability: 1, max_attempts: 2, delay: 2s}
)";

TEST_CASE("Live items progress from pending to final states") {
  const JobModel job(SpecFrom(kLive), 3, kStartMs, std::nullopt);
  const StatusCounts before = job.items().Count(5);
  CHECK(before.pending == 200);
  CHECK(job.Status(5) == "pending");

  const StatusCounts during = job.items().Count(20);
  CHECK(during.pending > 0);
  CHECK(during.pending < 200);
  CHECK(job.Status(20) == "running");

  const StatusCounts after = job.items().Count(1000);
  CHECK(after.completed + after.failed + after.skipped == 200);
  CHECK(after.failed > 0);
  CHECK(after.skipped > 0);
  CHECK(job.Status(1000) == "completed");
}

TEST_CASE("A retried live item gets a new attempt job id") {
  const auto source = MakeItemSource(SpecFrom(kLive), 3, kStartMs);
  bool seen_retry = false;
  for (int64_t index = 0; index < source->size() && !seen_retry; ++index) {
    for (double t = 10; t < 60; t += 0.25) {
      const nlohmann::json failed = Item(*source, index, t);
      if (failed["status"] != "failed") continue;
      const nlohmann::json retried = Item(*source, index, t + 2.01);
      if (retried["status"] == "failed" &&
          retried["job_id"] == failed["job_id"])
        break;  // the final attempt failed too; no retry follows
      CHECK(retried["status"] == "processing");
      CHECK(retried["job_id"] != failed["job_id"]);
      CHECK(retried["error_message"].is_null());
      seen_retry = true;
      break;
    }
  }
  CHECK(seen_retry);
}

TEST_CASE("A failure spike fails the attempts that end inside it") {
  const auto source = MakeItemSource(SpecFrom(R"(
jobs:
  - id: bjb-spike
    live:
      count: 100
      rate: 2
      duration: {min: 1, max: 1}
      failure_probability: 0
      retry: {probability: 0}
      failure_spike: {from: 20s, to: 30s, probability: 1}
)"),
                                     3, kStartMs);
  // Item i starts at i/2 s and ends 1 s later: items 38..57 end in [20, 30).
  for (int64_t index = 0; index < 100; ++index) {
    const bool in_spike = index >= 38 && index <= 57;
    CHECK(source->StatusAt(index, 1000) == (in_spike ? "failed" : "completed"));
  }
}

TEST_CASE("Job fields count the items and accept overrides") {
  const JobModel job(SpecFrom(R"(
jobs:
  - id: bjb-o
    job: {error_message: "boom", workflow_id: 12, new_field: x}
    synthetic: {count: 10, statuses: {completed: 6, failed: 3, skipped: 1}}
)"),
                     1, kStartMs, "prj-9");
  std::string text;
  job.AppendJobResponse(0, &text);
  const auto response = nlohmann::json::parse(text);
  const auto& fields = response["job"];
  CHECK(fields["id"] == "bjb-o");
  CHECK(fields["project_id"] == "prj-9");
  CHECK(fields["status"] == "completed");
  CHECK(fields["total_items"] == 10);
  CHECK(fields["processed_items"] == 10);
  CHECK(fields["failed_items"] == 3);
  CHECK(fields["skipped_items"] == 1);
  CHECK(fields["error_message"] == "boom");
  CHECK(fields["workflow_id"] == 12);
  CHECK(fields["new_field"] == "x");
  CHECK(response["progress_percentage"] == 100);
}

}  // namespace
}  // namespace lcbe::sim
