// llamacloud_batch_simulator: serves the LlamaCloud batch-processing read
// API from a scenario file, for the exporter's tests, benchmarks and demo.

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "http_server.h"
#include "scenario.h"
#include "simulator.h"

namespace {

constexpr int kExitUsage = 2;
constexpr int kWorkerThreads = 32;

enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct Flags {
  std::string scenario;
  std::string listen = "127.0.0.1:8080";
  LogLevel log_level = LogLevel::kInfo;
};

void Log(const Flags& flags, LogLevel level, const std::string& message) {
  if (level < flags.log_level) return;
  std::fprintf(stderr, "llamacloud_batch_simulator: %s\n", message.c_str());
}

std::optional<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warn") return LogLevel::kWarn;
  if (text == "error") return LogLevel::kError;
  return std::nullopt;
}

// Accepts `--name value` and `--name=value`.
lcbe::Result<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string name = argv[i];
    std::string value;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return lcbe::Error(name + " needs a value");
    }
    if (name == "--scenario") {
      flags.scenario = value;
    } else if (name == "--listen") {
      flags.listen = value;
    } else if (name == "--log.level") {
      const auto level = ParseLogLevel(value);
      if (!level)
        return lcbe::Error("--log.level must be debug, info, warn or error");
      flags.log_level = *level;
    } else {
      return lcbe::Error("unknown flag " + name);
    }
  }
  if (flags.scenario.empty()) return lcbe::Error("--scenario FILE is required");
  if (flags.listen.rfind(':') == std::string::npos) {
    return lcbe::Error("--listen must be host:port");
  }
  return flags;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  auto flags = ParseFlags(argc, argv);
  if (!flags.ok()) {
    std::fprintf(stderr,
                 "llamacloud_batch_simulator: %s\nusage: %s --scenario FILE "
                 "[--listen 127.0.0.1:8080] [--log.level info]\n",
                 flags.error().message().c_str(), argv[0]);
    return kExitUsage;
  }
  auto scenario = lcbe::sim::LoadScenarioFile(flags->scenario);
  if (!scenario.ok()) {
    Log(*flags, LogLevel::kError, scenario.error().message());
    return kExitUsage;
  }

  // Signals are taken by sigwait() below; blocking them before civetweb
  // starts its threads keeps them away from the workers.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  const size_t fault_count = scenario->faults.size();
  lcbe::sim::Simulator simulator(std::move(scenario).value(), NowMs());
  auto server = lcbe::sim::HttpServer::Start(
      flags->listen, kWorkerThreads,
      [&simulator](const lcbe::sim::HttpRequest& request) {
        return simulator.Handle(request);
      });
  if (!server.ok()) {
    Log(*flags, LogLevel::kError, server.error().message());
    return 1;
  }

  std::string host = flags->listen.substr(0, flags->listen.rfind(':'));
  if (host.empty()) host = "0.0.0.0";
  std::printf("listening on %s:%d\n", host.c_str(), (*server)->port());
  std::fflush(stdout);
  Log(*flags, LogLevel::kInfo,
      "serving " + std::to_string(simulator.job_count()) + " jobs with " +
          std::to_string(fault_count) + " faults from " + flags->scenario);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  Log(*flags, LogLevel::kInfo,
      std::string("stopping on ") + strsignal(signal_number));
  return 0;
}
