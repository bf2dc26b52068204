#include "pg_db.hpp"

#include <libpq-fe.h>

#include <boost/json/object.hpp>

namespace rapport::pg {

Error ToError(const PgError& e) {
  const std::string& s = e.sqlstate();
  auto unavailable = [] {
    return Error(ErrorCode::kServiceUnavailable, "The database is unavailable; retry shortly",
                 boost::json::object{{"retry_after", 1}});
  };
  if (s == "23505" || s == "23503") return Error(ErrorCode::kConflict, "The change conflicts");
  if (s.empty() || s == "40001" || s == "40P01" || s.rfind("08", 0) == 0 || s.rfind("53", 0) == 0 ||
      s.rfind("57P0", 0) == 0) {
    return unavailable();
  }
  return Error::Internal("postgresql " + s + ": " + e.what());
}

Param P(const std::string& text) { return text; }
Param P(int64_t value) { return std::to_string(value); }
Param P(const std::optional<std::string>& text) { return text; }
Param P(const std::optional<int64_t>& value) {
  return value ? Param(std::to_string(*value)) : std::nullopt;
}

Rows::~Rows() {
  if (result_) PQclear(result_);
}

int Rows::size() const { return PQntuples(result_); }

int64_t Rows::affected() const {
  const char* n = PQcmdTuples(result_);
  return n && *n ? std::stoll(n) : 0;
}

bool Rows::IsNull(int row, int col) const { return PQgetisnull(result_, row, col) == 1; }

std::string Rows::Text(int row, int col) const {
  return std::string(PQgetvalue(result_, row, col),
                     static_cast<size_t>(PQgetlength(result_, row, col)));
}

int64_t Rows::Int(int row, int col) const {
  return IsNull(row, col) ? 0 : std::stoll(PQgetvalue(result_, row, col));
}

std::optional<std::string> Rows::OptionalText(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Text(row, col);
}

std::optional<int64_t> Rows::OptionalInt(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Int(row, col);
}

Connection::Connection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw PgError("", "cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeProcessor(
      conn_, [](void*, const char*) {}, nullptr);  // NOTICEs are not errors
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

Rows Connection::Exec(const std::string& sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Rows(Checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0)));
}

void Connection::Script(const std::string& sql) { PQclear(Checked(PQexec(conn_, sql.c_str()))); }

PGresult* Connection::Checked(PGresult* r) {
  ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  const char* field = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string state = field ? field : "";  // copied: it lives in `r`
  std::string message = r ? PQresultErrorMessage(r) : PQerrorMessage(conn_);
  if (r) PQclear(r);
  throw PgError(state, message);
}

Transaction::Transaction(Connection& c, const char* begin) : c_(c) { c_.Exec(begin); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    c_.Exec("ROLLBACK");
  } catch (const PgError&) {  // the connection is gone; the server rolled back
  }
}

void Transaction::Commit() {
  c_.Exec("COMMIT");
  done_ = true;
}

Pool::Lease::~Lease() {
  if (pool_ && c_) pool_->Return(std::move(c_));
}

Result<Pool::Lease> Pool::Acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, wait, [this] { return !idle_.empty() || open_ < size_; })) {
    return Error(ErrorCode::kServiceUnavailable, "No database connection is free; retry shortly",
                 boost::json::object{{"retry_after", 1}});
  }
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(c));
  }
  ++open_;
  lock.unlock();
  try {
    return Lease(this, std::make_unique<Connection>(conninfo_));
  } catch (const PgError& e) {
    std::lock_guard relock(mu_);
    --open_;
    cv_.notify_one();
    return ToError(e);
  }
}

void Pool::Return(std::unique_ptr<Connection> c) {
  std::lock_guard lock(mu_);
  if (c->ok()) {
    idle_.push_back(std::move(c));
  } else {
    --open_;  // dropped; a later Acquire opens a fresh one
  }
  cv_.notify_one();
}

int Pool::open() const {
  std::lock_guard lock(mu_);
  return open_;
}

}  // namespace rapport::pg
