#include "collect/collector.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "api/client.h"
#include "collect/fake_batch_api.h"
#include "common/clock.h"

namespace lcbe {
namespace {

using testing::FakeBatchApi;
using testing::ItemJson;
using namespace std::chrono_literals;

Config TestConfig(std::vector<std::string> job_ids) {
  Config config;
  config.api_url = "http://api.invalid";
  config.page_size = 10;
  config.max_concurrency = 4;
  config.max_retries = 0;
  config.collection_timeout = Seconds(30);
  for (std::string& id : job_ids) {
    JobConfig job;
    job.id = std::move(id);
    job.max_skip_reasons = config.max_skip_reasons;
    job.duration_buckets = config.duration_buckets;
    config.jobs.push_back(std::move(job));
  }
  return config;
}

std::vector<std::string> Items(int n, const std::string& status) {
  std::vector<std::string> items;
  for (int i = 0; i < n; ++i) {
    items.push_back(ItemJson("itm-" + std::to_string(i), status, 10, 20));
  }
  return items;
}

SteadyTime In(std::chrono::milliseconds d) {
  return SystemClock::Get().Now() + d;
}

int64_t Count(const JobView& job, ItemStatus status) {
  return job.snapshot->status_counts[static_cast<size_t>(status)];
}

// The pieces a collector needs, over a fake API.
struct Fixture {
  explicit Fixture(Config c)
      : config(std::move(c)),
        client(config, &api, &SystemClock::Get(), nullptr),
        collector(config, &client, &SystemClock::Get()) {}

  Config config;
  FakeBatchApi api;
  ApiClient client;
  Collector collector;
};

TEST_CASE("a scrape lists every page of every job and counts exactly") {
  Fixture f(TestConfig({"a", "b"}));
  f.api.SetJob("a", {"running", Items(25, "completed")});
  std::vector<std::string> mixed = Items(30, "pending");
  mixed.push_back(ItemJson("x", "failed", 0, 5));
  f.api.SetJob("b", {"running", mixed});

  std::vector<JobView> jobs = f.collector.Scrape(In(10s));
  REQUIRE(jobs.size() == 2);
  REQUIRE(jobs[0].snapshot);
  CHECK(jobs[0].health.up);
  CHECK(Count(jobs[0], ItemStatus::kCompleted) == 25);
  CHECK(jobs[0].snapshot->completed_durations.count() == 25);
  CHECK(Count(jobs[1], ItemStatus::kPending) == 30);
  CHECK(Count(jobs[1], ItemStatus::kFailed) == 1);
  CHECK(jobs[1].snapshot->failures_total == 1);
  // 25 items: pages at 0, 10, 20 (short). 31 items: 0..30, the last short.
  CHECK(f.api.CountRequests("/a/items") == 3);
  CHECK(f.api.CountRequests("/b/items") == 4);
  CHECK(f.api.MaxInFlight() <= 4);
}

TEST_CASE("concurrent scrapes share one collection") {
  Fixture f(TestConfig({"a"}));
  f.api.SetJob("a", {"running", Items(25, "pending"), 0, /*hold=*/true});

  std::vector<std::future<std::vector<JobView>>> scrapes;
  for (int i = 0; i < 20; ++i) {
    scrapes.push_back(std::async(std::launch::async,
                                 [&] { return f.collector.Scrape(In(10s)); }));
  }
  // Wait until the listing's first request is held, then let it through.
  while (f.api.CountRequests("/a/items") == 0) std::this_thread::yield();
  std::this_thread::sleep_for(50ms);  // let every scrape arrive and join
  f.api.Release("a");
  for (auto& scrape : scrapes) {
    std::vector<JobView> jobs = scrape.get();
    REQUIRE(jobs[0].snapshot);
    CHECK(Count(jobs[0], ItemStatus::kPending) == 25);
  }
  CHECK(f.api.CountRequests("/a/items") == 3);
}

TEST_CASE("a failed listing keeps the last complete result, marked down") {
  Fixture f(TestConfig({"a"}));
  f.api.SetJob("a", {"running", Items(15, "pending")});
  REQUIRE(f.collector.Scrape(In(10s))[0].health.up);

  f.api.UpdateJob("a", [](FakeBatchApi::Job& job) {
    job.items = Items(40, "pending");
    job.fail_with = 503;
  });
  std::vector<JobView> jobs = f.collector.Scrape(In(10s));
  CHECK_FALSE(jobs[0].health.up);
  CHECK(jobs[0].health.last_error.find("503") != std::string::npos);
  CHECK(Count(jobs[0], ItemStatus::kPending) == 15);

  f.api.UpdateJob("a", [](FakeBatchApi::Job& job) { job.fail_with = 0; });
  jobs = f.collector.Scrape(In(10s));
  CHECK(jobs[0].health.up);
  CHECK(Count(jobs[0], ItemStatus::kPending) == 40);
}

TEST_CASE("before its first success a job has health but no snapshot") {
  Fixture f(TestConfig({"a"}));
  f.api.SetJob("a", {"running", Items(5, "pending"), 404});
  std::vector<JobView> jobs = f.collector.Scrape(In(10s));
  CHECK_FALSE(jobs[0].snapshot);
  CHECK_FALSE(jobs[0].health.up);
}

TEST_CASE(
    "a job late for the deadline reads down, then its background "
    "result serves the next scrape") {
  Fixture f(TestConfig({"fast", "slow"}));
  f.api.SetJob("fast", {"running", Items(5, "pending")});
  f.api.SetJob("slow", {"running", Items(5, "processing"), 0, true});

  std::vector<JobView> jobs = f.collector.Scrape(In(200ms));
  CHECK(jobs[0].health.up);
  CHECK_FALSE(jobs[1].health.up);
  CHECK_FALSE(jobs[1].snapshot);

  f.api.Release("slow");
  // The collection finishes in the background (or the next scrape joins
  // it); either way the job's listing now completes.
  jobs = f.collector.Scrape(In(10s));
  CHECK(jobs[1].health.up);
  REQUIRE(jobs[1].snapshot);
  CHECK(Count(jobs[1], ItemStatus::kProcessing) == 5);
  CHECK(f.api.CountRequests("/slow/items") >= 1);
}

TEST_CASE("a final job is listed once more, then served frozen") {
  Fixture f(TestConfig({"a"}));
  f.api.SetJob("a", {"completed", Items(12, "completed")});

  // Nothing is pending or processing: the listing asks for the job's
  // status, and learns that it is final.
  auto first = f.collector.Scrape(In(10s));
  CHECK(f.api.CountRequests("/a/items") == 2);
  const size_t status_checks = f.api.Requests().size() - 2;
  CHECK(status_checks == 1);
  CHECK_FALSE(first[0].health.frozen);

  // Listed once more after it was seen final, then frozen.
  f.api.ClearRequests();
  auto second = f.collector.Scrape(In(10s));
  CHECK(f.api.CountRequests("/a/items") == 2);
  CHECK(f.api.Requests().size() == 2);
  CHECK(second[0].health.frozen);

  // From now on: no request at all, the same numbers.
  f.api.ClearRequests();
  f.api.UpdateJob("a", [](FakeBatchApi::Job& job) { job.items.clear(); });
  for (int i = 0; i < 3; ++i) {
    auto later = f.collector.Scrape(In(10s));
    CHECK(later[0].health.up);
    CHECK(later[0].health.frozen);
    CHECK(later[0].snapshot == second[0].snapshot);
  }
  CHECK(f.api.Requests().empty());
}

TEST_CASE("a job with work in progress is never asked for its status") {
  Fixture f(TestConfig({"a"}));
  f.api.SetJob("a", {"running", Items(3, "processing")});
  for (int i = 0; i < 3; ++i) f.collector.Scrape(In(10s));
  CHECK(f.api.Requests().size() == 3);
  CHECK(f.api.CountRequests("/items") == 3);
}

TEST_CASE("min_interval serves the last result to scrapes that come sooner") {
  Config config = TestConfig({"a"});
  config.min_interval = Seconds(60);
  Fixture f(config);
  f.api.SetJob("a", {"running", Items(3, "pending")});
  f.collector.Scrape(In(10s));
  f.api.UpdateJob(
      "a", [](FakeBatchApi::Job& job) { job.items = Items(7, "pending"); });
  auto jobs = f.collector.Scrape(In(10s));
  CHECK(f.api.CountRequests("/items") == 1);
  CHECK(Count(jobs[0], ItemStatus::kPending) == 3);
  CHECK(jobs[0].health.up);
}

TEST_CASE("a listing longer than max_pages fails instead of hanging") {
  Config config = TestConfig({"a", "b"});
  config.max_concurrency = 1;
  config.max_pages = 2;
  Fixture f(config);
  f.api.SetJob("a", {"running", Items(50, "pending")});
  f.api.SetJob("b", {"running", Items(5, "pending")});
  std::vector<JobView> jobs = f.collector.Scrape(In(10s));
  CHECK_FALSE(jobs[0].health.up);
  CHECK(jobs[0].health.last_error == "listing exceeded 2 pages");
  CHECK(jobs[1].health.up);
  CHECK(f.api.CountRequests("/a/items") == 2);
  // The collection ended: the next scrape starts another.
  f.collector.Scrape(In(10s));
  CHECK(f.api.CountRequests("/a/items") == 4);
}

TEST_CASE("requests in flight never exceed max_concurrency") {
  Config config = TestConfig({"a", "b", "c"});
  config.max_concurrency = 2;
  Fixture f(config);
  for (const char* id : {"a", "b", "c"}) {
    f.api.SetJob(id, {"running", Items(95, "pending")});
  }
  auto jobs = f.collector.Scrape(In(10s));
  for (const JobView& job : jobs) CHECK(Count(job, ItemStatus::kPending) == 95);
  CHECK(f.api.MaxInFlight() <= 2);
  CHECK(f.api.CountRequests("/items") == 30);
}

}  // namespace
}  // namespace lcbe
