#!/usr/bin/env python3
"""End-to-end test: the exporter against the simulator, values checked exactly.

The simulator serves the e2e scenario; the exporter lists every job on a
scrape. Each value the exporter reports is compared with what the items
imply, computed here from the simulator's own dump of the items, so the
expectation shares no code with the exporter. The scraped text must also
pass `promtool check metrics`.
"""

import argparse
import os
import subprocess
import sys
import unittest
from decimal import Decimal

import harness

ARGS = None
DEFAULT_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800,
                   3600]
STATUSES = ["pending", "processing", "completed", "failed", "skipped",
            "cancelled"]
API_KEY = "e2e-key"


def expected_for(items):
    """What the exporter must report for one job's items, first scrape."""
    counts = {s: 0 for s in STATUSES + ["unknown"]}
    reasons = {}
    durations = {"completed": [], "failed": []}
    without = {"completed": 0, "failed": 0}
    failed_attempts = set()
    newest_completion = None
    oldest_start = None
    for item in items:
        status = item["status"] if item["status"] in STATUSES else "unknown"
        counts[status] += 1
        started = harness.parse_date_time(item.get("started_at"))
        completed = harness.parse_date_time(item.get("completed_at"))
        if status == "skipped":
            reason = item.get("skip_reason") or "unspecified"
            reasons[reason] = reasons.get(reason, 0) + 1
        if status in ("completed", "failed"):
            if started is not None and completed is not None \
                    and completed >= started:
                durations[status].append(completed - started)
            else:
                without[status] += 1
        if status == "failed":
            failed_attempts.add((item["item_id"], item.get("job_id") or "",
                                 None if item.get("job_id") else started))
        if status == "completed" and completed is not None:
            newest_completion = max(newest_completion or completed, completed)
        if status == "processing" and started is not None:
            oldest_start = min(oldest_start or started, started)
    return {
        "counts": counts, "reasons": reasons, "durations": durations,
        "without": without, "failures": len(failed_attempts),
        "newest_completion": newest_completion, "oldest_start": oldest_start,
    }


class ExporterAgainstSimulator(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.sim, sim_port = harness.start_simulator(ARGS.simulator,
                                                     ARGS.scenario)
        cls.sim_url = f"http://127.0.0.1:{sim_port}"
        auth = {"Authorization": f"Bearer {API_KEY}"}
        listing = harness.get_json(
            cls.sim_url + "/api/v1/beta/batch-processing?limit=1000", auth)
        cls.job_ids = [job["id"] for job in listing["items"]]
        cls.items = {
            job: harness.get_json(
                f"{cls.sim_url}/-/sim/items?job_id={job}")
            for job in cls.job_ids}
        for job, items in cls.items.items():
            if isinstance(items, dict):
                cls.items[job] = items["items"]

        env = dict(os.environ, LLAMA_CLOUD_API_KEY=API_KEY)
        env.pop("LLAMA_CLOUD_BASE_URL", None)
        args = [f"--llamacloud.url={cls.sim_url}"]
        args += [f"--llamacloud.job={job}" for job in cls.job_ids]
        cls.exporter, port = harness.start_exporter(ARGS.exporter, args, env)
        cls.url = f"http://127.0.0.1:{port}"
        status, headers, cls.text = harness.http_get(cls.url + "/metrics")
        assert status == 200, (status, cls.text)
        cls.content_type = headers.get("Content-Type")
        cls.samples = harness.parse_exposition(cls.text)
        cls.first_scrape_requests = harness.get_json(
            cls.sim_url + "/-/sim/requests")

    @classmethod
    def tearDownClass(cls):
        cls.exporter.stop()
        cls.sim.stop()

    def value(self, name, **labels):
        return harness.sample(self.samples, name, **labels)

    def buckets(self, job, status):
        """{upper bound: cumulative count} of one duration histogram."""
        name = "llamacloud_batch_item_processing_duration_seconds_bucket"
        return {float(dict(labels)["le"]): value
                for (metric, labels), value in self.samples.items()
                if metric == name and dict(labels)["job_id"] == job
                and dict(labels)["status"] == status}

    def test_the_scenario_has_the_jobs_it_promises(self):
        self.assertGreaterEqual(len(self.job_ids), 3)
        self.assertTrue(any(len(i) > 2000 for i in self.items.values()))

    def test_every_job_is_up(self):
        for job in self.job_ids:
            self.assertEqual(self.value("llamacloud_batch_job_up", job_id=job),
                             1, job)

    def test_item_counts_by_status_are_exact(self):
        for job, items in self.items.items():
            want = expected_for(items)["counts"]
            for status, count in want.items():
                self.assertEqual(
                    self.value("llamacloud_batch_items", job_id=job,
                               status=status), count, (job, status))

    def test_skip_reasons_are_exact(self):
        for job, items in self.items.items():
            want = expected_for(items)["reasons"]
            got = {dict(labels)["skip_reason"]: value
                   for (name, labels), value in self.samples.items()
                   if name == "llamacloud_batch_skipped_items"
                   and dict(labels)["job_id"] == job}
            self.assertEqual(got, want, job)

    def test_duration_histograms_are_exact(self):
        for job, items in self.items.items():
            want = expected_for(items)
            for status in ("completed", "failed"):
                durations = want["durations"][status]
                name = "llamacloud_batch_item_processing_duration_seconds"
                self.assertEqual(
                    self.value(name + "_count", job_id=job, status=status),
                    len(durations), (job, status))
                self.assertAlmostEqual(
                    self.value(name + "_sum", job_id=job, status=status),
                    float(sum(durations, Decimal(0))), places=3)
                buckets = self.buckets(job, status)
                self.assertEqual(sorted(buckets),
                                 DEFAULT_BUCKETS + [float("inf")])
                for bound, got in buckets.items():
                    want_count = sum(1 for d in durations
                                     if bound == float("inf")
                                     or d <= Decimal(str(bound)))
                    self.assertEqual(got, want_count, (job, status, bound))
                self.assertEqual(
                    self.value("llamacloud_batch_items_without_duration",
                               job_id=job, status=status),
                    want["without"][status], (job, status))

    def test_failures_and_timestamps_are_exact(self):
        for job, items in self.items.items():
            want = expected_for(items)
            self.assertEqual(
                self.value("llamacloud_batch_item_failures_total", job_id=job),
                want["failures"], job)
            newest = self.value(
                "llamacloud_batch_last_completion_timestamp_seconds",
                job_id=job)
            if want["newest_completion"] is None:
                self.assertIsNone(newest, job)
            else:
                self.assertAlmostEqual(newest,
                                       float(want["newest_completion"]),
                                       places=3)
            oldest = self.value(
                "llamacloud_batch_oldest_processing_start_timestamp_seconds",
                job_id=job)
            if want["oldest_start"] is None:
                self.assertIsNone(oldest, job)
            else:
                self.assertAlmostEqual(oldest, float(want["oldest_start"]),
                                       places=3)

    def test_each_job_was_paged_to_its_end_with_full_pages(self):
        for job, items in self.items.items():
            pages = [r for r in self.first_scrape_requests if r["path"].endswith(f"/{job}/items")]
            # Full pages of 1000, then the short (possibly empty) last one.
            self.assertEqual(len(pages), len(items) // 1000 + 1, job)
            self.assertTrue(all("limit=1000" in r["query"] for r in pages))

    def test_output_passes_promtool(self):
        check = subprocess.run([ARGS.promtool, "check", "metrics"],
                               input=self.text, capture_output=True,
                               text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual(check.stdout + check.stderr, "")

    def test_content_type_is_the_text_format(self):
        self.assertIn("version=0.0.4", self.content_type)

    def test_self_metrics_are_present(self):
        self.assertGreater(
            self.value("llamacloud_batch_api_requests_total", code="200"), 0)
        self.assertIsNotNone(self.value("process_resident_memory_bytes"))
        build = [labels for (name, labels) in self.samples
                 if name == "llamacloud_batch_exporter_build_info"]
        self.assertEqual(len(build), 1)

    def test_a_second_scrape_reports_the_same_counts(self):
        _, _, text = harness.http_get(self.url + "/metrics")
        again = harness.parse_exposition(text)
        for key, value in self.samples.items():
            if key[0].startswith(("llamacloud_batch_items",
                                  "llamacloud_batch_item_",
                                  "llamacloud_batch_skipped")):
                self.assertEqual(again.get(key), value, key)

    def test_other_endpoints(self):
        status, _, body = harness.http_get(self.url + "/")
        self.assertEqual(status, 200)
        for job in self.job_ids:
            self.assertIn(job, body)
        self.assertEqual(harness.http_get(self.url + "/-/healthy")[0], 200)
        self.assertEqual(harness.http_get(self.url + "/-/ready")[0], 200)
        self.assertEqual(harness.http_get(self.url + "/nope")[0], 404)

    def test_the_api_key_is_in_no_output(self):
        _, _, landing = harness.http_get(self.url + "/")
        for text in (self.text, landing, "\n".join(self.exporter.output())):
            self.assertNotIn(API_KEY, text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--promtool", default="promtool")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
