#ifndef LCBE_COLLECT_COLLECTOR_H_
#define LCBE_COLLECT_COLLECTOR_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/client.h"
#include "api/listing_plan.h"
#include "collect/job_snapshot.h"
#include "collect/job_state.h"
#include "collect/listing_totals.h"
#include "common/clock.h"
#include "common/log.h"
#include "config/config.h"

namespace lcbe {

// Collector lists the items of every configured job and keeps each job's
// last complete snapshot. Scrapes drive it:
//  - single flight: a scrape that arrives while a collection runs joins it;
//  - every request of a collection, over all jobs, runs on a fixed pool of
//    config.max_concurrency workers, so at most that many are in flight;
//    one job's pages are fetched in parallel where `total_size` allows;
//  - a scrape waits for the collection only until its own deadline; jobs
//    not finished by then read as down with their last complete snapshot,
//    and the collection goes on in the background (bounded by
//    config.collection_timeout) to serve later scrapes;
//  - a job whose status is final is listed once more after it was seen
//    final, then served frozen without requests;
//  - with config.min_interval, a scrape sooner than that after the last
//    collection started is served its result.
// Thread-safe.
class Collector {
 public:
  // `config`, `client` and `clock` must outlive the collector.
  Collector(const Config& config, ApiClient* client, const Clock* clock);
  ~Collector();

  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Serves one scrape, waiting at most until `deadline`; returns every job
  // in configuration order.
  std::vector<JobView> Scrape(SteadyTime deadline);

  // Every job as of now, without collecting.
  std::vector<JobView> Peek() const;

 private:
  // One job's listing within the running collection.
  struct Listing {
    explicit Listing(const Config& config);

    ListingPlan plan;
    std::vector<std::optional<ListingTotals>> pages;
    int in_flight = 0;
    bool failed = false;
    std::string error;
    bool started = false;
    SteadyTime started_at;
    // Set when the listing found nothing left to do: ask whether the job
    // itself is final before the listing counts as finished.
    bool check_wanted = false;
    bool check_started = false;
  };

  struct JobRecord {
    explicit JobRecord(const JobConfig* job) : config(job), state(job) {}

    const JobConfig* config;
    JobState state;
    std::shared_ptr<const JobSnapshot> snapshot;
    JobHealth health;
    // The collection in which the job was first seen final; 0 if never.
    uint64_t final_seen_in = 0;
    std::optional<Listing> listing;  // set while a collection lists it
  };

  // A unit of work for a worker: one page, or one job status check.
  struct Task {
    size_t job = 0;
    std::optional<int> page;  // absent: the job status check
  };

  void WorkerLoop();
  std::optional<Task> PickTaskLocked();
  void RunPage(std::unique_lock<std::mutex>& lock, const Task& task);
  void RunCheck(std::unique_lock<std::mutex>& lock, const Task& task);
  void MaybeFinishListingLocked(JobRecord& record);
  void FinishListingLocked(JobRecord& record);
  void CommitListingLocked(JobRecord& record);
  void LogFailureLocked(const JobRecord& record, SteadyTime now);
  void RecordFailureLocked(JobRecord& record, const std::string& error);
  void EndJobLocked(JobRecord& record);
  void StartCollectionLocked(SteadyTime now);
  std::vector<JobView> ViewLocked() const;

  const Config& config_;
  ApiClient* const client_;
  const Clock* const clock_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;  // a task may be available
  std::condition_variable done_cv_;  // a collection finished
  std::vector<JobRecord> jobs_;
  uint64_t collection_id_ = 0;
  bool running_ = false;
  int unfinished_jobs_ = 0;
  SteadyTime collection_start_;
  SteadyTime collection_deadline_;
  std::optional<SteadyTime> last_start_;
  size_t next_job_ = 0;  // round-robin cursor over jobs_
  bool stopping_ = false;
  RepeatFilter failure_log_filter_;
  std::vector<std::string> logged_unknown_statuses_;
  std::vector<std::thread> workers_;
};

}  // namespace lcbe

#endif  // LCBE_COLLECT_COLLECTOR_H_
