#ifndef LCBE_WEB_LANDING_PAGE_H_
#define LCBE_WEB_LANDING_PAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lcbe {

// One job's line on the landing page.
struct LandingJobRow {
  std::string job_id;
  // "ok", "failed: <reason>", "never collected" or "frozen (final)".
  std::string outcome;
  // When the last collection finished, in seconds since the Unix epoch.
  std::optional<double> last_collection_unix;
  std::optional<double> last_duration_seconds;
};

// What the landing page shows.
struct LandingPage {
  std::string version;
  std::string revision;
  // Where the metrics are served, e.g. "/metrics".
  std::string telemetry_path;
  std::vector<LandingJobRow> jobs;
};

// Renders `page` as a self-contained HTML document (no scripts, no external
// assets) linking the telemetry path, /-/healthy and /-/ready. Every value
// from `page` is HTML-escaped, since job ids come from configuration and
// outcomes may quote API errors. Times are RFC 3339 in UTC.
std::string RenderLandingPage(const LandingPage& page);

// Escapes `text` for use in HTML text and quoted attribute values.
std::string HtmlEscape(std::string_view text);

// Formats seconds since the Unix epoch as RFC 3339 UTC with whole seconds,
// e.g. "2024-05-01T12:00:00Z".
std::string FormatRfc3339Utc(double unix_seconds);

}  // namespace lcbe

#endif  // LCBE_WEB_LANDING_PAGE_H_
