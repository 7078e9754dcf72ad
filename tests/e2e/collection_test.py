#!/usr/bin/env python3
"""How collections spend API requests, read from the simulator's request log.

Each test starts the simulator with a small scenario and the exporter with a
small configuration, scrapes, and asserts on the requests the simulator
logged: frozen jobs cost none, concurrent scrapes share one listing, a late
job does not hold a scrape past its deadline, the client-side rate cap
spaces requests, and a 429 pauses every job. No assertion depends on how
fast this machine is, beyond generous bounds.
"""

import argparse
import concurrent.futures
import os
import sys
import tempfile
import time
import unittest

import harness

ARGS = None
KEY = "collection-key"


class Setup:
    """A simulator and an exporter over a scenario and a configuration."""

    def __init__(self, scenario, config="", llamacloud=""):
        self.dir = tempfile.TemporaryDirectory()
        scenario_path = os.path.join(self.dir.name, "scenario.yaml")
        with open(scenario_path, "w") as f:
            f.write(f"api_key: {KEY}\nseed: 3\n" + scenario)
        self.sim, port = harness.start_simulator(ARGS.simulator,
                                                 scenario_path)
        self.sim_url = f"http://127.0.0.1:{port}"
        config_path = os.path.join(self.dir.name, "config.yaml")
        with open(config_path, "w") as f:
            f.write(f"llamacloud:\n  url: {self.sim_url}\n" + llamacloud +
                    config)
        env = dict(os.environ, LLAMA_CLOUD_API_KEY=KEY)
        env.pop("LLAMA_CLOUD_BASE_URL", None)
        self.exporter, port = harness.start_exporter(
            ARGS.exporter, [f"--config.file={config_path}"], env)
        self.url = f"http://127.0.0.1:{port}"

    def scrape(self, headers=None):
        status, _, text = harness.http_get(self.url + "/metrics", headers)
        assert status == 200, (status, text)
        return harness.parse_exposition(text)

    def requests(self, reset=False):
        log = harness.get_json(self.sim_url + "/-/sim/requests")
        if reset:
            harness.http_request(self.sim_url + "/-/sim/requests", "DELETE")
        return [r for r in log if r["path"].startswith("/api/")]

    def close(self):
        self.exporter.stop()
        self.sim.stop()
        self.dir.cleanup()


def item_pages(log, job):
    return [r for r in log if r["path"].endswith(f"/{job}/items")]


class CollectionTest(unittest.TestCase):

    def test_a_final_job_is_listed_once_more_then_frozen(self):
        s = Setup("""
jobs:
  - id: bjb-done
    status: completed
    synthetic: {count: 1500, statuses: {completed: 0.9, failed: 0.1}}
""", "jobs:\n  - id: bjb-done\n")
        try:
            per_scrape = []
            values = []
            for _ in range(4):
                samples = s.scrape()
                values.append({k: v for k, v in samples.items()
                               if k[0].startswith("llamacloud_batch_item")})
                per_scrape.append(len(s.requests(reset=True)))
            # 2 pages + the status check; 2 pages; then nothing.
            self.assertEqual(per_scrape, [3, 2, 0, 0])
            self.assertEqual(values[1], values[2])
            self.assertEqual(values[2], values[3])
            self.assertEqual(
                harness.sample(samples, "llamacloud_batch_job_frozen",
                               job_id="bjb-done"), 1)
        finally:
            s.close()

    def test_concurrent_scrapes_share_one_listing(self):
        s = Setup("""
latency: 200ms
jobs:
  - id: bjb-a
    synthetic: {count: 2500, statuses: {pending: 0.5, completed: 0.5}}
""", "jobs:\n  - id: bjb-a\n")
        try:
            with concurrent.futures.ThreadPoolExecutor(20) as pool:
                results = list(pool.map(lambda _: s.scrape(), range(20)))
            for samples in results:
                self.assertEqual(
                    harness.sample(samples, "llamacloud_batch_items",
                                   job_id="bjb-a", status="pending"), 1250)
            # One listing of 2,500 items is three pages.
            self.assertEqual(len(item_pages(s.requests(), "bjb-a")), 3)
        finally:
            s.close()

    def test_a_late_job_reads_down_and_finishes_in_the_background(self):
        s = Setup("""
jobs:
  - id: bjb-slow
    synthetic: {count: 4500, statuses: {pending: 1.0}}
  - id: bjb-quick
    synthetic: {count: 10, statuses: {pending: 1.0}}
faults:
  - {kind: latency, job: bjb-slow, delay: 1s}
""", "collection:\n  max_concurrency: 2\n"
             "jobs:\n  - id: bjb-slow\n  - id: bjb-quick\n")
        try:
            samples = s.scrape({"X-Prometheus-Scrape-Timeout-Seconds": "1.5"})
            self.assertEqual(harness.sample(
                samples, "llamacloud_batch_job_up", job_id="bjb-slow"), 0)
            self.assertEqual(harness.sample(
                samples, "llamacloud_batch_job_up", job_id="bjb-quick"), 1)
            answered = len(item_pages(s.requests(), "bjb-slow"))
            self.assertLess(answered, 5)
            # The listing goes on after the scrape answered: all five pages
            # arrive without another scrape.
            end = time.monotonic() + 30
            while len(item_pages(s.requests(), "bjb-slow")) < 5 \
                    and time.monotonic() < end:
                time.sleep(0.2)
            self.assertEqual(len(item_pages(s.requests(), "bjb-slow")), 5)
        finally:
            s.close()

    def test_the_rate_cap_spaces_requests(self):
        s = Setup("""
jobs:
  - id: bjb-many
    synthetic: {count: 30500, statuses: {pending: 1.0}}
""", "jobs:\n  - id: bjb-many\n",
                  llamacloud="  max_requests_per_second: 20\n")
        try:
            s.scrape()
            times = [r["time"] for r in item_pages(s.requests(), "bjb-many")]
            self.assertEqual(len(times), 31)
            # Arrival times jitter, so check the span: 30 gaps of >= 50 ms.
            self.assertGreaterEqual(times[-1] - times[0], 30 / 20 - 0.05)
        finally:
            s.close()

    def test_a_429_pauses_every_job(self):
        s = Setup("""
jobs:
  - id: bjb-a
    synthetic: {count: 10, statuses: {pending: 1.0}}
  - id: bjb-b
    synthetic: {count: 1500, statuses: {pending: 1.0}}
faults:
  - {kind: rate_limit, job: bjb-a, retry_after: 2, requests: 1}
  - {kind: latency, job: bjb-b, delay: 300ms}
""", "jobs:\n  - id: bjb-a\n  - id: bjb-b\n")
        try:
            samples = s.scrape()
            self.assertEqual(harness.sample(
                samples, "llamacloud_batch_job_up", job_id="bjb-a"), 1)
            log = s.requests()
            limited = [r for r in log if r["status"] == 429]
            self.assertEqual(len(limited), 1)
            # bjb-b's first page was under way when bjb-a got its 429; its
            # second page, like bjb-a's retry, waits out the 2 s pause.
            later = item_pages(log, "bjb-b")[1:] + item_pages(log, "bjb-a")[1:]
            self.assertEqual(len(later), 2)
            for request in later:
                self.assertGreaterEqual(
                    request["time"] - limited[0]["time"], 1.9, request)
        finally:
            s.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--exporter", required=True)
    parser.add_argument("--simulator", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
