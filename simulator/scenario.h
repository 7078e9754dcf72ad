#ifndef LCBE_SIMULATOR_SCENARIO_H_
#define LCBE_SIMULATOR_SCENARIO_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

// The scenario is the simulator's whole world: the jobs it serves, how
// their items look or evolve, and the faults it injects. It is parsed once
// from YAML (see simulator/README.md for the format) into the plain values
// below, which are immutable afterwards.
namespace lcbe::sim {

// A skip reason and its relative weight; no reason means `null` is sent.
struct SkipReasonWeight {
  std::optional<std::string> reason;
  double weight = 1;
};

// Seconds an attempt takes: uniform between min and max.
struct DurationRange {
  double min_seconds = 1;
  double max_seconds = 10;
};

// A job whose items are written out literally in the scenario. Each item is
// kept as the JSON text to send, so odd values reach the client untouched.
struct FixedItems {
  std::vector<std::string> json;
  // The item's `status` when it is a string, for filtering and counting.
  std::vector<std::optional<std::string>> status;
};

// A job of `count` items generated from their index. The statuses are
// exact: `status_counts` sums to `count`.
struct SyntheticItems {
  int64_t count = 0;
  std::vector<std::pair<std::string, int64_t>> status_counts;
  std::vector<SkipReasonWeight> skip_reasons;
  DurationRange duration;
  // Item start times are spread over this many seconds after creation.
  double start_spread_seconds = 600;
};

// A job whose items progress over (virtual) time since the simulator
// started: pending, then processing, then completed, failed or skipped,
// with failed attempts retried under a new processing job id.
struct LiveItems {
  int64_t count = 0;
  double start_delay_seconds = 0;  // before the first item starts
  double items_per_second = 1;     // how fast items leave `pending`
  DurationRange duration;
  double failure_probability = 0.05;
  double skip_probability = 0;
  std::vector<SkipReasonWeight> skip_reasons;
  double retry_probability = 0.5;  // that a failed attempt is retried
  int max_attempts = 3;
  double retry_delay_seconds = 5;
  // From `spike_from` to `spike_to` seconds, attempts ending in that window
  // fail with `spike_probability` instead.
  std::optional<double> spike_from, spike_to;
  double spike_probability = 0;
};

enum class ItemsKind { kFixed, kSynthetic, kLive };

// One batch job as configured.
struct JobSpec {
  std::string id;
  std::string job_type = "parse";
  std::optional<std::string> project_id;
  std::optional<std::string> directory_id;
  std::optional<std::string> workflow_id;
  // Forces the job's status; unset means derived from the items.
  std::optional<std::string> status;
  // Seconds before the scenario start time at which the job was created.
  double created_seconds_ago = 60;
  ItemsKind kind = ItemsKind::kFixed;
  FixedItems fixed;
  SyntheticItems synthetic;
  LiveItems live;
  // Job fields replaced (or added) verbatim: name -> JSON text.
  std::vector<std::pair<std::string, std::string>> job_overrides;
};

enum class FaultKind {
  kLatency,
  kError,
  kRateLimit,
  kMalformedJson,
  kTruncate,
  kItemsNotArray,
  kStatusAsNumber,
  kMissingTotalSize,
  kNullTotalSize,
  kTotalSizeOffset,
};

enum class Endpoint { kAny, kItems, kJob, kJobList };

// One injected fault and the requests it applies to.
struct FaultSpec {
  FaultKind kind = FaultKind::kError;
  std::string name;                   // the `kind` as written, for the log
  std::optional<std::string> job_id;  // unset: every job
  Endpoint endpoint = Endpoint::kAny;
  std::optional<int64_t> offset;      // only pages at this offset
  std::optional<double> window_from;  // virtual seconds since start
  std::optional<double> window_to;
  std::optional<int64_t> requests;  // fire for this many matches, then stop
  int64_t every = 1;                // after skip: fire on n-th, 2n-th, ...
  int64_t skip = 0;                 // let the first n matches pass
  double delay_seconds = 0;         // kLatency
  int status = 500;                 // kError
  std::string detail = "simulated server error";
  std::optional<double> retry_after_seconds;  // kRateLimit
  std::optional<int64_t> retry_after_ms;      // kRateLimit
  std::optional<bool> should_retry;           // adds x-should-retry
  int64_t truncate_at = 0;                    // kTruncate
  int64_t total_size_delta = 0;               // kTotalSizeOffset
};

struct Scenario {
  std::optional<std::string> api_key;
  std::optional<std::string> project_id;
  uint64_t seed = 1;
  double latency_seconds = 0;
  // Milliseconds since the epoch that virtual time 0 maps to; unset means
  // the moment the simulator starts.
  std::optional<int64_t> start_time_ms;
  // Virtual seconds per wall-clock second, for fast-forwarded demos.
  double speed = 1;
  std::vector<JobSpec> jobs;
  std::vector<FaultSpec> faults;
};

// Parses a scenario from YAML text. Errors name the offending key and its
// line, e.g. "line 7: jobs[1].count: expected a non-negative integer".
Result<Scenario> ParseScenario(std::string_view yaml_text);

// Reads and parses a scenario file.
Result<Scenario> LoadScenarioFile(const std::string& path);

// Parses one fault or a list of faults (YAML or JSON), as the admin
// endpoint accepts them.
Result<std::vector<FaultSpec>> ParseFaults(std::string_view yaml_text);

// Parses "25ms", "1.5s", "2m" or a bare number of seconds.
Result<double> ParseDurationSeconds(std::string_view text);

// Parses an RFC 3339 date-time (any offset, optional fraction) into
// milliseconds since the epoch.
Result<int64_t> ParseTimestampMs(std::string_view text);

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_SCENARIO_H_
