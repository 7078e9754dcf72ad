#ifndef LCBE_TESTS_API_FAKE_TRANSPORT_H_
#define LCBE_TESTS_API_FAKE_TRANSPORT_H_

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/transport.h"
#include "fake_clock.h"

namespace lcbe {

// FakeTransport answers GETs from a script, in order, and records each
// request with the fake time it was made at. Each answer may take some fake
// time; an answer that would take longer than the request's timeout turns
// into a timeout. An exhausted script answers with a transport error.
// Thread-safe.
class FakeTransport : public HttpTransport {
 public:
  struct Request {
    std::string url;
    std::chrono::milliseconds timeout;
    double at_seconds;  // FakeClock::Elapsed() when the request was made.
  };

  explicit FakeTransport(FakeClock* clock) : clock_(clock) {}

  // Appends an answer that takes `takes` of fake time.
  void Push(TransportResult answer,
            std::chrono::milliseconds takes = std::chrono::milliseconds(0)) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back({std::move(answer), takes});
  }

  TransportResult Get(const std::string& url,
                      std::chrono::milliseconds timeout) override {
    Step step;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back({url, timeout, clock_->Elapsed()});
      if (script_.empty()) {
        return TransportError{TransportFailure::kOther, "script exhausted"};
      }
      step = std::move(script_.front());
      script_.pop_front();
    }
    if (step.takes > timeout) {
      clock_->Advance(timeout);
      return TransportError{TransportFailure::kTimeout, "fake timeout"};
    }
    clock_->Advance(step.takes);
    return std::move(step.answer);
  }

  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  struct Step {
    TransportResult answer;
    std::chrono::milliseconds takes{0};
  };

  FakeClock* const clock_;
  mutable std::mutex mu_;
  std::deque<Step> script_;
  std::vector<Request> requests_;
};

// An HTTP answer with `status`, `body` and optional retry headers.
inline HttpResponse Answer(long status, std::string body,
                           std::string retry_after = "",
                           std::string retry_after_ms = "",
                           std::string should_retry = "") {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.body.reserve(response.body.size() + kBodyPadding);
  response.retry_after = std::move(retry_after);
  response.retry_after_ms = std::move(retry_after_ms);
  response.should_retry = std::move(should_retry);
  return response;
}

}  // namespace lcbe

#endif  // LCBE_TESTS_API_FAKE_TRANSPORT_H_
