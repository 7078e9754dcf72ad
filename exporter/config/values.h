#ifndef LCBE_CONFIG_VALUES_H_
#define LCBE_CONFIG_VALUES_H_

#include <string>
#include <string_view>

#include "common/result.h"
#include "config/config.h"

namespace lcbe {

// Parses a Prometheus-style duration ("500ms", "10s", "1m30s", "1.5h";
// units w, d, h, m, s, ms, each at most once and largest first) or a plain
// number of seconds ("2", "0.25"). Signs are not accepted, nor durations
// over kMaxDuration, which no setting needs and which would overflow the
// clocks they are added to.
Result<Seconds> ParseDuration(std::string_view text);
inline constexpr Seconds kMaxDuration{30 * 24 * 3600};

// Succeeds when `path` names a regular file, or cannot be examined (the
// read that follows then says why). A directory, a FIFO or a device is an
// error: reading one would fail oddly or never end.
Status CheckRegularFile(const std::string& path);

// Writes a duration back the way a user would, e.g. "1m30s", "500ms", "0s".
std::string FormatDuration(Seconds duration);

// Parses a base-10 integer in [min, max].
Result<long long> ParseInteger(std::string_view text, long long min,
                               long long max);

// Parses a finite decimal number.
Result<double> ParseNumber(std::string_view text);

// Checks an API base URL, http(s)://host[:port][/prefix] without user info,
// query or fragment, and returns it with a lower-case scheme and no
// trailing "/".
Result<std::string> NormalizeApiUrl(std::string_view text);

// Checks a listen address: ":port", "ipv4:port", "[ipv6]:port" or
// "localhost:port", port 0-65535 (0 picks a free port).
Status CheckListenAddress(std::string_view text);

// Checks the metrics path: starts with "/", is not "/" nor one of the
// exporter's own paths, and holds no whitespace, "?" or "#".
Status CheckTelemetryPath(std::string_view text);

// Checks a batch job id: non-empty, only [A-Za-z0-9._-], not "." or "..",
// since it becomes a label value and a URL path segment.
Status CheckJobId(std::string_view text);

// Checks a project or organization id: non-empty, printable, no whitespace
// (it becomes a query parameter).
Status CheckScopeId(std::string_view text);

// Checks an API key: non-empty, printable ASCII, no whitespace, so that it
// cannot break the Authorization header. The message never quotes the key.
Status CheckApiKey(std::string_view key);

}  // namespace lcbe

#endif  // LCBE_CONFIG_VALUES_H_
