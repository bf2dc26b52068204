#include "pg_db.hpp"

#include <libpq-fe.h>

#include <boost/json/object.hpp>

#include <charconv>
#include <cstring>

namespace rapport::pg {

Error PgError::ToError() const {
  const std::string& s = sqlstate_;
  auto unavailable = [] {
    return Error(ErrorCode::kServiceUnavailable, "The database is unavailable; retry shortly",
                 boost::json::object{{"retry_after", 1}});
  };
  if (s == "23505" || s == "23503") return Error(ErrorCode::kConflict, "The change conflicts");
  if (s.empty() || s == "40001" || s == "40P01" || s == "55P03" || s == "57014" ||
      s.rfind("08", 0) == 0 || s.rfind("53", 0) == 0 || s.rfind("57P0", 0) == 0) {
    return unavailable();
  }
  return Error::Internal("postgresql " + s + ": " + what());
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
  cache_.clear();
  if (conn_) PQfinish(conn_);
}

bool Connection::ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }

Rows Connection::Query(const std::string& sql, const std::vector<Param>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  return Rows(Checked(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0)));
}

void Connection::Exec(const char* sql) { PQclear(Checked(PQexec(conn_, sql))); }

void Connection::CopyIn(const char* copy_sql, size_t pieces,
                        const std::function<void(size_t piece, std::string& rows)>& write) {
  PGresult* start = PQexec(conn_, copy_sql);
  if (start == nullptr || PQresultStatus(start) != PGRES_COPY_IN) {
    PQclear(Checked(start));  // throws: not a COPY FROM STDIN that started
    throw PgError("XX000", "COPY did not start");
  }
  PQclear(start);
  bool sent = true;
  std::string rows;
  for (size_t piece = 0; sent && piece < pieces; ++piece) {
    rows.clear();
    write(piece, rows);
    sent = PQputCopyData(conn_, rows.data(), static_cast<int>(rows.size())) == 1;
  }
  sent = PQputCopyEnd(conn_, sent ? nullptr : "the rows could not be sent") == 1 && sent;
  PGresult* done = PQgetResult(conn_);  // the COPY's outcome; then none left
  while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
  PQclear(Checked(done));
  if (!sent) throw PgError("08006", "COPY: " + std::string(PQerrorMessage(conn_)));
}

std::string TranslatePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  char quote = 0;  // inside '…' or "…"
  for (size_t i = 0; i < sql.size(); ++i) {
    char ch = sql[i];
    if (quote != 0) {
      if (ch == quote) quote = 0;  // a doubled quote closes and reopens: same result
      out += ch;
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      out += ch;
    } else if (ch == '?') {
      size_t end = i + 1;
      while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
      int number = highest + 1;
      if (end > i + 1) std::from_chars(sql.data() + i + 1, sql.data() + end, number);
      highest = std::max(highest, number);
      out += '$';
      out += std::to_string(number);
      i = end - 1;
    } else {
      out += ch;
    }
  }
  return out;
}

// A store query prepared once per connection under a name of its own; parameters are kept as
// text (or bytes, for BYTEA) until the first Step executes it. Results are read as text.
class Connection::PreparedStatement final : public sql::StatementImpl {
 public:
  PreparedStatement(Connection& conn, std::string name, std::string sql)
      : conn_(conn), name_(std::move(name)), sql_(std::move(sql)) {}
  ~PreparedStatement() override { Clear(); }
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;

  void BindText(int index, std::string_view text) override { Set(index, std::string(text), 0); }
  void BindInt(int index, int64_t value) override { Set(index, std::to_string(value), 0); }
  void BindNull(int index) override { Set(index, std::nullopt, 0); }
  void BindBlob(int index, std::string_view bytes) override { Set(index, std::string(bytes), 1); }

  bool Step() override {
    if (result_ == nullptr) Execute();
    return ++row_ < PQntuples(result_);
  }

  int64_t Changes() override {
    const char* n = result_ ? PQcmdTuples(result_) : nullptr;
    int64_t out = 0;
    if (n != nullptr && *n != 0) std::from_chars(n, n + std::strlen(n), out);
    return out;
  }

  bool IsNull(int column) const override { return PQgetisnull(result_, row_, column) == 1; }
  std::string Text(int column) const override {
    return std::string(PQgetvalue(result_, row_, column),
                       static_cast<size_t>(PQgetlength(result_, row_, column)));
  }
  int64_t Int(int column) const override {
    if (IsNull(column)) return 0;  // as SQLite reads it
    const char* v = PQgetvalue(result_, row_, column);
    const char* end = v + PQgetlength(result_, row_, column);
    int64_t out = 0;
    if (std::from_chars(v, end, out).ptr != end) {  // e.g. a boolean: write 1/0 in the query
      throw PgError("XX000", "column " + std::to_string(column) + " is not an integer");
    }
    return out;
  }
  std::string Blob(int column) const override {
    size_t n = 0;
    unsigned char* bytes = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)), &n);
    if (bytes == nullptr) throw PgError("XX000", "cannot decode a BYTEA column");
    std::string out(reinterpret_cast<const char*>(bytes), n);
    PQfreemem(bytes);
    return out;
  }

  void Reset() override { Clear(); }

 private:
  void Set(int index, std::optional<std::string> value, int format) {
    auto slot = static_cast<size_t>(index - 1);
    if (values_.size() <= slot) {
      values_.resize(slot + 1);
      formats_.resize(slot + 1, 0);
    }
    values_[slot] = std::move(value);
    formats_[slot] = format;
  }

  void Execute() {
    if (!prepared_) {
      PQclear(conn_.Checked(PQprepare(conn_.conn_, name_.c_str(), sql_.c_str(), 0, nullptr)));
      prepared_ = true;
    }
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      if (values_[i]) {
        values[i] = values_[i]->data();
        lengths[i] = static_cast<int>(values_[i]->size());
      }
    }
    result_ =
        conn_.Checked(PQexecPrepared(conn_.conn_, name_.c_str(), static_cast<int>(values.size()),
                                     values.data(), lengths.data(), formats_.data(), 0));
    row_ = -1;
  }

  void Clear() {
    if (result_ != nullptr) PQclear(result_);
    result_ = nullptr;
    values_.clear();
    formats_.clear();
  }

  Connection& conn_;
  std::string name_;
  std::string sql_;
  bool prepared_ = false;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;
  int row_ = -1;
};

sql::Statement Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto name = "rapport_" + std::to_string(cache_.size() + 1);
    it = cache_
             .emplace(sql, std::make_unique<PreparedStatement>(*this, std::move(name),
                                                               TranslatePlaceholders(sql)))
             .first;
  }
  it->second->Reset();
  return sql::Statement(it->second.get());
}

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
    auto c = std::make_unique<Connection>(conninfo_);
    if (!setup_.empty()) c->Exec(setup_.c_str());
    return Lease(this, std::move(c));
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
