#include "scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "json_text.h"

namespace lcbe::sim {
namespace {

const char* const kItemStatuses[] = {"pending", "processing", "completed",
                                     "failed",  "skipped",    "cancelled"};

// ParseContext keeps the first error met while walking the document, so
// the readers below can carry on without threading a Result through every
// field; the caller checks ok() once at the end.
class ParseContext {
 public:
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void Fail(const YAML::Node& node, const std::string& path,
            const std::string& what) {
    if (!ok()) return;
    std::ostringstream message;
    if (node.IsDefined() && node.Mark().line >= 0) {
      message << "line " << node.Mark().line + 1 << ": ";
    }
    message << (path.empty() ? "scenario" : path) << ": " << what;
    error_ = message.str();
  }

 private:
  std::string error_;
};

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string Index(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// Rejects keys outside `allowed`, which is how typos in a scenario surface.
bool CheckMap(ParseContext* ctx, const YAML::Node& node,
              const std::string& path,
              std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) {
    ctx->Fail(node, path, "expected a mapping");
    return false;
  }
  for (const auto& entry : node) {
    const auto key = entry.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      ctx->Fail(entry.first, Join(path, key), "unknown key");
      return false;
    }
  }
  return true;
}

bool ParseInt64(std::string_view text, int64_t* value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto result =
      std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size();
}

bool ParseDouble(std::string_view text, double* value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto result =
      std::from_chars(text.data(), text.data() + text.size(), *value);
  return result.ec == std::errc() && result.ptr == text.data() + text.size() &&
         std::isfinite(*value);
}

void ReadString(ParseContext* ctx, const YAML::Node& map,
                const std::string& path, const char* key,
                std::optional<std::string>* out) {
  const YAML::Node node = map[key];
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsScalar()) {
    ctx->Fail(node, Join(path, key), "expected a string");
    return;
  }
  *out = node.Scalar();
}

void ReadString(ParseContext* ctx, const YAML::Node& map,
                const std::string& path, const char* key, std::string* out) {
  std::optional<std::string> value;
  ReadString(ctx, map, path, key, &value);
  if (value) *out = *value;
}

void ReadInt(ParseContext* ctx, const YAML::Node& map, const std::string& path,
             const char* key, int64_t min, int64_t* out) {
  const YAML::Node node = map[key];
  if (!node.IsDefined()) return;
  int64_t value = 0;
  if (!node.IsScalar() || !ParseInt64(node.Scalar(), &value) || value < min) {
    ctx->Fail(node, Join(path, key),
              "expected an integer >= " + std::to_string(min));
    return;
  }
  *out = value;
}

void ReadOptionalInt(ParseContext* ctx, const YAML::Node& map,
                     const std::string& path, const char* key, int64_t min,
                     std::optional<int64_t>* out) {
  if (!map[key].IsDefined()) return;
  int64_t value = 0;
  ReadInt(ctx, map, path, key, min, &value);
  *out = value;
}

void ReadProbability(ParseContext* ctx, const YAML::Node& map,
                     const std::string& path, const char* key, double* out) {
  const YAML::Node node = map[key];
  if (!node.IsDefined()) return;
  double value = 0;
  if (!node.IsScalar() || !ParseDouble(node.Scalar(), &value) || value < 0 ||
      value > 1) {
    ctx->Fail(node, Join(path, key), "expected a probability in [0, 1]");
    return;
  }
  *out = value;
}

void ReadPositiveNumber(ParseContext* ctx, const YAML::Node& map,
                        const std::string& path, const char* key, double* out) {
  const YAML::Node node = map[key];
  if (!node.IsDefined()) return;
  double value = 0;
  if (!node.IsScalar() || !ParseDouble(node.Scalar(), &value) || value <= 0) {
    ctx->Fail(node, Join(path, key), "expected a positive number");
    return;
  }
  *out = value;
}

void ReadSeconds(ParseContext* ctx, const YAML::Node& map,
                 const std::string& path, const char* key, double* out) {
  const YAML::Node node = map[key];
  if (!node.IsDefined()) return;
  auto seconds = node.IsScalar() ? ParseDurationSeconds(node.Scalar())
                                 : Result<double>(Error("expected a duration"));
  if (!seconds.ok()) {
    ctx->Fail(node, Join(path, key), seconds.error().message());
    return;
  }
  *out = *seconds;
}

void ReadOptionalSeconds(ParseContext* ctx, const YAML::Node& map,
                         const std::string& path, const char* key,
                         std::optional<double>* out) {
  if (!map[key].IsDefined()) return;
  double value = 0;
  ReadSeconds(ctx, map, path, key, &value);
  *out = value;
}

void ReadBool(ParseContext* ctx, const YAML::Node& map, const std::string& path,
              const char* key, std::optional<bool>* out) {
  const YAML::Node node = map[key];
  if (!node.IsDefined()) return;
  const std::string text = node.IsScalar() ? node.Scalar() : "";
  if (text != "true" && text != "false") {
    ctx->Fail(node, Join(path, key), "expected true or false");
    return;
  }
  *out = text == "true";
}

bool IsJsonNumber(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == text.size();
}

// Whether a plain scalar is sent as a JSON number or boolean.
bool IsJsonLiteral(std::string_view text) {
  return text == "true" || text == "false" || IsJsonNumber(text);
}

// Writes a YAML node as JSON. Quoted scalars stay strings; plain scalars
// become null, booleans or numbers when they read as such, so a scenario
// can send `status: 3` (a number) as well as `status: "3"` (a string).
void AppendYamlAsJson(const YAML::Node& node, std::string* out) {
  if (node.IsNull()) {
    out->append("null");
  } else if (node.IsScalar()) {
    const std::string& text = node.Scalar();
    const bool plain = node.Tag() == "?";
    if (plain && IsJsonLiteral(text)) {
      out->append(text);
    } else {
      AppendJsonString(text, out);
    }
  } else if (node.IsSequence()) {
    out->push_back('[');
    for (size_t i = 0; i < node.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendYamlAsJson(node[i], out);
    }
    out->push_back(']');
  } else {
    out->push_back('{');
    bool first = true;
    for (const auto& entry : node) {
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(entry.first.Scalar(), out);
      out->push_back(':');
      AppendYamlAsJson(entry.second, out);
    }
    out->push_back('}');
  }
}

void ReadDurationRange(ParseContext* ctx, const YAML::Node& map,
                       const std::string& path, DurationRange* out) {
  const YAML::Node node = map["duration"];
  if (!node.IsDefined()) return;
  const std::string here = Join(path, "duration");
  if (!CheckMap(ctx, node, here, {"min", "max"})) return;
  ReadSeconds(ctx, node, here, "min", &out->min_seconds);
  ReadSeconds(ctx, node, here, "max", &out->max_seconds);
  if (ctx->ok() && out->max_seconds < out->min_seconds) {
    ctx->Fail(node, here, "max must not be below min");
  }
}

void ReadSkipReasons(ParseContext* ctx, const YAML::Node& map,
                     const std::string& path,
                     std::vector<SkipReasonWeight>* out) {
  const YAML::Node node = map["skip_reasons"];
  if (!node.IsDefined()) return;
  const std::string here = Join(path, "skip_reasons");
  if (!node.IsSequence()) {
    ctx->Fail(node, here, "expected a list of {reason, weight}");
    return;
  }
  out->clear();
  for (size_t i = 0; i < node.size(); ++i) {
    const std::string entry_path = Index(here, i);
    if (!CheckMap(ctx, node[i], entry_path, {"reason", "weight"})) return;
    SkipReasonWeight entry;
    ReadString(ctx, node[i], entry_path, "reason", &entry.reason);
    ReadPositiveNumber(ctx, node[i], entry_path, "weight", &entry.weight);
    out->push_back(entry);
  }
}

bool IsItemStatus(std::string_view status) {
  return std::find(std::begin(kItemStatuses), std::end(kItemStatuses),
                   status) != std::end(kItemStatuses);
}

// Turns `statuses` (exact counts and fractions) into exact counts: counts
// are taken as written, and what remains of `count` is shared among the
// fractions by largest remainder, so the total is always exact.
void ReadStatusMix(ParseContext* ctx, const YAML::Node& map,
                   const std::string& path, SyntheticItems* out) {
  const YAML::Node node = map["statuses"];
  const std::string here = Join(path, "statuses");
  if (!node.IsDefined()) {
    out->status_counts = {{"completed", out->count}};
    return;
  }
  if (!node.IsMap() || node.size() == 0) {
    ctx->Fail(node, here, "expected a mapping of status to count or fraction");
    return;
  }
  std::vector<std::pair<std::string, double>> fractions;
  int64_t counted = 0;
  for (const auto& entry : node) {
    const std::string status = entry.first.Scalar();
    const std::string key_path = Join(here, status);
    std::string text = entry.second.IsScalar() ? entry.second.Scalar() : "";
    const bool percent = !text.empty() && text.back() == '%';
    if (percent) text.pop_back();
    int64_t count = 0;
    double fraction = 0;
    if (!IsItemStatus(status)) {
      ctx->Fail(entry.first, key_path, "not an item status");
      return;
    }
    if (!percent && ParseInt64(text, &count) && count >= 0) {
      out->status_counts.emplace_back(status, count);
      counted += count;
    } else if (ParseDouble(text, &fraction) && fraction >= 0) {
      fractions.emplace_back(status, percent ? fraction / 100 : fraction);
    } else {
      ctx->Fail(entry.second, key_path,
                "expected a count, a fraction or a percentage");
      return;
    }
  }
  const int64_t remaining = out->count - counted;
  double weight_sum = 0;
  for (const auto& fraction : fractions) weight_sum += fraction.second;
  if (remaining < 0 || (remaining > 0 && weight_sum <= 0)) {
    ctx->Fail(node, here,
              "exact counts sum to " + std::to_string(counted) +
                  ", which does not fit count " + std::to_string(out->count));
    return;
  }
  std::vector<int64_t> shares(fractions.size());
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < fractions.size(); ++i) {
    const double exact =
        static_cast<double>(remaining) * fractions[i].second / weight_sum;
    shares[i] = static_cast<int64_t>(std::floor(exact));
    given += shares[i];
    remainders.emplace_back(exact - std::floor(exact), i);
  }
  std::stable_sort(
      remainders.begin(), remainders.end(),
      [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; given < remaining; ++i, ++given) {
    ++shares[remainders[i % remainders.size()].second];
  }
  for (size_t i = 0; i < fractions.size(); ++i) {
    out->status_counts.emplace_back(fractions[i].first, shares[i]);
  }
}

void ReadSynthetic(ParseContext* ctx, const YAML::Node& node,
                   const std::string& path, JobSpec* job) {
  if (!CheckMap(
          ctx, node, path,
          {"count", "statuses", "skip_reasons", "duration", "start_spread"})) {
    return;
  }
  job->kind = ItemsKind::kSynthetic;
  SyntheticItems& items = job->synthetic;
  if (!node["count"].IsDefined()) ctx->Fail(node, path, "count is required");
  ReadInt(ctx, node, path, "count", 0, &items.count);
  ReadSkipReasons(ctx, node, path, &items.skip_reasons);
  ReadDurationRange(ctx, node, path, &items.duration);
  ReadSeconds(ctx, node, path, "start_spread", &items.start_spread_seconds);
  if (ctx->ok()) ReadStatusMix(ctx, node, path, &items);
}

void ReadLive(ParseContext* ctx, const YAML::Node& node,
              const std::string& path, JobSpec* job) {
  if (!CheckMap(
          ctx, node, path,
          {"count", "start_delay", "rate", "duration", "failure_probability",
           "skip_probability", "skip_reasons", "retry", "failure_spike"})) {
    return;
  }
  job->kind = ItemsKind::kLive;
  LiveItems& live = job->live;
  if (!node["count"].IsDefined()) ctx->Fail(node, path, "count is required");
  ReadInt(ctx, node, path, "count", 0, &live.count);
  ReadSeconds(ctx, node, path, "start_delay", &live.start_delay_seconds);
  ReadPositiveNumber(ctx, node, path, "rate", &live.items_per_second);
  ReadDurationRange(ctx, node, path, &live.duration);
  ReadProbability(ctx, node, path, "failure_probability",
                  &live.failure_probability);
  ReadProbability(ctx, node, path, "skip_probability", &live.skip_probability);
  ReadSkipReasons(ctx, node, path, &live.skip_reasons);

  if (const YAML::Node retry = node["retry"]; retry.IsDefined()) {
    const std::string here = Join(path, "retry");
    if (!CheckMap(ctx, retry, here, {"probability", "max_attempts", "delay"}))
      return;
    ReadProbability(ctx, retry, here, "probability", &live.retry_probability);
    int64_t attempts = live.max_attempts;
    ReadInt(ctx, retry, here, "max_attempts", 1, &attempts);
    live.max_attempts = static_cast<int>(std::min<int64_t>(attempts, 100));
    ReadSeconds(ctx, retry, here, "delay", &live.retry_delay_seconds);
  }
  if (const YAML::Node spike = node["failure_spike"]; spike.IsDefined()) {
    const std::string here = Join(path, "failure_spike");
    if (!CheckMap(ctx, spike, here, {"from", "to", "probability"})) return;
    ReadOptionalSeconds(ctx, spike, here, "from", &live.spike_from);
    ReadOptionalSeconds(ctx, spike, here, "to", &live.spike_to);
    ReadProbability(ctx, spike, here, "probability", &live.spike_probability);
    if (ctx->ok() && (!live.spike_from || !live.spike_to ||
                      *live.spike_to <= *live.spike_from)) {
      ctx->Fail(spike, here, "needs from < to");
    }
  }
}

void ReadFixedItems(ParseContext* ctx, const YAML::Node& node,
                    const std::string& path, JobSpec* job) {
  if (!node.IsSequence()) {
    ctx->Fail(node, path, "expected a list of items");
    return;
  }
  job->kind = ItemsKind::kFixed;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node item = node[i];
    if (!item.IsMap()) {
      ctx->Fail(item, Index(path, i), "expected a mapping");
      return;
    }
    std::string json;
    AppendYamlAsJson(item, &json);
    job->fixed.json.push_back(std::move(json));
    const YAML::Node status = item["status"];
    const bool is_string =
        status.IsDefined() && status.IsScalar() &&
        (status.Tag() == "!" || !IsJsonLiteral(status.Scalar()));
    job->fixed.status.push_back(is_string ? std::optional(status.Scalar())
                                          : std::nullopt);
  }
}

void ReadJobOverrides(ParseContext* ctx, const YAML::Node& node,
                      const std::string& path, JobSpec* job) {
  if (!node.IsMap()) {
    ctx->Fail(node, path, "expected a mapping of job fields");
    return;
  }
  for (const auto& entry : node) {
    std::string json;
    AppendYamlAsJson(entry.second, &json);
    job->job_overrides.emplace_back(entry.first.Scalar(), std::move(json));
  }
}

// Replaces `{i}` or `{i:W}` in `pattern` by `index`, zero-padded to W.
Result<std::string> ExpandReplicaId(const std::string& pattern, int64_t index) {
  const size_t open = pattern.find("{i");
  const size_t close = pattern.find('}', open);
  if (open == std::string::npos || close == std::string::npos) {
    return Error("id needs a {i} or {i:WIDTH} placeholder with replicas");
  }
  int64_t width = 0;
  const std::string spec = pattern.substr(open + 2, close - open - 2);
  if (!spec.empty() && (spec[0] != ':' || !ParseInt64(spec.substr(1), &width)))
    return Error("bad placeholder {i" + spec + "}");
  std::string id = pattern.substr(0, open);
  AppendPadded(index, static_cast<int>(std::min<int64_t>(width, 20)), &id);
  id += pattern.substr(close + 1);
  return id;
}

void ReadJob(ParseContext* ctx, const YAML::Node& node, const std::string& path,
             std::vector<JobSpec>* jobs) {
  if (!CheckMap(ctx, node, path,
                {"id", "job_type", "project_id", "directory_id", "workflow_id",
                 "status", "created_ago", "replicas", "job", "items",
                 "synthetic", "live"})) {
    return;
  }
  JobSpec job;
  ReadString(ctx, node, path, "id", &job.id);
  if (job.id.empty()) ctx->Fail(node, path, "id is required");
  ReadString(ctx, node, path, "job_type", &job.job_type);
  ReadString(ctx, node, path, "project_id", &job.project_id);
  ReadString(ctx, node, path, "directory_id", &job.directory_id);
  ReadString(ctx, node, path, "workflow_id", &job.workflow_id);
  ReadString(ctx, node, path, "status", &job.status);
  ReadSeconds(ctx, node, path, "created_ago", &job.created_seconds_ago);
  if (node["job"].IsDefined()) {
    ReadJobOverrides(ctx, node["job"], Join(path, "job"), &job);
  }

  const int sources = node["items"].IsDefined() +
                      node["synthetic"].IsDefined() + node["live"].IsDefined();
  if (sources != 1) {
    ctx->Fail(node, path, "needs exactly one of items, synthetic, live");
  } else if (node["items"].IsDefined()) {
    ReadFixedItems(ctx, node["items"], Join(path, "items"), &job);
  } else if (node["synthetic"].IsDefined()) {
    ReadSynthetic(ctx, node["synthetic"], Join(path, "synthetic"), &job);
  } else {
    ReadLive(ctx, node["live"], Join(path, "live"), &job);
  }

  int64_t replicas = 0;
  ReadInt(ctx, node, path, "replicas", 1, &replicas);
  if (!ctx->ok()) return;
  if (replicas == 0) {
    jobs->push_back(std::move(job));
    return;
  }
  const std::string pattern = job.id;
  for (int64_t i = 1; i <= replicas; ++i) {
    auto id = ExpandReplicaId(pattern, i);
    if (!id.ok()) {
      ctx->Fail(node["id"], Join(path, "id"), id.error().message());
      return;
    }
    job.id = *id;
    jobs->push_back(job);
  }
}

Endpoint ReadEndpoint(ParseContext* ctx, const YAML::Node& map,
                      const std::string& path) {
  std::string name = "any";
  ReadString(ctx, map, path, "endpoint", &name);
  if (name == "any") return Endpoint::kAny;
  if (name == "items") return Endpoint::kItems;
  if (name == "job") return Endpoint::kJob;
  if (name == "list") return Endpoint::kJobList;
  ctx->Fail(map["endpoint"], Join(path, "endpoint"),
            "expected any, items, job or list");
  return Endpoint::kAny;
}

std::optional<FaultKind> FaultKindFromName(std::string_view name) {
  static const std::pair<std::string_view, FaultKind> kNames[] = {
      {"latency", FaultKind::kLatency},
      {"error", FaultKind::kError},
      {"rate_limit", FaultKind::kRateLimit},
      {"malformed_json", FaultKind::kMalformedJson},
      {"truncate", FaultKind::kTruncate},
      {"items_not_array", FaultKind::kItemsNotArray},
      {"status_as_number", FaultKind::kStatusAsNumber},
      {"missing_total_size", FaultKind::kMissingTotalSize},
      {"null_total_size", FaultKind::kNullTotalSize},
      {"total_size_offset", FaultKind::kTotalSizeOffset},
  };
  for (const auto& [text, kind] : kNames) {
    if (text == name) return kind;
  }
  return std::nullopt;
}

void ReadFault(ParseContext* ctx, const YAML::Node& node,
               const std::string& path, std::vector<FaultSpec>* faults) {
  if (!CheckMap(ctx, node, path,
                {"kind", "job", "endpoint", "offset", "window", "requests",
                 "every", "skip", "delay", "status", "detail", "retry_after",
                 "retry_after_ms", "should_retry", "at", "by"})) {
    return;
  }
  FaultSpec fault;
  ReadString(ctx, node, path, "kind", &fault.name);
  const auto kind = FaultKindFromName(fault.name);
  if (!kind) {
    ctx->Fail(node["kind"].IsDefined() ? node["kind"] : node,
              Join(path, "kind"),
              "expected latency, error, rate_limit, malformed_json, truncate, "
              "items_not_array, status_as_number, missing_total_size, "
              "null_total_size or total_size_offset");
    return;
  }
  fault.kind = *kind;
  ReadString(ctx, node, path, "job", &fault.job_id);
  fault.endpoint = ReadEndpoint(ctx, node, path);
  ReadOptionalInt(ctx, node, path, "offset", 0, &fault.offset);
  if (const YAML::Node window = node["window"]; window.IsDefined()) {
    const std::string here = Join(path, "window");
    if (!CheckMap(ctx, window, here, {"from", "to"})) return;
    ReadOptionalSeconds(ctx, window, here, "from", &fault.window_from);
    ReadOptionalSeconds(ctx, window, here, "to", &fault.window_to);
  }
  ReadOptionalInt(ctx, node, path, "requests", 0, &fault.requests);
  ReadInt(ctx, node, path, "every", 1, &fault.every);
  ReadInt(ctx, node, path, "skip", 0, &fault.skip);
  ReadSeconds(ctx, node, path, "delay", &fault.delay_seconds);
  int64_t status = fault.kind == FaultKind::kRateLimit ? 429 : 500;
  ReadInt(ctx, node, path, "status", 100, &status);
  fault.status = static_cast<int>(std::min<int64_t>(status, 599));
  if (fault.kind == FaultKind::kRateLimit) fault.detail = "rate limited";
  ReadString(ctx, node, path, "detail", &fault.detail);
  if (node["retry_after"].IsDefined()) {
    double seconds = 0;
    ReadSeconds(ctx, node, path, "retry_after", &seconds);
    fault.retry_after_seconds = seconds;
  }
  ReadOptionalInt(ctx, node, path, "retry_after_ms", 0, &fault.retry_after_ms);
  ReadBool(ctx, node, path, "should_retry", &fault.should_retry);
  ReadInt(ctx, node, path, "at", 0, &fault.truncate_at);
  ReadInt(ctx, node, path, "by", INT64_MIN + 1, &fault.total_size_delta);
  faults->push_back(std::move(fault));
}

void ReadFaultList(ParseContext* ctx, const YAML::Node& node,
                   const std::string& path, std::vector<FaultSpec>* faults) {
  if (node.IsMap()) {
    ReadFault(ctx, node, path, faults);
    return;
  }
  if (!node.IsSequence()) {
    ctx->Fail(node, path, "expected a list of faults");
    return;
  }
  for (size_t i = 0; i < node.size() && ctx->ok(); ++i) {
    ReadFault(ctx, node[i], Index(path, i), faults);
  }
}

void ReadScenario(ParseContext* ctx, const YAML::Node& root,
                  Scenario* scenario) {
  if (!CheckMap(ctx, root, "",
                {"api_key", "project_id", "seed", "latency", "start_time",
                 "speed", "jobs", "faults"})) {
    return;
  }
  ReadString(ctx, root, "", "api_key", &scenario->api_key);
  ReadString(ctx, root, "", "project_id", &scenario->project_id);
  int64_t seed = 1;
  ReadInt(ctx, root, "", "seed", 0, &seed);
  scenario->seed = static_cast<uint64_t>(seed);
  ReadSeconds(ctx, root, "", "latency", &scenario->latency_seconds);
  ReadPositiveNumber(ctx, root, "", "speed", &scenario->speed);
  if (const YAML::Node start = root["start_time"]; start.IsDefined()) {
    auto ms = ParseTimestampMs(start.IsScalar() ? start.Scalar() : "");
    if (ms.ok()) {
      scenario->start_time_ms = *ms;
    } else {
      ctx->Fail(start, "start_time", ms.error().message());
    }
  }
  const YAML::Node jobs = root["jobs"];
  if (jobs.IsDefined() && !jobs.IsSequence()) {
    ctx->Fail(jobs, "jobs", "expected a list of jobs");
  }
  const size_t job_count =
      jobs.IsDefined() && jobs.IsSequence() ? jobs.size() : 0;
  for (size_t i = 0; i < job_count && ctx->ok(); ++i) {
    ReadJob(ctx, jobs[i], Index("jobs", i), &scenario->jobs);
  }
  if (root["faults"].IsDefined()) {
    ReadFaultList(ctx, root["faults"], "faults", &scenario->faults);
  }
}

Status CheckUniqueIds(const Scenario& scenario) {
  std::vector<std::string_view> ids;
  for (const auto& job : scenario.jobs) ids.push_back(job.id);
  std::sort(ids.begin(), ids.end());
  const auto duplicate = std::adjacent_find(ids.begin(), ids.end());
  if (duplicate != ids.end()) {
    return Error("jobs: duplicate job id " + std::string(*duplicate));
  }
  return Status::Ok();
}

Result<YAML::Node> LoadYaml(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return Error("line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

// Days since 1970-01-01 of a proleptic Gregorian date; the inverse of the
// era arithmetic in json_text.cc.
int64_t DaysFromDate(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;
  const int64_t day_of_year =
      (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool TakeDigits(std::string_view* text, size_t count, int64_t* value) {
  if (text->size() < count) return false;
  *value = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = (*text)[i];
    if (c < '0' || c > '9') return false;
    *value = *value * 10 + (c - '0');
  }
  text->remove_prefix(count);
  return true;
}

bool TakeChar(std::string_view* text, char expected) {
  if (text->empty() || (std::tolower(text->front()) != expected)) return false;
  text->remove_prefix(1);
  return true;
}

}  // namespace

Result<double> ParseDurationSeconds(std::string_view text) {
  static const std::pair<std::string_view, double> kUnits[] = {
      {"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}};
  double scale = 1;
  for (const auto& [suffix, factor] : kUnits) {
    if (text.size() > suffix.size() && text.ends_with(suffix)) {
      text.remove_suffix(suffix.size());
      scale = factor;
      break;
    }
  }
  double value = 0;
  if (!ParseDouble(text, &value) || value < 0) {
    return Error("expected a duration such as 25ms, 1.5s, 2m or 1h");
  }
  return value * scale;
}

Result<int64_t> ParseTimestampMs(std::string_view text) {
  const Error bad("expected an RFC 3339 date-time");
  int64_t year, month, day, hour, minute, second;
  if (!TakeDigits(&text, 4, &year) || !TakeChar(&text, '-') ||
      !TakeDigits(&text, 2, &month) || !TakeChar(&text, '-') ||
      !TakeDigits(&text, 2, &day) ||
      !(TakeChar(&text, 't') || TakeChar(&text, ' ')) ||
      !TakeDigits(&text, 2, &hour) || !TakeChar(&text, ':') ||
      !TakeDigits(&text, 2, &minute) || !TakeChar(&text, ':') ||
      !TakeDigits(&text, 2, &second)) {
    return bad;
  }
  int64_t millis = 0;
  if (TakeChar(&text, '.')) {
    int64_t digit = 0;
    for (int64_t scale = 100; TakeDigits(&text, 1, &digit); scale /= 10) {
      millis += digit * scale;
    }
  }
  int64_t offset_minutes = 0;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    const int sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
    int64_t offset_hours = 0;
    if (!TakeDigits(&text, 2, &offset_hours) || !TakeChar(&text, ':') ||
        !TakeDigits(&text, 2, &offset_minutes)) {
      return bad;
    }
    offset_minutes = sign * (offset_hours * 60 + offset_minutes);
  } else {
    TakeChar(&text, 'z');
  }
  if (!text.empty() || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 60) {
    return bad;
  }
  const int64_t seconds = DaysFromDate(year, month, day) * 86400 + hour * 3600 +
                          minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

Result<Scenario> ParseScenario(std::string_view yaml_text) {
  auto root = LoadYaml(yaml_text);
  if (!root.ok()) return root.error();
  Scenario scenario;
  ParseContext ctx;
  try {
    ReadScenario(&ctx, *root, &scenario);
  } catch (const YAML::Exception& e) {
    // The readers check nodes before use; this only guards against a
    // yaml-cpp corner they missed.
    return Error("scenario: " + e.msg);
  }
  if (!ctx.ok()) return Error(ctx.error());
  if (Status unique = CheckUniqueIds(scenario); !unique.ok()) {
    return unique.error();
  }
  return scenario;
}

Result<Scenario> LoadScenarioFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) return Error("cannot read scenario file " + path);
  std::ostringstream text;
  text << file.rdbuf();
  auto scenario = ParseScenario(text.str());
  if (!scenario.ok()) return scenario.error().Wrap(path);
  return scenario;
}

Result<std::vector<FaultSpec>> ParseFaults(std::string_view yaml_text) {
  auto root = LoadYaml(yaml_text);
  if (!root.ok()) return root.error();
  std::vector<FaultSpec> faults;
  ParseContext ctx;
  try {
    ReadFaultList(&ctx, *root, "faults", &faults);
  } catch (const YAML::Exception& e) {
    return Error("faults: " + e.msg);
  }
  if (!ctx.ok()) return Error(ctx.error());
  return faults;
}

}  // namespace lcbe::sim
