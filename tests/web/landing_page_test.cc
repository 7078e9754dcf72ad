#include "web/landing_page.h"

#include <limits>

#include <catch2/catch.hpp>

namespace lcbe {
namespace {

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

LandingPage SamplePage() {
  LandingPage page;
  page.version = "0.1.0";
  page.revision = "abc123";
  page.telemetry_path = "/metrics";
  page.jobs.push_back({"bjb-ok", "ok", 1714564800.25, 1.5});
  page.jobs.push_back(
      {"bjb-new", "never collected", std::nullopt, std::nullopt});
  return page;
}

}  // namespace

TEST_CASE("the landing page links the telemetry path and health endpoints") {
  const std::string html = RenderLandingPage(SamplePage());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(Contains(html, "<a href=\"/metrics\">"));
  CHECK(Contains(html, "<a href=\"/-/healthy\">"));
  CHECK(Contains(html, "<a href=\"/-/ready\">"));
  CHECK(Contains(html, "0.1.0"));
  CHECK(Contains(html, "abc123"));
}

TEST_CASE("the landing page has no scripts or external assets") {
  const std::string html = RenderLandingPage(SamplePage());
  CHECK_FALSE(Contains(html, "<script"));
  CHECK_FALSE(Contains(html, "http://"));
  CHECK_FALSE(Contains(html, "https://"));
  CHECK_FALSE(Contains(html, "<link"));
}

TEST_CASE("each job is a row with its outcome, time and duration") {
  const std::string html = RenderLandingPage(SamplePage());
  CHECK(Contains(html,
                 "<tr><td>bjb-ok</td><td>ok</td>"
                 "<td>2024-05-01T12:00:00Z</td><td>1.500 s</td></tr>"));
  CHECK(Contains(html,
                 "<tr><td>bjb-new</td><td>never collected</td>"
                 "<td></td><td></td></tr>"));
}

TEST_CASE("failed jobs are marked") {
  LandingPage page = SamplePage();
  page.jobs = {{"bjb-bad", "failed: HTTP 503", 0.0, 0.25}};
  const std::string html = RenderLandingPage(page);
  CHECK(Contains(html,
                 "<tr class=\"failed\"><td>bjb-bad</td>"
                 "<td>failed: HTTP 503</td><td>1970-01-01T00:00:00Z</td>"
                 "<td>0.250 s</td></tr>"));
}

TEST_CASE("no jobs renders a note instead of an empty table") {
  LandingPage page = SamplePage();
  page.jobs.clear();
  const std::string html = RenderLandingPage(page);
  CHECK(Contains(html, "No jobs configured."));
  CHECK_FALSE(Contains(html, "<table>"));
}

TEST_CASE("job ids, outcomes and page fields are HTML-escaped") {
  LandingPage page = SamplePage();
  page.version = "<b>v</b>";
  page.telemetry_path = "/m\"><script>alert(1)</script>";
  page.jobs = {{"<script>alert('id')</script>",
                "failed: <script>alert(\"err\")</script> & more", 1.0, 1.0}};
  const std::string html = RenderLandingPage(page);
  CHECK_FALSE(Contains(html, "<script"));
  CHECK_FALSE(Contains(html, "<b>v</b>"));
  CHECK(Contains(html, "&lt;script&gt;alert(&#39;id&#39;)&lt;/script&gt;"));
  CHECK(Contains(html,
                 "failed: &lt;script&gt;alert(&quot;err&quot;)&lt;/script&gt;"
                 " &amp; more"));
  CHECK(Contains(html,
                 "href=\"/m&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
}

TEST_CASE("HtmlEscape escapes the five special characters only") {
  CHECK(HtmlEscape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  CHECK(HtmlEscape("plain bjb-1 ü") == "plain bjb-1 ü");
}

TEST_CASE("times are RFC 3339 UTC and nonsense times say so") {
  CHECK(FormatRfc3339Utc(0) == "1970-01-01T00:00:00Z");
  CHECK(FormatRfc3339Utc(1714564800.999) == "2024-05-01T12:00:00Z");
  CHECK(FormatRfc3339Utc(-1) == "1969-12-31T23:59:59Z");
  CHECK(FormatRfc3339Utc(1e300) == "invalid time");
  CHECK(FormatRfc3339Utc(std::numeric_limits<double>::quiet_NaN()) ==
        "invalid time");
}

}  // namespace lcbe
