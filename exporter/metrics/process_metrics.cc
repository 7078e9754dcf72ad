#include "metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace lcbe {
namespace {

// Fields of /proc/<pid>/stat counted from the state field (field 3 in
// proc(5)), because everything before it ends with the one ")" that can be
// found reliably.
constexpr size_t kUtimeIndex = 14 - 3;
constexpr size_t kStimeIndex = 15 - 3;
constexpr size_t kStartTimeIndex = 22 - 3;
constexpr size_t kVsizeIndex = 23 - 3;
constexpr size_t kRssIndex = 24 - 3;

struct SelfStat {
  double utime_ticks = 0;
  double stime_ticks = 0;
  double start_ticks = 0;
  double vsize_bytes = 0;
  double rss_pages = 0;
};

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return contents.str();
}

std::optional<double> ParseCount(std::string_view text) {
  unsigned long long value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return static_cast<double>(value);
}

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> fields;
  while (!text.empty()) {
    const size_t start = text.find_first_not_of(" \n");
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const size_t end = text.find_first_of(" \n");
    fields.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end);
  }
  return fields;
}

// The command name in parentheses may itself hold spaces and ")", so the
// fields start after the last ")".
std::optional<SelfStat> ParseSelfStat(std::string_view text) {
  const size_t paren = text.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  const std::vector<std::string_view> fields =
      SplitSpaces(text.substr(paren + 1));
  if (fields.size() <= kRssIndex) return std::nullopt;

  const std::optional<double> utime = ParseCount(fields[kUtimeIndex]);
  const std::optional<double> stime = ParseCount(fields[kStimeIndex]);
  const std::optional<double> start = ParseCount(fields[kStartTimeIndex]);
  const std::optional<double> vsize = ParseCount(fields[kVsizeIndex]);
  const std::optional<double> rss = ParseCount(fields[kRssIndex]);
  if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
  return SelfStat{*utime, *stime, *start, *vsize, *rss};
}

std::optional<double> ParseBootTime(std::string_view text) {
  constexpr std::string_view kPrefix = "btime ";
  size_t line = 0;
  while (line < text.size()) {
    size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    std::string_view current = text.substr(line, end - line);
    if (current.substr(0, kPrefix.size()) == kPrefix) {
      return ParseCount(current.substr(kPrefix.size()));
    }
    line = end + 1;
  }
  return std::nullopt;
}

std::optional<double> CountDirectoryEntries(const std::string& path) {
  std::error_code error;
  std::filesystem::directory_iterator entries(path, error);
  if (error) return std::nullopt;
  double count = 0;
  for (auto it = entries; it != std::filesystem::directory_iterator();
       it.increment(error)) {
    if (error) return std::nullopt;
    ++count;
  }
  return count;
}

std::optional<double> MaxOpenFiles() {
  rlimit limit = {};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  return static_cast<double>(limit.rlim_cur);
}

prometheus::MetricFamily Gauge(std::string name, std::string help,
                               double value) {
  prometheus::ClientMetric metric;
  metric.gauge.value = value;
  return {std::move(name),
          std::move(help),
          prometheus::MetricType::Gauge,
          {metric}};
}

prometheus::MetricFamily Counter(std::string name, std::string help,
                                 double value) {
  prometheus::ClientMetric metric;
  metric.counter.value = value;
  return {std::move(name),
          std::move(help),
          prometheus::MetricType::Counter,
          {metric}};
}

void AddStatMetrics(const ProcSources& sources,
                    std::vector<prometheus::MetricFamily>* families) {
  const std::optional<std::string> text = ReadFile(sources.self_stat);
  const std::optional<SelfStat> stat =
      text ? ParseSelfStat(*text) : std::nullopt;
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  const long page_bytes = sysconf(_SC_PAGESIZE);
  if (!stat || ticks_per_second <= 0 || page_bytes <= 0) return;
  const auto ticks = static_cast<double>(ticks_per_second);

  families->push_back(Counter(
      "process_cpu_seconds_total",
      "CPU time this process has used in user and kernel mode, in seconds.",
      (stat->utime_ticks + stat->stime_ticks) / ticks));
  families->push_back(Gauge("process_resident_memory_bytes",
                            "Memory this process holds in RAM, in bytes.",
                            stat->rss_pages * static_cast<double>(page_bytes)));
  families->push_back(Gauge("process_virtual_memory_bytes",
                            "Size of this process's address space, in bytes.",
                            stat->vsize_bytes));

  const std::optional<std::string> system = ReadFile(sources.system_stat);
  const std::optional<double> boot =
      system ? ParseBootTime(*system) : std::nullopt;
  if (!boot) return;
  families->push_back(
      Gauge("process_start_time_seconds",
            "When this process started, in seconds since the Unix epoch.",
            *boot + stat->start_ticks / ticks));
}

}  // namespace

std::vector<prometheus::MetricFamily> CollectProcessMetrics() {
  return CollectProcessMetrics(ProcSources());
}

std::vector<prometheus::MetricFamily> CollectProcessMetrics(
    const ProcSources& sources) {
  std::vector<prometheus::MetricFamily> families;
  AddStatMetrics(sources, &families);
  if (const std::optional<double> open =
          CountDirectoryEntries(sources.self_fd_dir)) {
    families.push_back(
        Gauge("process_open_fds",
              "Number of file descriptors this process has open.", *open));
  }
  if (const std::optional<double> max = MaxOpenFiles()) {
    families.push_back(Gauge("process_max_fds",
                             "Most file descriptors this process may open.",
                             *max));
  }
  return families;
}

}  // namespace lcbe
