#ifndef LCBE_CONFIG_CONFIG_H_
#define LCBE_CONFIG_CONFIG_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/log.h"
#include "common/result.h"

namespace lcbe {

using Seconds = std::chrono::duration<double>;

// One batch job the exporter watches. YAML: an entry of `jobs:`.
struct JobConfig {
  // The batch job's id, e.g. "bjb-…". Required; unique among the jobs.
  std::string id;
  // Scoping query parameters; empty means the `llamacloud:` value is used.
  std::string project_id;
  std::string organization_id;
  // Distinct skip reasons exported before the rest fold into "other".
  // Default: `metrics.max_skip_reasons`.
  int max_skip_reasons = 0;
  // Upper bounds of the processing-duration histogram, strictly increasing.
  // Default: `metrics.duration_buckets`.
  std::vector<double> duration_buckets;
};

// Everything the exporter runs with: built once at start-up from defaults,
// the YAML file, the environment and the flags (later ones win), validated,
// then never changed. Every default lives here.
struct Config {
  // --- llamacloud: how to reach the API ---
  // Base URL, without a trailing "/" (the loader normalises it). Default
  // https://api.cloud.llamaindex.ai; env LLAMA_CLOUD_BASE_URL; flag
  // --llamacloud.url.
  std::string api_url = "https://api.cloud.llamaindex.ai";
  // Bearer key, from `llamacloud.api_key_file` or, when the file names
  // none, LLAMA_CLOUD_API_KEY; trailing whitespace trimmed. Never logged,
  // never shown. Empty means requests go unauthenticated.
  std::string api_key;
  // Where api_key came from ("env LLAMA_CLOUD_API_KEY", "file <path>", or
  // "none"), for the start-up log line.
  std::string api_key_source = "none";
  // Default scoping for every job. Default empty (not sent).
  std::string project_id;
  std::string organization_id;
  // Client-side cap on requests per second over all jobs; 0 = no cap.
  double max_requests_per_second = 0;
  // Per-request timeouts. Defaults 5 s to connect, 30 s in all.
  Seconds connect_timeout{5};
  Seconds request_timeout{30};
  // Retries of one request after the first attempt. Default 4.
  int max_retries = 4;
  // Longest Retry-After the client waits for; a longer one fails the
  // request. Default 60 s.
  Seconds max_retry_after{60};
  // Items requested per page, 1..1000. Default 1000.
  int page_size = 1000;
  // Pages listed per job before the listing is abandoned as runaway.
  // Default 10000 (ten million items at the default page size).
  int max_pages = 10000;

  // --- collection: how scrapes drive listings ---
  // Requests in flight at once over all jobs. Default 8.
  int max_concurrency = 8;
  // Scrape deadline when Prometheus sends no
  // X-Prometheus-Scrape-Timeout-Seconds header. Default 10 s.
  Seconds scrape_timeout{10};
  // Subtracted from the scrape timeout to leave time to answer.
  // Default 0.5 s.
  Seconds scrape_timeout_offset{0.5};
  // A collection that outlives its scrape goes on in the background until
  // this long after it started. Default 120 s.
  Seconds collection_timeout{120};
  // Scrapes sooner than this after the last collection started are served
  // its result. Default 0 (every scrape collects).
  Seconds min_interval{0};

  // --- metrics ---
  // Default histogram buckets, seconds: from under a second to an hour.
  std::vector<double> duration_buckets = {0.5, 1,   2.5, 5,    10,   30,  60,
                                          120, 300, 600, 1200, 1800, 3600};
  // Default cap on distinct skip reasons per job. Default 20.
  int max_skip_reasons = 20;

  // --- web ---
  // host:port or :port. Default ":9184" (all interfaces, port 9184).
  std::string listen_address = ":9184";
  // Path of the metrics page. Default "/metrics".
  std::string telemetry_path = "/metrics";

  // --- log ---
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kLogfmt;

  // The watched jobs, in configuration order, each with its defaults filled
  // in from the fields above.
  std::vector<JobConfig> jobs;
};

// What the command line asked for besides the configuration.
struct CommandLine {
  std::optional<std::string> config_file;  // --config.file
  bool check_only = false;                 // --config.check
  bool show_version = false;               // --version
  bool show_help = false;                  // --help, -h
};

// The environment variables the exporter reads, passed in so that tests do
// not depend on the process's own.
struct Environment {
  std::optional<std::string> api_key;   // LLAMA_CLOUD_API_KEY
  std::optional<std::string> base_url;  // LLAMA_CLOUD_BASE_URL
  static Environment FromProcess();
};

// Parses argv (without argv[0]) into `cmd`, then builds the Config from, in
// rising precedence, defaults, the --config.file YAML, the environment and
// the flags (the API key alone: key file over environment). On success
// returns the validated Config with every job's defaults filled in. On
// failure the Error lists every problem found, one per line, each naming the
// flag, variable or YAML key and its line; it never contains the API key.
// With --help or --version only the flags are parsed and a default Config
// is returned, so that both work whatever else is wrong.
Result<Config> LoadConfig(int argc, const char* const* argv,
                          const Environment& env, CommandLine* cmd);

// The text of --help.
std::string UsageText();

}  // namespace lcbe

#endif  // LCBE_CONFIG_CONFIG_H_
