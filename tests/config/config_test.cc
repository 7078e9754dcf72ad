#include "config/config.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "config/values.h"

namespace lcbe {
namespace {

// A fresh temporary folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "lcbe-config-XXXXXX")
            .string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }

  const std::string& path() const { return path_; }

  // Writes `text` to `name` in the folder and returns its path.
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = path_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

 private:
  std::string path_;
};

struct Loaded {
  Result<Config> config;
  CommandLine cmd;
};

Loaded Load(const std::vector<std::string>& args, const Environment& env = {}) {
  std::vector<const char*> argv;
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  CommandLine cmd;
  Result<Config> config =
      LoadConfig(static_cast<int>(argv.size()), argv.data(), env, &cmd);
  return {std::move(config), cmd};
}

std::string ErrorOf(const Loaded& loaded) {
  REQUIRE_FALSE(loaded.config.ok());
  return loaded.config.error().message();
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("defaults apply when only a job is given") {
  const Loaded l = Load({"--llamacloud.job=bjb-1"});
  REQUIRE(l.config.ok());
  const Config& c = *l.config;
  CHECK(c.api_url == "https://api.cloud.llamaindex.ai");
  CHECK(c.api_key.empty());
  CHECK(c.api_key_source == "none");
  CHECK(c.project_id.empty());
  CHECK(c.max_requests_per_second == 0);
  CHECK(c.connect_timeout.count() == 5);
  CHECK(c.request_timeout.count() == 30);
  CHECK(c.max_retries == 4);
  CHECK(c.max_retry_after.count() == 60);
  CHECK(c.page_size == 1000);
  CHECK(c.max_pages == 10000);
  CHECK(c.max_concurrency == 8);
  CHECK(c.scrape_timeout.count() == 10);
  CHECK(c.scrape_timeout_offset.count() == 0.5);
  CHECK(c.collection_timeout.count() == 120);
  CHECK(c.min_interval.count() == 0);
  CHECK(c.max_skip_reasons == 20);
  CHECK(c.duration_buckets.size() == 13);
  CHECK(c.listen_address == ":9184");
  CHECK(c.telemetry_path == "/metrics");
  CHECK(c.log_level == LogLevel::kInfo);
  CHECK(c.log_format == LogFormat::kLogfmt);
  REQUIRE(c.jobs.size() == 1);
  CHECK(c.jobs[0].id == "bjb-1");
  CHECK(c.jobs[0].max_skip_reasons == 20);
  CHECK(c.jobs[0].duration_buckets == c.duration_buckets);
  CHECK_FALSE(l.cmd.check_only);
  CHECK_FALSE(l.cmd.config_file.has_value());
}

TEST_CASE("every flag is parsed in both --flag=value and --flag value form") {
  TempDir dir;
  const std::string file = dir.Write("c.yaml", "jobs: [{id: bjb-f}]\n");
  const Loaded l =
      Load({"--config.file", file, "--config.check",
            "--web.listen-address=127.0.0.1:9000", "--web.telemetry-path", "/m",
            "--log.level=debug", "--log.format", "json",
            "--llamacloud.url=http://127.0.0.1:8080/api/", "--llamacloud.job",
            "bjb-1", "--llamacloud.job=bjb-2", "--llamacloud.project-id=p1",
            "--llamacloud.organization-id", "o1"});
  REQUIRE(l.config.ok());
  const Config& c = *l.config;
  CHECK(l.cmd.config_file == file);
  CHECK(l.cmd.check_only);
  CHECK(c.listen_address == "127.0.0.1:9000");
  CHECK(c.telemetry_path == "/m");
  CHECK(c.log_level == LogLevel::kDebug);
  CHECK(c.log_format == LogFormat::kJson);
  CHECK(c.api_url == "http://127.0.0.1:8080/api");
  REQUIRE(c.jobs.size() == 3);
  CHECK(c.jobs[0].id == "bjb-f");
  CHECK(c.jobs[1].id == "bjb-1");
  CHECK(c.jobs[2].id == "bjb-2");
  CHECK(c.jobs[2].project_id == "p1");
  CHECK(c.jobs[2].organization_id == "o1");
}

TEST_CASE("help and version flags need no valid configuration") {
  Loaded l = Load({"--help"});
  REQUIRE(l.config.ok());
  CHECK(l.cmd.show_help);
  l = Load({"-h"});
  REQUIRE(l.config.ok());
  CHECK(l.cmd.show_help);
  l = Load({"--version", "--config.file=/nonexistent/x.yaml"});
  REQUIRE(l.config.ok());
  CHECK(l.cmd.show_version);
  CHECK_FALSE(l.cmd.show_help);
}

TEST_CASE("boolean flags accept =true and =false") {
  Loaded l = Load({"--llamacloud.job=a-1", "--config.check=false"});
  REQUIRE(l.config.ok());
  CHECK_FALSE(l.cmd.check_only);
  l = Load({"--llamacloud.job=a-1", "--config.check=yes"});
  CHECK(ErrorOf(l) == "--config.check: must be true or false, got \"yes\"");
}

TEST_CASE("flag mistakes are each reported, naming the flag") {
  const std::string e =
      ErrorOf(Load({"--llamacloud.job=a-1", "--web.listen", "x", "stray",
                    "--log.level=verbose", "--log.format=json",
                    "--log.format=logfmt", "--llamacloud.url"}));
  CHECK(e ==
        "--web.listen: unknown flag (see --help)\n"
        "command line: unexpected argument \"x\" (flags start with \"--\")\n"
        "command line: unexpected argument \"stray\" (flags start with "
        "\"--\")\n"
        "--log.level: must be debug, info, warn or error, got \"verbose\"\n"
        "--log.format: given more than once\n"
        "--llamacloud.url: needs a value");
}

TEST_CASE("absurd durations and rates are rejected, not overflowed") {
  TempDir dir;
  const std::string path = dir.Write("c.yaml",
                                     "llamacloud:\n"
                                     "  max_requests_per_second: 1e-300\n"
                                     "collection:\n"
                                     "  timeout: 9999999999999999999999w\n"
                                     "  scrape_timeout: 99999999999999999999\n"
                                     "jobs: [{id: a}]\n");
  const std::string e = ErrorOf(Load({"--config.file", path}));
  CHECK(Contains(e, ":2: llamacloud.max_requests_per_second: must be 0"));
  CHECK(Contains(e, ":4: collection.timeout: must be at most 30 days"));
  CHECK(Contains(e, ":5: collection.scrape_timeout: must be at most 30 days"));
}

TEST_CASE("a directory or a FIFO is not read as a file") {
  TempDir dir;
  CHECK(Contains(
      ErrorOf(Load({"--config.file", dir.path(), "--llamacloud.job=a"})),
      "is not a regular file"));
  const std::string fifo = dir.path() + "/fifo";
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const std::string config = dir.Write(
      "c.yaml", "llamacloud:\n  api_key_file: " + fifo + "\njobs: [{id: a}]\n");
  CHECK(Contains(ErrorOf(Load({"--config.file", config})),
                 "is not a regular file"));
}

TEST_CASE("a flag missing its value does not swallow the next flag") {
  Loaded loaded = Load({"--llamacloud.job", "--config.check"});
  CHECK(Contains(ErrorOf(loaded), "--llamacloud.job: needs a value\n"));
  CHECK(loaded.cmd.check_only);
}

TEST_CASE("bad flag values are rejected") {
  CHECK(Contains(ErrorOf(Load({"--llamacloud.job=a/b"})),
                 "--llamacloud.job: must hold only letters"));
  CHECK(Contains(ErrorOf(Load({"--llamacloud.job=.."})),
                 "--llamacloud.job: must hold only letters"));
  CHECK(
      Contains(ErrorOf(Load({"--llamacloud.job=a", "--web.telemetry-path=/"})),
               "--web.telemetry-path: must not be \"/\""));
  CHECK(Contains(
      ErrorOf(Load({"--llamacloud.job=a", "--web.listen-address=9184"})),
      "--web.listen-address: must be :port, ipv4:port"));
  CHECK(Contains(
      ErrorOf(Load({"--llamacloud.job=a", "--llamacloud.url=ftp://h"})),
      "--llamacloud.url: must be an http(s)://host[:port][/path] URL"));
}

TEST_CASE("the API URL comes from flag, then env, then file, then default") {
  TempDir dir;
  const std::string file = dir.Write("c.yaml",
                                     "llamacloud: {url: 'http://file.test'}\n"
                                     "jobs: [{id: j}]\n");
  Environment env;
  env.base_url = "HTTPS://env.test:8443/prefix//";

  CHECK(Load({"--config.file", file}).config->api_url == "http://file.test");
  CHECK(Load({"--config.file", file}, env).config->api_url ==
        "https://env.test:8443/prefix");
  CHECK(Load({"--config.file", file, "--llamacloud.url=http://flag.test"}, env)
            .config->api_url == "http://flag.test");

  env.base_url = "";  // Set but empty counts as unset.
  CHECK(Load({"--config.file", file}, env).config->api_url ==
        "http://file.test");
}

TEST_CASE("a bad LLAMA_CLOUD_BASE_URL is an error unless the flag wins") {
  Environment env;
  env.base_url = "api.cloud.llamaindex.ai";
  CHECK(Contains(ErrorOf(Load({"--llamacloud.job=a"}, env)),
                 "env LLAMA_CLOUD_BASE_URL: must be an http(s)://"));
  CHECK(Load({"--llamacloud.job=a", "--llamacloud.url=http://x.test"}, env)
            .config.ok());
}

TEST_CASE("API URLs are checked and normalised") {
  CHECK(*NormalizeApiUrl("https://api.cloud.eu.llamaindex.ai/") ==
        "https://api.cloud.eu.llamaindex.ai");
  CHECK(*NormalizeApiUrl("http://[::1]:8080/a/b/") == "http://[::1]:8080/a/b");
  CHECK(*NormalizeApiUrl("Http://h") == "http://h");
  CHECK_FALSE(NormalizeApiUrl("https://h/?x=1").ok());
  CHECK_FALSE(NormalizeApiUrl("https://h#f").ok());
  CHECK_FALSE(NormalizeApiUrl("https://").ok());
  CHECK_FALSE(NormalizeApiUrl("https://h:0").ok());
  CHECK_FALSE(NormalizeApiUrl("https://h:99999").ok());
  CHECK_FALSE(NormalizeApiUrl("https://h x").ok());
  const Result<std::string> with_password =
      NormalizeApiUrl("https://u:hunter22@h");
  REQUIRE_FALSE(with_password.ok());
  CHECK_FALSE(Contains(with_password.error().message(), "hunter22"));
}

TEST_CASE("listen addresses are literals with a port") {
  for (const char* good : {":9184", "127.0.0.1:9184", "[::1]:0", "localhost:80",
                           "0.0.0.0:65535"}) {
    INFO(good);
    CHECK(CheckListenAddress(good).ok());
  }
  for (const char* bad : {"9184", ":", ":65536", "example.com:80", "[::1]",
                          "::1:80", "1.2.3:80", ":80,:81", ":80s", ""}) {
    INFO(bad);
    CHECK_FALSE(CheckListenAddress(bad).ok());
  }
}

TEST_CASE("durations follow Prometheus or are plain seconds") {
  CHECK(ParseDuration("500ms")->count() == Approx(0.5));
  CHECK(ParseDuration("10s")->count() == 10);
  CHECK(ParseDuration("1m30s")->count() == 90);
  CHECK(ParseDuration("1h")->count() == 3600);
  CHECK(ParseDuration("1d2h")->count() == 93600);
  CHECK(ParseDuration("0.5s")->count() == 0.5);
  CHECK(ParseDuration("2")->count() == 2);
  CHECK(ParseDuration("0.25")->count() == 0.25);
  CHECK(ParseDuration("0")->count() == 0);
  for (const char* bad :
       {"", "s", "10", "-1s", "1x", "30s1m", "1m1m", "1.s", " 1s", "1s "}) {
    if (std::string(bad) == "10") continue;
    INFO(bad);
    CHECK_FALSE(ParseDuration(bad).ok());
  }
  CHECK(FormatDuration(Seconds(90)) == "1m30s");
  CHECK(FormatDuration(Seconds(0.5)) == "500ms");
  CHECK(FormatDuration(Seconds(3600)) == "1h");
  CHECK(FormatDuration(Seconds(0)) == "0s");
}

TEST_CASE("a full file sets every key") {
  TempDir dir;
  dir.Write("key", "sk-from-file\n\n");
  const std::string file = dir.Write("c.yaml", R"(
llamacloud:
  url: https://api.cloud.eu.llamaindex.ai/
  api_key_file: key
  project_id: proj
  organization_id: org
  max_requests_per_second: 2.5
  connect_timeout: 2s
  request_timeout: 1m
  max_retries: 0
  max_retry_after: 90
  page_size: 50
  max_pages: 7
collection:
  max_concurrency: 64
  scrape_timeout: 15s
  scrape_timeout_offset: 250ms
  timeout: 5m
  min_interval: 30s
metrics:
  duration_buckets: [1, 2.5, 10]
  max_skip_reasons: 3
web:
  listen_address: "127.0.0.1:9999"
  telemetry_path: /custom
log:
  level: warn
  format: json
jobs:
  - id: bjb-a
  - id: bjb-b
    project_id: other
    organization_id: org2
    max_skip_reasons: 9
    duration_buckets: [60]
)");
  const Loaded l = Load({"--config.file=" + file});
  REQUIRE(l.config.ok());
  const Config& c = *l.config;
  CHECK(c.api_url == "https://api.cloud.eu.llamaindex.ai");
  CHECK(c.api_key == "sk-from-file");
  CHECK(c.api_key_source ==
        "file " + dir.Write("unused", "").substr(0, 0) +
            std::filesystem::path(file).parent_path().append("key").string());
  CHECK(c.project_id == "proj");
  CHECK(c.organization_id == "org");
  CHECK(c.max_requests_per_second == 2.5);
  CHECK(c.connect_timeout.count() == 2);
  CHECK(c.request_timeout.count() == 60);
  CHECK(c.max_retries == 0);
  CHECK(c.max_retry_after.count() == 90);
  CHECK(c.page_size == 50);
  CHECK(c.max_pages == 7);
  CHECK(c.max_concurrency == 64);
  CHECK(c.scrape_timeout.count() == 15);
  CHECK(c.scrape_timeout_offset.count() == Approx(0.25));
  CHECK(c.collection_timeout.count() == 300);
  CHECK(c.min_interval.count() == 30);
  CHECK(c.duration_buckets == std::vector<double>{1, 2.5, 10});
  CHECK(c.max_skip_reasons == 3);
  CHECK(c.listen_address == "127.0.0.1:9999");
  CHECK(c.telemetry_path == "/custom");
  CHECK(c.log_level == LogLevel::kWarn);
  CHECK(c.log_format == LogFormat::kJson);
  REQUIRE(c.jobs.size() == 2);
  CHECK(c.jobs[0].id == "bjb-a");
  CHECK(c.jobs[0].project_id == "proj");
  CHECK(c.jobs[0].organization_id == "org");
  CHECK(c.jobs[0].max_skip_reasons == 3);
  CHECK(c.jobs[0].duration_buckets == std::vector<double>{1, 2.5, 10});
  CHECK(c.jobs[1].project_id == "other");
  CHECK(c.jobs[1].organization_id == "org2");
  CHECK(c.jobs[1].max_skip_reasons == 9);
  CHECK(c.jobs[1].duration_buckets == std::vector<double>{60});
}

TEST_CASE("flags override the file's global values, not job overrides") {
  TempDir dir;
  const std::string file =
      dir.Write("c.yaml",
                "llamacloud: {project_id: p-file}\n"
                "web: {listen_address: ':1'}\n"
                "log: {level: error}\n"
                "jobs: [{id: a}, {id: b, project_id: own}]\n");
  const Loaded l =
      Load({"--config.file", file, "--llamacloud.project-id=p-flag",
            "--web.listen-address=:2", "--log.level=debug"});
  REQUIRE(l.config.ok());
  CHECK(l.config->project_id == "p-flag");
  CHECK(l.config->jobs[0].project_id == "p-flag");
  CHECK(l.config->jobs[1].project_id == "own");
  CHECK(l.config->listen_address == ":2");
  CHECK(l.config->log_level == LogLevel::kDebug);
}

TEST_CASE("the API key comes from the key file, else the environment") {
  TempDir dir;
  const std::string key_path = dir.Write("key", "sk-file  \r\n");
  const std::string file =
      dir.Write("c.yaml", "llamacloud: {api_key_file: " + key_path +
                              "}\njobs: [{id: a}]\n");
  Environment env;
  env.api_key = "sk-env\n";

  Loaded l = Load({"--config.file", file}, env);
  REQUIRE(l.config.ok());
  CHECK(l.config->api_key == "sk-file");
  CHECK(l.config->api_key_source == "file " + key_path);

  l = Load({"--llamacloud.job=a"}, env);
  REQUIRE(l.config.ok());
  CHECK(l.config->api_key == "sk-env");
  CHECK(l.config->api_key_source == "env LLAMA_CLOUD_API_KEY");

  env.api_key = "";
  l = Load({"--llamacloud.job=a"}, env);
  REQUIRE(l.config.ok());
  CHECK(l.config->api_key_source == "none");
}

TEST_CASE("an unreadable, empty or malformed key file is an error") {
  TempDir dir;
  const std::string missing = dir.Write(
      "a.yaml", "jobs: [{id: a}]\nllamacloud:\n  api_key_file: nothere\n");
  CHECK(Contains(ErrorOf(Load({"--config.file", missing})),
                 "a.yaml:3: llamacloud.api_key_file: cannot read \""));
  CHECK(Contains(ErrorOf(Load({"--config.file", missing})),
                 "nothere\": No such file or directory"));

  dir.Write("empty", " \n\n");
  const std::string empty = dir.Write(
      "b.yaml", "llamacloud:\n  api_key_file: empty\njobs: [{id: a}]\n");
  CHECK(Contains(ErrorOf(Load({"--config.file", empty})),
                 "b.yaml:2: llamacloud.api_key_file: \""));
  CHECK(Contains(ErrorOf(Load({"--config.file", empty})), "empty\" is empty"));

  dir.Write("twolines", "sk-line-one\nsk-line-two\n");
  const std::string twolines = dir.Write(
      "c.yaml", "llamacloud:\n  api_key_file: twolines\njobs: [{id: a}]\n");
  const std::string e = ErrorOf(Load({"--config.file", twolines}));
  CHECK(Contains(e, "holds whitespace, control or non-ASCII characters"));
  CHECK_FALSE(Contains(e, "sk-line"));
}

TEST_CASE("the API key never appears in an error message") {
  TempDir dir;
  dir.Write("key", "bjb-secret-key\n");
  const std::string file = dir.Write("c.yaml",
                                     "llamacloud: {api_key_file: key}\n"
                                     "jobs:\n  - id: bjb-secret-key\n");
  // The key, used by mistake as a job id, is quoted by the duplicate check.
  std::string e =
      ErrorOf(Load({"--config.file", file, "--llamacloud.job=bjb-secret-key"}));
  CHECK(Contains(e, "duplicate job id \"<redacted>\""));
  CHECK_FALSE(Contains(e, "bjb-secret-key"));

  Environment env;
  env.api_key = "sk-env-secret";
  e = ErrorOf(
      Load({"--llamacloud.job=a", "--web.telemetry-path=sk-env-secret"}, env));
  CHECK(Contains(e, "--web.telemetry-path: must start with \"/\""));
  CHECK_FALSE(Contains(e, "sk-env-secret"));

  env.api_key = "sk bad key";
  e = ErrorOf(Load({"--llamacloud.job=a"}, env));
  CHECK(e ==
        "env LLAMA_CLOUD_API_KEY: the API key holds whitespace, control or "
        "non-ASCII characters");
}

TEST_CASE("file problems are all reported with their key path and line") {
  TempDir dir;
  const std::string file = dir.Write("config.yaml",
                                     "llamacloud:\n"                 // 1
                                     "  page_size: 0\n"              // 2
                                     "  max_retries: [1, 2]\n"       // 3
                                     "  colour: blue\n"              // 4
                                     "  connect_timeout: soon\n"     // 5
                                     "collection:\n"                 // 6
                                     "  max_concurrency: 0\n"        // 7
                                     "metrics:\n"                    // 8
                                     "  duration_buckets: [1, 1]\n"  // 9
                                     "  max_skip_reasons: 1.5\n"     // 10
                                     "web:\n"                        // 11
                                     "  telemetry_path: /-/ready\n"  // 12
                                     "log: {level: loud}\n"          // 13
                                     "jobs:\n"                       // 14
                                     "  - id: a\n"                   // 15
                                     "  - project_id: p\n"           // 16
                                     "  - id: a\n"                   // 17
                                     "  - id: 'b c'\n");             // 18
  const std::string e = ErrorOf(Load({"--config.file", file}));
  const std::string p = file;
  CHECK(e ==
        p + ":2: llamacloud.page_size: must be between 1 and 1000, got 0\n" +
            p +
            ":3: llamacloud.max_retries: must be a single value, got "
            "a list\n" +
            p + ":4: llamacloud.colour: unknown key\n" + p +
            ":5: llamacloud.connect_timeout: must be a duration like "
            "500ms, 10s or 1m30s, or a number of seconds, got \"soon\"\n" +
            p +
            ":7: collection.max_concurrency: must be between 1 and "
            "64, got 0\n" +
            p +
            ":9: metrics.duration_buckets[1]: must be greater than "
            "the bucket before it, got 1\n" +
            p +
            ":10: metrics.max_skip_reasons: must be an integer, got "
            "\"1.5\"\n" +
            p +
            ":12: web.telemetry_path: must not be \"/-/ready\", which "
            "the exporter serves itself\n" +
            p +
            ":13: log.level: must be debug, info, warn or error, got "
            "\"loud\"\n" +
            p + ":16: jobs[1].id: required: every job needs an id\n" + p +
            ":18: jobs[3].id: must hold only letters, digits, \".\", "
            "\"_\" and \"-\" (and not be \".\" or \"..\"), got \"b c\"\n" +
            p +
            ":17: jobs[2].id: duplicate job id \"a\", first defined "
            "at " +
            p + ":15: jobs[0].id");
}

TEST_CASE("a job id given in the file and as a flag is a duplicate") {
  TempDir dir;
  const std::string file = dir.Write("c.yaml", "jobs:\n  - id: bjb-1\n");
  CHECK(ErrorOf(Load({"--config.file", file, "--llamacloud.job=bjb-1"})) ==
        "--llamacloud.job: duplicate job id \"bjb-1\", first defined at " +
            file + ":2: jobs[0].id");
  CHECK(ErrorOf(Load({"--llamacloud.job=x", "--llamacloud.job=x"})) ==
        "--llamacloud.job: duplicate job id \"x\", first defined at "
        "--llamacloud.job");
}

TEST_CASE("no jobs at all is an error") {
  TempDir dir;
  const std::string file = dir.Write("c.yaml", "log: {level: info}\n");
  const std::string expected =
      "jobs: no jobs to watch: list them under jobs: in the config file or "
      "pass --llamacloud.job=ID";
  CHECK(ErrorOf(Load({"--config.file", file})) == expected);
  CHECK(ErrorOf(Load({})) == expected);
}

TEST_CASE("wrong shapes of sections and jobs are reported") {
  TempDir dir;
  const std::string file = dir.Write("c.yaml",
                                     "web: [1]\n"
                                     "jobs:\n"
                                     "  - bjb-1\n"
                                     "metrics:\n"
                                     "  duration_buckets: 5\n"
                                     "  max_skip_reasons: 2\n"
                                     "  max_skip_reasons: 3\n");
  const std::string e = ErrorOf(Load({"--config.file", file}));
  CHECK(Contains(e, file + ":1: web: must be a mapping, got a list"));
  CHECK(Contains(e, file + ":3: jobs[0]: must be a mapping with at least an "
                           "id, got a scalar"));
  CHECK(Contains(e, file + ":5: metrics.duration_buckets: must be a non-empty "
                           "list of numbers, got a scalar"));
  CHECK(Contains(e, file + ":7: metrics.max_skip_reasons: duplicate key"));

  const std::string top = dir.Write("top.yaml", "- a\n- b\n");
  CHECK(Contains(ErrorOf(Load({"--config.file", top})),
                 top + ":1: (top level): must be a mapping, got a list"));
}

TEST_CASE("bucket values must be positive, finite and increasing") {
  TempDir dir;
  for (const char* buckets : {"[0, 1]", "[-1]", "[1, .inf]", "[2, 1]", "[]"}) {
    INFO(buckets);
    const std::string file =
        dir.Write("c.yaml", std::string("metrics: {duration_buckets: ") +
                                buckets + "}\njobs: [{id: a}]\n");
    CHECK(Contains(ErrorOf(Load({"--config.file", file})),
                   ":1: metrics.duration_buckets"));
  }
}

TEST_CASE("a YAML syntax error names its line") {
  TempDir dir;
  const std::string file =
      dir.Write("c.yaml", "jobs:\n  - id: a\nweb: {listen_address: ':1'\n");
  const std::string e = ErrorOf(Load({"--config.file", file}));
  CHECK(Contains(e, file + ":4: YAML syntax error: "));
}

TEST_CASE("an unreadable config file is an error") {
  const std::string e = ErrorOf(Load({"--config.file=/nonexistent/lcbe.yaml"}));
  CHECK(Contains(e,
                 "/nonexistent/lcbe.yaml: cannot read the file: No such "
                 "file or directory"));
}

TEST_CASE("the scrape timeout offset must be shorter than the timeout") {
  TempDir dir;
  const std::string file = dir.Write("c.yaml",
                                     "jobs: [{id: a}]\n"
                                     "collection:\n"
                                     "  scrape_timeout: 2s\n"
                                     "  scrape_timeout_offset: 2s\n");
  CHECK(ErrorOf(Load({"--config.file", file})) ==
        file +
            ":4: collection.scrape_timeout_offset: must be shorter than "
            "collection.scrape_timeout (2s), got 2s");
}

TEST_CASE("empty values keep their defaults") {
  TempDir dir;
  const std::string file =
      dir.Write("c.yaml",
                "llamacloud:\ncollection:\n  max_concurrency:\n"
                "jobs: [{id: a}]\n");
  const Loaded l = Load({"--config.file", file});
  REQUIRE(l.config.ok());
  CHECK(l.config->max_concurrency == 8);
}

TEST_CASE("the usage text lists every flag with its default") {
  const std::string usage = UsageText();
  for (const char* flag : {"--config.file=PATH",
                           "--config.check",
                           "--web.listen-address=ADDR",
                           "Default: \":9184\"",
                           "--web.telemetry-path=PATH",
                           "Default: \"/metrics\"",
                           "--log.level=LEVEL",
                           "Default: info",
                           "--log.format=FORMAT",
                           "Default: logfmt",
                           "--version",
                           "--help",
                           "-h",
                           "--llamacloud.url=URL",
                           "Default: \"https://api.cloud.llamaindex.ai\"",
                           "--llamacloud.job=ID",
                           "--llamacloud.project-id=ID",
                           "--llamacloud.organization-id=ID",
                           "LLAMA_CLOUD_API_KEY",
                           "LLAMA_CLOUD_BASE_URL"}) {
    INFO(flag);
    CHECK(Contains(usage, flag));
  }
}

TEST_CASE("Environment::FromProcess reads both variables") {
  setenv("LLAMA_CLOUD_API_KEY", "sk-proc", 1);
  unsetenv("LLAMA_CLOUD_BASE_URL");
  Environment env = Environment::FromProcess();
  CHECK(env.api_key == "sk-proc");
  CHECK_FALSE(env.base_url.has_value());
  setenv("LLAMA_CLOUD_BASE_URL", "http://x.test", 1);
  env = Environment::FromProcess();
  CHECK(env.base_url == "http://x.test");
  unsetenv("LLAMA_CLOUD_API_KEY");
  unsetenv("LLAMA_CLOUD_BASE_URL");
}

TEST_CASE("the sample configurations load as shipped") {
  Environment env;
  env.api_key = "llx-sample";
  for (const char* sample :
       {"/deploy/config.example.yaml", "/deploy/config.eu.example.yaml"}) {
    const std::string path = std::string(LCBE_SOURCE_DIR) + sample;
    INFO(path);
    Loaded loaded = Load({"--config.file", path}, env);
    REQUIRE(loaded.config.ok());
    CHECK(loaded.config->api_key_source == "env LLAMA_CLOUD_API_KEY");
    CHECK_FALSE(loaded.config->jobs.empty());
  }
}

}  // namespace
}  // namespace lcbe
