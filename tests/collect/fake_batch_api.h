#ifndef LCBE_TESTS_COLLECT_FAKE_BATCH_API_H_
#define LCBE_TESTS_COLLECT_FAKE_BATCH_API_H_

#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/transport.h"

namespace lcbe::testing {

// FakeBatchApi is an HttpTransport that answers item listings and job
// lookups from in-memory jobs, the way the LlamaCloud API pages them, and
// logs every request. A job can be made to fail, or to hold its requests
// until released, to script faults and slowness. Thread-safe.
class FakeBatchApi : public HttpTransport {
 public:
  struct Job {
    std::string status = "running";
    // Item JSON objects, as the API would send them.
    std::vector<std::string> items;
    // Answer listing requests with this HTTP status instead (0: don't).
    long fail_with = 0;
    // Hold every request until Release() is called.
    bool hold = false;
  };

  void SetJob(const std::string& id, Job job) {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_[id] = std::move(job);
  }

  template <typename F>
  void UpdateJob(const std::string& id, F change) {
    std::lock_guard<std::mutex> lock(mu_);
    change(jobs_[id]);
  }

  void Release(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_[id].hold = false;
    released_.notify_all();
  }

  // Every URL requested so far, in order.
  std::vector<std::string> Requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  size_t CountRequests(const std::string& fragment) const {
    std::lock_guard<std::mutex> lock(mu_);
    return std::count_if(requests_.begin(), requests_.end(),
                         [&](const std::string& url) {
                           return url.find(fragment) != std::string::npos;
                         });
  }

  int MaxInFlight() const {
    std::lock_guard<std::mutex> lock(mu_);
    return max_in_flight_;
  }

  void ClearRequests() {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.clear();
  }

  TransportResult Get(const std::string& url,
                      std::chrono::milliseconds) override {
    std::unique_lock<std::mutex> lock(mu_);
    requests_.push_back(url);
    max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
    const std::string id = JobId(url);
    released_.wait(lock, [&] { return !jobs_[id].hold; });
    HttpResponse response = Answer(url, id);
    --in_flight_;
    response.body.reserve(response.body.size() + kBodyPadding);
    return response;
  }

 private:
  // ".../batch-processing/<id>[/items]?..." -> "<id>"
  static std::string JobId(const std::string& url) {
    const std::string marker = "/batch-processing/";
    size_t start = url.find(marker) + marker.size();
    size_t end = url.find_first_of("/?", start);
    return url.substr(start, end - start);
  }

  static long QueryNumber(const std::string& url, const std::string& key) {
    const size_t at = url.find(key + "=");
    return at == std::string::npos ? 0
                                   : std::stol(url.substr(at + key.size() + 1));
  }

  HttpResponse Answer(const std::string& url, const std::string& id) {
    const Job& job = jobs_[id];
    HttpResponse response;
    response.status = 200;
    if (url.find("/items") == std::string::npos) {
      response.body = R"({"job":{"id":")" + id + R"(","status":")" +
                      job.status + R"("},"progress_percentage":0})";
      return response;
    }
    if (job.fail_with) {
      response.status = job.fail_with;
      response.body = R"({"detail":"scripted failure"})";
      return response;
    }
    const size_t offset = QueryNumber(url, "offset");
    const size_t limit = QueryNumber(url, "limit");
    std::string body = R"({"items":[)";
    for (size_t i = offset; i < std::min(job.items.size(), offset + limit);
         ++i) {
      if (i > offset) body += ",";
      body += job.items[i];
    }
    body += R"(],"next_page_token":null,"total_size":)" +
            std::to_string(job.items.size()) + "}";
    response.body = std::move(body);
    return response;
  }

  mutable std::mutex mu_;
  std::condition_variable released_;
  std::map<std::string, Job> jobs_;
  std::vector<std::string> requests_;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
};

// An item JSON object with the given fields; timestamps are seconds after
// 2026-01-01T00:00:00Z.
inline std::string ItemJson(const std::string& id, const std::string& status,
                            int started = -1, int completed = -1,
                            const std::string& attempt = "pjb-1") {
  auto time = [](int s) {
    if (s < 0) return std::string("null");
    char text[40];
    std::snprintf(text, sizeof text, "\"2026-01-01T%02d:%02d:%02dZ\"", s / 3600,
                  s / 60 % 60, s % 60);
    return std::string(text);
  };
  return R"({"item_id":")" + id + R"(","item_name":"f.pdf","status":")" +
         status + R"(","started_at":)" + time(started) + R"(,"completed_at":)" +
         time(completed) + R"(,"job_id":")" + attempt +
         R"(","skip_reason":null})";
}

}  // namespace lcbe::testing

#endif  // LCBE_TESTS_COLLECT_FAKE_BATCH_API_H_
