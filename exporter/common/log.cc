#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <vector>

namespace lcbe {
namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when
// the bytes there are not one (overlong, surrogate, truncated, too large).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) {
    return static_cast<unsigned char>(text[k]);
  };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;

  size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;  // overlong
    if (lead == 0xED) max_second = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;  // overlong
    if (lead == 0xF4) max_second = 0x8F;  // beyond U+10FFFF
  } else {
    return 0;
  }

  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

void AppendHexEscape(unsigned char c, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->append("\\u00");
  out->push_back(kHex[c >> 4]);
  out->push_back(kHex[c & 0xF]);
}

// Appends `text` escaped for the inside of a double-quoted string. The
// escapes are the JSON ones, which logfmt readers understand as well, and
// invalid UTF-8 becomes U+FFFD so that the line stays valid text.
void AppendEscaped(std::string_view text, std::string* out) {
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      const size_t length = Utf8SequenceLength(text, i);
      if (length == 0) {
        out->append(kReplacementChar);
        ++i;
      } else {
        out->append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          AppendHexEscape(c, out);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
}

// logfmt leaves a value bare only when a reader cannot misread it.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= ' ' || c == '=' || c == '"' || c == '\\' || c >= 0x7F) {
      return true;
    }
  }
  return false;
}

void AppendLogfmtValue(std::string_view value, std::string* out) {
  if (!NeedsQuotes(value)) {
    out->append(value);
    return;
  }
  out->push_back('"');
  AppendEscaped(value, out);
  out->push_back('"');
}

// Keys come from code, but a stray character must still not split a line.
void AppendLogfmtKey(std::string_view key, std::string* out) {
  if (key.empty()) {
    out->push_back('_');
    return;
  }
  for (char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    const bool bad = c <= ' ' || c == '=' || c == '"' || c >= 0x7F;
    out->push_back(bad ? '_' : ch);
  }
}

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  AppendEscaped(text, out);
  out->push_back('"');
}

// RFC 3339 in UTC with milliseconds, e.g. 2026-12-04T15:24:24.123Z.
std::string FormatTimestamp(std::chrono::system_clock::time_point t) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(t);
  const auto seconds = std::chrono::floor<std::chrono::seconds>(ms);
  const std::time_t unix_seconds = std::chrono::system_clock::to_time_t(
      std::chrono::system_clock::time_point(seconds));
  std::tm utc{};
  gmtime_r(&unix_seconds, &utc);

  char buffer[64];
  const auto millis = static_cast<int>((ms - seconds).count());
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, millis);
  return buffer;
}

std::string FormatLogfmt(std::string_view ts, std::string_view level,
                         std::string_view message,
                         std::initializer_list<LogField> fields) {
  std::string line = "ts=";
  line.append(ts);
  line.append(" level=");
  line.append(level);
  line.append(" msg=");
  AppendLogfmtValue(message, &line);
  for (const auto& [key, value] : fields) {
    line.push_back(' ');
    AppendLogfmtKey(key, &line);
    line.push_back('=');
    AppendLogfmtValue(value, &line);
  }
  line.push_back('\n');
  return line;
}

std::string FormatJson(std::string_view ts, std::string_view level,
                       std::string_view message,
                       std::initializer_list<LogField> fields) {
  std::string line = "{\"ts\":";
  AppendJsonString(ts, &line);
  line.append(",\"level\":");
  AppendJsonString(level, &line);
  line.append(",\"msg\":");
  AppendJsonString(message, &line);
  for (const auto& [key, value] : fields) {
    line.push_back(',');
    AppendJsonString(key, &line);
    line.push_back(':');
    AppendJsonString(value, &line);
  }
  line.append("}\n");
  return line;
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

std::string_view LogFormatName(LogFormat format) {
  return format == LogFormat::kJson ? "json" : "logfmt";
}

bool ParseLogLevel(std::string_view text, LogLevel* level) {
  for (LogLevel candidate :
       {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == LogLevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

bool ParseLogFormat(std::string_view text, LogFormat* format) {
  if (text == "logfmt") {
    *format = LogFormat::kLogfmt;
  } else if (text == "json") {
    *format = LogFormat::kJson;
  } else {
    return false;
  }
  return true;
}

Logger::Logger(LogLevel level, LogFormat format, std::ostream* out,
               WallClockFn wall_clock)
    : level_(level),
      format_(format),
      out_(out),
      wall_clock_(std::move(wall_clock)) {}

void Logger::Log(LogLevel level, std::string_view message,
                 std::initializer_list<LogField> fields) {
  if (!Enabled(level)) return;

  const auto now =
      wall_clock_ ? wall_clock_() : std::chrono::system_clock::now();
  const std::string ts = FormatTimestamp(now);
  const std::string line =
      format_ == LogFormat::kJson
          ? FormatJson(ts, LogLevelName(level), message, fields)
          : FormatLogfmt(ts, LogLevelName(level), message, fields);

  // One write per line under the lock keeps lines from interleaving.
  std::lock_guard<std::mutex> lock(mu_);
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
  out_->flush();
}

RepeatFilter::RepeatFilter(std::chrono::steady_clock::duration interval)
    : interval_(interval) {}

bool RepeatFilter::Allow(const std::string& key,
                         std::chrono::steady_clock::time_point now,
                         long* suppressed) {
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& entry = it->second;
  if (!inserted && now - entry.last_logged < interval_) {
    ++entry.suppressed;
    *suppressed = entry.suppressed;
    return false;
  }
  *suppressed = inserted ? 0 : entry.suppressed;
  entry.last_logged = now;
  entry.suppressed = 0;
  return true;
}

void RepeatFilter::Reset(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

namespace {

std::atomic<Logger*>& CurrentLogger() {
  static Logger default_logger(LogLevel::kInfo, LogFormat::kLogfmt, &std::cerr);
  static std::atomic<Logger*> current{&default_logger};
  return current;
}

}  // namespace

Logger& Log() { return *CurrentLogger().load(std::memory_order_acquire); }

void SetLogger(LogLevel level, LogFormat format, std::ostream* out) {
  // Replaced loggers are kept for the life of the process, since other
  // threads may still hold a reference from Log(); SetLogger runs about
  // once per process, so they cost next to nothing.
  static std::mutex mu;
  static auto* const owned = new std::vector<std::unique_ptr<Logger>>();
  std::lock_guard<std::mutex> lock(mu);
  owned->push_back(std::make_unique<Logger>(level, format, out));
  CurrentLogger().store(owned->back().get(), std::memory_order_release);
}

}  // namespace lcbe
