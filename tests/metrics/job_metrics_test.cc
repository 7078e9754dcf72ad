#include "metrics/job_metrics.h"

#include <prometheus/text_serializer.h>
#include <catch2/catch.hpp>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace lcbe {
namespace {

bool Contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

struct Jobs {
  Jobs() {
    config.duration_buckets = {1, 10};
    for (const char* id : {"bjb-listed", "bjb-never"}) {
      JobConfig job;
      job.id = id;
      job.duration_buckets = config.duration_buckets;
      config.jobs.push_back(job);
    }
    auto snapshot = std::make_shared<JobSnapshot>();
    snapshot->status_counts = {1, 2, 3, 4, 5, 6, 7};
    snapshot->skip_reasons = {{"already_processed", 4}, {"other", 1}};
    snapshot->completed_durations = DurationHistogram(2);
    snapshot->completed_durations.Observe(0.5, config.duration_buckets);
    snapshot->completed_durations.Observe(20, config.duration_buckets);
    snapshot->failed_durations = DurationHistogram(2);
    snapshot->completed_without_duration = 8;
    snapshot->failures_total = 9;
    snapshot->last_completion_unix = 1700000000.5;
    JobHealth listed{true, false, 0.25, 1700000001, 1700000001, ""};
    JobHealth never{false, false, 0.5, 1700000002, std::nullopt, "HTTP 401"};
    views = {{&config.jobs[0], snapshot, listed},
             {&config.jobs[1], nullptr, never}};
  }

  std::string Render() {
    return SerializeMetrics(BuildJobMetrics(views, config));
  }

  Config config;
  std::vector<JobView> views;
};

TEST_CASE("every status is exported, zeros and unknown included") {
  Jobs jobs;
  const std::string text = jobs.Render();
  CHECK(Contains(
      text,
      R"(llamacloud_batch_items{job_id="bjb-listed",status="pending"} 1)"));
  CHECK(Contains(
      text,
      R"(llamacloud_batch_items{job_id="bjb-listed",status="cancelled"} 6)"));
  CHECK(Contains(
      text,
      R"(llamacloud_batch_items{job_id="bjb-listed",status="unknown"} 7)"));
  CHECK(Contains(text, "# TYPE llamacloud_batch_items gauge"));
}

TEST_CASE("histograms are cumulative and end in +Inf") {
  Jobs jobs;
  const std::string text = jobs.Render();
  const std::string name = "llamacloud_batch_item_processing_duration_seconds";
  const std::string labels = R"(job_id="bjb-listed",status="completed")";
  CHECK(Contains(text, name + "_bucket{" + labels + ",le=\"1\"} 1"));
  CHECK(Contains(text, name + "_bucket{" + labels + ",le=\"10\"} 1"));
  CHECK(Contains(text, name + "_bucket{" + labels + ",le=\"+Inf\"} 2"));
  CHECK(Contains(text, name + "_count{" + labels + "} 2"));
  CHECK(Contains(text, name + "_sum{" + labels + "} 20.5"));
  CHECK(Contains(text,
                 name + R"(_count{job_id="bjb-listed",status="failed"} 0)"));
}

TEST_CASE("a job never listed completely has health metrics only") {
  Jobs jobs;
  const std::string text = jobs.Render();
  CHECK(Contains(text, R"(llamacloud_batch_job_up{job_id="bjb-never"} 0)"));
  CHECK(Contains(text, R"(llamacloud_batch_job_up{job_id="bjb-listed"} 1)"));
  CHECK(text.find(R"(llamacloud_batch_items{job_id="bjb-never")") ==
        std::string::npos);
  CHECK(
      text.find(
          R"(llamacloud_batch_job_last_success_timestamp_seconds{job_id="bjb-never"})") ==
      std::string::npos);
  CHECK(Contains(
      text,
      R"(llamacloud_batch_job_collect_duration_seconds{job_id="bjb-never"} 0.5)"));
}

TEST_CASE("absent timestamps are not exported, present ones are") {
  Jobs jobs;
  const std::string text = jobs.Render();
  CHECK(text.find("llamacloud_batch_oldest_processing_start_timestamp_"
                  "seconds{") == std::string::npos);
  CHECK(Contains(
      text, R"(llamacloud_batch_item_failures_total{job_id="bjb-listed"} 9)"));
  CHECK(Contains(text, "# TYPE llamacloud_batch_item_failures_total counter"));
  CHECK(Contains(
      text,
      R"(llamacloud_batch_skipped_items{job_id="bjb-listed",skip_reason="already_processed"} 4)"));
}

TEST_CASE("HELP says how old values may be when min_interval is set") {
  Jobs jobs;
  CHECK(jobs.Render().find("at most") == std::string::npos);
  jobs.config.min_interval = Seconds(30);
  const std::string text = jobs.Render();
  CHECK(text.find("# HELP llamacloud_batch_items Items of the batch job by "
                  "status. Values come from a collection at most 30 s old") !=
        std::string::npos);
  // Health metrics are measured per scrape: no such note.
  CHECK(text.find("# HELP llamacloud_batch_job_up 1 when the job's latest "
                  "listing completed in time; 0 when it failed or was late, "
                  "and the other job metrics then show the last complete "
                  "listing.\n") != std::string::npos);
}

TEST_CASE("label values are escaped") {
  Jobs jobs;
  auto snapshot = std::make_shared<JobSnapshot>(*jobs.views[0].snapshot);
  snapshot->skip_reasons = {{"quote\" slash\\ line\nend", 1}};
  jobs.views[0].snapshot = snapshot;
  CHECK(Contains(jobs.Render(),
                 "llamacloud_batch_skipped_items{job_id=\"bjb-listed\","
                 R"(skip_reason="quote\" slash\\ line\nend"} 1)"));
}

TEST_CASE("SerializeMetrics writes what prometheus-cpp's serializer writes") {
  // Small, then large enough to outgrow the first buffer, then small again
  // after a large page set the size hint.
  for (int gauges : {1, 5000, 3}) {
    std::vector<prometheus::MetricFamily> families(1);
    families[0].name = "lcbe_test_gauge";
    families[0].help = "A test gauge.";
    families[0].type = prometheus::MetricType::Gauge;
    for (int i = 0; i < gauges; ++i) {
      prometheus::ClientMetric& metric = families[0].metric.emplace_back();
      metric.label.push_back({"job_id", "job-" + std::to_string(i)});
      metric.gauge.value = i * 1.5;
    }
    std::ostringstream expected;
    prometheus::TextSerializer().Serialize(expected, families);
    const std::string text = SerializeMetrics(families);
    CHECK(text.size() == expected.str().size());
    CHECK(text == expected.str());
  }
}

}  // namespace
}  // namespace lcbe
