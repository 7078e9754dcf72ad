#include "metrics/process_metrics.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <catch2/catch.hpp>

namespace lcbe {
namespace {

using Families = std::map<std::string, prometheus::MetricFamily>;

Families ByName(const std::vector<prometheus::MetricFamily>& families) {
  Families by_name;
  for (const prometheus::MetricFamily& family : families) {
    by_name[family.name] = family;
  }
  return by_name;
}

double GaugeValue(const Families& families, const std::string& name) {
  const prometheus::MetricFamily& family = families.at(name);
  REQUIRE(family.type == prometheus::MetricType::Gauge);
  REQUIRE(family.metric.size() == 1);
  return family.metric[0].gauge.value;
}

// A scratch directory with fake proc files, removed afterwards.
class FakeProc {
 public:
  FakeProc() {
    char pattern[] = "/tmp/lcbe_proc_XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    dir_ = pattern;
    std::filesystem::create_directory(dir_ / "fd");
    for (const char* fd : {"0", "1", "2", "7"}) {
      std::ofstream(dir_ / "fd" / fd) << "";
    }
  }
  ~FakeProc() { std::filesystem::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  ProcSources Sources() const {
    return {(dir_ / "stat").string(), (dir_ / "fd").string(),
            (dir_ / "system_stat").string()};
  }

 private:
  std::filesystem::path dir_;
};

// Fields 3..24 of proc(5): utime 100, stime 50, starttime 2000,
// vsize 123456789, rss 10 pages. The command name holds ") (" to check the
// parser splits after the last parenthesis.
constexpr char kStat[] =
    "4242 (evil) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 100 50 0 0 20 "
    "0 3 0 2000 123456789 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 "
    "17 0 0 0 0 0 0\n";
constexpr char kSystemStat[] =
    "cpu  1 2 3 4\nintr 5\nbtime 1700000000\nprocesses 9\n";

}  // namespace

TEST_CASE("this process's metrics are all present and plausible") {
  const Families families = ByName(CollectProcessMetrics());

  REQUIRE(families.count("process_cpu_seconds_total") == 1);
  const prometheus::MetricFamily& cpu =
      families.at("process_cpu_seconds_total");
  CHECK(cpu.type == prometheus::MetricType::Counter);
  CHECK(cpu.metric.at(0).counter.value >= 0);
  CHECK_FALSE(cpu.help.empty());

  const double rss = GaugeValue(families, "process_resident_memory_bytes");
  const double vsize = GaugeValue(families, "process_virtual_memory_bytes");
  CHECK(rss > 1024 * 1024);
  CHECK(vsize >= rss);

  const double open = GaugeValue(families, "process_open_fds");
  const double max = GaugeValue(families, "process_max_fds");
  CHECK(open >= 3);
  CHECK(max >= open);

  const double now = std::chrono::duration<double>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const double start = GaugeValue(families, "process_start_time_seconds");
  CHECK(start <= now + 1);
  CHECK(start > now - 24 * 3600);

  CHECK(families.size() == 6);
  for (const auto& [name, family] : families) CHECK_FALSE(family.help.empty());
}

TEST_CASE("process_open_fds follows opened descriptors") {
  const double before =
      GaugeValue(ByName(CollectProcessMetrics()), "process_open_fds");
  int fds[5];
  for (int& fd : fds) fd = open("/dev/null", O_RDONLY);
  const double during =
      GaugeValue(ByName(CollectProcessMetrics()), "process_open_fds");
  for (int fd : fds) close(fd);
  CHECK(during == before + 5);
}

TEST_CASE("values are computed from the proc files") {
  FakeProc proc;
  proc.Write("stat", kStat);
  proc.Write("system_stat", kSystemStat);
  const Families families = ByName(CollectProcessMetrics(proc.Sources()));
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  CHECK(families.at("process_cpu_seconds_total").metric.at(0).counter.value ==
        Approx(150 / ticks));
  CHECK(GaugeValue(families, "process_virtual_memory_bytes") == 123456789);
  CHECK(GaugeValue(families, "process_resident_memory_bytes") == 10 * page);
  CHECK(GaugeValue(families, "process_start_time_seconds") ==
        Approx(1700000000 + 2000 / ticks));
  CHECK(GaugeValue(families, "process_open_fds") == 4);
}

TEST_CASE("an unreadable stat file drops only the metrics it feeds") {
  FakeProc proc;
  proc.Write("system_stat", kSystemStat);
  const Families families = ByName(CollectProcessMetrics(proc.Sources()));
  CHECK(families.count("process_cpu_seconds_total") == 0);
  CHECK(families.count("process_resident_memory_bytes") == 0);
  CHECK(families.count("process_virtual_memory_bytes") == 0);
  CHECK(families.count("process_start_time_seconds") == 0);
  CHECK(families.count("process_open_fds") == 1);
  CHECK(families.count("process_max_fds") == 1);
}

TEST_CASE("malformed stat contents are dropped, not thrown") {
  for (const char* text :
       {"", "garbage", "1 (x) S 1 2 3",
        "1 (x) S 1 2 3 4 5 6 7 8 9 10 -5 50 "
        "0 0 0 0 0 0 9 9 9 9\n",
        "1 (x) S 1 2 3 4 5 6 7 8 9 10 99999999999999999999999 50 0 0 0 0 0 0 "
        "9 9 9 9\n"}) {
    INFO(text);
    FakeProc proc;
    proc.Write("stat", text);
    proc.Write("system_stat", kSystemStat);
    const Families families = ByName(CollectProcessMetrics(proc.Sources()));
    CHECK(families.count("process_cpu_seconds_total") == 0);
    CHECK(families.count("process_max_fds") == 1);
  }
}

TEST_CASE("a missing btime drops only the start time") {
  FakeProc proc;
  proc.Write("stat", kStat);
  proc.Write("system_stat", "cpu 1 2 3\nbtime x\n");
  const Families families = ByName(CollectProcessMetrics(proc.Sources()));
  CHECK(families.count("process_start_time_seconds") == 0);
  CHECK(families.count("process_cpu_seconds_total") == 1);
}

TEST_CASE("a missing fd directory drops only the open fd count") {
  ProcSources sources;
  sources.self_fd_dir = "/nonexistent/lcbe/fd";
  const Families families = ByName(CollectProcessMetrics(sources));
  CHECK(families.count("process_open_fds") == 0);
  CHECK(families.count("process_cpu_seconds_total") == 1);
}

}  // namespace lcbe
