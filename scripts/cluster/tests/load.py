"""Simulated users against the cluster's HAProxy URL, for the fault tests.

Each user signs in through the login page as a demo user and, until told to
stop, alternates a write (an intelligence record submitted through
POST /api/v1/intelligence/, with an Idempotency-Key) and a map read (ward
counts, served from the standby). A request that fails is tried again as a
client following Retry-After would, sooner so that recovery is measured
finely; a write is retried with the same key, so a retry never makes a
second record. Every answer is recorded: what was asked, when, the status
and Retry-After, and for each acknowledged write (201) the record's id.
"""

import http.client
import http.cookiejar
import json
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DEMO_PASSWORD = "intel-map-demo"
# Demo users whose role both submits intelligence and reads the map
# (demo/names.py); several sessions each.
USERNAMES = ("analyst", "tasking", "licensing", "safety")
# The demo city's centre (demo/city.py), in WGS84.
CENTRE = (-1.5104, 52.4089)
THINK_S = (0.1, 0.4)
RETRY_S = 0.25


@dataclass
class Answer:
    at: float
    kind: str
    status: int
    retry_after: str | None
    latency_s: float
    # The start of a failed answer's body, to tell whose answer it was.
    detail: str = ""


@dataclass
class Stats:
    answers: list[Answer] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer, record_id: int | None = None) -> None:
        with self.lock:
            self.answers.append(answer)
            if record_id is not None:
                self.acknowledged.append(record_id)

    def failed(self, since: float = 0, until: float = float("inf")) -> list[Answer]:
        with self.lock:
            return [
                a
                for a in self.answers
                if not 200 <= a.status < 300 and since <= a.at < until
            ]

    def ok_after(self, t: float) -> int:
        with self.lock:
            return sum(1 for a in self.answers if a.at >= t and 200 <= a.status < 300)


class User(threading.Thread):
    def __init__(self, *, base: str, username: str, stats: Stats, seed: int):
        super().__init__(daemon=True)
        self.base, self.username, self.stats = base, username, stats
        self.rng = random.Random(seed)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )
        self.stop = threading.Event()
        self.signed_in = threading.Event()
        self.last_ok = 0.0
        self.error: BaseException | None = None

    def _open(self, request) -> tuple[int, Mapping, bytes]:
        # Headers as an HTTPMessage: looked up whatever their case (HAProxy
        # sends names in lower case).
        try:
            with self.opener.open(request, timeout=40) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()
        except (OSError, http.client.HTTPException):
            # No whole HTTP answer (refused, reset, cut short): status 0.
            return 0, {}, b""

    def _csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def sign_in(self) -> None:
        url = f"{self.base}/accounts/login/"
        while not self.stop.is_set():
            status, _, page = self._open(url)
            match = CSRF.search(page.decode(errors="replace"))
            if status == 200 and match:
                body = urllib.parse.urlencode(
                    {
                        "username": self.username,
                        "password": DEMO_PASSWORD,
                        "csrfmiddlewaretoken": match.group(1),
                    }
                ).encode()
                req = urllib.request.Request(url, data=body, headers={"Referer": url})
                status, _, _ = self._open(req)
                if status == 200 and any(c.name == "sessionid" for c in self.jar):
                    self.signed_in.set()
                    return
            time.sleep(RETRY_S)

    def write(self) -> None:
        lon = CENTRE[0] + self.rng.uniform(-0.02, 0.02)
        lat = CENTRE[1] + self.rng.uniform(-0.015, 0.015)
        body = json.dumps(
            {
                "kind": "intelligence",
                "account": "Cluster fault test: a car seen waiting outside.",
                "occurred_from": "2026-01-01T12:00:00Z",
                "location_method": "map",
                "lon": round(lon, 6),
                "lat": round(lat, 6),
                "source_type": "police",
                "submitter_is_source": True,
            }
        ).encode()
        key = str(uuid.uuid4())
        while not self.stop.is_set():
            req = urllib.request.Request(
                f"{self.base}/api/v1/intelligence/",
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                    "X-CSRFToken": self._csrf(),
                    "Idempotency-Key": key,
                },
            )
            t = time.monotonic()
            status, headers, data = self._open(req)
            record = json.loads(data)["id"] if status == 201 else None
            self.stats.add(
                Answer(
                    t,
                    "write",
                    status,
                    headers.get("Retry-After"),
                    time.monotonic() - t,
                    ""
                    if record
                    else f"{dict(headers)} {data[:200].decode(errors='replace')}",
                ),
                record,
            )
            if record is not None:
                self.last_ok = time.monotonic()
                return
            time.sleep(RETRY_S)

    def read(self) -> None:
        req = urllib.request.Request(
            f"{self.base}/api/v1/areas/?type=ward",
            headers={
                "Accept": "application/json",
                "X-Justification": "Cluster fault test: ward counts",
            },
        )
        t = time.monotonic()
        status, headers, data = self._open(req)
        ok = 200 <= status < 300
        self.stats.add(
            Answer(
                t,
                "read",
                status,
                headers.get("Retry-After"),
                time.monotonic() - t,
                "" if ok else f"{dict(headers)} {data[:200].decode(errors='replace')}",
            )
        )
        if 200 <= status < 300:
            self.last_ok = time.monotonic()

    def run(self) -> None:
        try:
            self.sign_in()
            while not self.stop.is_set():
                self.write() if self.rng.random() < 0.5 else self.read()
                time.sleep(self.rng.uniform(*THINK_S))
        except BaseException as exc:  # reported by the test, not lost in a thread
            self.error = exc


class Load:
    """`users` simulated users, started together, stopped together."""

    def __init__(self, *, base: str, users: int = 20):
        self.stats = Stats()
        self.users = [
            User(
                base=base,
                username=USERNAMES[i % len(USERNAMES)],
                stats=self.stats,
                seed=i,
            )
            for i in range(users)
        ]

    def __enter__(self) -> "Load":
        for u in self.users:
            u.start()
        for u in self.users:
            if not u.signed_in.wait(120):
                raise RuntimeError(f"{u.username} could not sign in")
        return self

    def __exit__(self, *exc) -> None:
        for u in self.users:
            u.stop.set()
        for u in self.users:
            u.join(60)
        errors = [u.error for u in self.users if u.error]
        if errors and exc[0] is None:
            raise errors[0]
