#include "metrics/self_metrics.h"

#include <string>

#include <prometheus/gauge.h>

#include "common/version.h"

namespace lcbe {

SelfMetrics::SelfMetrics()
    : registry_(std::make_shared<prometheus::Registry>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("llamacloud_batch_api_requests_total")
                   .Help(
                       "HTTP requests sent to the LlamaCloud API, retries "
                       "included, by HTTP status or transport error.")
                   .Register(*registry_);
  request_duration_ =
      &prometheus::BuildHistogram()
           .Name("llamacloud_batch_api_request_duration_seconds")
           .Help(
               "Time from sending a request to the LlamaCloud API to "
               "having its whole response.")
           .Register(*registry_)
           .Add({}, prometheus::Histogram::BucketBoundaries{
                        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
                        30});
  prometheus::BuildGauge()
      .Name("llamacloud_batch_exporter_build_info")
      .Help(
          "Always 1; the labels name the exporter's version and the git "
          "revision it was built from.")
      .Register(*registry_)
      .Add({{"version", kVersion}, {"revision", kRevision}})
      .Set(1);
}

void SelfMetrics::OnRequest(std::string_view code, double seconds) {
  requests_->Add({{"code", std::string(code)}}).Increment();
  request_duration_->Observe(seconds);
}

std::vector<prometheus::MetricFamily> SelfMetrics::Collect() const {
  return registry_->Collect();
}

}  // namespace lcbe
