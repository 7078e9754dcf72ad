#ifndef LCBE_SIMULATOR_SIMULATOR_H_
#define LCBE_SIMULATOR_SIMULATOR_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fault_book.h"
#include "http_server.h"
#include "job_model.h"
#include "query.h"
#include "request_log.h"
#include "scenario.h"
#include "sim_clock.h"

namespace lcbe::sim {

// Simulator answers HTTP requests the way the LlamaCloud batch-processing
// API would for the jobs of one scenario, plus the admin endpoints under
// /-/sim/ that tests use to inspect and steer it. Handle() is thread-safe.
class Simulator {
 public:
  // `now_ms` (milliseconds since the epoch) anchors generated timestamps
  // when the scenario sets no start_time.
  Simulator(Scenario scenario, int64_t now_ms);

  // Answers one request; may sleep for configured latency.
  HttpResponse Handle(const HttpRequest& request);

  SimClock& clock() { return clock_; }
  const RequestLog& request_log() const { return request_log_; }
  size_t job_count() const { return jobs_.size(); }

 private:
  struct Route;

  HttpResponse HandleApi(const HttpRequest& request, const Route& route,
                         const std::map<std::string, std::string>& query,
                         double elapsed, std::optional<std::string>* fault);
  HttpResponse HandleAdmin(const HttpRequest& request);
  HttpResponse AdminItems(const std::map<std::string, std::string>& query);
  HttpResponse AdminFaults(const HttpRequest& request);
  HttpResponse AdminClock(const HttpRequest& request);

  std::optional<HttpResponse> CheckAccess(
      const HttpRequest& request,
      const std::map<std::string, std::string>& query) const;
  HttpResponse ListItems(const JobModel* job,
                         const std::map<std::string, std::string>& query,
                         double elapsed, const FaultSpec* fault) const;
  HttpResponse GetJob(const JobModel& job, double elapsed,
                      const FaultSpec* fault) const;
  HttpResponse ListJobs(const std::map<std::string, std::string>& query,
                        double elapsed, const FaultSpec* fault) const;
  const JobModel* FindJob(std::string_view id) const;

  const Scenario scenario_;
  std::vector<std::unique_ptr<JobModel>> jobs_;
  std::unordered_map<std::string, const JobModel*> jobs_by_id_;
  SimClock clock_;
  FaultBook faults_;
  RequestLog request_log_;
};

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_SIMULATOR_H_
