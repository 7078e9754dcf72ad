#ifndef LCBE_API_TIME_PARSE_H_
#define LCBE_API_TIME_PARSE_H_

#include <optional>
#include <string_view>

#include "api/item.h"

namespace lcbe {

// ParseDateTime reads an RFC 3339 date-time and the near-misses the API may
// send, returning nanoseconds since the Unix epoch, or nullopt when `text`
// is anything else. Accepted: `YYYY-MM-DD`, a separator `T`, `t` or a
// space, `hh:mm:ss`, an optional fraction of 1 to 9 digits, then `Z`, `z`,
// `+hh:mm`, `-hh:mm`, `+hhmm`, `+hh` (and the `-` forms) or nothing (UTC).
// Every field is range-checked (days per month with leap years, offsets up
// to 23:59). A leap second (`:60`) reads as the last nanosecond of its
// minute, so that it never moves a time into the next minute or day.
// Instants outside the int64 nanosecond range (about 1677..2262) are
// rejected. Allocates nothing; thread-safe.
std::optional<UnixNanos> ParseDateTime(std::string_view text);

}  // namespace lcbe

#endif  // LCBE_API_TIME_PARSE_H_
