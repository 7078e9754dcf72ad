#!/usr/bin/env python3
"""Runs the rules and dashboards against a real Prometheus.

Starts, all on loopback: the API simulator playing
simulator/scenarios/alerts.yaml (two live jobs, one with a failure spike
from second 20 to 75), the exporter watching both jobs, and Debian's
`prometheus` scraping the exporter every second with the project's rule
files. Then it checks:

  1. LlamaCloudBatchFailedItemsSpike becomes pending or firing for the
     spiking job (and not for the steady one) during the fault phase;
  2. every PromQL expression of every dashboard panel and of every rule
     evaluates without error through /api/v1/query;
  3. the dashboard expressions return data, except a short list of those
     the scenario cannot feed (each listed with its reason).

Rule windows run from 5 minutes to 3 days, far longer than a test may
take. Prometheus therefore loads copies of the rule files in which every
range, offset and `for` duration is divided by TIME_SCALE (30): 10m becomes
20s, 1m becomes 2s. The expressions and thresholds are otherwise the
shipped ones. Step 2 evaluates the unmodified expressions.

Everything started here is stopped by its pid on exit. The whole run takes
at most about 90 s.

Usage: real_prometheus_test.py SOURCE_DIR --exporter BIN --simulator BIN
       [--prometheus BIN]
"""

import argparse
import atexit
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

TIME_SCALE = 30
RUN_SECONDS = 90
JOBS = ("bjb-alerts-spike", "bjb-alerts-steady")
API_KEY = "alerts-key"
RULE_FILES = ("recording_rules.yml", "alerts.yml", "slo_rules.yml")
DASHBOARDS = ("overview.json", "latency-slo.json", "exporter-health.json")

# Grafana variables and what they stand for in this run.
VARIABLES = {
    "${job_id}": "|".join(JOBS),
    "$job_id": "|".join(JOBS),
    "$__rate_interval": "10s",
    "$__range": "60s",
    "$threshold": "300",
}

# Dashboard expressions allowed to come back empty, each with the reason.
MAY_BE_EMPTY = {}

_children = []


def _StopChildren():
    for child in _children:
        if child.poll() is None:
            child.terminate()
    for child in _children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


atexit.register(_StopChildren)


class Child:
    """A started program whose merged output is kept for diagnostics."""

    def __init__(self, name, argv, env=None):
        self.name = name
        self.lines = []
        self.proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, text=True, errors="replace", env=env)
        _children.append(self.proc)
        threading.Thread(target=self._Collect, daemon=True).start()

    def _Collect(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def WaitFor(self, pattern, timeout):
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = regex.search(line)
                if match:
                    return match
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{self.name}: no line matching {pattern!r}; "
                           f"output:\n" + "\n".join(self.lines[-30:]))


def FreePort():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def GetJson(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


def Scale(duration):
    """'10m' -> '20s' at TIME_SCALE 30; never below one second."""
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400,
             "w": 604800}
    total = sum(float(n) * units[u]
                for n, u in re.findall(r"(\d+)(ms|s|m|h|d|w)", duration))
    return f"{max(1, round(total / TIME_SCALE))}s"


def ShortenExpr(expr):
    expr = re.sub(r"\[((?:\d+(?:ms|s|m|h|d|w))+)\]",
                  lambda m: f"[{Scale(m.group(1))}]", expr)
    return re.sub(r"offset ((?:\d+(?:ms|s|m|h|d|w))+)",
                  lambda m: f"offset {Scale(m.group(1))}", expr)


def WriteShortenedRules(rules_dir, out_dir):
    paths = []
    for file_name in RULE_FILES:
        document = yaml.safe_load((rules_dir / file_name).read_text())
        for group in document["groups"]:
            for rule in group["rules"]:
                rule["expr"] = ShortenExpr(rule["expr"])
                if "for" in rule:
                    rule["for"] = Scale(rule["for"])
        path = out_dir / file_name
        path.write_text(yaml.safe_dump(document, sort_keys=False))
        paths.append(str(path))
    return paths


def WritePrometheusConfig(out_dir, rule_paths, exporter_port):
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s",
                   "scrape_timeout": "1s"},
        "rule_files": rule_paths,
        "scrape_configs": [{
            "job_name": "llamacloud_batch_exporter",
            "static_configs": [
                {"targets": [f"127.0.0.1:{exporter_port}"]}],
        }],
    }
    path = out_dir / "prometheus.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def RuleExprs(rules_dir):
    exprs = []
    for file_name in RULE_FILES:
        document = yaml.safe_load((rules_dir / file_name).read_text())
        for group in document["groups"]:
            for rule in group["rules"]:
                name = rule.get("record") or rule.get("alert")
                exprs.append((f"{file_name}: {name}", rule["expr"]))
    return exprs


def DashboardExprs(dashboards_dir):
    exprs = []
    for file_name in DASHBOARDS:
        dashboard = json.loads((dashboards_dir / file_name).read_text())
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                where = f"{file_name}: {panel['title']} {target['refId']}"
                exprs.append((where, target["expr"]))
    return exprs


def Substitute(expr):
    for variable in sorted(VARIABLES, key=len, reverse=True):
        expr = expr.replace(variable, VARIABLES[variable])
    return expr


class Run:
    def __init__(self, args, work_dir):
        self.args = args
        self.work = work_dir
        self.source = pathlib.Path(args.source)

    def Start(self):
        simulator = Child("simulator", [
            self.args.simulator, "--scenario",
            str(self.source / "simulator/scenarios/alerts.yaml"),
            "--listen", "127.0.0.1:0"])
        sim_port = simulator.WaitFor(r"listening on 127\.0\.0\.1:(\d+)",
                                     15).group(1)
        env = {"PATH": os.environ.get("PATH", ""),
               "LLAMA_CLOUD_API_KEY": API_KEY}
        self.exporter_port = FreePort()
        exporter = Child("exporter", [
            self.args.exporter,
            f"--web.listen-address=127.0.0.1:{self.exporter_port}",
            f"--llamacloud.url=http://127.0.0.1:{sim_port}",
            *[f"--llamacloud.job={job}" for job in JOBS]], env=env)
        self.WaitHttp(f"http://127.0.0.1:{self.exporter_port}/-/healthy",
                      exporter)
        rules = WriteShortenedRules(self.source / "deploy/prometheus",
                                    self.work)
        config = WritePrometheusConfig(self.work, rules, self.exporter_port)
        self.prometheus_port = FreePort()
        self.prometheus = Child("prometheus", [
            self.args.prometheus, f"--config.file={config}",
            f"--storage.tsdb.path={self.work / 'data'}",
            f"--web.listen-address=127.0.0.1:{self.prometheus_port}",
            "--log.level=warn"])
        self.api = f"http://127.0.0.1:{self.prometheus_port}/api/v1"
        self.WaitHttp(f"http://127.0.0.1:{self.prometheus_port}/-/ready",
                      self.prometheus)
        self.started = time.monotonic()

    @staticmethod
    def WaitHttp(url, child, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if child.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError(f"{child.name} did not answer {url}; output:\n"
                           + "\n".join(child.lines[-30:]))

    def Query(self, expr):
        url = f"{self.api}/query?" + urllib.parse.urlencode({"query": expr})
        try:
            return GetJson(url)
        except urllib.error.HTTPError as error:
            return json.load(error)

    def SpikeAlerts(self):
        alerts = GetJson(f"{self.api}/alerts")["data"]["alerts"]
        return [a for a in alerts
                if a["labels"]["alertname"] == "LlamaCloudBatchFailedItemsSpike"
                and a["state"] in ("pending", "firing")]

    def WaitForSpikeAlert(self):
        deadline = self.started + RUN_SECONDS - 25
        while time.monotonic() < deadline:
            alerts = self.SpikeAlerts()
            if alerts:
                return alerts
            time.sleep(1)
        return []


def CheckExprs(run, exprs, need_data):
    problems = []
    for where, expr in exprs:
        result = run.Query(Substitute(expr))
        if result.get("status") != "success":
            problems.append(f"{where}: {result.get('error')}\n    {expr}")
        elif need_data and not result["data"]["result"] and \
                expr not in MAY_BE_EMPTY:
            problems.append(f"{where}: no data\n    {expr}")
    return problems


def Main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--prometheus", default=shutil.which("prometheus"))
    args = parser.parse_args()
    for name in ("exporter", "simulator", "prometheus"):
        path = getattr(args, name)
        if not path or not os.access(path, os.X_OK):
            print(f"FAIL: {name} binary not found ({path})")
            return 1

    with tempfile.TemporaryDirectory(prefix="lcbe-prom-") as work:
        run = Run(args, pathlib.Path(work))
        run.Start()
        problems = []

        alerts = run.WaitForSpikeAlert()
        spiking = sorted({a["labels"].get("job_id") for a in alerts})
        print(f"spike alert after {time.monotonic() - run.started:.0f} s: "
              f"{[(a['labels'].get('job_id'), a['state']) for a in alerts]}")
        if spiking != ["bjb-alerts-spike"]:
            problems.append(f"spike alert for jobs {spiking}, expected only "
                            "bjb-alerts-spike")

        # Rates need a few samples in their (shortened) windows.
        time.sleep(max(0, run.started + 35 - time.monotonic()))
        source = pathlib.Path(args.source)
        dashboard_exprs = DashboardExprs(source / "dashboards")
        rule_exprs = RuleExprs(source / "deploy/prometheus")
        problems += CheckExprs(run, dashboard_exprs, need_data=True)
        problems += CheckExprs(run, rule_exprs, need_data=False)
        print(f"evaluated {len(dashboard_exprs)} dashboard and "
              f"{len(rule_exprs)} rule expressions")

        rule_health = GetJson(f"{run.api}/rules")["data"]["groups"]
        for group in rule_health:
            for rule in group["rules"]:
                if rule.get("health") == "err":
                    problems.append(f"rule {rule['name']}: "
                                    f"{rule.get('lastError')}")

    for problem in problems:
        print("FAIL:", problem)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(Main())
