#!/usr/bin/env bash
# Brand-run pace (issue 18): the wall time of one brand run against a realistic local answer
# engine (bench/llm_provider.py: log-normal latency, median MEDIAN_MS, p95 P95_MS; optional
# requests-per-minute limit answered with 429 + Retry-After), compared with the ideal for the
# run's concurrency. Each scenario gets a cold rapportd on a fresh SQLite data dir and a fresh
# provider; the provider's counters (and its latency draws, from the same seed) are reset before
# every run, so every run of every scenario sees the same delays.
#   (a) concurrent:   RAPPORT_LLM_CONCURRENCY=CONCURRENCY, no provider limit, ROUNDS runs
#   (b) rate-limited: the same with the provider at RPM requests per minute, RPM_ROUNDS runs
#   (c) sequential:   RAPPORT_LLM_CONCURRENCY=1 and RAPPORT_LLM_MAX_IN_FLIGHT=1, one run: one
#                     call at a time, as brand runs went before issue 18 (the "before" figure)
# The run: one brand (with the facts description a run requires), one schedule, REGIONS region
# configs x PROMPTS prompts x PLATFORMS platforms. The provider never names the brand (it names
# competitors), so no answer is judged and every call is an independent answer; JUDGE=1 names
# the brand "Acme Analytics", which the provider names in half of its answers: those answers are
# judged (one more call each, after the answer).
# Per scenario: calls (answered by the provider), their mean latency (the provider's drawn
# delays), slots = CONCURRENCY x platforms (each platform is its own endpoint, its own model;
# at most llm.max_in_flight, 64), ideal = calls x mean / slots (with RPM: no less than what the
# rate window allows, see ideal_s below), wall (client side, run POST -> job terminal; median of
# rounds), wall/ideal (target <= 1.25), overhead per call = (wall - ideal) x slots / calls, the
# provider's max in flight and its 429 count. Printed, and written to
# $RESULTS_DIR/brand_pace.json (bench/results by default, not versioned).
# Usage: bench/brand_pace.sh [BUILD_DIR]   (`make bench` runs it after bench/run.sh; full size
#   takes about 18 minutes, of which the sequential run is about 12)
# env: REGIONS (3) PROMPTS (40, at most 50) PLATFORMS (2, at most 8) ROUNDS (3) RPM (120)
#      RPM_ROUNDS (1)
#      MEDIAN_MS (2000) P95_MS (8000) SEED (1) CONCURRENCY (8) SKIP_SEQUENTIAL=1 ONLY_SEQUENTIAL=1
#      JUDGE=1
#      RUN_TIMEOUT_S (7200) RESULTS_DIR
# e.g. a quick check: REGIONS=1 PROMPTS=3 MEDIAN_MS=200 P95_MS=800 ROUNDS=1 bench/brand_pace.sh
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$(cd "$BUILD_DIR/bin" && pwd)"
HERE="$(cd "$(dirname "$0")" && pwd)"
REGIONS=${REGIONS:-3}
PROMPTS=${PROMPTS:-40}
PLATFORMS=${PLATFORMS:-2}
ROUNDS=${ROUNDS:-3}
RPM_ROUNDS=${RPM_ROUNDS:-1}
RPM=${RPM:-120}
MEDIAN_MS=${MEDIAN_MS:-2000}
P95_MS=${P95_MS:-8000}
SEED=${SEED:-1}
CONCURRENCY=${CONCURRENCY:-8}
SKIP_SEQUENTIAL=${SKIP_SEQUENTIAL:-0}
ONLY_SEQUENTIAL=${ONLY_SEQUENTIAL:-0}
JUDGE=${JUDGE:-0}
RUN_TIMEOUT_S=${RUN_TIMEOUT_S:-7200}
RESULTS_DIR=${RESULTS_DIR:-bench/results}
export REGIONS PROMPTS PLATFORMS JUDGE MEDIAN_MS P95_MS SEED RUN_TIMEOUT_S  # read by the client
mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d /tmp/rapport-brand-pace.XXXXXX)
RAPPORTD_PID=
PROVIDER_PID=

stop_pid() {  # stop_pid PID: SIGTERM, then SIGKILL after 10 s
  local pid=$1
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  stop_pid "$RAPPORTD_PID"
  stop_pid "$PROVIDER_PID"
  if [ "$rc" = 0 ]; then rm -rf "$WORK"; else echo "brand_pace: failed; logs kept in $WORK" >&2; fi
}
trap cleanup EXIT

# The client: sets up the run through /v1, runs and times one execution, and summarizes.
cat > "$WORK/client.py" <<'PY'
import json, os, statistics, sys, time, urllib.error, urllib.request, uuid

PLATFORMS = ["chatgpt", "perplexity", "claude", "gemini", "grok", "ai_overviews",
             "chatgpt_search", "claude_search"]
COUNTRIES = ["US", "DE", "FR", "GB", "ES", "IT", "NL", "SE", "PL", "JP"]
TOPICS = ["a startup", "an online shop", "a bank", "a hospital", "a newsroom", "a school",
          "a game studio", "a logistics firm", "a city council", "a charity"]
TERMINAL = ("completed", "failed", "cancelled")


def call(method, url, body=None, token=None, timeout=60):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    if method == "POST" and "/v1/" in url:
        headers["Idempotency-Key"] = str(uuid.uuid4())
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def expect(want, what, result):
    status, body = result
    if status != want:
        sys.exit(f"brand_pace: {what}: {status} {body}")
    return body


def setup(url, token, regions, prompts, platforms, judge):
    if judge:
        brand = {"name": "Acme Analytics", "brand_aliases": ["Acme"],
                 "competitors": ["Globex Insights", "Initech"]}
    else:
        brand = {"name": "Bench Brand", "competitors": ["Acme Analytics", "Globex Insights",
                                                        "Initech"]}
    brand["website"] = "https://bench.example.com"
    brand_id = expect(201, "POST /v1/brands", call("POST", url + "/v1/brands", brand, token))["id"]
    # A run needs the facts' description (422 brand_facts_required).
    expect(200, "PATCH facts", call("PATCH", f"{url}/v1/brands/{brand_id}/facts",
                                    {"description": "Analytics software for teams"}, token))
    schedule_id = expect(201, "POST /v1/scheduled-reports",
                         call("POST", url + "/v1/scheduled-reports",
                              {"brand_id": brand_id, "name": "pace", "frequency": "weekly"},
                              token))["id"]
    for r in range(regions):
        country = COUNTRIES[r % len(COUNTRIES)]
        config_id = expect(201, "POST /v1/region-configs",
                           call("POST", url + "/v1/region-configs",
                                {"brand_id": brand_id, "scheduled_report_id": schedule_id,
                                 "name": f"Region {r + 1} ({country})", "country": country,
                                 "language": "en", "ai_platforms": PLATFORMS[:platforms]},
                                token))["id"]
        texts = [{"prompt_text": f"What is the best analytics software for "
                                 f"{TOPICS[i % len(TOPICS)]}? (question {i + 1})",
                  "category": ["discovery", "comparison", "usage"][i % 3]}
                 for i in range(prompts)]
        for start in range(0, prompts, 50):
            expect(201, "POST prompts", call("POST", f"{url}/v1/region-configs/{config_id}/prompts",
                                             {"prompts": texts[start:start + 50]}, token))
    print(schedule_id)


def run(url, token, schedule_id, provider, scenario, label, concurrency, rpm, max_in_flight):
    timeout_s = float(os.environ["RUN_TIMEOUT_S"])
    expect(200, "provider reset", call("POST", provider + "/stats/reset"))
    t0 = time.monotonic()
    job_id = expect(202, "POST executions",
                    call("POST", f"{url}/v1/scheduled-reports/{schedule_id}/executions", {},
                         token))["job_id"]
    job = {}
    while time.monotonic() - t0 < timeout_s:
        job = expect(200, "GET job", call("GET", f"{url}/v1/jobs/{job_id}", None, token))
        if job["status"] in TERMINAL:
            break
        time.sleep(0.02)
    wall = time.monotonic() - t0
    status = job.get("status") if job.get("status") in TERMINAL else "timeout"
    error = None
    if status != "completed":
        result = job.get("result") or {}
        error = (result.get("error") or {}).get("message") or job.get("message")
    stats = expect(200, "provider stats", call("GET", provider + "/stats"))
    print(json.dumps({"scenario": scenario, "label": label, "concurrency": int(concurrency),
                      "max_in_flight": int(max_in_flight), "rpm": int(rpm),
                      "round": {"wall_s": round(wall, 3), "status": status, "error": error,
                                "job_completed": job.get("completed"),
                                "job_total": job.get("total"), "provider": stats}}))


def ideal_s(calls, mean_ms, concurrency, rpm):
    """The least wall time: calls x mean latency / concurrency. With a limit of rpm requests
    in any 60 s, call k + rpm cannot start before 60 s after call k, so the last block of calls
    (those after the first floor((calls - 1) / rpm) full blocks) starts 60 s per full block
    after the first call and then needs its own share of concurrency time."""
    m = mean_ms / 1000.0
    ideal = calls * m / concurrency
    if rpm > 0 and calls > 0:
        blocks = (calls - 1) // rpm
        ideal = max(ideal, 60.0 * blocks + (calls - rpm * blocks) * m / concurrency)
    return ideal


def run_meta():
    e = os.environ
    regions, prompts, platforms = int(e["REGIONS"]), int(e["PROMPTS"]), int(e["PLATFORMS"])
    return {"benchmark": "brand_pace", "regions": regions, "prompts": prompts,
            "platforms": PLATFORMS[:platforms], "answers_per_run": regions * prompts * platforms,
            "judge": e["JUDGE"] == "1",
            "provider": {"median_ms": float(e["MEDIAN_MS"]), "p95_ms": float(e["P95_MS"]),
                         "seed": int(e["SEED"])},
            "cores": os.cpu_count()}


def summarize(rounds_file, out_file):
    meta = run_meta()
    scenarios = {}
    for line in open(rounds_file):
        rec = json.loads(line)
        sc = scenarios.setdefault(rec["scenario"], {k: rec[k] for k in
                                                    ("scenario", "label", "concurrency",
                                                     "max_in_flight", "rpm")})
        sc.setdefault("rounds", []).append(rec["round"])
    out = []
    for sc in scenarios.values():
        rounds = sc["rounds"]
        answered = sum(r["provider"]["answered"] for r in rounds)
        calls = statistics.median_low([r["provider"]["answered"] for r in rounds])
        mean_ms = sum(r["provider"]["latency_ms_sum"] for r in rounds) / answered if answered else 0
        # Each platform is its own endpoint (its own model) with `concurrency` slots; the
        # process allows llm.max_in_flight in all.
        conc = min(sc["concurrency"] * len(meta["platforms"]), sc["max_in_flight"])
        rpm = sc["rpm"]
        ideal = ideal_s(calls, mean_ms, conc, rpm)
        wall = statistics.median([r["wall_s"] for r in rounds])
        failed = [r for r in rounds if r["status"] != "completed"]
        sc.update({
            "runs": len(rounds),
            "runs_not_completed": len(failed),
            "calls": calls,
            "mean_latency_ms": round(mean_ms, 1),
            "slots": conc,
            "ideal_s": round(ideal, 3),
            "wall_s": round(wall, 3),
            "ratio": round(wall / ideal, 3) if ideal else None,
            "target_ratio": 1.25,
            "overhead_ms_per_call":
                round((wall - ideal) * conc / calls * 1000, 1) if calls else None,
            "max_in_flight": max(r["provider"]["max_in_flight"] for r in rounds),
            "rate_limited": statistics.median_low([r["provider"]["rate_limited"] for r in rounds]),
        })
        out.append(sc)
    result = dict(meta, scenarios=out)
    with open(out_file, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    p = meta["provider"]
    print(f"brand_pace: {meta['regions']} regions x {meta['prompts']} prompts x "
          f"{len(meta['platforms'])} platforms ({', '.join(meta['platforms'])}) = "
          f"{meta['answers_per_run']} answers per run"
          f"{', answers naming the brand judged' if meta['judge'] else ', no judge calls'}; "
          f"provider latency log-normal median {p['median_ms']:g} ms, p95 {p['p95_ms']:g} ms "
          f"(seed {p['seed']}); {meta['cores']} cores")
    head = (f"  {'scenario':<22}{'conc':>5}{'rpm':>5}{'runs':>5}{'calls':>7}{'mean ms':>9}"
            f"{'ideal s':>9}{'wall s':>9}{'wall/ideal':>11}{'overhead/call':>15}{'in flight':>10}"
            f"{'429s':>6}")
    print(head)
    for sc in out:
        ratio = f"{sc['ratio']:.2f}" if sc["ratio"] is not None else "-"
        over = f"{sc['overhead_ms_per_call']:.0f} ms" if sc["overhead_ms_per_call"] is not None \
            else "-"
        print(f"  {sc['scenario'] + ' ' + sc['label']:<22}{sc['concurrency']:>5}"
              f"{sc['rpm'] or '-':>5}{sc['runs']:>5}{sc['calls']:>7}{sc['mean_latency_ms']:>9.0f}"
              f"{sc['ideal_s']:>9.1f}{sc['wall_s']:>9.1f}{ratio:>11}{over:>15}"
              f"{sc['max_in_flight']:>10}{sc['rate_limited']:>6}")
    for sc in out:
        for i, r in enumerate(sc["rounds"]):
            if r["status"] != "completed":
                print(f"  {sc['scenario']} run {i + 1}: {r['status']}: {r['error']}")
    print("  wall: median of the runs, client side (run POST -> job terminal); ideal = calls x "
          "mean / conc\n  (with rpm: no less than its windows allow); target wall/ideal <= 1.25; "
          "overhead per call = (wall - ideal) x conc / calls")
    by = {sc["scenario"]: sc for sc in out}
    if "(a)" in by and "(c)" in by and by["(a)"]["wall_s"]:
        print(f"  (c) sequential / (a) concurrent wall: "
              f"{by['(c)']['wall_s'] / by['(a)']['wall_s']:.2f}x")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "setup":
        e = os.environ
        setup(*args, int(e["REGIONS"]), int(e["PROMPTS"]), int(e["PLATFORMS"]), e["JUDGE"] == "1")
    elif cmd == "run":
        run(*args)
    elif cmd == "summary":
        summarize(*args)
PY
client() { python3 "$WORK/client.py" "$@"; }

if [ "$PROMPTS" -lt 1 ] || [ "$PROMPTS" -gt 100 ] || [ "$PLATFORMS" -lt 1 ] ||
   [ "$PLATFORMS" -gt 8 ] || [ "$REGIONS" -lt 1 ]; then
  echo "need REGIONS >= 1, PROMPTS 1..100 and PLATFORMS 1..8" >&2
  exit 1
fi

start_provider() {  # start_provider RPM: sets PROVIDER_URL
  stop_pid "$PROVIDER_PID"
  : > "$WORK/provider.out"
  python3 "$HERE/llm_provider.py" --port 0 --median-ms "$MEDIAN_MS" --p95-ms "$P95_MS" \
    --seed "$SEED" --rpm "$1" > "$WORK/provider.out" 2>> "$WORK/provider.log" &
  PROVIDER_PID=$!
  for _ in $(seq 1 100); do [ -s "$WORK/provider.out" ] && break; sleep 0.05; done
  [ -s "$WORK/provider.out" ] || { echo "the provider did not start" >&2; exit 1; }
  PROVIDER_URL="http://127.0.0.1:$(head -1 "$WORK/provider.out")"
}

export RAPPORT_AUTH_HS256_SECRET=brand-pace-$$-$RANDOM
start_rapportd() {  # start_rapportd NAME CONCURRENCY MAX_IN_FLIGHT: a cold rapportd, fresh data dir
  stop_pid "$RAPPORTD_PID"
  local dir="$WORK/data-$1"
  mkdir -p "$dir"
  RAPPORT_LOG_REQUESTS=false RAPPORT_RATE_LIMIT_BURST_PER_MIN=0 RAPPORT_RATE_LIMIT_LLM_PER_MIN=0 \
    RAPPORT_LLM_BASE_URL="$PROVIDER_URL/v1" RAPPORT_LLM_API_KEY=bench \
    RAPPORT_LLM_CONCURRENCY="$2" RAPPORT_LLM_MAX_IN_FLIGHT="$3" \
    "$BIN/rapportd" --data-dir "$dir" --listen 127.0.0.1:0 >> "$WORK/rapportd-$1.log" 2>&1 &
  RAPPORTD_PID=$!
  for _ in $(seq 1 100); do [ -s "$dir/rapportd.addr" ] && break; sleep 0.1; done
  [ -s "$dir/rapportd.addr" ] || { echo "rapportd did not start" >&2; exit 1; }
  RAPPORT_URL="http://$(cat "$dir/rapportd.addr")"
  TOKEN=$("$BIN/rapport" token mint --tenant bench --scope '*' --ttl 7d)
}

: > "$WORK/rounds.jsonl"
scenario() {  # scenario ID LABEL CONCURRENCY MAX_IN_FLIGHT RPM RUNS
  local id=$1 label=$2 conc=$3 max=$4 rpm=$5 runs=$6
  start_provider "$rpm"
  start_rapportd "${label}" "$conc" "$max"
  local schedule
  schedule=$(client setup "$RAPPORT_URL" "$TOKEN")
  for i in $(seq 1 "$runs"); do
    local round
    round=$(client run "$RAPPORT_URL" "$TOKEN" "$schedule" "$PROVIDER_URL" "$id" "$label" \
      "$conc" "$rpm" "$max")
    echo "$round" >> "$WORK/rounds.jsonl"
    echo "$id $label run $i: $round"
  done
  stop_pid "$RAPPORTD_PID"; RAPPORTD_PID=
}

# (c) is main's code before issue 18 as it ran: one call at a time in the whole run.
[ "$ONLY_SEQUENTIAL" = 1 ] || scenario "(a)" concurrent "$CONCURRENCY" 64 0 "$ROUNDS"
[ "$ONLY_SEQUENTIAL" = 1 ] || scenario "(b)" rate-limited "$CONCURRENCY" 64 "$RPM" "$RPM_ROUNDS"
[ "$SKIP_SEQUENTIAL" = 1 ] || scenario "(c)" sequential 1 1 0 1

client summary "$WORK/rounds.jsonl" "$RESULTS_DIR/brand_pace.json" \
  | tee "$RESULTS_DIR/brand_pace.txt"
