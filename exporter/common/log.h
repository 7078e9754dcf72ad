#ifndef LCBE_COMMON_LOG_H_
#define LCBE_COMMON_LOG_H_

#include <chrono>
#include <functional>
#include <initializer_list>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace lcbe {

enum class LogLevel { kDebug, kInfo, kWarn, kError };
enum class LogFormat { kLogfmt, kJson };

// A key and value of one log line, e.g. {"job_id", "bjb-1"}.
using LogField = std::pair<std::string_view, std::string_view>;

// Parses "debug", "info", "warn", "error"; false on anything else.
bool ParseLogLevel(std::string_view text, LogLevel* level);
// Parses "logfmt", "json"; false on anything else.
bool ParseLogFormat(std::string_view text, LogFormat* format);

// Logger writes one line per event, in logfmt or JSON, with a timestamp,
// the level and the message first, then the fields in the order given.
// Values are quoted and escaped so that a field can never break a line.
// Thread-safe.
class Logger {
 public:
  // Reads the wall clock for the `ts` field; tests pass a fixed one.
  using WallClockFn = std::function<std::chrono::system_clock::time_point()>;

  // Writes to `out`, which must outlive the logger. Timestamps come from
  // `wall_clock`, or from the system clock when it is empty.
  Logger(LogLevel level, LogFormat format, std::ostream* out,
         WallClockFn wall_clock = {});

  bool Enabled(LogLevel level) const { return level >= level_; }
  void Log(LogLevel level, std::string_view message,
           std::initializer_list<LogField> fields = {});

  void Debug(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kDebug, m, f);
  }
  void Info(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kInfo, m, f);
  }
  void Warn(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kWarn, m, f);
  }
  void Error(std::string_view m, std::initializer_list<LogField> f = {}) {
    Log(LogLevel::kError, m, f);
  }

 private:
  const LogLevel level_;
  const LogFormat format_;
  std::ostream* const out_;
  const WallClockFn wall_clock_;
  std::mutex mu_;
};

// RepeatFilter lets the first occurrence of a repeated event through and
// then at most one per `interval` for the same key, counting what it held
// back so that the next line can say so. Thread-safe.
class RepeatFilter {
 public:
  explicit RepeatFilter(std::chrono::steady_clock::duration interval);

  // True when an event with `key` should be logged now; then `*suppressed`
  // is set to how many were held back since the last one logged for `key`
  // (0 for a first occurrence). When false, `*suppressed` is the count held
  // back so far, this event included.
  bool Allow(const std::string& key, std::chrono::steady_clock::time_point now,
             long* suppressed);
  // Forgets `key`, so that its next occurrence is logged at once (used when
  // a failing job recovers).
  void Reset(const std::string& key);

 private:
  struct Entry {
    std::chrono::steady_clock::time_point last_logged;
    long suppressed = 0;
  };
  const std::chrono::steady_clock::duration interval_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

// The process-wide logger. Until SetLogger() is called it logs at info level
// in logfmt to stderr.
Logger& Log();
// Replaces the process-wide logger; call once, early in main or a test.
// References returned by earlier Log() calls stay valid (the old logger is
// kept alive) but keep writing where the old one did.
void SetLogger(LogLevel level, LogFormat format, std::ostream* out);

// The level's name as written in a log line and accepted by ParseLogLevel.
std::string_view LogLevelName(LogLevel level);
// The format's name as accepted by ParseLogFormat.
std::string_view LogFormatName(LogFormat format);

}  // namespace lcbe

#endif  // LCBE_COMMON_LOG_H_
