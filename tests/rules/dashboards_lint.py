#!/usr/bin/env python3
"""Checks the structure of the Grafana dashboards in dashboards/.

Each dashboard has a uid, a title and a schemaVersion; a `datasource`
variable of type datasource (prometheus) and a multi-select `job_id`
variable with "All"; every panel reads `${datasource}` and has targets with
an expression; every metric an expression names is exported by the
exporter, recorded by deploy/prometheus/*.yml or made by Prometheus itself.
Whether each expression evaluates is checked by real_prometheus_test.py.

Usage: dashboards_lint.py SOURCE_DIR
"""

import json
import pathlib
import re
import sys

import yaml

DASHBOARDS = ("overview.json", "latency-slo.json", "exporter-health.json")
RULE_FILES = ("recording_rules.yml", "alerts.yml", "slo_rules.yml")
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}

# The exporter's metric names, with the series names of its histograms.
GAUGES_AND_COUNTERS = {
    "llamacloud_batch_items",
    "llamacloud_batch_skipped_items",
    "llamacloud_batch_items_without_duration",
    "llamacloud_batch_item_failures_total",
    "llamacloud_batch_last_completion_timestamp_seconds",
    "llamacloud_batch_oldest_processing_start_timestamp_seconds",
    "llamacloud_batch_job_up",
    "llamacloud_batch_job_collect_duration_seconds",
    "llamacloud_batch_job_last_success_timestamp_seconds",
    "llamacloud_batch_api_requests_total",
    "llamacloud_batch_exporter_build_info",
    "process_cpu_seconds_total",
    "process_resident_memory_bytes",
    "process_virtual_memory_bytes",
    "process_open_fds",
    "process_max_fds",
    "process_start_time_seconds",
}
HISTOGRAMS = {
    "llamacloud_batch_item_processing_duration_seconds",
    "llamacloud_batch_api_request_duration_seconds",
}
# Series Prometheus writes for every target.
PROMETHEUS_SERIES = {"up", "scrape_duration_seconds"}

# Names that look like ours: the exporter's prefixes and recorded rules.
METRIC_TOKEN = re.compile(
    r"\b(?:llamacloud_[a-z0-9_:]+|process_[a-z_]+|job_id[a-z_]*:[a-z0-9_:]+"
    r"|up|scrape_duration_seconds)\b(?!\s*\()")


def KnownMetrics(rules_dir):
    known = set(GAUGES_AND_COUNTERS) | PROMETHEUS_SERIES
    for name in HISTOGRAMS:
        known |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    for file_name in RULE_FILES:
        document = yaml.safe_load((rules_dir / file_name).read_text())
        for group in document["groups"]:
            known |= {r["record"] for r in group["rules"] if "record" in r}
    return known


def MetricNames(expr):
    """Metric names in expr; label values and strings are removed first."""
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    return set(METRIC_TOKEN.findall(without_strings))


def CheckVariables(name, dashboard):
    problems = []
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    source = variables.get("datasource", {})
    if source.get("type") != "datasource" or source.get("query") != "prometheus":
        problems.append(f"{name}: no prometheus datasource variable")
    job = variables.get("job_id", {})
    query = job.get("query", {})
    query = query.get("query") if isinstance(query, dict) else query
    if query != "label_values(llamacloud_batch_items, job_id)":
        problems.append(f"{name}: job_id variable has query {query!r}")
    if not (job.get("multi") and job.get("includeAll")):
        problems.append(f"{name}: job_id variable is not multi with All")
    return problems


def CheckPanel(name, panel, known):
    title = f"{name}: panel {panel.get('title')!r}"
    problems = []
    if panel.get("datasource") != DATASOURCE:
        problems.append(f"{title}: datasource is not ${{datasource}}")
    targets = panel.get("targets") or []
    if not targets:
        problems.append(f"{title}: no targets")
    for target in targets:
        expr = target.get("expr", "").strip()
        if not expr:
            problems.append(f"{title}: target {target.get('refId')} no expr")
        if target.get("datasource") != DATASOURCE:
            problems.append(f"{title}: target datasource is not ${{datasource}}")
        problems += [f"{title}: unknown metric {m}"
                     for m in sorted(MetricNames(expr) - known)]
    if not panel.get("fieldConfig", {}).get("defaults", {}).get("unit"):
        problems.append(f"{title}: no unit")
    return problems


def CheckDashboard(path, known, uids):
    dashboard = json.loads(path.read_text())
    name = path.name
    problems = [f"{name}: no {key}" for key in ("uid", "title")
                if not dashboard.get(key)]
    if dashboard.get("uid") in uids:
        problems.append(f"{name}: uid {dashboard['uid']} used twice")
    uids.add(dashboard.get("uid"))
    if dashboard.get("schemaVersion", 0) < 36:
        problems.append(f"{name}: schemaVersion below 36 (Grafana 9)")
    problems += CheckVariables(name, dashboard)
    panels = [p for p in dashboard.get("panels", []) if p.get("type") != "row"]
    if len(panels) < 4:
        problems.append(f"{name}: only {len(panels)} panels")
    ids = [p.get("id") for p in panels]
    if len(set(ids)) != len(ids):
        problems.append(f"{name}: duplicate panel ids")
    for panel in panels:
        problems += CheckPanel(name, panel, known)
    return problems, len(panels)


def main(argv):
    source = pathlib.Path(argv[1])
    known = KnownMetrics(source / "deploy" / "prometheus")
    problems, uids, panel_count = [], set(), 0
    for file_name in DASHBOARDS:
        found, count = CheckDashboard(source / "dashboards" / file_name,
                                      known, uids)
        problems += found
        panel_count += count
    for problem in problems:
        print("FAIL:", problem)
    print(f"{len(DASHBOARDS)} dashboards, {panel_count} panels, "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
