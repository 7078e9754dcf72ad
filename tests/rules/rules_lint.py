#!/usr/bin/env python3
"""Checks the rule files beyond what promtool checks.

Every alert has a summary, a description and a runbook_url of the form
README.md#runbook-<alert name in lower case>, and README.md has a
heading that produces that anchor. The shipped slo_rules.yml equals the
output of generate_slo_rules.py with its defaults.

Usage: rules_lint.py SOURCE_DIR
"""

import pathlib
import re
import subprocess
import sys

import yaml

RULE_FILES = ("recording_rules.yml", "alerts.yml", "slo_rules.yml")


def Anchor(heading):
    """The anchor GitHub derives from a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def RunbookAnchors(runbook):
    return {Anchor(line.lstrip("#")) for line in runbook.splitlines()
            if line.startswith("#")}


def CheckAlert(rule, anchors):
    name = rule["alert"]
    annotations = rule.get("annotations", {})
    problems = [f"{name}: no {key} annotation"
                for key in ("summary", "description", "runbook_url")
                if not annotations.get(key)]
    expected = f"README.md#runbook-{name.lower()}"
    if annotations.get("runbook_url") != expected:
        problems.append(f"{name}: runbook_url is not {expected}")
    if f"runbook-{name.lower()}" not in anchors:
        problems.append(f"{name}: README.md has no runbook section for it")
    return problems


def CheckAlerts(rules_dir, anchors):
    problems, names = [], []
    for file_name in RULE_FILES:
        document = yaml.safe_load((rules_dir / file_name).read_text())
        for group in document["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    names.append(rule["alert"])
                    problems += CheckAlert(rule, anchors)
    return problems, names


def CheckGeneratedSlo(rules_dir):
    generated = subprocess.run(
        [sys.executable, str(rules_dir / "generate_slo_rules.py")],
        check=True, capture_output=True, text=True).stdout
    if generated != (rules_dir / "slo_rules.yml").read_text():
        return ["slo_rules.yml differs from generate_slo_rules.py's output"]
    return []


def main(argv):
    source = pathlib.Path(argv[1])
    rules_dir = source / "deploy" / "prometheus"
    anchors = RunbookAnchors((source / "README.md").read_text())
    problems, names = CheckAlerts(rules_dir, anchors)
    problems += CheckGeneratedSlo(rules_dir)
    if len(names) < 6:
        problems.append(f"expected at least 6 alerts, found {names}")
    for problem in problems:
        print("FAIL:", problem)
    print(f"{len(names)} alerts checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
