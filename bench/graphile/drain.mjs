// graphile-worker, the reference of bench/pg_jobs_benchmark.cpp.
//   node drain.mjs prepare URL JOBS   installs graphile-worker's schema in the database at URL
//                                     and queues JOBS no-op jobs (not timed; 0: schema only)
//   node drain.mjs work URL CONCURRENCY CONFIG
//                                     one node in configuration CONFIG (`default` or `tuned`, see
//                                     below): loads graphile-worker, prints "ready", waits for a
//                                     line on stdin, runs a worker with CONCURRENCY (prints
//                                     "running" once it has started) until stdin closes, then
//                                     prints "done <jobs run> <first task start, µs since epoch>"
//                                     and "latency_us <a,b,…>" (see the task below)
// The benchmark starts one `work` process per node, releases them together and times the queue
// until it is empty; for latency it queues jobs one at a time into an idle node.
import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";
import { performance } from "node:perf_hooks";
import readline from "node:readline";

const [mode, connectionString, count, config] = process.argv.slice(2);
// Errors only: a log line per job would measure the console.
const logger = new Logger(() => (level, message) => {
  if (level === "error") console.error(message);
});

// `default`: graphile-worker as installed, only the concurrency set.
// `tuned`: the configuration of graphile-worker's own performance page
// (https://worker.graphile.org/docs/performance, "Quick stats" preset, read for 0.18.0):
// `localQueue: { size: 500 }`, `completeJobBatchDelay: 0`, `failJobBatchDelay: 0`, and the pool
// that page pairs with its concurrency (24 jobs, 25 connections). The option's own documentation
// (`maxPoolSize` in dist/index.d.ts) recommends "10 or concurrentJobs + 2, whichever is larger";
// we take that, the larger of the two recommendations.
function workerPreset(concurrency, name) {
  if (name === "default") return { worker: {} };
  if (name === "tuned") {
    return {
      worker: {
        maxPoolSize: Math.max(10, concurrency + 2),
        localQueue: { size: 500 },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    };
  }
  throw new Error(`unknown configuration ${name} (default|tuned)`);
}

// Microseconds since the Unix epoch on the system clock, as the C++ side stamps enqueues.
function nowUs() {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

async function prepare() {
  await runMigrations({ connectionString, logger });
  if (Number(count) === 0) return;
  const utils = await makeWorkerUtils({ connectionString, logger });
  // One bulk insert (add_jobs), as Rapport's side is enqueued before the clock starts too.
  await utils.withPgClient((client) =>
    client.query(
      "SELECT count(*) FROM graphile_worker.add_jobs((SELECT array_agg(ROW('noop', " +
        "json_build_object('i', i), NULL, NULL, NULL, NULL, NULL, NULL)::graphile_worker.job_spec) " +
        "FROM generate_series(1, $1::int) AS i))",
      [Number(count)],
    ),
  );
  await utils.release();
}

async function work() {
  const concurrency = Number(count);
  const preset = workerPreset(concurrency, config);
  const lines = readline.createInterface({ input: process.stdin });
  const iterator = lines[Symbol.asyncIterator]();
  let ran = 0;
  let firstStartUs = 0;
  const latencies = [];
  // A job queued by the latency test carries `t`, its enqueue time (µs since the epoch): the
  // task records start - t. Drain jobs carry no `t`.
  const noop = async (payload) => {
    const startUs = nowUs();
    if (ran === 0) firstStartUs = startUs;
    ran += 1;
    if (payload && payload.t !== undefined) latencies.push(startUs - Number(payload.t));
  };
  console.log("ready");
  await iterator.next();  // go
  const runner = await run({
    connectionString,
    concurrency,
    noHandleSignals: true,
    logger,
    preset,
    taskList: { noop },
  });
  console.log("running");
  await iterator.next();  // stdin closed: stop
  await runner.stop();
  console.log(`done ${ran} ${firstStartUs}`);
  console.log(`latency_us ${latencies.join(",")}`);
}

if (mode === "prepare") {
  await prepare();
} else if (mode === "work") {
  await work();
} else {
  console.error("usage: node drain.mjs prepare URL JOBS | work URL CONCURRENCY default|tuned");
  process.exit(2);
}
