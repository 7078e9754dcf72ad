// Runs the simulator program itself: its command line, its start-up line
// and its exit codes.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "http_client.h"

namespace {

// A child process with its stdout and stderr captured through pipes.
class Child {
 public:
  explicit Child(std::vector<std::string> args) {
    int out[2], err[2];
    REQUIRE(pipe(out) == 0);
    REQUIRE(pipe(err) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], 1);
      dup2(err[1], 2);
      close(out[0]);
      close(err[0]);
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    stdout_ = fdopen(out[0], "r");
    stderr_fd_ = err[0];
  }

  ~Child() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (stdout_ != nullptr) fclose(stdout_);
    close(stderr_fd_);
  }

  std::string ReadLine() {
    char line[256] = "";
    if (fgets(line, sizeof line, stdout_) == nullptr) return "";
    return line;
  }

  std::string ReadStderr() {
    std::string text;
    char buffer[512];
    ssize_t n;
    while ((n = read(stderr_fd_, buffer, sizeof buffer)) > 0) {
      text.append(buffer, static_cast<size_t>(n));
    }
    return text;
  }

  void Signal(int signal_number) { kill(pid_, signal_number); }

  // Waits for the child and returns its exit code, or -1 if it was killed.
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  FILE* stdout_ = nullptr;
  int stderr_fd_ = -1;
};

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/" + name + "-" + std::to_string(getpid());
  std::ofstream(path) << text;
  return path;
}

TEST_CASE("A bad scenario exits 2 naming the key and line") {
  const std::string path =
      WriteTemp("sim-bad.yaml", "seed: 1\njobs:\n  - id: a\n    itemz: []\n");
  Child child({SIMULATOR_BINARY, "--scenario", path});
  const std::string errors = child.ReadStderr();
  CHECK(child.Wait() == 2);
  CHECK(errors.find("line 4: jobs[0].itemz: unknown key") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("A missing --scenario is a usage error") {
  Child child({SIMULATOR_BINARY, "--listen", "127.0.0.1:0"});
  CHECK(child.ReadStderr().find("--scenario FILE is required") !=
        std::string::npos);
  CHECK(child.Wait() == 2);
}

TEST_CASE("Port 0 is reported on stdout and SIGTERM stops cleanly") {
  Child child({SIMULATOR_BINARY, "--scenario",
               LCBE_SOURCE_DIR "/simulator/scenarios/e2e.yaml", "--listen",
               "127.0.0.1:0", "--log.level", "warn"});
  const std::string line = child.ReadLine();
  REQUIRE(line.rfind("listening on 127.0.0.1:", 0) == 0);
  const int port = std::stoi(line.substr(line.rfind(':') + 1));
  CHECK(port > 0);
  const auto fetched = lcbe::sim::testing::Fetch(
      "http://127.0.0.1:" + std::to_string(port) +
          "/api/v1/beta/batch-processing/bjb-e2e-even/items?limit=1000"
          "&offset=2000",
      {"Authorization: Bearer e2e-key"});
  CHECK(fetched.status == 200);
  CHECK(fetched.body ==
        R"({"items":[],"next_page_token":null,"total_size":2000})");
  child.Signal(SIGTERM);
  CHECK(child.Wait() == 0);
}

}  // namespace
