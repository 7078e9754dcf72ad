#include "collect/collector.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace lcbe {
namespace {

constexpr auto kFailureLogInterval = std::chrono::minutes(5);
constexpr size_t kMaxLoggedUnknownStatuses = 64;

double SecondsBetween(SteadyTime from, SteadyTime to) {
  return std::chrono::duration<double>(to - from).count();
}

bool NothingInProgress(const JobSnapshot& snapshot) {
  return snapshot.status_counts[static_cast<size_t>(ItemStatus::kPending)] ==
             0 &&
         snapshot.status_counts[static_cast<size_t>(ItemStatus::kProcessing)] ==
             0;
}

}  // namespace

Collector::Listing::Listing(const Config& config)
    : plan(config.page_size, config.max_pages, config.max_concurrency) {}

Collector::Collector(const Config& config, ApiClient* client,
                     const Clock* clock)
    : config_(config),
      client_(client),
      clock_(clock),
      failure_log_filter_(kFailureLogInterval) {
  jobs_.reserve(config_.jobs.size());
  for (const JobConfig& job : config_.jobs) jobs_.emplace_back(&job);
  for (int i = 0; i < config_.max_concurrency; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

Collector::~Collector() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

std::vector<JobView> Collector::Scrape(SteadyTime deadline) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!running_) {
    const SteadyTime now = clock_->Now();
    const bool fresh = last_start_ && now - *last_start_ < config_.min_interval;
    if (!fresh) StartCollectionLocked(now);
  }
  if (running_) {
    const uint64_t id = collection_id_;
    done_cv_.wait_until(lock, deadline,
                        [&] { return !running_ || collection_id_ != id; });
  }
  return ViewLocked();
}

std::vector<JobView> Collector::Peek() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ViewLocked();
}

void Collector::StartCollectionLocked(SteadyTime now) {
  ++collection_id_;
  last_start_ = now;
  collection_start_ = now;
  collection_deadline_ =
      now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                config_.collection_timeout);
  unfinished_jobs_ = 0;
  for (JobRecord& record : jobs_) {
    if (record.health.frozen) continue;
    record.listing.emplace(config_);
    ++unfinished_jobs_;
  }
  running_ = unfinished_jobs_ > 0;
  if (running_) work_cv_.notify_all();
}

std::vector<JobView> Collector::ViewLocked() const {
  std::vector<JobView> views;
  views.reserve(jobs_.size());
  for (const JobRecord& record : jobs_) {
    JobView view{record.config, record.snapshot, record.health};
    if (record.listing) {
      // Still being listed: whatever it had is not current.
      view.health.up = false;
      view.health.last_error = "listing not finished by the scrape deadline";
    }
    views.push_back(std::move(view));
  }
  return views;
}

void Collector::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    std::optional<Task> task;
    work_cv_.wait(lock, [&] { return stopping_ || (task = PickTaskLocked()); });
    if (stopping_) return;
    if (task->page) {
      RunPage(lock, *task);
    } else {
      RunCheck(lock, *task);
    }
  }
}

std::optional<Collector::Task> Collector::PickTaskLocked() {
  if (!running_) return std::nullopt;
  for (size_t n = 0; n < jobs_.size(); ++n) {
    const size_t index = (next_job_ + n) % jobs_.size();
    JobRecord& record = jobs_[index];
    if (!record.listing || record.listing->failed) continue;
    Listing& listing = *record.listing;
    std::optional<int> page;
    if (listing.check_wanted) {
      if (listing.check_started) continue;
      listing.check_started = true;
    } else {
      page = listing.plan.NextPage();
      if (!page) {
        if (listing.plan.Overflowed()) {
          RecordFailureLocked(record, "listing exceeded " +
                                          std::to_string(config_.max_pages) +
                                          " pages");
          // With nothing in flight, no answer will come to finish it.
          MaybeFinishListingLocked(record);
        }
        continue;
      }
    }
    if (!listing.started) {
      listing.started = true;
      listing.started_at = clock_->Now();
    }
    ++listing.in_flight;
    next_job_ = (index + 1) % jobs_.size();
    return Task{index, page};
  }
  return std::nullopt;
}

void Collector::RunPage(std::unique_lock<std::mutex>& lock, const Task& task) {
  JobRecord& record = jobs_[task.job];
  const int page = *task.page;
  const int64_t offset = record.listing->plan.Offset(page);
  const SteadyTime deadline = collection_deadline_;
  // The attempt set changes only when a listing commits, which waits for
  // every request of the job to return, so reading it unlocked is safe.
  PageAggregator aggregator(&record.config->duration_buckets,
                            &record.state.seen_failures());

  lock.unlock();
  Result<PageSummary> result =
      client_->FetchItemPage(*record.config, offset, deadline, aggregator);
  lock.lock();

  Listing& listing = *record.listing;
  --listing.in_flight;
  if (!result.ok()) {
    RecordFailureLocked(record, "page at offset " + std::to_string(offset) +
                                    ": " + result.error().message());
  } else if (!listing.failed) {
    if (listing.pages.size() <= static_cast<size_t>(page)) {
      listing.pages.resize(page + 1);
    }
    listing.pages[page] = std::move(aggregator.totals());
    listing.plan.OnPage(page, *result);
  }
  MaybeFinishListingLocked(record);
  work_cv_.notify_all();
}

void Collector::RunCheck(std::unique_lock<std::mutex>& lock, const Task& task) {
  JobRecord& record = jobs_[task.job];
  const SteadyTime deadline = collection_deadline_;

  lock.unlock();
  Result<JobInfo> info = client_->FetchJob(*record.config, deadline);
  lock.lock();

  --record.listing->in_flight;
  if (!info.ok()) {
    // The listing itself succeeded; the job is merely not known final.
    Log().Warn("job status check failed", {{"job_id", record.config->id},
                                           {"reason", info.error().message()}});
  } else if (info->final && record.final_seen_in == 0) {
    record.final_seen_in = collection_id_;
    Log().Info("job is final; listing it once more, then serving it frozen",
               {{"job_id", record.config->id}, {"status", info->status}});
  }
  EndJobLocked(record);
}

void Collector::RecordFailureLocked(JobRecord& record,
                                    const std::string& error) {
  Listing& listing = *record.listing;
  if (listing.failed) return;
  listing.failed = true;
  listing.error = error;
}

void Collector::MaybeFinishListingLocked(JobRecord& record) {
  Listing& listing = *record.listing;
  if (listing.in_flight > 0) return;
  if (listing.failed || listing.plan.Done()) FinishListingLocked(record);
}

void Collector::FinishListingLocked(JobRecord& record) {
  Listing& listing = *record.listing;
  const SteadyTime now = clock_->Now();
  record.health.last_collect_seconds = SecondsBetween(listing.started_at, now);
  record.health.last_attempt_unix = ToUnixSeconds(clock_->WallNow());

  if (listing.failed) {
    record.health.up = false;
    record.health.last_error = listing.error;
    LogFailureLocked(record, now);
    EndJobLocked(record);
    return;
  }

  CommitListingLocked(record);
  if (record.final_seen_in != 0 && record.final_seen_in < collection_id_) {
    record.health.frozen = true;
    Log().Info("job frozen: its final listing is served from now on",
               {{"job_id", record.config->id}});
  } else if (record.final_seen_in == 0 && NothingInProgress(*record.snapshot)) {
    listing.check_wanted = true;
    work_cv_.notify_all();
    return;
  }
  EndJobLocked(record);
}

void Collector::LogFailureLocked(const JobRecord& record, SteadyTime now) {
  const std::string& error = record.listing->error;
  long suppressed = 0;
  if (!failure_log_filter_.Allow(record.config->id + "\n" + error, now,
                                 &suppressed)) {
    return;
  }
  if (suppressed == 0) {
    Log().Warn("job collection failed",
               {{"job_id", record.config->id}, {"reason", error}});
    return;
  }
  Log().Warn("job collection failed",
             {{"job_id", record.config->id},
              {"reason", error},
              {"repeats_not_logged", std::to_string(suppressed)}});
}

void Collector::CommitListingLocked(JobRecord& record) {
  Listing& listing = *record.listing;
  ListingTotals totals;
  totals.completed_durations =
      DurationHistogram(record.config->duration_buckets.size());
  for (int i = 0; i <= listing.plan.LastPage(); ++i) {
    totals.Merge(std::move(*listing.pages[i]));
  }
  listing.pages.clear();

  for (const std::string& status : totals.unknown_statuses) {
    if (logged_unknown_statuses_.size() < kMaxLoggedUnknownStatuses &&
        std::find(logged_unknown_statuses_.begin(),
                  logged_unknown_statuses_.end(),
                  status) == logged_unknown_statuses_.end()) {
      logged_unknown_statuses_.push_back(status);
      Log().Warn("unknown item status counted as \"unknown\"",
                 {{"job_id", record.config->id}, {"status", status}});
    }
  }

  const bool recovered = !record.health.up && record.health.last_success_unix;
  record.snapshot = record.state.Commit(std::move(totals));
  record.health.up = true;
  record.health.last_error.clear();
  record.health.last_success_unix = record.health.last_attempt_unix;
  if (recovered) {
    Log().Info("job collection recovered", {{"job_id", record.config->id}});
  }
}

void Collector::EndJobLocked(JobRecord& record) {
  record.listing.reset();
  if (--unfinished_jobs_ > 0) return;
  running_ = false;
  done_cv_.notify_all();
}

}  // namespace lcbe
