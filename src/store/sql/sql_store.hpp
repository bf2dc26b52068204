// The one implementation of Store, written against the shared SQL layer. A backend supplies the
// connections and the transactions; everything else (queries, tenant checks, error mapping)
// is here, so SQLite and PostgreSQL behave alike by construction and the conformance suite
// checks what little differs (dialect-specific statements, isolation).
#pragma once

#include "sql_db.hpp"

#include <rapport/store/store.hpp>

#include <functional>
#include <memory>

namespace rapport::sql {

// What a write transaction must guarantee.
enum class Isolation {
  // As if it ran alone: transactions that read, decide, then write (a count before an insert,
  // a lookup before an upsert).
  kSerializable,
  // Each statement sees what is committed and locks the rows it changes: enough for
  // compare-and-set updates (`… WHERE lease_owner = ?`) and claims that skip locked rows, and
  // it never fails with a serialization conflict, so job traffic from several nodes flows.
  kReadCommitted,
  // Every statement is correct on its own (a claim that picks and leases a row in one UPDATE):
  // PostgreSQL runs them without BEGIN/COMMIT, which saves two round trips per call.
  kSingleStatements,
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Runs `body` on a connection for reading (each statement sees committed data).
  virtual void Read(const std::function<void(Connection&)>& body) = 0;
  // Runs `body` in a write transaction that commits when it returns true and rolls back
  // otherwise. A backend may run `body` again after a serialization failure, so it must have no
  // effect outside the database. Throws DbError.
  virtual void Write(Isolation isolation, const std::function<bool(Connection&)>& body) = 0;
  // The highest migration version this build applies.
  virtual int LatestMigration() const = 0;
  // Inside a write transaction: waits until no other process is applying migrations, and keeps
  // them out until the transaction ends (a single writer needs nothing more).
  virtual void LockMigrations(Connection& c) = 0;
  // Notices of jobs enqueued by other processes (JobQueue::ListenForJobs); nullptr: none.
  virtual std::unique_ptr<JobNotices> ListenForJobs() { return nullptr; }
  // See JobQueue::ConcurrentBatches.
  virtual int ConcurrentBatches() const { return 1; }
  // See RetentionStore::ReclaimSpace: outside any transaction. Throws DbError.
  virtual void ReclaimSpace() {}
};

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Backend> backend);

}  // namespace rapport::sql
