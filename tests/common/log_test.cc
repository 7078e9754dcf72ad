#include "common/log.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace lcbe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2026-12-04T15:24:24.123Z
std::chrono::system_clock::time_point FixedTime() {
  return std::chrono::system_clock::time_point(seconds(1796397864) +
                                               milliseconds(123));
}

struct Capture {
  explicit Capture(LogFormat format, LogLevel level = LogLevel::kDebug)
      : logger(level, format, &out, FixedTime) {}
  std::ostringstream out;
  Logger logger;
};

TEST_CASE("logfmt line has ts, level, msg, then fields in order") {
  Capture c(LogFormat::kLogfmt);
  c.logger.Info("collection failed",
                {{"job_id", "bjb-1"}, {"reason", "HTTP 503"}});
  CHECK(c.out.str() ==
        "ts=2026-12-04T15:24:24.123Z level=info msg=\"collection failed\" "
        "job_id=bjb-1 reason=\"HTTP 503\"\n");
}

TEST_CASE("logfmt quotes and escapes values that could break the line") {
  Capture c(LogFormat::kLogfmt);
  c.logger.Warn("x", {{"eq", "a=b"},
                      {"quote", "say \"hi\""},
                      {"nl", "one\ntwo"},
                      {"bs", "c:\\dir"},
                      {"ctl", std::string_view("\x01\x7f", 2)},
                      {"empty", ""},
                      {"tab", "a\tb"}});
  CHECK(c.out.str() ==
        "ts=2026-12-04T15:24:24.123Z level=warn msg=x eq=\"a=b\" "
        "quote=\"say \\\"hi\\\"\" nl=\"one\\ntwo\" bs=\"c:\\\\dir\" "
        "ctl=\"\\u0001\\u007f\" empty=\"\" tab=\"a\\tb\"\n");
}

TEST_CASE("logfmt replaces unsafe characters in keys") {
  Capture c(LogFormat::kLogfmt);
  c.logger.Error("m", {{"bad key=", "v"}});
  CHECK(c.out.str() ==
        "ts=2026-12-04T15:24:24.123Z level=error msg=m bad_key_=v\n");
}

TEST_CASE("json line escapes every string") {
  Capture c(LogFormat::kJson);
  c.logger.Debug("a \"b\"\n", {{"job_id", "bjb-1"}, {"path", "c:\\x"}});
  CHECK(c.out.str() ==
        "{\"ts\":\"2026-12-04T15:24:24.123Z\",\"level\":\"debug\","
        "\"msg\":\"a \\\"b\\\"\\n\",\"job_id\":\"bjb-1\",\"path\":\"c:\\\\x\"}"
        "\n");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD, valid UTF-8 is kept") {
  Capture c(LogFormat::kJson);
  // Lone continuation byte, overlong '/', a surrogate, a truncated sequence.
  c.logger.Info("\xC3\xA9 \x80 \xC0\xAF \xED\xA0\x80 \xE2\x82");
  const std::string r = "\xEF\xBF\xBD";
  CHECK(c.out.str() ==
        "{\"ts\":\"2026-12-04T15:24:24.123Z\",\"level\":\"info\",\"msg\":\"" +
            std::string("\xC3\xA9 ") + r + " " + r + r + " " + r + r + r + " " +
            r + r + "\"}\n");
}

TEST_CASE("logfmt also replaces invalid UTF-8 and quotes non-ASCII") {
  Capture c(LogFormat::kLogfmt);
  c.logger.Info("m", {{"v", "\xFF"}});
  CHECK(c.out.str() ==
        "ts=2026-12-04T15:24:24.123Z level=info msg=m v=\"\xEF\xBF\xBD\"\n");
}

TEST_CASE("levels below the logger's level are dropped") {
  Capture c(LogFormat::kLogfmt, LogLevel::kWarn);
  c.logger.Debug("d");
  c.logger.Info("i");
  CHECK(c.out.str().empty());
  CHECK_FALSE(c.logger.Enabled(LogLevel::kInfo));
  CHECK(c.logger.Enabled(LogLevel::kError));
  c.logger.Error("e");
  CHECK(c.out.str() == "ts=2026-12-04T15:24:24.123Z level=error msg=e\n");
}

TEST_CASE("timestamps are UTC with zero-padded milliseconds") {
  std::ostringstream out;
  Logger logger(LogLevel::kInfo, LogFormat::kLogfmt, &out, [] {
    return std::chrono::system_clock::time_point(milliseconds(5));
  });
  logger.Info("m");
  CHECK(out.str() == "ts=1970-01-01T00:00:00.005Z level=info msg=m\n");
}

TEST_CASE("ParseLogLevel and ParseLogFormat accept only known names") {
  LogLevel level = LogLevel::kInfo;
  CHECK(ParseLogLevel("debug", &level));
  CHECK(level == LogLevel::kDebug);
  CHECK(ParseLogLevel("error", &level));
  CHECK(level == LogLevel::kError);
  CHECK(ParseLogLevel("warn", &level));
  CHECK(level == LogLevel::kWarn);
  CHECK_FALSE(ParseLogLevel("INFO", &level));
  CHECK_FALSE(ParseLogLevel("warning", &level));
  CHECK(level == LogLevel::kWarn);

  LogFormat format = LogFormat::kLogfmt;
  CHECK(ParseLogFormat("json", &format));
  CHECK(format == LogFormat::kJson);
  CHECK(ParseLogFormat("logfmt", &format));
  CHECK(format == LogFormat::kLogfmt);
  CHECK_FALSE(ParseLogFormat("text", &format));
}

TEST_CASE("RepeatFilter passes the first event, then one per interval") {
  RepeatFilter filter(seconds(60));
  const auto t0 = std::chrono::steady_clock::time_point(seconds(1000));
  long suppressed = -1;

  CHECK(filter.Allow("job", t0, &suppressed));
  CHECK(suppressed == 0);
  CHECK_FALSE(filter.Allow("job", t0 + seconds(10), &suppressed));
  CHECK(suppressed == 1);
  CHECK_FALSE(filter.Allow("job", t0 + seconds(59), &suppressed));
  CHECK(suppressed == 2);
  // Another key is independent.
  CHECK(filter.Allow("other", t0 + seconds(59), &suppressed));
  CHECK(suppressed == 0);

  CHECK(filter.Allow("job", t0 + seconds(60), &suppressed));
  CHECK(suppressed == 2);
  CHECK_FALSE(filter.Allow("job", t0 + seconds(61), &suppressed));
  CHECK(suppressed == 1);
}

TEST_CASE("RepeatFilter::Reset lets the next event through at once") {
  RepeatFilter filter(seconds(60));
  const auto t0 = std::chrono::steady_clock::time_point(seconds(1000));
  long suppressed = -1;
  CHECK(filter.Allow("job", t0, &suppressed));
  CHECK_FALSE(filter.Allow("job", t0 + seconds(1), &suppressed));
  filter.Reset("job");
  CHECK(filter.Allow("job", t0 + seconds(2), &suppressed));
  CHECK(suppressed == 0);
}

TEST_CASE("lines logged from many threads never interleave") {
  Capture c(LogFormat::kLogfmt);
  constexpr int kThreads = 4;
  constexpr int kLines = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&c, t] {
      const std::string id = "bjb-" + std::to_string(t);
      for (int i = 0; i < kLines; ++i) {
        c.logger.Info("collection failed", {{"job_id", id}});
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  std::istringstream lines(c.out.str());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    INFO(line);
    REQUIRE(line.rfind("ts=2026-12-04T15:24:24.123Z level=info "
                       "msg=\"collection failed\" job_id=bjb-",
                       0) == 0);
    REQUIRE(line.size() == 75);
  }
  CHECK(count == kThreads * kLines);
}

TEST_CASE("SetLogger replaces the process-wide logger") {
  std::ostringstream out;
  SetLogger(LogLevel::kError, LogFormat::kJson, &out);
  Log().Info("dropped");
  Log().Error("kept", {{"k", "v"}});
  const std::string line = out.str();
  CHECK(line.find("dropped") == std::string::npos);
  CHECK(line.rfind("{\"ts\":\"", 0) == 0);
  CHECK(line.find("\"level\":\"error\",\"msg\":\"kept\",\"k\":\"v\"}\n") !=
        std::string::npos);
  SetLogger(LogLevel::kInfo, LogFormat::kLogfmt, &std::cerr);
}

}  // namespace
}  // namespace lcbe
