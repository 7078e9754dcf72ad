#include "metrics/job_metrics.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <utility>

#include <prometheus/text_serializer.h>

namespace lcbe {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// The families, in output order.
enum Family {
  kItems,
  kSkippedItems,
  kDuration,
  kWithoutDuration,
  kFailures,
  kLastCompletion,
  kOldestProcessing,
  kUp,
  kCollectDuration,
  kLastSuccess,
  kFrozen,
  kFamilyCount,
};

struct FamilySpec {
  const char* name;
  const char* help;
  MetricType type;
  bool from_listing;  // values come from a listing, so min_interval applies
};

constexpr FamilySpec kSpecs[kFamilyCount] = {
    {"llamacloud_batch_items", "Items of the batch job by status.",
     MetricType::Gauge, true},
    {"llamacloud_batch_skipped_items",
     "Skipped items of the batch job by skip reason; \"unspecified\" when the "
     "API gives none, \"other\" for reasons past the configured cap.",
     MetricType::Gauge, true},
    {"llamacloud_batch_item_processing_duration_seconds",
     "Processing time (completed_at - started_at) of items that completed or "
     "failed, each attempt observed once.",
     MetricType::Histogram, true},
    {"llamacloud_batch_items_without_duration",
     "Completed or failed items whose timestamps are missing, unparsable or "
     "give a negative duration, so they are not in the duration histogram.",
     MetricType::Gauge, true},
    {"llamacloud_batch_item_failures_total",
     "Distinct failed attempts (item id and processing job id) seen since "
     "the exporter started.",
     MetricType::Counter, true},
    {"llamacloud_batch_last_completion_timestamp_seconds",
     "Newest completed_at among the job's completed items.", MetricType::Gauge,
     true},
    {"llamacloud_batch_oldest_processing_start_timestamp_seconds",
     "Oldest started_at among the job's items now processing; absent when "
     "none is.",
     MetricType::Gauge, true},
    {"llamacloud_batch_job_up",
     "1 when the job's latest listing completed in time; 0 when it failed "
     "or was late, and the other job metrics then show the last complete "
     "listing.",
     MetricType::Gauge, false},
    {"llamacloud_batch_job_collect_duration_seconds",
     "Duration of the job's latest listing.", MetricType::Gauge, false},
    {"llamacloud_batch_job_last_success_timestamp_seconds",
     "When the job's latest complete listing finished.", MetricType::Gauge,
     false},
    {"llamacloud_batch_job_frozen",
     "1 when the job is final and served from its last listing without "
     "further requests.",
     MetricType::Gauge, false},
};

// A stream buffer that writes straight into a string, which it hands over
// without a copy.
class StringStreamBuf : public std::streambuf {
 public:
  explicit StringStreamBuf(size_t capacity) {
    text_.resize(std::max<size_t>(capacity, 4096));
    setp(text_.data(), text_.data() + text_.size());
  }

  // The text written so far; the buffer is spent after this.
  std::string Take() {
    text_.resize(static_cast<size_t>(pptr() - pbase()));
    setp(nullptr, nullptr);
    return std::move(text_);
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return 0;
    Grow(1);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }

  std::streamsize xsputn(const char* data, std::streamsize count) override {
    if (epptr() - pptr() < count) Grow(static_cast<size_t>(count));
    std::memcpy(pptr(), data, static_cast<size_t>(count));
    pbump(static_cast<int>(count));
    return count;
  }

 private:
  void Grow(size_t more) {
    const size_t used = static_cast<size_t>(pptr() - pbase());
    text_.resize(std::max(text_.size() * 2, used + more));
    setp(text_.data(), text_.data() + text_.size());
    pbump(static_cast<int>(used));
  }

  std::string text_;
};

std::vector<MetricFamily> EmptyFamilies(const Config& config) {
  std::string staleness;
  if (config.min_interval.count() > 0) {
    std::ostringstream note;
    note << " Values come from a collection at most "
         << config.min_interval.count() << " s old (collection.min_interval).";
    staleness = note.str();
  }
  std::vector<MetricFamily> families(kFamilyCount);
  for (int i = 0; i < kFamilyCount; ++i) {
    families[i].name = kSpecs[i].name;
    families[i].help = kSpecs[i].help;
    if (kSpecs[i].from_listing) families[i].help += staleness;
    families[i].type = kSpecs[i].type;
  }
  return families;
}

ClientMetric& AddMetric(MetricFamily& family, const std::string& job_id) {
  ClientMetric& metric = family.metric.emplace_back();
  metric.label.push_back({"job_id", job_id});
  return metric;
}

void AddGauge(MetricFamily& family, const std::string& job_id, double value,
              std::pair<const char*, std::string> extra = {}) {
  ClientMetric& metric = AddMetric(family, job_id);
  if (extra.first) metric.label.push_back({extra.first, extra.second});
  metric.gauge.value = value;
}

void AddHistogram(MetricFamily& family, const std::string& job_id,
                  const char* status, const DurationHistogram& histogram,
                  const std::vector<double>& bounds) {
  ClientMetric& metric = AddMetric(family, job_id);
  metric.label.push_back({"status", status});
  metric.histogram.sample_count = histogram.count();
  metric.histogram.sample_sum = histogram.sum();
  metric.histogram.bucket.reserve(bounds.size() + 1);
  for (size_t i = 0; i <= bounds.size(); ++i) {
    const double le =
        i < bounds.size() ? bounds[i] : std::numeric_limits<double>::infinity();
    metric.histogram.bucket.push_back({histogram.Cumulative(i), le});
  }
}

void AddSnapshot(std::vector<MetricFamily>& families, const JobConfig& job,
                 const JobSnapshot& snapshot) {
  const std::string& id = job.id;
  for (int i = 0; i < kItemStatusCount; ++i) {
    const auto status = static_cast<ItemStatus>(i);
    AddGauge(families[kItems], id,
             static_cast<double>(snapshot.status_counts[i]),
             {"status", std::string(ItemStatusName(status))});
  }
  for (const auto& [reason, count] : snapshot.skip_reasons) {
    AddGauge(families[kSkippedItems], id, static_cast<double>(count),
             {"skip_reason", reason});
  }
  AddHistogram(families[kDuration], id, "completed",
               snapshot.completed_durations, job.duration_buckets);
  AddHistogram(families[kDuration], id, "failed", snapshot.failed_durations,
               job.duration_buckets);
  AddGauge(families[kWithoutDuration], id,
           static_cast<double>(snapshot.completed_without_duration),
           {"status", "completed"});
  AddGauge(families[kWithoutDuration], id,
           static_cast<double>(snapshot.failed_without_duration),
           {"status", "failed"});
  AddMetric(families[kFailures], id).counter.value =
      static_cast<double>(snapshot.failures_total);
  if (snapshot.last_completion_unix) {
    AddGauge(families[kLastCompletion], id, *snapshot.last_completion_unix);
  }
  if (snapshot.oldest_processing_start_unix) {
    AddGauge(families[kOldestProcessing], id,
             *snapshot.oldest_processing_start_unix);
  }
}

void AddHealth(std::vector<MetricFamily>& families, const std::string& id,
               const JobHealth& health) {
  AddGauge(families[kUp], id, health.up ? 1 : 0);
  if (health.last_collect_seconds) {
    AddGauge(families[kCollectDuration], id, *health.last_collect_seconds);
  }
  if (health.last_success_unix) {
    AddGauge(families[kLastSuccess], id, *health.last_success_unix);
  }
  AddGauge(families[kFrozen], id, health.frozen ? 1 : 0);
}

}  // namespace

std::vector<MetricFamily> BuildJobMetrics(const std::vector<JobView>& jobs,
                                          const Config& config) {
  std::vector<MetricFamily> families = EmptyFamilies(config);
  for (const JobView& job : jobs) {
    if (job.snapshot) AddSnapshot(families, *job.config, *job.snapshot);
    AddHealth(families, job.config->id, job.health);
  }
  std::erase_if(families,
                [](const MetricFamily& f) { return f.metric.empty(); });
  return families;
}

std::string SerializeMetrics(const std::vector<MetricFamily>& families) {
  // Start a little above the size of the last page, so that a large page
  // is neither regrown step by step (nor doubled for a few bytes more than
  // last time) nor copied out of a stringstream at the end.
  static std::atomic<size_t> last_size{0};
  const size_t hint = last_size.load(std::memory_order_relaxed);
  StringStreamBuf buffer(hint + hint / 16);
  std::ostream out(&buffer);
  prometheus::TextSerializer().Serialize(out, families);
  std::string text = buffer.Take();
  last_size.store(text.size(), std::memory_order_relaxed);
  return text;
}

}  // namespace lcbe
