#ifndef LCBE_METRICS_SELF_METRICS_H_
#define LCBE_METRICS_SELF_METRICS_H_

#include <memory>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include "api/client.h"

namespace lcbe {

// SelfMetrics measures the exporter itself for the life of the process:
// API requests by outcome and their latency, and the build. It observes the
// API client's requests. Thread-safe.
class SelfMetrics final : public RequestObserver {
 public:
  SelfMetrics();

  void OnRequest(std::string_view code, double seconds) override;

  // The current values, ready to serialise.
  std::vector<prometheus::MetricFamily> Collect() const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Histogram* request_duration_;
};

}  // namespace lcbe

#endif  // LCBE_METRICS_SELF_METRICS_H_
