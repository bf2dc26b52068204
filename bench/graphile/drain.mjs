// graphile-worker draining no-op jobs, the reference of bench/pg_jobs_benchmark.cpp.
//   node drain.mjs prepare URL JOBS   installs graphile-worker's schema in the database at URL
//                                     and queues JOBS no-op jobs (not timed)
//   node drain.mjs work URL CONCURRENCY
//                                     one node: loads graphile-worker, prints "ready", waits for a
//                                     line on stdin, then runs a worker with CONCURRENCY until
//                                     stdin closes
// The benchmark starts one `work` process per node, releases them together and times the queue
// until it is empty.
import { Logger, makeWorkerUtils, run, runMigrations } from "graphile-worker";
import readline from "node:readline";

const [mode, connectionString, count] = process.argv.slice(2);
// Errors only: a log line per job would measure the console.
const logger = new Logger(() => (level, message) => {
  if (level === "error") console.error(message);
});

if (mode === "prepare") {
  await runMigrations({ connectionString, logger });
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
} else if (mode === "work") {
  const lines = readline.createInterface({ input: process.stdin });
  console.log("ready");
  const iterator = lines[Symbol.asyncIterator]();
  await iterator.next();  // go
  const runner = await run({
    connectionString,
    concurrency: Number(count),
    noHandleSignals: true,
    pollInterval: 1000,
    logger,
    taskList: { noop: async () => {} },
  });
  await iterator.next();  // stdin closed: stop
  await runner.stop();
} else {
  console.error("usage: node drain.mjs prepare URL JOBS | work URL CONCURRENCY");
  process.exit(2);
}
