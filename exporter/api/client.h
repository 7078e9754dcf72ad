#ifndef LCBE_API_CLIENT_H_
#define LCBE_API_CLIENT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/item.h"
#include "api/transport.h"
#include "common/clock.h"
#include "common/result.h"
#include "config/config.h"

namespace lcbe {

// RequestObserver learns of every HTTP attempt the client makes, retries
// included, so that the metrics layer can count them without the client
// knowing Prometheus. Implementations are thread-safe.
class RequestObserver {
 public:
  virtual ~RequestObserver() = default;
  // `code` is the HTTP status ("200") or a TransportFailureLabel().
  virtual void OnRequest(std::string_view code, double seconds) = 0;
};

// ApiClient reads the batch-processing API: one call per logical request,
// with retries, backoff, the client-side rate cap and a client-wide pause
// after a 429 inside. Thread-safe; concurrency is the caller's.
class ApiClient {
 public:
  // `transport`, `clock` and `observer` must outlive the client. `observer`
  // may be null.
  ApiClient(const Config& config, HttpTransport* transport, const Clock* clock,
            RequestObserver* observer);
  ~ApiClient();

  // Fetches the page of `job`'s items that starts at `offset` (limit
  // config.page_size) and passes each item to `consumer`. Retries as the
  // policy allows, never waiting past `deadline`. On failure the consumer
  // may already have seen some items of the page: the caller discards them.
  Result<PageSummary> FetchItemPage(const JobConfig& job, int64_t offset,
                                    SteadyTime deadline,
                                    ItemConsumer& consumer);

  // Fetches the job's own record, to learn whether it is final.
  Result<JobInfo> FetchJob(const JobConfig& job, SteadyTime deadline);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lcbe

#endif  // LCBE_API_CLIENT_H_
