"""Helpers for tests that run the project's programs as a user would.

Processes are started on loopback with port 0 and asked which port they
bound; every process started here is stopped, by its own pid, on exit.
"""

import atexit
import calendar
import json
import re
import subprocess
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal

_started = []


def _stop_all():
    for proc in _started:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


atexit.register(_stop_all)


class Process:
    """A child process whose output is collected line by line."""

    def __init__(self, argv, env=None):
        self.argv = argv
        self.proc = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL, env=env, text=True, errors="replace")
        _started.append(self.proc)
        self.lines = []
        self._cond = threading.Condition()
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=self._read, args=(stream,),
                             daemon=True).start()

    def _read(self, stream):
        for line in stream:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def wait_for(self, pattern, timeout=30):
        """Returns the first match of `pattern` in the output."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    match = regex.search(line)
                    if match:
                        return match
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"{self.argv[0]} exited ({self.proc.returncode}):\n"
                        + "\n".join(self.lines))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"no /{pattern}/ from {self.argv[0]}:\n"
                        + "\n".join(self.lines))
                self._cond.wait(min(left, 0.2))

    def output(self):
        with self._cond:
            return list(self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def start_simulator(binary, scenario):
    sim = Process([binary, "--scenario", scenario, "--listen", "127.0.0.1:0"])
    port = int(sim.wait_for(r"listening on 127\.0\.0\.1:(\d+)").group(1))
    return sim, port


def start_exporter(binary, args, env):
    exp = Process([binary, "--web.listen-address=127.0.0.1:0", *args], env=env)
    port = int(exp.wait_for(r"msg=started .*port=(\d+)").group(1))
    return exp, port


def http_get(url, headers=None, timeout=30):
    """Returns (status, headers, body text) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), \
                response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), \
            error.read().decode("utf-8", "replace")


def http_request(url, method, headers=None, timeout=30):
    """Sends a body-less request; returns its status."""
    request = urllib.request.Request(url, headers=headers or {},
                                     method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def get_json(url, headers=None):
    status, _, body = http_get(url, headers)
    if status != 200:
        raise RuntimeError(f"GET {url}: HTTP {status}: {body[:200]}")
    return json.loads(body)


_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse_exposition(text):
    """Parses the text format into {(name, frozenset(labels)): value}."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = _SAMPLE.match(line)
        if not match:
            raise ValueError(f"unparsable sample line: {line!r}")
        labels = {}
        for key, value in _LABEL.findall(match.group(3) or ""):
            labels[key] = (value.replace(r"\n", "\n").replace(r'\"', '"')
                           .replace("\\\\", "\\"))
        samples[(match.group(1), frozenset(labels.items()))] = \
            float(match.group(4))
    return samples


def sample(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?$")


def parse_date_time(text):
    """Seconds since the epoch as a Decimal, or None if not a date-time.

    An independent reading of the forms the API page lists: Z, a numeric
    offset or no zone (UTC), 0 to 9 fractional digits.
    """
    if not isinstance(text, str):
        return None
    match = _DATE_TIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = map(int, match.groups()[:6])
    try:
        seconds = calendar.timegm((year, month, day, hour, minute, second))
        time.strptime(f"{year:04d}-{month:02d}-{day:02d}", "%Y-%m-%d")
    except (ValueError, OverflowError):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    value = Decimal(seconds) + Decimal(match.group(7) or "0")
    zone = match.group(8)
    if zone and zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = int(digits[:2]) * 3600 + int(digits[2:4] or 0) * 60
        value -= sign * offset
    return value
