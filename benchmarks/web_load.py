"""The load of the web benchmark (``benchmarks/web.py``): locust, as a library, drives a
running server with simulated staff users, each signed in through the real sign-in pages.

    python benchmarks/web_load.py --plan PLAN.json --host http://127.0.0.1:PORT \\
        --users 20 --seconds 60 --think 1 3 --out RESULT.json

``PLAN.json`` is written by ``web_users.py`` (accounts, passwords, TOTP keys, the cases each
user may see, search terms, API tokens). This is a separate process from ``web.py`` because
locust patches the standard library for gevent when it is imported.

What is timed: from the moment every user has signed in, for ``--seconds``, each request a
user makes, one endpoint at a time (``ENDPOINTS``), waiting ``--think`` seconds (uniform)
between requests as a person reading a page does. Sign-ins and the start-up probes are not
timed. Redirects are not followed: a redirect is the server's answer, measured as such.
"""

# ruff: noqa: E402 - gevent must patch the standard library before anything imports ssl
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import argparse
import hashlib
import hmac
import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import gevent
import requests
from locust import HttpUser, between, events, task
from locust.env import Environment
from locust.exception import StopUser

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str
    roles: tuple[str, ...]
    # The path of one request for this user (its plan entry) and a random generator.
    path: Callable[[dict[str, Any], random.Random], str]
    bearer: bool = False  # an API call: the user's token, no session cookie


BOTH = ("supervisor", "case_manager")


def _term(user: dict[str, Any], rng: random.Random) -> str:
    return quote(rng.choice(user["terms"]))


# The endpoints measured (issue 9, "Speed"). The baseline is the sign-in page requested by a
# signed-in user: Django answers it with a redirect home after every middleware has run
# (session, user, second factor, declared permission, access log, CSP), with no query of
# ours and no template: the fixed cost of a request through this server and stack.
ENDPOINTS = (
    Endpoint("baseline", "baseline: sign-in page, signed in (redirect)", BOTH,
             lambda u, r: "/accounts/login/"),
    Endpoint("search", "search page /search/?q=", BOTH, lambda u, r: f"/search/?q={_term(u, r)}"),
    Endpoint("api-search", "API search /api/v1/search?q=", BOTH,
             lambda u, r: f"/api/v1/search?q={_term(u, r)}", bearer=True),
    Endpoint("case", "case page /cases/<id>/", BOTH,
             lambda u, r: f"/cases/{r.choice(u['cases'])}/"),
    Endpoint("caseload", "queue: caseload /cases/ (case managers)", ("case_manager",),
             lambda u, r: "/cases/"),
    # Not a queue of theirs, but where a supervisor's home page sends them (every program).
    Endpoint("caseload-all", "caseload /cases/ (supervisors: every program)", ("supervisor",),
             lambda u, r: "/cases/"),
    Endpoint("review", "queue: review /eligibility/review/ (supervisors)", ("supervisor",),
             lambda u, r: "/eligibility/review/"),
    Endpoint("home", "home page / (per role)", BOTH, lambda u, r: "/"),
)  # fmt: skip


def totp(key_hex: str, at: float, step: int = 30, digits: int = 6) -> str:
    """The code an authenticator app shows at time ``at`` (RFC 6238 with HMAC-SHA1, the
    defaults of django-otp's TOTPDevice), computed from the device's key."""
    counter = int(at // step).to_bytes(8, "big")
    mac = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = (int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF) % 10**digits
    return str(number).zfill(digits)


def sign_in(session: requests.Session, host: str, user: dict[str, Any], **named: str) -> None:
    """Password, then the TOTP code, through the sign-in pages as a browser posts them
    (``named``: locust's ``name=`` for its statistics, nothing for a plain session)."""

    def form_token(response: requests.Response) -> str:
        found = CSRF_FIELD.search(response.text)
        if found is None:
            raise RuntimeError(f"{response.url}: no sign-in form ({response.status_code})")
        return found.group(1)

    page = session.get(f"{host}/accounts/login/?next=/", **named)
    after_password = session.post(
        f"{host}/accounts/login/?next=/",
        data={
            "username": user["username"],
            "password": user["password"],
            "csrfmiddlewaretoken": form_token(page),
            "next": "/",
        },
        headers={"Referer": f"{host}/accounts/login/"},
        **named,
    )
    if "/accounts/otp/" not in after_password.url:
        raise RuntimeError(f"{user['username']}: password refused ({after_password.url})")
    verified = session.post(
        after_password.url,
        data={
            "code": totp(user["key"], time.time()),
            "csrfmiddlewaretoken": form_token(after_password),
            "next": "/",
        },
        headers={"Referer": after_password.url},
        **named,
        allow_redirects=False,
    )
    if verified.status_code != 302:
        raise RuntimeError(f"{user['username']}: code refused ({verified.status_code})")


class Run:
    """The state shared by the simulated users (one process, gevent)."""

    plan: list[dict[str, Any]] = []
    available: list[Endpoint] = []
    host = ""
    measuring = False
    signed_in = 0
    failures: list[str] = []
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, Counter[str]] = defaultdict(Counter)


def record(name: str, response_time: float, response: Any, exception: Any, **_: Any) -> None:
    if not Run.measuring or name == "sign-in":
        return
    status = getattr(response, "status_code", 0) or 0
    if exception is not None and not status:
        Run.errors[name][type(exception).__name__] += 1
    elif not 200 <= status < 400:
        Run.errors[name][str(status)] += 1
    Run.samples[name].append(response_time / 1000)  # seconds, as benchlib formats them


class StaffUser(HttpUser):
    wait_time = between(1, 3)  # replaced from --think in main()

    def on_start(self) -> None:
        self.user = Run.plan.pop()
        self.rng = random.Random(self.user["username"])  # noqa: S311 - not a secret
        self.mine = [e for e in Run.available if self.user["role"] in e.roles]
        try:
            sign_in(self.client, Run.host, self.user, name="sign-in")
        except (RuntimeError, requests.RequestException) as failed:
            Run.failures.append(str(failed))
            raise StopUser() from failed
        Run.signed_in += 1

    @task
    def one_request(self) -> None:
        endpoint = self.rng.choice(self.mine)
        path = endpoint.path(self.user, self.rng)
        if endpoint.bearer:
            # A program calling the API: its token and no session cookie.
            with requests.Session() as api:
                start = time.perf_counter()
                response, error = None, None
                try:
                    response = api.get(
                        f"{Run.host}{path}",
                        headers={"Authorization": f"Bearer {self.user['token']}"},
                        allow_redirects=False,
                        timeout=60,
                    )
                except requests.RequestException as failed:
                    error = failed
                record(endpoint.key, (time.perf_counter() - start) * 1000, response, error)
            return
        self.client.get(path, name=endpoint.key, allow_redirects=False, timeout=60)


def probe(host: str, plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Which endpoints this build has: each asked once by a signed-in probe account of each
    role that uses it. A 404 means the URL is not there (yet): "not available in this build"."""
    found: dict[str, dict[str, Any]] = {}
    for user in plan["probes"]:
        with requests.Session() as session:
            sign_in(session, host, user)
            rng = random.Random(0)  # noqa: S311 - not a secret
            for endpoint in ENDPOINTS:
                if user["role"] not in endpoint.roles or endpoint.key in found:
                    continue
                if endpoint.bearer and not user["token"]:
                    found[endpoint.key] = {"available": False, "why": plan["token_problem"]}
                    continue
                headers = {"Authorization": f"Bearer {user['token']}"} if endpoint.bearer else {}
                client = requests.Session() if endpoint.bearer else session
                status = client.get(
                    f"{host}{endpoint.path(user, rng)}", headers=headers, allow_redirects=False
                ).status_code
                found[endpoint.key] = {
                    "available": status != 404,
                    "why": "answers 404" if status == 404 else "",
                    "probe_status": status,
                }
    return [{"key": e.key, "label": e.label, **found[e.key]} for e in ENDPOINTS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--seconds", type=float, required=True)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text(encoding="utf-8"))
    endpoints = probe(args.host, plan)
    available = {e["key"] for e in endpoints if e["available"]}
    Run.host = args.host
    Run.plan = list(reversed(plan["users"][: args.users]))
    Run.available = [e for e in ENDPOINTS if e.key in available]
    StaffUser.wait_time = between(*args.think)
    StaffUser.host = args.host

    env = Environment(user_classes=[StaffUser], events=events)
    env.events.request.add_listener(record)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.users)
    deadline = time.monotonic() + 120  # sign-ins must not take forever either
    while Run.signed_in + len(Run.failures) < args.users and time.monotonic() < deadline:
        gevent.sleep(0.05)
    started = time.perf_counter()
    Run.measuring = not Run.failures
    if Run.measuring:
        gevent.sleep(args.seconds)
    Run.measuring = False
    elapsed = time.perf_counter() - started
    runner.quit()
    result = {
        "endpoints": endpoints,
        "samples": Run.samples,
        "errors": {k: dict(v) for k, v in Run.errors.items()},
        "seconds": elapsed,
        "signed_in": Run.signed_in,
        "sign_in_failures": Run.failures,
    }
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
