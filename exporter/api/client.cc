#include "api/client.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <random>
#include <utility>

#include "api/page_parser.h"
#include "api/rate_limiter.h"
#include "api/retry_policy.h"
#include "common/log.h"

namespace lcbe {
namespace {

using std::chrono::milliseconds;

constexpr std::string_view kBatchPath = "/api/v1/beta/batch-processing/";
// Error details quoted from a response body are cut to this many bytes.
constexpr size_t kMaxDetailBytes = 200;

// Percent-encodes everything but RFC 3986's unreserved characters, which
// suits both a path segment and a query value.
std::string Escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                            c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

void AppendParam(std::string_view name, std::string_view value,
                 std::string* url) {
  if (value.empty()) return;
  *url += url->find('?') == std::string::npos ? '?' : '&';
  *url += name;
  *url += '=';
  *url += Escape(value);
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence
// and puts it on one line, so that a server's text cannot forge log lines.
std::string OneLine(std::string_view text, size_t limit) {
  bool cut = false;
  if (text.size() > limit) {
    size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    text = text.substr(0, end);
    cut = true;
  }
  std::string out(text);
  for (char& c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  if (cut) out += "...";
  return out;
}

// The readable part of an error body: FastAPI's `detail` text, the `msg`
// of each entry of a 422's detail list, or else the body itself.
std::string DetailOf(const std::string& body) {
  using nlohmann::json;
  try {
    const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_object() || !parsed.contains("detail")) return body;
    const json& detail = parsed["detail"];
    if (detail.is_string()) return detail.get<std::string>();
    if (!detail.is_array()) return detail.dump();
    std::string joined;
    for (const json& entry : detail) {
      if (!joined.empty()) joined += "; ";
      const bool has_msg = entry.is_object() && entry.contains("msg") &&
                           entry["msg"].is_string();
      joined += has_msg ? entry["msg"].get<std::string>() : entry.dump();
    }
    return joined;
  } catch (const json::exception&) {
    return body;
  }
}

std::string CodeLabel(const TransportResult& outcome) {
  if (const auto* response = std::get_if<HttpResponse>(&outcome)) {
    return std::to_string(response->status);
  }
  return std::string(
      TransportFailureLabel(std::get<TransportError>(outcome).failure));
}

std::string Describe(const TransportResult& outcome) {
  if (const auto* error = std::get_if<TransportError>(&outcome)) {
    return std::string(TransportFailureLabel(error->failure)) + ": " +
           OneLine(error->message, kMaxDetailBytes);
  }
  const auto& response = std::get<HttpResponse>(outcome);
  std::string text = "HTTP " + std::to_string(response.status);
  const std::string detail = OneLine(DetailOf(response.body), kMaxDetailBytes);
  if (!detail.empty()) text += ": " + detail;
  return text;
}

bool IsSuccess(const TransportResult& outcome) {
  const auto* response = std::get_if<HttpResponse>(&outcome);
  return response != nullptr && response->status >= 200 &&
         response->status < 300;
}

std::string WithLast(std::string message, const std::string& last_failure) {
  if (!last_failure.empty()) message += " (last attempt: " + last_failure + ")";
  return message;
}

std::string FormatSeconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6f", seconds);
  return text;
}

}  // namespace

class ApiClient::Impl {
 public:
  Impl(const Config& config, HttpTransport* transport, const Clock* clock,
       RequestObserver* observer)
      : api_url_(config.api_url),
        project_id_(config.project_id),
        organization_id_(config.organization_id),
        page_size_(config.page_size),
        request_timeout_(
            std::chrono::ceil<milliseconds>(config.request_timeout)),
        transport_(transport),
        clock_(clock),
        observer_(observer),
        policy_(config.max_retries,
                std::chrono::ceil<milliseconds>(config.max_retry_after)),
        limiter_(config.max_requests_per_second, clock),
        random_(std::random_device()()) {}

  std::string ItemsUrl(const JobConfig& job, int64_t offset) const {
    std::string url = JobPath(job) + "/items";
    AppendParam("limit", std::to_string(page_size_), &url);
    AppendParam("offset", std::to_string(offset), &url);
    AppendScope(job, &url);
    return url;
  }

  std::string JobUrl(const JobConfig& job) const {
    std::string url = JobPath(job);
    AppendScope(job, &url);
    return url;
  }

  // GETs `url` until it answers 2xx, the policy gives up, or the deadline
  // leaves no room for another attempt.
  Result<HttpResponse> Fetch(const std::string& url, SteadyTime deadline) {
    std::string last_failure;
    for (int attempt = 0;; ++attempt) {
      if (!limiter_.Acquire(deadline)) {
        return Error(WithLast(
            "no request slot before the deadline (rate cap or 429 pause)",
            last_failure));
      }
      const auto remaining =
          std::chrono::floor<milliseconds>(deadline - clock_->Now());
      if (remaining <= milliseconds(0)) {
        return Error(WithLast("deadline reached", last_failure));
      }

      TransportResult outcome =
          Attempt(url, std::min(request_timeout_, remaining));
      if (IsSuccess(outcome)) return std::get<HttpResponse>(std::move(outcome));

      last_failure = Describe(outcome);
      std::string why_not;
      if (!WaitForRetry(attempt, outcome, deadline, &why_not)) {
        if (why_not.empty()) return Error(last_failure);
        return Error(last_failure + " (" + why_not + ")");
      }
    }
  }

 private:
  std::string JobPath(const JobConfig& job) const {
    return api_url_ + std::string(kBatchPath) + Escape(job.id);
  }

  void AppendScope(const JobConfig& job, std::string* url) const {
    AppendParam("project_id",
                job.project_id.empty() ? project_id_ : job.project_id, url);
    AppendParam(
        "organization_id",
        job.organization_id.empty() ? organization_id_ : job.organization_id,
        url);
  }

  // One GET, reported to the observer and the debug log.
  TransportResult Attempt(const std::string& url, milliseconds timeout) {
    const SteadyTime start = clock_->Now();
    TransportResult outcome = transport_->Get(url, timeout);
    const double seconds =
        std::chrono::duration<double>(clock_->Now() - start).count();
    const std::string code = CodeLabel(outcome);
    if (observer_ != nullptr) observer_->OnRequest(code, seconds);
    if (Log().Enabled(LogLevel::kDebug)) {
      Log().Debug(
          "api request",
          {{"url", url}, {"code", code}, {"seconds", FormatSeconds(seconds)}});
    }
    return outcome;
  }

  // Applies the policy to a failed attempt: sets the client-wide pause a
  // 429 calls for, then waits out the delay and returns true, or returns
  // false with the reason, if any, not to retry.
  bool WaitForRetry(int attempt, const TransportResult& outcome,
                    SteadyTime deadline, std::string* why_not) {
    const RetryDecision decision =
        policy_.Decide(attempt, outcome, clock_->WallNow(), RandomUnit());
    const SteadyTime now = clock_->Now();
    if (decision.pause) limiter_.PauseUntil(now + *decision.pause);
    if (!decision.retry) {
      *why_not = decision.reason;
      return false;
    }
    const SteadyTime retry_at = now + decision.delay;
    if (retry_at >= deadline) {
      *why_not = "no time left to retry before the deadline";
      return false;
    }
    // A 429's wait is the limiter's pause, which the next Acquire honours.
    if (!decision.pause) clock_->SleepUntil(retry_at);
    return true;
  }

  double RandomUnit() {
    std::lock_guard<std::mutex> lock(random_mu_);
    return std::uniform_real_distribution<double>(0, 1)(random_);
  }

  const std::string api_url_;
  const std::string project_id_;
  const std::string organization_id_;
  const int page_size_;
  const milliseconds request_timeout_;
  HttpTransport* const transport_;
  const Clock* const clock_;
  RequestObserver* const observer_;
  const RetryPolicy policy_;
  RateLimiter limiter_;
  std::mutex random_mu_;
  std::mt19937_64 random_;  // guarded by random_mu_
};

ApiClient::ApiClient(const Config& config, HttpTransport* transport,
                     const Clock* clock, RequestObserver* observer)
    : impl_(std::make_unique<Impl>(config, transport, clock, observer)) {}

ApiClient::~ApiClient() = default;

Result<PageSummary> ApiClient::FetchItemPage(const JobConfig& job,
                                             int64_t offset,
                                             SteadyTime deadline,
                                             ItemConsumer& consumer) {
  Result<HttpResponse> response =
      impl_->Fetch(impl_->ItemsUrl(job, offset), deadline);
  if (!response.ok()) return response.error();
  Result<PageSummary> page = ParseItemPage(response->body, consumer);
  if (!page.ok()) return page.error().Wrap("unreadable items page");
  return page;
}

Result<JobInfo> ApiClient::FetchJob(const JobConfig& job, SteadyTime deadline) {
  Result<HttpResponse> response = impl_->Fetch(impl_->JobUrl(job), deadline);
  if (!response.ok()) return response.error();
  Result<JobInfo> info = ParseJob(response->body);
  if (!info.ok()) return info.error().Wrap("unreadable job");
  return info;
}

}  // namespace lcbe
