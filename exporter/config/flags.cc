#include "config/flags.h"

#include <array>
#include <set>
#include <string_view>

#include "config/values.h"

namespace lcbe::detail {
namespace {

using FlagSetter = Status (*)(std::string_view value, FlagSettings* flags,
                              CommandLine* cmd);

struct FlagSpec {
  std::string_view name;
  bool is_bool;
  bool repeatable;
  std::string_view value_name;
  std::string_view help;
  FlagSetter set;
};

Result<bool> ParseBool(std::string_view value) {
  if (value == "true") return true;
  if (value == "false") return false;
  return Error("must be true or false, got " + Quote(value));
}

Status SetBool(std::string_view value, bool* out) {
  const Result<bool> parsed = ParseBool(value);
  if (!parsed) return parsed.error();
  *out = *parsed;
  return Status::Ok();
}

Status SetChecked(std::string_view value, Status (*check)(std::string_view),
                  std::optional<std::string>* out) {
  if (const Status status = check(value); !status) return status;
  *out = std::string(value);
  return Status::Ok();
}

// The flag table drives both parsing and --help, so the two cannot drift.
const std::array<FlagSpec, 12>& Flags() {
  static const std::array<FlagSpec, 12> kFlags = {{
      {"help", true, false, "", "Show this help and exit.",
       [](std::string_view v, FlagSettings*, CommandLine* c) {
         return SetBool(v, &c->show_help);
       }},
      {"version", true, false, "", "Show the version and exit.",
       [](std::string_view v, FlagSettings*, CommandLine* c) {
         return SetBool(v, &c->show_version);
       }},
      {"config.file", false, false, "PATH",
       "YAML configuration file. Default: none (flags and environment only).",
       [](std::string_view v, FlagSettings*, CommandLine* c) -> Status {
         if (v.empty()) return Error("must not be empty");
         c->config_file = std::string(v);
         return Status::Ok();
       }},
      {"config.check", true, false, "",
       "Load and check the configuration, then exit: 0 if valid.",
       [](std::string_view v, FlagSettings*, CommandLine* c) {
         return SetBool(v, &c->check_only);
       }},
      {"web.listen-address", false, false, "ADDR",
       "Address to serve metrics on, host:port or :port. Default: \":9184\".",
       [](std::string_view v, FlagSettings* f, CommandLine*) {
         return SetChecked(v, CheckListenAddress, &f->listen_address);
       }},
      {"web.telemetry-path", false, false, "PATH",
       "Path of the metrics page. Default: \"/metrics\".",
       [](std::string_view v, FlagSettings* f, CommandLine*) {
         return SetChecked(v, CheckTelemetryPath, &f->telemetry_path);
       }},
      {"log.level", false, false, "LEVEL",
       "Least severe level logged: debug, info, warn, error. Default: info.",
       [](std::string_view v, FlagSettings* f, CommandLine*) -> Status {
         LogLevel level;
         if (!ParseLogLevel(v, &level)) {
           return Error("must be debug, info, warn or error, got " + Quote(v));
         }
         f->log_level = level;
         return Status::Ok();
       }},
      {"log.format", false, false, "FORMAT",
       "Log line format: logfmt or json. Default: logfmt.",
       [](std::string_view v, FlagSettings* f, CommandLine*) -> Status {
         LogFormat format;
         if (!ParseLogFormat(v, &format)) {
           return Error("must be logfmt or json, got " + Quote(v));
         }
         f->log_format = format;
         return Status::Ok();
       }},
      {"llamacloud.url", false, false, "URL",
       "LlamaCloud API base URL; overrides $LLAMA_CLOUD_BASE_URL and the "
       "file. Default: \"https://api.cloud.llamaindex.ai\".",
       [](std::string_view v, FlagSettings* f, CommandLine*) -> Status {
         Result<std::string> url = NormalizeApiUrl(v);
         if (!url) return url.error();
         f->api_url = std::move(url).value();
         return Status::Ok();
       }},
      {"llamacloud.job", false, true, "ID",
       "Batch job to watch; repeat for more. Added to the file's jobs. "
       "Default: none.",
       [](std::string_view v, FlagSettings* f, CommandLine*) -> Status {
         if (const Status status = CheckJobId(v); !status) return status;
         f->jobs.emplace_back(v);
         return Status::Ok();
       }},
      {"llamacloud.project-id", false, false, "ID",
       "Project id sent with every request of jobs without their own. "
       "Default: none.",
       [](std::string_view v, FlagSettings* f, CommandLine*) {
         return SetChecked(v, CheckScopeId, &f->project_id);
       }},
      {"llamacloud.organization-id", false, false, "ID",
       "Organization id sent with every request of jobs without their own. "
       "Default: none.",
       [](std::string_view v, FlagSettings* f, CommandLine*) {
         return SetChecked(v, CheckScopeId, &f->organization_id);
       }},
  }};
  return kFlags;
}

const FlagSpec* FindFlag(std::string_view name) {
  for (const FlagSpec& spec : Flags()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

// Appends `help` indented under its flag, wrapped to fit 80 columns.
void AppendWrapped(std::string_view help, std::string* out) {
  constexpr size_t kIndent = 6;
  constexpr size_t kWidth = 80;
  size_t column = 0;
  while (!help.empty()) {
    const size_t space = help.find(' ');
    const std::string_view word = help.substr(0, space);
    help = space == std::string_view::npos ? "" : help.substr(space + 1);
    if (column > 0 && column + 1 + word.size() > kWidth) {
      out->push_back('\n');
      column = 0;
    }
    if (column == 0) {
      out->append(kIndent, ' ');
      column = kIndent;
    } else {
      out->push_back(' ');
      ++column;
    }
    out->append(word);
    column += word.size();
  }
  out->push_back('\n');
}

}  // namespace

void ParseFlags(int argc, const char* const* argv, CommandLine* cmd,
                FlagSettings* flags, Problems* problems) {
  std::set<std::string_view> seen;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h") {
      cmd->show_help = true;
      continue;
    }
    if (arg.size() <= 2 || arg.substr(0, 2) != "--") {
      problems->Add("command line", "unexpected argument " + Quote(arg) +
                                        " (flags start with \"--\")");
      continue;
    }

    const size_t eq = arg.find('=');
    const std::string_view name = arg.substr(2, eq - 2);
    std::optional<std::string_view> value;
    if (eq != std::string_view::npos) value = arg.substr(eq + 1);

    const std::string where = "--" + std::string(name);
    const FlagSpec* spec = FindFlag(name);
    if (spec == nullptr) {
      problems->Add(where, "unknown flag (see --help)");
      continue;
    }
    if (!value) {
      if (spec->is_bool) {
        value = "true";
      } else if (i + 1 < argc &&
                 std::string_view(argv[i + 1]).substr(0, 2) != "--") {
        // A following flag is never taken as the value: a forgotten value
        // must not turn `--llamacloud.job --config.check` into a job.
        value = argv[++i];
      } else {
        problems->Add(where, "needs a value");
        continue;
      }
    }
    if (!spec->repeatable && !seen.insert(spec->name).second) {
      problems->Add(where, "given more than once");
      continue;
    }
    if (const Status status = spec->set(*value, flags, cmd); !status) {
      problems->Add(where, status.error().message());
    }
  }
}

}  // namespace lcbe::detail

namespace lcbe {

std::string UsageText() {
  std::string text =
      "Usage: llamacloud_batch_exporter [flags]\n"
      "\n"
      "Exports the progress of LlamaCloud batch jobs as Prometheus "
      "metrics.\n"
      "\n"
      "Flags (\"--name=value\" or \"--name value\"):\n";
  for (const detail::FlagSpec& spec : detail::Flags()) {
    text +=
        spec.name == "help" ? "  -h, --help" : "  --" + std::string(spec.name);
    if (!spec.value_name.empty()) text += "=" + std::string(spec.value_name);
    text += "\n";
    detail::AppendWrapped(spec.help, &text);
  }
  text +=
      "\n"
      "Environment:\n"
      "  LLAMA_CLOUD_API_KEY   API key. llamacloud.api_key_file in the config\n"
      "                        file wins over it. There is no flag for the "
      "key.\n"
      "  LLAMA_CLOUD_BASE_URL  API base URL. Wins over llamacloud.url in the\n"
      "                        file; --llamacloud.url wins over it.\n"
      "\n"
      "Precedence: flag > environment > config file > default.\n"
      "Everything else is set in the config file; see "
      "exporter/config/README.md.\n";
  return text;
}

}  // namespace lcbe
