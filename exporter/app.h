#ifndef LCBE_APP_H_
#define LCBE_APP_H_

#include <memory>
#include <optional>
#include <string>

#include "api/client.h"
#include "api/transport.h"
#include "collect/collector.h"
#include "common/clock.h"
#include "common/result.h"
#include "config/config.h"
#include "metrics/self_metrics.h"
#include "web/server.h"

namespace lcbe {

// Exporter wires the parts into a running exporter: the API client over a
// transport, the collector, and the HTTP server with its routes (the
// telemetry path, "/", "/-/healthy", "/-/ready"). main() builds one over
// libcurl; end-to-end tests build one over a scripted transport.
class Exporter {
 public:
  // Starts serving at once. `config` is copied; `transport` is owned.
  static Result<std::unique_ptr<Exporter>> Start(
      const Config& config, std::unique_ptr<HttpTransport> transport);
  ~Exporter();

  // The port the HTTP server bound.
  int port() const { return server_->port(); }

 private:
  Exporter(const Config& config, std::unique_ptr<HttpTransport> transport);

  WebResponse ServeMetrics(const WebRequest& request);
  WebResponse ServeLandingPage(const WebRequest& request);

  const Config config_;
  std::unique_ptr<HttpTransport> transport_;
  SelfMetrics self_metrics_;
  ApiClient client_;
  Collector collector_;
  std::unique_ptr<WebServer> server_;
};

// How long a scrape may take: the X-Prometheus-Scrape-Timeout-Seconds
// header's value if it is a sane number, else config.scrape_timeout; less
// config.scrape_timeout_offset, but never less than half the timeout.
Seconds ScrapeBudget(const std::optional<std::string>& timeout_header,
                     const Config& config);

}  // namespace lcbe

#endif  // LCBE_APP_H_
