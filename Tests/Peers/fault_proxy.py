#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for catalyze's tests (Python 3 standard library only).

It listens on 127.0.0.1, forwards every request to one upstream (moto server; any HTTP server works)
and, as configured, adds latency, throttles per AWS action with a token bucket, answers injected
500/503 errors and resets connections, counting every request per action and outcome.

Start:   python3 fault_proxy.py --upstream http://127.0.0.1:PORT [--port 0] [--seed N] [flags below]
         It prints `listening on PORT` (flushed) once it accepts connections, and writes PORT to
         --port-file if given (what the Swift helper waits for, without blocking a thread).
Control (never forwarded):
  GET  /__proxy/config   the configuration in force (JSON)
  POST /__proxy/config   merges a JSON object into it (same keys as below); answers the result
  GET  /__proxy/stats    {"total": N, "actions": {ACTION: {OUTCOME: N, ...}}, "config": {...}}
  POST /__proxy/reset    back to the start-up configuration; stats, buckets and fates cleared;
                         held requests dropped and holds cleared
  POST /__proxy/holds    sets the holds (below), counters cleared: {"holds": [{"actions": [A, ...],
                         "nth": N, "when": "before"|"after"}, ...]}; answers their state
  GET  /__proxy/holds    {"holds": [{"actions", "nth", "when", "seen": N, "held": bool}, ...]}
  POST /__proxy/release  drops every held request (its connection is reset) and clears the holds
Holds (for kill tests): the proxy counts the requests whose action is in a hold's `actions` (an
entry ending in `*` matches every action it starts, e.g. `PUT /backup-vaults/*`); the
`nth` one is held: never forwarded ("before"), or forwarded and its reply kept back ("after"), until
a release or reset, which resets its connection. The test sees `held` and SIGKILLs the client
there: a kill exactly at that request boundary of a multi-call operation. Throttling, errors and
latency do not apply to the request a hold takes.
Configuration keys (flags: --latency-ms, --throttle ACTION=RATE:BURST, --error-rate, ...):
  latency_ms, latency_jitter_ms   delay before forwarding (jitter uniform in [0, jitter), seeded)
  throttle {ACTION: {rate, burst}} token bucket per action; "*" applies to every other action
  error_rate, error_statuses      fraction answered with one of the statuses (500/503) unforwarded
  reset_rate                      fraction whose connection is reset before forwarding
  reset_after_rate                fraction forwarded (the call takes effect) and then reset
  fault_actions                   faults apply only to these actions (empty: to all)
  throttle_status                 HTTP status of throttle replies (null: the protocol's own, below)
  seed                            seeds the fates; setting it clears the per-action counters
The action is the Query API's `Action=` (form body or query string), else the JSON protocol's
`X-Amz-Target` suffix (`TrentService.CreateKey` -> `CreateKey`), else `METHOD /path`.
Outcomes: forwarded, throttled, error_500, error_503, reset, reset_after_forward, upstream_failed,
held, held_after_forward.

Determinism: the fate of the n-th request of an action depends only on (seed, action, n), so
concurrent requests of different actions do not disturb each other's fates. Token buckets refill
in real time; with rate 0 a bucket allows exactly `burst` requests.

Replies mimic AWS faithfully, per protocol (the service comes from the SigV4 credential scope):
- EC2 (Query, XML `<Response><Errors>`): `RequestLimitExceeded`, HTTP 503. EC2's error-code page
  lists RequestLimitExceeded among its client errors, but what EC2 really sends on the wire is 503
  (SDK logs: "Service: AmazonEC2; Status Code: 503; Error Code: RequestLimitExceeded"; jclouds,
  bosh-aws-cpi and aws-sdk-go reports say the same), so 503 it is; clients must classify by the
  code, not the status. Set `throttle_status` to 400 to check that a client does.
  Injected server errors: InternalError (500), Unavailable (503).
- Other Query services (ELBv2, CloudWatch; XML `<ErrorResponse>`): `Throttling`, HTTP 400, Type
  Sender (as Route 53 and ELB document it: "HTTP 400 ... Code Throttling, Message Rate exceeded");
  server errors InternalFailure (500) / ServiceUnavailable (503), Type Receiver.
- JSON protocol (KMS, X-Amz-Target): `ThrottlingException`, HTTP 400 (KMS answers "Status Code:
  400; Error Code: ThrottlingException"); server errors InternalFailure / ServiceUnavailable.
"""

import argparse
import copy
import hashlib
import http.client
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "content-length", "expect",  # 100-continue was answered here already
}

DEFAULT_CONFIG = {
    "latency_ms": 0,
    "latency_jitter_ms": 0,
    "throttle": {},
    "error_rate": 0.0,
    "error_statuses": [500, 503],
    "reset_rate": 0.0,
    "reset_after_rate": 0.0,
    "fault_actions": [],
    "throttle_status": None,
    "seed": 0,
}


class TokenBucket:
    """A token bucket: `burst` tokens at most, refilled at `rate` tokens a second."""

    def __init__(self, rate, burst, now):
        self.rate = float(rate)
        self.burst = float(burst)
        self.tokens = float(burst)
        self.stamp = now

    def take(self, now):
        """Takes one token if there is one; returns whether it did."""
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class ProxyState:
    """Configuration, token buckets, per-action counters and stats, behind one lock."""

    def __init__(self, start_config):
        self.lock = threading.Lock()
        self.start_config = copy.deepcopy(start_config)
        self.reset()

    def reset(self):
        with self.lock:
            self.config = copy.deepcopy(self.start_config)
            self.buckets = {}
            self.sequence = {}
            self.stats = {}
            self.total = 0
            self.release_locked()

    def release_locked(self):
        """Drops held requests and clears the holds (caller holds the lock or is resetting)."""
        old = getattr(self, "released", None)
        if old is not None:
            old.set()
        self.released = threading.Event()
        self.holds = []

    def set_holds(self, holds):
        """Replaces the holds (validated), counters cleared; returns their state."""
        if not isinstance(holds, list):
            raise ValueError("holds must be a list")
        parsed = []
        for hold in holds:
            if not isinstance(hold, dict) or not isinstance(hold.get("actions"), list) or not hold["actions"]:
                raise ValueError("each hold needs a non-empty list of actions")
            nth = int(hold.get("nth", 0))
            when = hold.get("when", "before")
            if nth < 1 or when not in ("before", "after"):
                raise ValueError("each hold needs nth >= 1 and when 'before' or 'after'")
            parsed.append({"actions": [str(a) for a in hold["actions"]], "nth": nth, "when": when, "seen": 0, "held": False})
        with self.lock:
            self.holds = parsed
        return self.hold_state()

    def hold_state(self):
        with self.lock:
            return {"holds": copy.deepcopy(self.holds)}

    def release(self):
        with self.lock:
            self.release_locked()
        return {"holds": []}

    def take_hold(self, action):
        """The hold that takes this request ((hold, event) or None); counts it for every hold of its action."""
        with self.lock:
            taken = None
            for hold in self.holds:
                if any(action == a or (a.endswith("*") and action.startswith(a[:-1])) for a in hold["actions"]):
                    hold["seen"] += 1
                    if hold["seen"] == hold["nth"] and taken is None:
                        taken = hold
            return (taken, self.released) if taken else None

    def mark_held(self, hold):
        with self.lock:
            hold["held"] = True

    def update(self, changes):
        """Merges `changes` (a dict) into the configuration; returns the new configuration."""
        unknown = sorted(set(changes) - set(DEFAULT_CONFIG))
        if unknown:
            raise ValueError("unknown configuration keys: " + ", ".join(unknown))
        with self.lock:
            config = copy.deepcopy(self.config)
            config.update(changes)
            validate(config)
            if "throttle" in changes:
                self.buckets = {}
            if "seed" in changes:
                self.sequence = {}
            self.config = config
            return copy.deepcopy(config)

    def snapshot(self):
        with self.lock:
            return {"total": self.total, "actions": copy.deepcopy(self.stats),
                    "config": copy.deepcopy(self.config)}

    def decide(self, action):
        """Counts the request and decides its fate: (outcome or None, latency seconds, config)."""
        with self.lock:
            config = self.config
            self.total += 1
            n = self.sequence.get(action, 0)
            self.sequence[action] = n + 1
            fate = random.Random(fate_seed(config["seed"], action, n))
            latency = config["latency_ms"] / 1000.0
            if config["latency_jitter_ms"]:
                latency += fate.random() * config["latency_jitter_ms"] / 1000.0
            limits = config["throttle"].get(action) or config["throttle"].get("*")
            if limits is not None:
                bucket = self.buckets.get(action)
                if bucket is None:
                    bucket = self.buckets[action] = TokenBucket(limits["rate"], limits["burst"], time.monotonic())
                if not bucket.take(time.monotonic()):
                    return "throttled", latency, config
            if config["fault_actions"] and action not in config["fault_actions"]:
                return None, latency, config
            roll = fate.random()
            if roll < config["error_rate"]:
                statuses = config["error_statuses"]
                return "error_%d" % statuses[fate.randrange(len(statuses))], latency, config
            roll -= config["error_rate"]
            if roll < config["reset_rate"]:
                return "reset", latency, config
            roll -= config["reset_rate"]
            if roll < config["reset_after_rate"]:
                return "reset_after_forward", latency, config
            return None, latency, config

    def count(self, action, outcome, upstream_status=None):
        with self.lock:
            counts = self.stats.setdefault(action, {})
            counts[outcome] = counts.get(outcome, 0) + 1
            if upstream_status is not None:
                statuses = counts.setdefault("upstream_status", {})
                key = str(upstream_status)
                statuses[key] = statuses.get(key, 0) + 1


def fate_seed(seed, action, n):
    """A stable integer seed for the n-th request of `action` (no reliance on Python's hash())."""
    digest = hashlib.sha256(("%s\0%s\0%d" % (seed, action, n)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def validate(config):
    """Raises ValueError when `config` is not a usable configuration."""
    for key in ("error_rate", "reset_rate", "reset_after_rate"):
        if not 0.0 <= float(config[key]) <= 1.0:
            raise ValueError("%s must be within 0...1" % key)
    if float(config["error_rate"]) + float(config["reset_rate"]) + float(config["reset_after_rate"]) > 1.0:
        raise ValueError("error_rate + reset_rate + reset_after_rate must not exceed 1")
    if float(config["latency_ms"]) < 0 or float(config["latency_jitter_ms"]) < 0:
        raise ValueError("latencies must not be negative")
    if not config["error_statuses"] or any(s not in (500, 503) for s in config["error_statuses"]):
        raise ValueError("error_statuses must be a non-empty list of 500 and/or 503")
    if not isinstance(config["throttle"], dict):
        raise ValueError("throttle must be an object {ACTION: {rate, burst}}")
    for action, limits in config["throttle"].items():
        if not isinstance(limits, dict) or float(limits.get("rate", -1)) < 0 or float(limits.get("burst", 0)) < 1:
            raise ValueError("throttle[%s] needs rate >= 0 and burst >= 1" % action)
    if config["throttle_status"] not in (None, 400, 429, 503):
        raise ValueError("throttle_status must be null, 400, 429 or 503")
    if not isinstance(config["fault_actions"], list):
        raise ValueError("fault_actions must be a list of action names")


CREDENTIAL_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/[^/,\s]+/([^/,\s]+)/aws4_request")


def service_of(headers):
    """The AWS service named by the SigV4 credential scope ('' when there is none)."""
    match = CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    return match.group(1) if match else ""


def action_of(method, path, headers, body):
    """The AWS action of a request, or `METHOD /path` for anything else."""
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]
    parsed = urllib.parse.urlsplit(path)
    query = urllib.parse.parse_qs(parsed.query)
    if "Action" in query:
        return query["Action"][0]
    if "x-www-form-urlencoded" in headers.get("Content-Type", "") and body:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return form["Action"][0]
    return "%s %s" % (method, parsed.path)


ERROR_CODES = {  # protocol -> outcome -> (status, code, message)
    "ec2": {
        "throttled": (503, "RequestLimitExceeded", "Request limit exceeded."),
        "error_500": (500, "InternalError", "An internal error has occurred."),
        "error_503": (503, "Unavailable", "The server is overloaded and can't handle the request."),
    },
    "query": {
        "throttled": (400, "Throttling", "Rate exceeded"),
        "error_500": (500, "InternalFailure", "The request processing has failed because of an unknown error."),
        "error_503": (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
    },
    "json": {
        "throttled": (400, "ThrottlingException", "Rate exceeded"),
        "error_500": (500, "InternalFailure", "The request processing has failed because of an unknown error."),
        "error_503": (503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."),
    },
}


def error_reply(outcome, headers, throttle_status=None):
    """(status, content type, body bytes, request id) of the AWS-style reply for an injected outcome."""
    status, content_type, body, request_id = protocol_error_reply(outcome, headers)
    if outcome == "throttled" and throttle_status is not None:
        status = throttle_status
    return status, content_type, body, request_id


def protocol_error_reply(outcome, headers):
    request_id = str(uuid.uuid4())
    if headers.get("X-Amz-Target"):
        status, code, message = ERROR_CODES["json"][outcome]
        body = json.dumps({"__type": code, "message": message})
        return status, "application/x-amz-json-1.1", body.encode(), request_id
    service = service_of(headers)
    if service in ("ec2", ""):
        status, code, message = ERROR_CODES["ec2"][outcome]
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>%s</Code>'
                "<Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>"
                % (code, message, request_id))
        return status, "text/xml;charset=UTF-8", body.encode(), request_id
    status, code, message = ERROR_CODES["query"][outcome]
    kind = "Sender" if status < 500 else "Receiver"
    body = ("<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>"
            "<RequestId>%s</RequestId></ErrorResponse>" % (kind, code, message, request_id))
    return status, "text/xml", body.encode(), request_id


class ProxyHandler(BaseHTTPRequestHandler):
    """Serves the control endpoints and forwards everything else to the upstream."""

    protocol_version = "HTTP/1.1"
    server_version = "catalyze-fault-proxy/1"

    def log_message(self, fmt, *args):  # quiet: the stats say what happened
        pass

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/__proxy/"):
            return self.control(body)
        state = self.server.state
        action = action_of(self.command, self.path, self.headers, body)
        taken = state.take_hold(action)
        if taken:
            return self.hold(action, body, *taken)
        outcome, latency, config = state.decide(action)
        if latency > 0:
            time.sleep(latency)
        if outcome == "reset":
            state.count(action, outcome)
            return self.reset_connection()
        if outcome in ("throttled", "error_500", "error_503"):
            state.count(action, outcome)
            status, content_type, reply, request_id = error_reply(outcome, self.headers, config["throttle_status"])
            return self.reply(status, reply, content_type, {"x-amzn-RequestId": request_id})
        try:
            status, reason, headers, reply = self.forward(body)
        except OSError as error:
            state.count(action, "upstream_failed")
            return self.reply(502, ("upstream failed: %s" % error).encode(), "text/plain")
        if outcome == "reset_after_forward":
            state.count(action, outcome, status)
            return self.reset_connection()
        state.count(action, "forwarded", status)
        self.send_response(status, reason)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply)

    def hold(self, action, body, hold, released):
        """Keeps the request (before forwarding it, or after, its reply withheld) until released,
        then resets its connection: to the client, the request never finished."""
        if hold["when"] == "after":
            try:
                status, _, _, _ = self.forward(body)
                self.server.state.count(action, "held_after_forward", status)
            except OSError:
                self.server.state.count(action, "upstream_failed")
        else:
            self.server.state.count(action, "held")
        self.server.state.mark_held(hold)
        released.wait(timeout=600)
        return self.reset_connection()

    def forward(self, body):
        upstream = self.server.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port or 80, timeout=120)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            # The Host header stays as the client sent it: SigV4 signs it.
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            connection.close()

    def control(self, body):
        state = self.server.state
        route = (self.command, urllib.parse.urlsplit(self.path).path)
        try:
            if route == ("GET", "/__proxy/config"):
                result = state.snapshot()["config"]
            elif route == ("POST", "/__proxy/config"):
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("the configuration must be a JSON object")
                result = state.update(changes)
            elif route == ("GET", "/__proxy/stats"):
                result = state.snapshot()
            elif route == ("POST", "/__proxy/reset"):
                state.reset()
                result = state.snapshot()
            elif route == ("GET", "/__proxy/holds"):
                result = state.hold_state()
            elif route == ("POST", "/__proxy/holds"):
                changes = json.loads(body or b"{}")
                if not isinstance(changes, dict):
                    raise ValueError("the holds must be a JSON object {\"holds\": [...]}")
                result = state.set_holds(changes.get("holds", []))
            elif route == ("POST", "/__proxy/release"):
                result = state.release()
            else:
                return self.reply(404, json.dumps({"error": "no such control endpoint"}).encode())
        except (ValueError, TypeError, KeyError) as error:
            return self.reply(400, json.dumps({"error": str(error)}).encode())
        return self.reply(200, json.dumps(result, sort_keys=True).encode())

    def reply(self, status, body, content_type="application/json", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def reset_connection(self):
        """Closes the socket with SO_LINGER 0, so the client sees a TCP reset, not a reply."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def finish(self):
        try:
            super().finish()
        except (OSError, ValueError):
            pass  # the socket was reset on purpose


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="upstream base URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--latency-ms", type=float, default=0)
    parser.add_argument("--latency-jitter-ms", type=float, default=0)
    parser.add_argument("--throttle", action="append", default=[], metavar="ACTION=RATE:BURST",
                        help="token bucket for ACTION ('*' for every other action); repeatable")
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--error-statuses", default="500,503", help="comma-separated, from 500 and 503")
    parser.add_argument("--reset-rate", type=float, default=0.0)
    parser.add_argument("--reset-after-rate", type=float, default=0.0)
    parser.add_argument("--throttle-status", type=int, default=None, help="400, 429 or 503 (default: per protocol)")
    parser.add_argument("--fault-actions", default="", help="comma-separated; faults apply only to these")
    parser.add_argument("--port-file", help="also write the port to this file (atomically) once listening")
    parser.add_argument("--exit-on-stdin-eof", action="store_true",
                        help="exit when standard input closes (the parent process went away)")
    parser.add_argument("--max-lifetime", type=float, default=3600, help="exit after this many seconds")
    return parser.parse_args(argv)


def config_from(arguments):
    config = copy.deepcopy(DEFAULT_CONFIG)
    config.update(
        seed=arguments.seed, latency_ms=arguments.latency_ms, latency_jitter_ms=arguments.latency_jitter_ms,
        error_rate=arguments.error_rate, reset_rate=arguments.reset_rate,
        reset_after_rate=arguments.reset_after_rate,
        error_statuses=[int(s) for s in arguments.error_statuses.split(",") if s.strip()],
        fault_actions=[a for a in arguments.fault_actions.split(",") if a],
        throttle_status=arguments.throttle_status,
    )
    for spec in arguments.throttle:
        action, _, limits = spec.partition("=")
        rate, _, burst = limits.partition(":")
        config["throttle"][action] = {"rate": float(rate), "burst": float(burst)}
    validate(config)
    return config


def main(argv):
    arguments = parse_arguments(argv)
    try:
        config = config_from(arguments)
    except ValueError as error:
        print("fault_proxy: %s" % error, file=sys.stderr)
        return 2
    upstream = urllib.parse.urlsplit(arguments.upstream)
    if upstream.scheme != "http" or not upstream.hostname:
        print("fault_proxy: --upstream must be an http:// URL", file=sys.stderr)
        return 2
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), ProxyHandler)
    server.daemon_threads = True
    server.upstream = upstream
    server.state = ProxyState(config)
    if arguments.exit_on_stdin_eof:
        def watch_stdin():
            while sys.stdin.buffer.read(4096):
                pass
            server.shutdown()
        threading.Thread(target=watch_stdin, daemon=True).start()
    lifetime = threading.Timer(arguments.max_lifetime, server.shutdown)
    lifetime.daemon = True
    lifetime.start()
    port = server.server_address[1]
    if arguments.port_file:
        with open(arguments.port_file + ".tmp", "w") as handle:
            handle.write("%d\n" % port)
        os.replace(arguments.port_file + ".tmp", arguments.port_file)
    print("listening on %d" % port, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
