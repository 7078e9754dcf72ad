#!/usr/bin/env python3
"""Checks the deployment files under deploy/.

Files the Dockerfile and docker-compose.yml refer to exist; the compose
file parses and wires the services together; the compose Prometheus
configuration passes `promtool check config`; the Kubernetes manifests
parse and keep their safety settings; the shipped PrometheusRule is the
generator's output and its rules pass `promtool check rules`; the systemd
unit passes `systemd-analyze verify`; when the exporter has been built, the
shipped exporter configurations pass its `--config.check`.

Usage: deploy_files_test.py SOURCE_DIR [BUILD_DIR]
"""

import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import yaml

SOURCE = pathlib.Path(".")
BUILD = None
DEPLOY = SOURCE / "deploy"
PROMTOOL = os.environ.get("PROMTOOL", "promtool")


def Load(path):
    return yaml.safe_load(path.read_text())


def LoadAll(path):
    return [d for d in yaml.safe_load_all(path.read_text()) if d]


def ExporterBinary():
    for base in (BUILD, SOURCE / "build"):
        if base is None:
            continue
        path = base / "exporter" / "llamacloud_batch_exporter"
        if path.is_file() and os.access(path, os.X_OK):
            return path
    return None


class DockerfileTest(unittest.TestCase):
    def test_copied_sources_exist(self):
        text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
        copies = [line.split()[1:] for line in text.splitlines()
                  if line.startswith("COPY ") and "--from=" not in line]
        self.assertGreaterEqual(len(copies), 3)
        for arguments in copies:
            for source in arguments[:-1]:
                self.assertTrue((SOURCE / source).exists(), source)

    def test_runtime_stage_is_non_root_with_health_check(self):
        text = (DEPLOY / "Dockerfile").read_text()
        runtime = text.split("FROM ")[-1]
        self.assertRegex(runtime, r"\nUSER (?!root|0\b)\S+")
        self.assertIn("HEALTHCHECK", runtime)
        self.assertIn("/-/healthy", runtime)
        self.assertIn("curl", runtime.split("HEALTHCHECK")[0])
        self.assertNotRegex(runtime, r"-dev\b")


class ComposeTest(unittest.TestCase):
    def setUp(self):
        self.compose = Load(DEPLOY / "docker-compose.yml")
        self.services = self.compose["services"]

    def test_has_the_four_services(self):
        self.assertEqual(set(self.services),
                         {"simulator", "exporter", "prometheus", "grafana"})

    def test_referenced_paths_exist(self):
        for name, service in self.services.items():
            build = service.get("build")
            if build:
                context = DEPLOY / build["context"]
                self.assertTrue(context.is_dir(), name)
                self.assertTrue((context / build["dockerfile"]).is_file())
            for volume in service.get("volumes", []):
                host = volume.split(":")[0]
                if host.startswith("."):
                    self.assertTrue((DEPLOY / host).exists(),
                                    f"{name}: {host}")

    def test_exporter_reads_the_simulator_with_the_demo_key(self):
        exporter = self.services["exporter"]
        self.assertIn("--llamacloud.url=http://simulator:8080",
                      exporter["command"])
        self.assertEqual(exporter["environment"]["LLAMA_CLOUD_API_KEY"],
                         "demo-key")
        scenario = [a for a in self.services["simulator"]["command"]
                    if a.startswith("--scenario=")][0]
        self.assertTrue(scenario.endswith("/demo/scenario.yaml"))

    def test_exporter_watches_the_demo_jobs(self):
        scenario = Load(DEPLOY / "demo/scenario.yaml")
        config = Load(DEPLOY / "compose/exporter.yml")
        self.assertEqual(scenario["api_key"], "demo-key")
        self.assertEqual([job["id"] for job in config["jobs"]],
                         [job["id"] for job in scenario["jobs"]])

    def test_ports_are_published_on_loopback_only(self):
        for name, service in self.services.items():
            for port in service.get("ports", []):
                self.assertTrue(str(port).startswith("127.0.0.1:"), name)

    def test_grafana_provisioning_points_at_the_mounted_dashboards(self):
        provider = Load(DEPLOY / "grafana/provisioning/dashboards/"
                        "dashboards.yml")["providers"][0]
        mounts = {v.split(":")[1]: v.split(":")[0]
                  for v in self.services["grafana"]["volumes"]}
        path = provider["options"]["path"]
        self.assertEqual(mounts[path], "../dashboards")
        source = Load(DEPLOY / "grafana/provisioning/datasources/"
                      "prometheus.yml")["datasources"][0]
        self.assertEqual(source["type"], "prometheus")
        self.assertEqual(source["url"], "http://prometheus:9090")


class PrometheusConfigTest(unittest.TestCase):
    def test_promtool_check_config(self):
        result = subprocess.run(
            [PROMTOOL, "check", "config",
             str(DEPLOY / "prometheus/prometheus.yml")],
            capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_scrape_job_is_named_as_the_alerts_expect(self):
        config = Load(DEPLOY / "prometheus/prometheus.yml")
        names = [c["job_name"] for c in config["scrape_configs"]]
        self.assertIn("llamacloud_batch_exporter", names)
        self.assertIn('job="llamacloud_batch_exporter"',
                      (DEPLOY / "prometheus/alerts.yml").read_text())


class KubernetesTest(unittest.TestCase):
    def setUp(self):
        self.dir = DEPLOY / "kubernetes"

    def test_kustomization_resources_exist(self):
        for resource in Load(self.dir / "kustomization.yaml")["resources"]:
            self.assertTrue((self.dir / resource).is_file(), resource)

    def test_deployment_is_locked_down(self):
        spec = Load(self.dir / "deployment.yaml")["spec"]["template"]["spec"]
        self.assertTrue(spec["securityContext"]["runAsNonRoot"])
        container = spec["containers"][0]
        security = container["securityContext"]
        self.assertTrue(security["readOnlyRootFilesystem"])
        self.assertFalse(security["allowPrivilegeEscalation"])
        self.assertEqual(security["capabilities"]["drop"], ["ALL"])
        self.assertEqual(container["livenessProbe"]["httpGet"]["path"],
                         "/-/healthy")
        self.assertEqual(container["readinessProbe"]["httpGet"]["path"],
                         "/-/ready")
        self.assertIn("limits", container["resources"])
        key = [e for e in container["env"]
               if e["name"] == "LLAMA_CLOUD_API_KEY"][0]
        self.assertIn("secretKeyRef", key["valueFrom"])
        config = Load(self.dir / "configmap.yaml")
        self.assertIn("config.yml", config["data"])
        self.assertIn("--config.file=/etc/llamacloud-batch-exporter/"
                      "config.yml", container["args"])

    def test_service_monitor_sets_the_scrape_job_name(self):
        monitor = Load(self.dir / "servicemonitor.yaml")
        relabel = monitor["spec"]["endpoints"][0]["relabelings"][0]
        self.assertEqual(relabel["targetLabel"], "job")
        self.assertEqual(relabel["replacement"], "llamacloud_batch_exporter")

    def test_prometheusrule_is_the_generators_output(self):
        generated = subprocess.run(
            [sys.executable, str(self.dir / "generate_prometheusrule.py")],
            check=True, capture_output=True, text=True).stdout
        self.assertEqual(generated,
                         (self.dir / "prometheusrule.yaml").read_text(),
                         "run deploy/kubernetes/generate_prometheusrule.py")

    def test_prometheusrule_rules_pass_promtool(self):
        rule = Load(self.dir / "prometheusrule.yaml")
        with tempfile.NamedTemporaryFile("w", suffix=".yml") as rules:
            yaml.safe_dump({"groups": rule["spec"]["groups"]}, rules)
            rules.flush()
            result = subprocess.run([PROMTOOL, "check", "rules",
                                     rules.name],
                                    capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("SUCCESS: 32 rules found", result.stdout)


class SystemdTest(unittest.TestCase):
    def test_unit_hardening_settings(self):
        unit = (DEPLOY / "systemd/llamacloud-batch-exporter.service"
                ).read_text()
        for line in ("ProtectSystem=strict", "ProtectHome=yes",
                     "PrivateTmp=yes", "NoNewPrivileges=yes",
                     "CapabilityBoundingSet=\n", "MemoryDenyWriteExecute=yes",
                     "SystemCallFilter=@system-service", "DynamicUser=yes",
                     "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                     "EnvironmentFile=/etc/llamacloud-batch-exporter/"):
            self.assertIn(line, unit)

    def test_systemd_analyze_verify(self):
        if not shutil.which("systemd-analyze"):
            self.skipTest("systemd-analyze is not installed")
        unit = (DEPLOY / "systemd/llamacloud-batch-exporter.service"
                ).read_text()
        # verify insists that ExecStart's binary exists; point it at the
        # built exporter, or at a stand-in when there is none yet.
        binary = ExporterBinary() or pathlib.Path(shutil.which("true"))
        unit = unit.replace("/usr/local/bin/llamacloud_batch_exporter",
                            str(binary.resolve()))
        with tempfile.TemporaryDirectory() as directory:
            path = pathlib.Path(directory, "llamacloud-batch-exporter.service")
            path.write_text(unit)
            result = subprocess.run(["systemd-analyze", "verify", str(path)],
                                    capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        if result.returncode != 0 and "Failed to" in output and \
                "bus" in output.lower():
            self.skipTest(f"systemd-analyze cannot run here: {output}")
        self.assertEqual(result.returncode, 0, output)
        self.assertEqual(output, "")


class ExporterConfigTest(unittest.TestCase):
    def Check(self, config_text):
        binary = ExporterBinary()
        if binary is None:
            self.skipTest("the exporter is not built yet")
        with tempfile.TemporaryDirectory() as directory:
            path = pathlib.Path(directory, "config.yml")
            path.write_text(config_text)
            result = subprocess.run(
                [str(binary), f"--config.file={path}", "--config.check"],
                capture_output=True, text=True, timeout=30,
                env={"PATH": os.environ.get("PATH", "")})
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_compose_config_is_valid(self):
        self.Check((DEPLOY / "compose/exporter.yml").read_text())

    def test_kubernetes_config_is_valid(self):
        config = Load(DEPLOY / "kubernetes/configmap.yaml")
        self.Check(config["data"]["config.yml"])


if __name__ == "__main__":
    SOURCE = pathlib.Path(sys.argv[1]).resolve()
    DEPLOY = SOURCE / "deploy"
    if len(sys.argv) > 2:
        BUILD = pathlib.Path(sys.argv[2]).resolve()
    unittest.main(argv=sys.argv[:1], verbosity=2)
