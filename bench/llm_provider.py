#!/usr/bin/env python3
"""A realistic local answer engine for benchmarks (issue 18): an OpenAI-compatible
POST /v1/chat/completions that answers after a latency drawn from a log-normal distribution
(median --median-ms, 95th percentile --p95-ms) and, with --rpm N, answers 429 at once to every
request beyond N accepted in the last 60 s (sliding window), with Retry-After and an
OpenAI-style error body.

Answers are short deterministic texts chosen from the prompt and model (half of them name
"Acme Analytics", some rank it, some cite https://acme.example.com); a judge prompt (a system
message asking for {"claims": ...}) gets a JSON verdict. usage counts about one token per
4 characters.

GET /stats: {requests, answered, rate_limited, max_in_flight, latency_ms_sum, latency_ms_mean}
(latency: the drawn delays of answered requests). POST /stats/reset zeroes the counters,
restarts the latency draws from --seed and empties the rate window, so that every round of a
benchmark sees the same delays and starts with a full request budget.

Usage: llm_provider.py [--port 0] [--median-ms 2000] [--p95-ms 8000] [--seed 1] [--rpm 0]
Listens on 127.0.0.1; prints the port on the first line of stdout.
Python 3 standard library only.
"""
import argparse
import collections
import hashlib
import json
import math
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Z95 = 1.6448536269514722  # the standard normal's 95th percentile
WINDOW_S = 60.0

ANSWERS = [
    "Teams that compare analytics software usually shortlist Globex Insights, Acme Analytics "
    "and Initech. Acme Analytics (https://acme.example.com) is praised for clear dashboards "
    "and fair pricing.",
    "The best-rated options are:\n1. Globex Insights\n2. Acme Analytics\n3. Initech\n"
    "Globex Insights leads on integrations; Acme Analytics is a strong second.",
    "Initech is a common choice for large companies, and Globex Insights is popular with "
    "smaller teams (https://globex.example.com).",
    "It depends on your needs: compare pricing, data retention and support before choosing "
    "an analytics vendor.",
]
JUDGE_ANSWER = json.dumps({"claims": [
    {"claim": "Acme Analytics sells analytics software", "verdict": "correct"},
    {"claim": "Acme Analytics has clear dashboards", "verdict": "unsupported"},
]})


class Provider:
    """The provider's state: latency draws, the rate window and the counters (thread-safe)."""

    def __init__(self, median_ms, p95_ms, seed, rpm):
        if median_ms <= 0 or p95_ms < median_ms:
            raise ValueError("need 0 < median-ms <= p95-ms")
        self.mu = math.log(median_ms)
        self.sigma = math.log(p95_ms / median_ms) / Z95
        self.seed = seed
        self.rpm = rpm
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.rng = random.Random(self.seed)
            self.window = collections.deque()
            self.requests = self.answered = self.rate_limited = 0
            self.in_flight = self.max_in_flight = 0
            self.latency_ms_sum = 0.0

    def admit(self):
        """Counts a request; returns (delay in ms, 0) or (None, Retry-After seconds)."""
        with self.lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            now = time.monotonic()
            while self.window and self.window[0] <= now - WINDOW_S:
                self.window.popleft()
            if self.rpm > 0 and len(self.window) >= self.rpm:
                self.rate_limited += 1
                return None, max(1, math.ceil(self.window[0] + WINDOW_S - now))
            self.window.append(now)
            return math.exp(self.rng.gauss(self.mu, self.sigma)), 0

    def done(self, delay_ms, answered):
        with self.lock:
            self.in_flight -= 1
            if answered:
                self.answered += 1
                self.latency_ms_sum += delay_ms

    def stats(self):
        with self.lock:
            mean = self.latency_ms_sum / self.answered if self.answered else 0.0
            return {"requests": self.requests, "answered": self.answered,
                    "rate_limited": self.rate_limited, "max_in_flight": self.max_in_flight,
                    "latency_ms_sum": round(self.latency_ms_sum, 3),
                    "latency_ms_mean": round(mean, 3)}


def tokens(text):
    return max(1, round(len(text) / 4))


def completion(body):
    """The chat completion answering a parsed request body (raises ValueError if malformed)."""
    model = body.get("model")
    messages = body.get("messages")
    if not isinstance(model, str) or not model or not isinstance(messages, list) or not messages:
        raise ValueError("'model' and 'messages' are required")
    texts = [m.get("content") or "" for m in messages if isinstance(m, dict)]
    system = next((m.get("content") or "" for m in messages
                   if isinstance(m, dict) and m.get("role") == "system"), "")
    if '"claims"' in system:
        content = JUDGE_ANSWER
    else:
        key = hashlib.sha256((model + "\n" + texts[-1]).encode()).digest()
        content = ANSWERS[key[0] % len(ANSWERS)]
    prompt_tokens = tokens("".join(texts))
    completion_tokens = tokens(content)
    return {
        "id": "chatcmpl-" + hashlib.sha1(content.encode() + texts[-1].encode()).hexdigest()[:24],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                     "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }


def error_body(message, kind, code):
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real providers
    provider = None  # set in main()

    def log_message(self, *args):
        pass

    def send_json(self, status, obj, headers=()):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self):
        if self.path == "/stats":
            self.send_json(200, self.provider.stats())
        else:
            self.send_json(404, error_body("Unknown path " + self.path, "invalid_request_error",
                                           "not_found"))

    def do_POST(self):
        raw = self.read_body()
        if self.path == "/stats/reset":
            self.provider.reset()
            self.send_json(200, self.provider.stats())
        elif self.path == "/v1/chat/completions":
            self.chat(raw)
        else:
            self.send_json(404, error_body("Unknown path " + self.path, "invalid_request_error",
                                           "not_found"))

    def chat(self, raw):
        delay_ms, retry_after = self.provider.admit()
        answered = False
        try:
            if delay_ms is None:
                self.send_json(429, error_body(
                    f"Rate limit reached: {self.provider.rpm} requests per minute. "
                    f"Please try again in {retry_after}s.", "requests", "rate_limit_exceeded"),
                    [("Retry-After", str(retry_after))])
                return
            try:
                answer = completion(json.loads(raw))
            except (ValueError, AttributeError, TypeError) as e:
                self.send_json(400, error_body("Invalid request: " + str(e),
                                               "invalid_request_error", "invalid_request"))
                return
            time.sleep(delay_ms / 1000.0)
            self.send_json(200, answer)
            answered = True
        finally:
            self.provider.done(delay_ms or 0.0, answered)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of new connections must not wait for a SYN retry


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port (printed)")
    parser.add_argument("--median-ms", type=float, default=2000.0)
    parser.add_argument("--p95-ms", type=float, default=8000.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rpm", type=int, default=0, help="requests per minute, 0: no limit")
    args = parser.parse_args()
    try:
        Handler.provider = Provider(args.median_ms, args.p95_ms, args.seed, args.rpm)
    except ValueError as e:
        parser.error(str(e))
    server = Server(("127.0.0.1", args.port), Handler)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
