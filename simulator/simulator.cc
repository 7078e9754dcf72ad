#include "simulator.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

#include "json_text.h"

namespace lcbe::sim {
namespace {

constexpr std::string_view kApiRoot = "/api/v1/beta/batch-processing";
constexpr std::string_view kAdminRoot = "/-/sim/";
constexpr int64_t kJobListDefaultLimit = 50;
constexpr int64_t kItemListDefaultLimit = 100;

HttpResponse DetailResponse(int status, std::string_view detail) {
  HttpResponse response;
  response.status = status;
  response.body = "{\"detail\":";
  AppendJsonString(detail, &response.body);
  response.body.push_back('}');
  return response;
}

HttpResponse JsonResponse(std::string body) {
  HttpResponse response;
  response.body = std::move(body);
  return response;
}

std::string FormatSeconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", seconds);
  return text;
}

// What the faults may do to a listing body while it is written.
struct PageShape {
  bool items_as_object = false;
  bool omit_total_size = false;
  bool null_total_size = false;
  int64_t total_size_delta = 0;
};

PageShape ShapeFor(const FaultSpec* fault) {
  PageShape shape;
  if (fault == nullptr) return shape;
  shape.items_as_object = fault->kind == FaultKind::kItemsNotArray;
  shape.omit_total_size = fault->kind == FaultKind::kMissingTotalSize;
  shape.null_total_size = fault->kind == FaultKind::kNullTotalSize;
  if (fault->kind == FaultKind::kTotalSizeOffset) {
    shape.total_size_delta = fault->total_size_delta;
  }
  return shape;
}

// Closes a listing body opened with `{"items":[` and filled with the
// items from `offset` on, adding the paging fields as `shape` says.
void FinishPage(int64_t offset, int64_t limit, int64_t total,
                const PageShape& shape, std::string* body) {
  body->append(shape.items_as_object ? "{}" : "]");
  const int64_t received = std::clamp<int64_t>(total - offset, 0, limit);
  body->append(",\"next_page_token\":");
  if (offset + received < total) {
    body->append("\"pt-");
    AppendInt(offset + received, body);
    body->push_back('"');
  } else {
    body->append("null");
  }
  if (!shape.omit_total_size) {
    body->append(",\"total_size\":");
    if (shape.null_total_size) {
      body->append("null");
    } else {
      AppendInt(total + shape.total_size_delta, body);
    }
  }
  body->push_back('}');
}

int StatusNumber(std::string_view status) {
  for (size_t i = 0; i < std::size(kItemStatusNames); ++i) {
    if (kItemStatusNames[i] == status) return static_cast<int>(i);
  }
  for (size_t i = 0; i < std::size(kJobStatusNames); ++i) {
    if (kJobStatusNames[i] == status) return static_cast<int>(10 + i);
  }
  return 99;
}

// Rewrites every `"status":"x"` as `"status":<number>`.
void StatusesToNumbers(std::string* body) {
  constexpr std::string_view kKey = "\"status\":\"";
  std::string out;
  out.reserve(body->size());
  size_t from = 0;
  for (size_t at = body->find(kKey); at != std::string::npos;
       at = body->find(kKey, from)) {
    const size_t value_start = at + kKey.size();
    const size_t value_end = body->find('"', value_start);
    if (value_end == std::string::npos) break;
    out.append(*body, from, at - from);
    out.append("\"status\":");
    out.append(std::to_string(StatusNumber(
        std::string_view(*body).substr(value_start, value_end - value_start))));
    from = value_end + 1;
  }
  out.append(*body, from, std::string::npos);
  *body = std::move(out);
}

// Applies the faults that damage a finished 200 body.
void DamageBody(const FaultSpec& fault, std::string* body) {
  switch (fault.kind) {
    case FaultKind::kMalformedJson:
      if (!body->empty()) body->pop_back();
      body->append("]]");
      break;
    case FaultKind::kTruncate:
      body->resize(
          std::min(body->size(), static_cast<size_t>(fault.truncate_at)));
      break;
    case FaultKind::kStatusAsNumber:
      StatusesToNumbers(body);
      break;
    default:
      break;
  }
}

HttpResponse FaultResponse(const FaultSpec& fault) {
  HttpResponse response = DetailResponse(fault.status, fault.detail);
  if (fault.retry_after_seconds) {
    std::string seconds;
    AppendNumber(*fault.retry_after_seconds, &seconds);
    response.headers.emplace_back("Retry-After", seconds);
  }
  if (fault.retry_after_ms) {
    response.headers.emplace_back("retry-after-ms",
                                  std::to_string(*fault.retry_after_ms));
  }
  return response;
}

bool IsResponseFault(FaultKind kind) {
  return kind == FaultKind::kError || kind == FaultKind::kRateLimit;
}

std::optional<int64_t> OffsetOf(
    const std::map<std::string, std::string>& query) {
  const auto found = query.find("offset");
  if (found == query.end()) return int64_t{0};
  try {
    size_t used = 0;
    const int64_t value = std::stoll(found->second, &used);
    if (used == found->second.size()) return value;
  } catch (const std::exception&) {
    // Not a number: no offset-scoped fault can match it.
  }
  return std::nullopt;
}

}  // namespace

// Which API endpoint a path names.
struct Simulator::Route {
  Endpoint endpoint = Endpoint::kAny;  // kAny: no API endpoint
  std::string job_id;

  static Route Of(std::string_view path) {
    Route route;
    if (!path.starts_with(kApiRoot)) return route;
    path.remove_prefix(kApiRoot.size());
    if (path.empty() || path == "/") {
      route.endpoint = Endpoint::kJobList;
      return route;
    }
    path.remove_prefix(1);
    const size_t slash = path.find('/');
    route.job_id = std::string(path.substr(0, slash));
    if (route.job_id.empty()) return Route();
    const std::string_view rest =
        slash == std::string_view::npos ? "" : path.substr(slash);
    if (rest.empty()) {
      route.endpoint = Endpoint::kJob;
    } else if (rest == "/items") {
      route.endpoint = Endpoint::kItems;
    }
    return route;
  }
};

Simulator::Simulator(Scenario scenario, int64_t now_ms)
    : scenario_(std::move(scenario)),
      clock_(scenario_.speed),
      faults_(scenario_.faults) {
  const int64_t start_ms = scenario_.start_time_ms.value_or(now_ms);
  for (const JobSpec& spec : scenario_.jobs) {
    jobs_.push_back(std::make_unique<JobModel>(spec, scenario_.seed, start_ms,
                                               scenario_.project_id));
    jobs_by_id_[spec.id] = jobs_.back().get();
  }
}

const JobModel* Simulator::FindJob(std::string_view id) const {
  const auto found = jobs_by_id_.find(std::string(id));
  return found == jobs_by_id_.end() ? nullptr : found->second;
}

HttpResponse Simulator::Handle(const HttpRequest& request) {
  if (request.path.starts_with(kAdminRoot)) return HandleAdmin(request);

  const double real_seconds = clock_.RealSeconds();
  const double elapsed = clock_.Elapsed();
  const Route route = Route::Of(request.path);
  const auto query = ParseQuery(request.query);
  std::optional<std::string> fault;
  HttpResponse response = HandleApi(request, route, query, elapsed, &fault);
  response.headers.emplace_back("X-Sim-Elapsed", FormatSeconds(elapsed));

  RequestRecord record{real_seconds,  request.method,  request.path,
                       request.query, response.status, std::nullopt,
                       fault};
  if (!route.job_id.empty()) record.job_id = route.job_id;
  request_log_.Add(std::move(record));
  return response;
}

std::optional<HttpResponse> Simulator::CheckAccess(
    const HttpRequest& request,
    const std::map<std::string, std::string>& query) const {
  if (scenario_.api_key) {
    const auto header = request.Header("Authorization");
    if (!header) return DetailResponse(401, "Not authenticated");
    if (*header != "Bearer " + *scenario_.api_key) {
      return DetailResponse(401, "Invalid API key");
    }
  }
  const auto project = query.find("project_id");
  if (scenario_.project_id && project != query.end() &&
      project->second != *scenario_.project_id) {
    return DetailResponse(403, "Access to project " + project->second +
                                   " is forbidden for this key");
  }
  return std::nullopt;
}

HttpResponse Simulator::HandleApi(
    const HttpRequest& request, const Route& route,
    const std::map<std::string, std::string>& query, double elapsed,
    std::optional<std::string>* fault_name) {
  double delay = scenario_.latency_seconds;
  std::optional<HttpResponse> response;
  std::optional<FaultSpec> fault;
  if (route.endpoint == Endpoint::kAny) {
    response = DetailResponse(404, "Not Found");
  } else if (request.method != "GET") {
    response = DetailResponse(405, "Method Not Allowed");
  } else {
    response = CheckAccess(request, query);
  }
  if (!response) {
    FaultTarget target{route.endpoint, route.job_id, std::nullopt, elapsed};
    if (route.endpoint != Endpoint::kJob) target.offset = OffsetOf(query);
    FaultPlan plan = faults_.Decide(target);
    delay += plan.delay_seconds;
    fault = std::move(plan.response_fault);
    if (fault) *fault_name = fault->name;
  }
  if (!response && fault && IsResponseFault(fault->kind)) {
    response = FaultResponse(*fault);
  }
  if (!response) {
    const FaultSpec* body_fault = fault ? &*fault : nullptr;
    const JobModel* job = FindJob(route.job_id);
    if (route.endpoint == Endpoint::kJobList) {
      response = ListJobs(query, elapsed, body_fault);
    } else if (route.endpoint == Endpoint::kItems) {
      response = ListItems(job, query, elapsed, body_fault);
    } else if (job == nullptr) {
      response =
          DetailResponse(404, "Batch job " + route.job_id + " not found");
    } else {
      response = GetJob(*job, elapsed, body_fault);
    }
  }
  if (fault && fault->should_retry) {
    response->headers.emplace_back("x-should-retry",
                                   *fault->should_retry ? "true" : "false");
  }
  if (delay > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
  }
  return std::move(*response);
}

HttpResponse Simulator::ListItems(
    const JobModel* job, const std::map<std::string, std::string>& query,
    double elapsed, const FaultSpec* fault) const {
  ListParams params;
  const ListRules rules{kItemListDefaultLimit, kItemStatusNames, {}};
  const auto issues = CheckListParams(query, rules, &params);
  if (!issues.empty()) {
    HttpResponse response = JsonResponse(ValidationErrorBody(issues));
    response.status = 422;
    return response;
  }
  if (job == nullptr) return DetailResponse(404, "Batch job not found");

  // Far offsets are all past the end; capping them keeps offset + limit
  // from overflowing.
  const int64_t offset = std::min<int64_t>(params.offset, int64_t{1} << 60);
  const PageShape shape = ShapeFor(fault);
  std::string body;
  body.reserve(static_cast<size_t>(params.limit) * 480 + 128);
  body.append("{\"items\":");
  std::string unused;
  if (!shape.items_as_object) body.push_back('[');
  const int64_t total = job->items().AppendPage(
      params.status, offset, shape.items_as_object ? 0 : params.limit, elapsed,
      shape.items_as_object ? &unused : &body);
  FinishPage(offset, params.limit, total, shape, &body);
  if (fault != nullptr) DamageBody(*fault, &body);
  return JsonResponse(std::move(body));
}

HttpResponse Simulator::GetJob(const JobModel& job, double elapsed,
                               const FaultSpec* fault) const {
  std::string body;
  job.AppendJobResponse(elapsed, &body);
  if (fault != nullptr && fault->kind == FaultKind::kItemsNotArray) {
    body = "{\"job\":[],\"progress_percentage\":0}";
  } else if (fault != nullptr) {
    DamageBody(*fault, &body);
  }
  return JsonResponse(std::move(body));
}

HttpResponse Simulator::ListJobs(
    const std::map<std::string, std::string>& query, double elapsed,
    const FaultSpec* fault) const {
  ListParams params;
  const ListRules rules{kJobListDefaultLimit, kJobStatusNames, kJobTypeNames};
  const auto issues = CheckListParams(query, rules, &params);
  if (!issues.empty()) {
    HttpResponse response = JsonResponse(ValidationErrorBody(issues));
    response.status = 422;
    return response;
  }

  const auto project = query.find("project_id");
  std::vector<const JobModel*> matching;
  for (const auto& job : jobs_) {
    const JobSpec& spec = job->spec();
    const auto& job_project =
        spec.project_id ? spec.project_id : scenario_.project_id;
    if (params.job_type && spec.job_type != *params.job_type) continue;
    if (params.directory_id && spec.directory_id != params.directory_id) {
      continue;
    }
    if (project != query.end() && job_project != project->second) continue;
    if (params.status && job->Status(elapsed) != *params.status) continue;
    matching.push_back(job.get());
  }

  const auto total = static_cast<int64_t>(matching.size());
  const int64_t offset = std::min(params.offset, total);
  const PageShape shape = ShapeFor(fault);
  std::string body = "{\"items\":";
  if (!shape.items_as_object) {
    body.push_back('[');
    for (int64_t i = offset; i < std::min(total, offset + params.limit); ++i) {
      if (i > offset) body.push_back(',');
      matching[static_cast<size_t>(i)]->AppendJob(elapsed, &body);
    }
  }
  FinishPage(params.offset, params.limit, total, shape, &body);
  if (fault != nullptr) DamageBody(*fault, &body);
  return JsonResponse(std::move(body));
}

HttpResponse Simulator::HandleAdmin(const HttpRequest& request) {
  const std::string_view what =
      std::string_view(request.path).substr(kAdminRoot.size());
  const bool get = request.method == "GET";
  const bool clear = request.method == "DELETE" || request.method == "POST";
  if (what == "healthy" && get) return JsonResponse("{\"status\":\"ok\"}");
  if (what == "requests" && get) return JsonResponse(request_log_.ToJson());
  if ((what == "requests" && request.method == "DELETE") ||
      (what == "requests/reset" && clear)) {
    request_log_.Clear();
    return JsonResponse("{\"cleared\":true}");
  }
  if (what == "items" && get) return AdminItems(ParseQuery(request.query));
  if (what == "faults") return AdminFaults(request);
  if (what == "clock") return AdminClock(request);
  return DetailResponse(404, "Not Found");
}

HttpResponse Simulator::AdminItems(
    const std::map<std::string, std::string>& query) {
  const auto id = query.find("job_id");
  const JobModel* job = id == query.end() ? nullptr : FindJob(id->second);
  if (job == nullptr) return DetailResponse(404, "unknown or missing job_id");
  std::optional<std::string_view> status;
  if (const auto found = query.find("status"); found != query.end()) {
    status = found->second;
  }

  const double elapsed = clock_.Elapsed();
  const int64_t size = job->items().size();
  std::string body;
  body.reserve(static_cast<size_t>(size) * 480 + 128);
  body.append("{\"items\":[");
  const int64_t total =
      job->items().AppendPage(status, 0, size, elapsed, &body);
  FinishPage(0, size, total, PageShape{}, &body);
  HttpResponse response = JsonResponse(std::move(body));
  response.headers.emplace_back("X-Sim-Elapsed", FormatSeconds(elapsed));
  return response;
}

HttpResponse Simulator::AdminFaults(const HttpRequest& request) {
  if (request.method == "DELETE") {
    faults_.Clear();
  } else if (request.method == "POST") {
    auto added = ParseFaults(request.body);
    if (!added.ok()) return DetailResponse(400, added.error().message());
    faults_.Add(std::move(added).value());
  } else if (request.method != "GET") {
    return DetailResponse(405, "Method Not Allowed");
  }
  return JsonResponse("{\"faults\":" + std::to_string(faults_.size()) + "}");
}

HttpResponse Simulator::AdminClock(const HttpRequest& request) {
  const auto query = ParseQuery(request.query);
  if (request.method == "POST") {
    for (const auto& [name, value] : query) {
      auto seconds = ParseDurationSeconds(
          value.starts_with('-') ? value.substr(1) : value);
      const bool numeric = seconds.ok();
      if (name == "resume") {
        clock_.Resume();
      } else if (name == "advance" && numeric) {
        clock_.Advance(value.starts_with('-') ? -*seconds : *seconds);
      } else if (name == "freeze" && numeric) {
        clock_.Freeze(*seconds);
      } else {
        return DetailResponse(400, "expected advance=, freeze= or resume");
      }
    }
  } else if (request.method != "GET") {
    return DetailResponse(405, "Method Not Allowed");
  }
  return JsonResponse("{\"elapsed\":" + FormatSeconds(clock_.Elapsed()) +
                      ",\"real\":" + FormatSeconds(clock_.RealSeconds()) + "}");
}

}  // namespace lcbe::sim
