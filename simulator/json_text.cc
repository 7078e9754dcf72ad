#include "json_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace lcbe::sim {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

// Converts days since 1970-01-01 to a proleptic Gregorian date. Works in
// 400-year eras (146097 days) starting on March 1st, so the leap day falls
// at the end of the shifted year and needs no special case.
CivilDate DateFromDays(int64_t days) {
  days += 719468;  // shift the epoch to 0000-03-01
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;
  const int day =
      static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3
                                                        : shifted_month - 9);
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + run_start, i - run_start);
    run_start = i + 1;
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
        out->append("\\u00");
        out->push_back(kHexDigits[c >> 4]);
        out->push_back(kHexDigits[c & 0xf]);
    }
  }
  out->append(text.data() + run_start, text.size() - run_start);
  out->push_back('"');
}

void AppendJsonStringOrNull(const std::optional<std::string>& text,
                            std::string* out) {
  if (text) {
    AppendJsonString(*text, out);
  } else {
    out->append("null");
  }
}

void AppendInt(int64_t value, std::string* out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out->append(buffer, result.ptr);
}

void AppendPadded(int64_t value, int width, std::string* out) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  const auto digits = static_cast<int>(result.ptr - buffer);
  if (digits < width) out->append(static_cast<size_t>(width - digits), '0');
  out->append(buffer, result.ptr);
}

void AppendNumber(double value, std::string* out) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    AppendInt(static_cast<int64_t>(value), out);
    return;
  }
  char buffer[48];
  const int n = std::snprintf(buffer, sizeof buffer, "%.6f", value);
  int end = n;
  while (end > 0 && buffer[end - 1] == '0') --end;
  if (end > 0 && buffer[end - 1] == '.') --end;
  out->append(buffer, static_cast<size_t>(end));
}

void AppendTimestamp(int64_t unix_ms, std::string* out) {
  const int64_t days = FloorDiv(unix_ms, 86'400'000);
  const int64_t ms_of_day = unix_ms - days * 86'400'000;
  const CivilDate date = DateFromDays(days);
  out->push_back('"');
  AppendPadded(date.year, 4, out);
  out->push_back('-');
  AppendPadded(date.month, 2, out);
  out->push_back('-');
  AppendPadded(date.day, 2, out);
  out->push_back('T');
  AppendPadded(ms_of_day / 3'600'000, 2, out);
  out->push_back(':');
  AppendPadded(ms_of_day / 60'000 % 60, 2, out);
  out->push_back(':');
  AppendPadded(ms_of_day / 1000 % 60, 2, out);
  out->push_back('.');
  AppendPadded(ms_of_day % 1000, 3, out);
  out->append("Z\"");
}

void AppendHex64(uint64_t value, std::string* out) {
  char buffer[16];
  for (int i = 15; i >= 0; --i) {
    buffer[i] = kHexDigits[value & 0xf];
    value >>= 4;
  }
  out->append(buffer, sizeof buffer);
}

}  // namespace lcbe::sim
