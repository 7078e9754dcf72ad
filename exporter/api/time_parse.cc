#include "api/time_parse.h"

#include <cstdint>
#include <cstring>

namespace lcbe {
namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;
// The widest second count whose nanoseconds, plus a fraction, fit int64.
constexpr int64_t kMaxSeconds = INT64_MAX / kNanosPerSecond - 1;
constexpr int64_t kMinSeconds = INT64_MIN / kNanosPerSecond;

struct Fields {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;
  int offset_seconds = 0;
};

// Consumes exactly `count` ASCII digits from the front of `text`.
bool TakeDigits(std::string_view& text, int count, int* value) {
  if (text.size() < static_cast<size_t>(count)) return false;
  int result = 0;
  for (int i = 0; i < count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    result = result * 10 + (c - '0');
  }
  text.remove_prefix(count);
  *value = result;
  return true;
}

bool TakeChar(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Days from 1970-01-01 to the given proleptic Gregorian date. Counts from
// March so that the leap day falls at the end of the counted year, then
// splits the years into 400-year eras of exactly 146097 days.
int64_t DaysFromCivil(int year, int month, int day) {
  const int64_t y = month <= 2 ? year - 1 : year;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;
  const int64_t shifted_month = month > 2 ? month - 3 : month + 9;
  const int64_t day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

bool ParseDate(std::string_view& text, Fields* f) {
  if (!TakeDigits(text, 4, &f->year) || !TakeChar(text, '-') ||
      !TakeDigits(text, 2, &f->month) || !TakeChar(text, '-') ||
      !TakeDigits(text, 2, &f->day)) {
    return false;
  }
  if (f->month < 1 || f->month > 12) return false;
  return f->day >= 1 && f->day <= DaysInMonth(f->year, f->month);
}

// An optional `.` and 1 to 9 digits, scaled to nanoseconds.
bool ParseFraction(std::string_view& text, int64_t* nanos) {
  *nanos = 0;
  if (!TakeChar(text, '.')) return true;
  int digits = 0;
  while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
    if (++digits > 9) return false;
    *nanos = *nanos * 10 + (text.front() - '0');
    text.remove_prefix(1);
  }
  if (digits == 0) return false;
  for (int i = digits; i < 9; ++i) *nanos *= 10;
  return true;
}

bool ParseClock(std::string_view& text, Fields* f) {
  if (!TakeDigits(text, 2, &f->hour) || !TakeChar(text, ':') ||
      !TakeDigits(text, 2, &f->minute) || !TakeChar(text, ':') ||
      !TakeDigits(text, 2, &f->second) || !ParseFraction(text, &f->nanos)) {
    return false;
  }
  if (f->hour > 23 || f->minute > 59 || f->second > 60) return false;
  if (f->second == 60) {
    f->second = 59;
    f->nanos = kNanosPerSecond - 1;
  }
  return true;
}

// The zone must end the text: nothing, Z, or a numeric offset.
bool ParseZone(std::string_view text, int* offset_seconds) {
  *offset_seconds = 0;
  if (text.empty()) return true;
  if (text == "Z" || text == "z") return true;

  const char sign = text.front();
  if (sign != '+' && sign != '-') return false;
  text.remove_prefix(1);
  int hours = 0;
  int minutes = 0;
  if (!TakeDigits(text, 2, &hours)) return false;
  if (!text.empty()) {
    TakeChar(text, ':');  // Both +hh:mm and +hhmm are accepted.
    if (!TakeDigits(text, 2, &minutes) || !text.empty()) return false;
  }
  if (hours > 23 || minutes > 59) return false;
  *offset_seconds = (hours * 3600 + minutes * 60) * (sign == '-' ? -1 : 1);
  return true;
}

// The last date each thread read, with its day number. The items of a
// page mostly share a few dates, and reading and converting the date was
// over a third of a date-time's cost.
struct LastDate {
  char text[10] = {};
  int64_t days = 0;
  bool valid = false;
};

// Reads `YYYY-MM-DD` from the front of `text` into a day number.
bool TakeDays(std::string_view& text, int64_t* days) {
  thread_local LastDate last;
  if (last.valid && text.size() >= sizeof last.text &&
      std::memcmp(text.data(), last.text, sizeof last.text) == 0) {
    text.remove_prefix(sizeof last.text);
    *days = last.days;
    return true;
  }
  const std::string_view start = text;
  Fields f;
  if (!ParseDate(text, &f)) return false;
  *days = DaysFromCivil(f.year, f.month, f.day);
  // ParseDate reads exactly ten bytes when it succeeds.
  std::memcpy(last.text, start.data(), sizeof last.text);
  last.days = *days;
  last.valid = true;
  return true;
}

}  // namespace

std::optional<UnixNanos> ParseDateTime(std::string_view text) {
  Fields f;
  int64_t days = 0;
  if (!TakeDays(text, &days)) return std::nullopt;
  if (text.empty()) return std::nullopt;
  const char separator = text.front();
  if (separator != 'T' && separator != 't' && separator != ' ') {
    return std::nullopt;
  }
  text.remove_prefix(1);
  if (!ParseClock(text, &f)) return std::nullopt;
  if (!ParseZone(text, &f.offset_seconds)) return std::nullopt;

  // A local time minus its offset is UTC: 10:00+02:00 is 08:00Z.
  const int64_t seconds = days * kSecondsPerDay + f.hour * 3600 +
                          f.minute * 60 + f.second - f.offset_seconds;
  if (seconds < kMinSeconds || seconds > kMaxSeconds) return std::nullopt;
  return seconds * kNanosPerSecond + f.nanos;
}

}  // namespace lcbe
