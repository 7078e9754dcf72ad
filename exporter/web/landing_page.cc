#include "web/landing_page.h"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace lcbe {
namespace {

// Beyond this many seconds (about 31 million years) time_t conversion and
// gmtime stop being meaningful.
constexpr double kMaxUnixSeconds = 1e15;

constexpr char kStyle[] =
    "body{font-family:sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse}"
    "th,td{border:1px solid #ccc;padding:.3em .7em;text-align:left}"
    "th{background:#f3f3f3}"
    "tr.failed td{background:#fde8e8}";

void AppendHead(std::string* html) {
  *html +=
      "<!DOCTYPE html>\n"
      "<html lang=\"en\">\n"
      "<head>\n"
      "<meta charset=\"utf-8\">\n"
      "<title>LlamaCloud batch exporter</title>\n"
      "<style>";
  *html += kStyle;
  *html += "</style>\n</head>\n";
}

void AppendLinks(const LandingPage& page, std::string* html) {
  *html += "<h1>LlamaCloud batch exporter</h1>\n<p>Version " +
           HtmlEscape(page.version) + " (revision " +
           HtmlEscape(page.revision) + ")</p>\n<ul>\n<li><a href=\"" +
           HtmlEscape(page.telemetry_path) + "\">Metrics</a></li>\n" +
           "<li><a href=\"/-/healthy\">Health</a></li>\n" +
           "<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n";
}

std::string FormatSeconds(double seconds) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f s", seconds);
  return buffer;
}

void AppendRow(const LandingJobRow& row, std::string* html) {
  const bool failed = row.outcome.rfind("failed", 0) == 0;
  *html += failed ? "<tr class=\"failed\">" : "<tr>";
  *html += "<td>" + HtmlEscape(row.job_id) + "</td><td>" +
           HtmlEscape(row.outcome) + "</td><td>";
  if (row.last_collection_unix) {
    *html += FormatRfc3339Utc(*row.last_collection_unix);
  }
  *html += "</td><td>";
  if (row.last_duration_seconds) {
    *html += FormatSeconds(*row.last_duration_seconds);
  }
  *html += "</td></tr>\n";
}

void AppendJobs(const std::vector<LandingJobRow>& jobs, std::string* html) {
  *html += "<h2>Jobs</h2>\n";
  if (jobs.empty()) {
    *html += "<p>No jobs configured.</p>\n";
    return;
  }
  *html +=
      "<table>\n<thead><tr><th>Job</th><th>Last outcome</th>"
      "<th>Last collection (UTC)</th><th>Duration</th></tr></thead>\n"
      "<tbody>\n";
  for (const LandingJobRow& row : jobs) AppendRow(row, html);
  *html += "</tbody>\n</table>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatRfc3339Utc(double unix_seconds) {
  if (!std::isfinite(unix_seconds) ||
      std::fabs(unix_seconds) > kMaxUnixSeconds) {
    return "invalid time";
  }
  const auto whole = static_cast<std::time_t>(std::floor(unix_seconds));
  std::tm utc = {};
  if (gmtime_r(&whole, &utc) == nullptr) return "invalid time";
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

std::string RenderLandingPage(const LandingPage& page) {
  std::string html;
  AppendHead(&html);
  html += "<body>\n";
  AppendLinks(page, &html);
  AppendJobs(page.jobs, &html);
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace lcbe
