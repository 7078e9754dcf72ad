#include "app.h"

#include <algorithm>
#include <map>
#include <utility>

#include "common/version.h"
#include "config/values.h"
#include "metrics/job_metrics.h"
#include "metrics/process_metrics.h"
#include "web/landing_page.h"

namespace lcbe {
namespace {

// Bounds on a timeout taken from a request header, so that a hostile or
// mistaken value can neither stall a scrape for hours nor overflow a clock.
constexpr double kMinHeaderTimeout = 0.01;
constexpr double kMaxHeaderTimeout = 600;
// Requests served at once. Scrapes mostly wait on a shared collection, so
// threads are cheap; enough of them lets a burst of scrapes (a Prometheus
// pair plus people) join one collection instead of queueing behind it and
// starting another.
constexpr int kWebThreads = 32;

std::string Outcome(const JobView& job) {
  if (job.health.frozen) return "frozen (final)";
  if (job.health.up) return "ok";
  if (!job.health.last_error.empty()) {
    return "failed: " + job.health.last_error;
  }
  return "never collected";
}

}  // namespace

Seconds ScrapeBudget(const std::optional<std::string>& timeout_header,
                     const Config& config) {
  double timeout = config.scrape_timeout.count();
  if (timeout_header) {
    if (Result<double> sent = ParseNumber(*timeout_header); sent.ok()) {
      timeout = std::clamp(*sent, kMinHeaderTimeout, kMaxHeaderTimeout);
    }
  }
  const double budget = timeout - config.scrape_timeout_offset.count();
  return Seconds(std::max(budget, timeout / 2));
}

Result<std::unique_ptr<Exporter>> Exporter::Start(
    const Config& config, std::unique_ptr<HttpTransport> transport) {
  std::unique_ptr<Exporter> exporter(
      new Exporter(config, std::move(transport)));
  Exporter* self = exporter.get();

  std::map<std::string, WebHandler> routes;
  routes[config.telemetry_path] = [self](const WebRequest& request) {
    return self->ServeMetrics(request);
  };
  routes["/"] = [self](const WebRequest& request) {
    return self->ServeLandingPage(request);
  };
  routes["/-/healthy"] = [](const WebRequest&) {
    return WebResponse{200, "text/plain; charset=utf-8", "Healthy\n", {}};
  };
  // Ready as soon as the configuration is loaded, which it is by now.
  routes["/-/ready"] = [](const WebRequest&) {
    return WebResponse{200, "text/plain; charset=utf-8", "Ready\n", {}};
  };

  WebServerOptions options;
  options.listen_address = config.listen_address;
  options.num_threads = kWebThreads;
  Result<std::unique_ptr<WebServer>> server =
      WebServer::Start(options, std::move(routes));
  if (!server.ok()) return server.error();
  exporter->server_ = std::move(server).value();
  return exporter;
}

Exporter::Exporter(const Config& config,
                   std::unique_ptr<HttpTransport> transport)
    : config_(config),
      transport_(std::move(transport)),
      client_(config_, transport_.get(), &SystemClock::Get(), &self_metrics_),
      collector_(config_, &client_, &SystemClock::Get()) {}

Exporter::~Exporter() {
  // Stop taking requests before the parts that serve them go away.
  server_.reset();
}

WebResponse Exporter::ServeMetrics(const WebRequest& request) {
  const Seconds budget = ScrapeBudget(
      request.header("X-Prometheus-Scrape-Timeout-Seconds"), config_);
  const SteadyTime deadline =
      SystemClock::Get().Now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(budget);

  std::vector<prometheus::MetricFamily> families =
      BuildJobMetrics(collector_.Scrape(deadline), config_);
  std::vector<prometheus::MetricFamily> self = self_metrics_.Collect();
  std::vector<prometheus::MetricFamily> process = CollectProcessMetrics();
  families.insert(families.end(), std::make_move_iterator(self.begin()),
                  std::make_move_iterator(self.end()));
  families.insert(families.end(), std::make_move_iterator(process.begin()),
                  std::make_move_iterator(process.end()));

  return WebResponse{200,
                     "text/plain; version=0.0.4; charset=utf-8",
                     SerializeMetrics(families),
                     {}};
}

WebResponse Exporter::ServeLandingPage(const WebRequest&) {
  LandingPage page;
  page.version = kVersion;
  page.revision = kRevision;
  page.telemetry_path = config_.telemetry_path;
  for (const JobView& job : collector_.Peek()) {
    page.jobs.push_back({job.config->id, Outcome(job),
                         job.health.last_attempt_unix,
                         job.health.last_collect_seconds});
  }
  return WebResponse{
      200, "text/html; charset=utf-8", RenderLandingPage(page), {}};
}

}  // namespace lcbe
