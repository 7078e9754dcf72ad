#include "config/config.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "config/config_file.h"
#include "config/flags.h"
#include "config/problems.h"
#include "config/values.h"

namespace lcbe {
namespace {

constexpr char kApiKeyEnv[] = "LLAMA_CLOUD_API_KEY";
constexpr char kBaseUrlEnv[] = "LLAMA_CLOUD_BASE_URL";
// A key file is a few dozen bytes; anything this large is the wrong file.
constexpr std::streamsize kMaxKeyFileBytes = 64 * 1024;

std::string TrimTrailingSpace(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// The file's path as written, resolved against the config file's folder
// when relative, as Prometheus does for the files its config names.
std::string ResolveBeside(const std::string& config_file,
                          const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(config_file).parent_path() / p).string();
}

// Reads the key without ever putting its bytes into a message.
Result<std::string> ReadKeyFile(const std::string& path) {
  if (const Status regular = CheckRegularFile(path); !regular) {
    return regular.error();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error("cannot read " + detail::Quote(path) + ": " +
                 std::strerror(errno));
  }
  std::string key(static_cast<size_t>(kMaxKeyFileBytes) + 1, '\0');
  in.read(key.data(), kMaxKeyFileBytes + 1);
  if (in.bad()) return Error("cannot read " + detail::Quote(path));
  key.resize(static_cast<size_t>(in.gcount()));
  if (key.size() > static_cast<size_t>(kMaxKeyFileBytes)) {
    return Error(detail::Quote(path) + " is too large to be an API key");
  }
  key = TrimTrailingSpace(std::move(key));
  if (key.empty()) return Error(detail::Quote(path) + " is empty");
  if (const Status status = CheckApiKey(key); !status) {
    return Error(detail::Quote(path) + ": " + status.error().message());
  }
  return key;
}

// The key file named in the config file wins over the environment: it is
// the explicit choice, while an environment variable may be left over.
void LoadApiKey(const CommandLine& cmd, const detail::FileSettings& file,
                const Environment& env, Config* config,
                detail::Problems* problems) {
  if (!file.api_key_file.empty()) {
    const std::string path = ResolveBeside(*cmd.config_file, file.api_key_file);
    Result<std::string> key = ReadKeyFile(path);
    if (!key) {
      return problems->Add(file.where.at("llamacloud.api_key_file"),
                           key.error().message());
    }
    config->api_key = std::move(key).value();
    config->api_key_source = "file " + path;
    return;
  }
  if (!env.api_key || env.api_key->empty()) return;

  std::string key = TrimTrailingSpace(*env.api_key);
  if (const Status status = CheckApiKey(key); !status) {
    return problems->Add("env " + std::string(kApiKeyEnv),
                         status.error().message());
  }
  config->api_key = std::move(key);
  config->api_key_source = "env " + std::string(kApiKeyEnv);
}

void ApplyEnvironment(const Environment& env, bool url_flag_given,
                      Config* config, detail::Problems* problems) {
  if (url_flag_given || !env.base_url || env.base_url->empty()) return;
  Result<std::string> url = NormalizeApiUrl(*env.base_url);
  if (!url) {
    return problems->Add("env " + std::string(kBaseUrlEnv),
                         url.error().message());
  }
  config->api_url = std::move(url).value();
}

void ApplyFlags(const detail::FlagSettings& flags, Config* config) {
  if (flags.api_url) config->api_url = *flags.api_url;
  if (flags.project_id) config->project_id = *flags.project_id;
  if (flags.organization_id) config->organization_id = *flags.organization_id;
  if (flags.listen_address) config->listen_address = *flags.listen_address;
  if (flags.telemetry_path) config->telemetry_path = *flags.telemetry_path;
  if (flags.log_level) config->log_level = *flags.log_level;
  if (flags.log_format) config->log_format = *flags.log_format;
}

// Appends the flags' jobs after the file's and reports every id that
// appears twice, naming where it was first defined.
void AddFlagJobs(const detail::FlagSettings& flags,
                 const detail::FileSettings& file, bool file_failed,
                 Config* config, detail::Problems* problems) {
  std::vector<std::string> where = file.job_where;
  for (const std::string& id : flags.jobs) {
    JobConfig job;
    job.id = id;
    config->jobs.push_back(std::move(job));
    where.push_back("--llamacloud.job");
  }

  std::map<std::string, size_t> first_seen;
  for (size_t i = 0; i < config->jobs.size(); ++i) {
    const std::string& id = config->jobs[i].id;
    const auto [it, inserted] = first_seen.try_emplace(id, i);
    if (!inserted) {
      problems->Add(where[i], "duplicate job id " + detail::Quote(id) +
                                  ", first defined at " + where[it->second]);
    }
  }
  // A file that failed to load, or whose jobs were all bad, has already
  // said what is wrong; "no jobs" would only add noise.
  if (config->jobs.empty() && file.jobs_listed == 0 && !file_failed) {
    problems->Add("jobs",
                  "no jobs to watch: list them under jobs: in the "
                  "config file or pass --llamacloud.job=ID");
  }
}

void CheckCrossFields(const Config& config, const detail::FileSettings& file,
                      detail::Problems* problems) {
  if (config.scrape_timeout_offset >= config.scrape_timeout) {
    const auto it = file.where.find("collection.scrape_timeout_offset");
    problems->Add(it != file.where.end() ? it->second
                                         : "collection.scrape_timeout_offset",
                  "must be shorter than collection.scrape_timeout (" +
                      FormatDuration(config.scrape_timeout) + "), got " +
                      FormatDuration(config.scrape_timeout_offset));
  }
}

void FillJobDefaults(Config* config) {
  for (JobConfig& job : config->jobs) {
    if (job.project_id.empty()) job.project_id = config->project_id;
    if (job.organization_id.empty()) {
      job.organization_id = config->organization_id;
    }
    if (job.max_skip_reasons == 0) {
      job.max_skip_reasons = config->max_skip_reasons;
    }
    if (job.duration_buckets.empty()) {
      job.duration_buckets = config->duration_buckets;
    }
  }
}

// A last guard: whatever a message quotes (a job id, a path, a URL), the
// bytes of a key, from the file or the environment, never leave in an error.
std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    // Shorter "keys" would garble ordinary words and line numbers.
    if (secret.size() < 4) continue;
    for (size_t at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at)) {
      text.replace(at, secret.size(), "<redacted>");
    }
  }
  return text;
}

}  // namespace

Environment Environment::FromProcess() {
  Environment env;
  if (const char* key = std::getenv(kApiKeyEnv)) env.api_key = key;
  if (const char* url = std::getenv(kBaseUrlEnv)) env.base_url = url;
  return env;
}

Result<Config> LoadConfig(int argc, const char* const* argv,
                          const Environment& env, CommandLine* cmd) {
  *cmd = CommandLine();
  detail::Problems problems;
  detail::FlagSettings flags;
  detail::ParseFlags(argc, argv, cmd, &flags, &problems);

  Config config;
  // --help and --version answer without needing a valid configuration.
  if (cmd->show_help || cmd->show_version) return config;

  detail::FileSettings file;
  if (cmd->config_file) {
    detail::LoadConfigFile(*cmd->config_file, &config, &file, &problems);
  }
  ApplyEnvironment(env, flags.api_url.has_value(), &config, &problems);
  ApplyFlags(flags, &config);
  LoadApiKey(*cmd, file, env, &config, &problems);
  const bool file_failed = cmd->config_file && !file.parsed;
  AddFlagJobs(flags, file, file_failed, &config, &problems);
  CheckCrossFields(config, file, &problems);
  FillJobDefaults(&config);

  if (!problems.empty()) {
    return Error(
        Redact(problems.Join(), {config.api_key, env.api_key.value_or(""),
                                 TrimTrailingSpace(env.api_key.value_or(""))}));
  }
  return config;
}

}  // namespace lcbe
