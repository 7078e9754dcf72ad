#ifndef LCBE_SIMULATOR_JSON_TEXT_H_
#define LCBE_SIMULATOR_JSON_TEXT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Small writers that append JSON text to a caller's string. The simulator
// writes its responses by hand because it must produce a million items per
// scrape cheaply; a DOM would cost more than the network.
namespace lcbe::sim {

// Appends `text` as a quoted JSON string, escaping quotes, backslashes and
// control characters. Bytes >= 0x80 are copied as they are (UTF-8 passes).
void AppendJsonString(std::string_view text, std::string* out);

// Appends `text` quoted, or `null` when it is empty.
void AppendJsonStringOrNull(const std::optional<std::string>& text,
                            std::string* out);

// Appends a signed integer in decimal.
void AppendInt(int64_t value, std::string* out);

// Appends `value` zero-padded to at least `width` digits. REQUIRES: value>=0.
void AppendPadded(int64_t value, int width, std::string* out);

// Appends a finite double in shortest round-trip form (`%.17g` is too long
// for humans; this uses up to 6 decimals and trims zeros).
void AppendNumber(double value, std::string* out);

// Appends an RFC 3339 UTC time with millisecond fraction, quoted, e.g.
// "2026-01-02T03:04:05.678Z". `unix_ms` is milliseconds since the epoch.
void AppendTimestamp(int64_t unix_ms, std::string* out);

// Appends `value` as 16 lower-case hex digits.
void AppendHex64(uint64_t value, std::string* out);

}  // namespace lcbe::sim

#endif  // LCBE_SIMULATOR_JSON_TEXT_H_
