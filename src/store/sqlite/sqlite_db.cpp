#include "sqlite_db.hpp"

#include <boost/json.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>

namespace rapport::sqlite {
namespace {
void Check(sqlite3_stmt* stmt, int rc) {
  if (rc != SQLITE_OK) {
    sqlite3* db = sqlite3_db_handle(stmt);
    throw SqliteError(rc, fmt::format("bind failed: {}", sqlite3_errmsg(db)));
  }
}
// SQLite's heap through a per-thread cache of small blocks. Debian's SQLite is built without
// lookaside, so every statement run allocates and frees a block per text column it reads and per
// cursor (about 16 for a brand read): a cache hit is a few instructions where glibc's malloc and
// free cost ~200 a pair. Blocks of at most kLargestClass bytes are kept, kKeep of a size per
// thread, on the thread that freed them; larger ones go straight to malloc. Each block starts
// with a header holding its usable size (what xSize answers).
namespace block_cache {

constexpr size_t kHeader = 16;  // keeps the 16-byte alignment malloc gives
constexpr size_t kSmallestClass = 64;
constexpr size_t kClasses = 5;  // 64, 128, 256, 512, 1024 bytes
constexpr size_t kLargestClass = kSmallestClass << (kClasses - 1);
constexpr int kKeep = 32;

struct Cache {
  void* blocks[kClasses][kKeep];
  int count[kClasses] = {};
  ~Cache();
};
thread_local bool cache_gone = false;  // trivially destructible: readable after ~Cache
thread_local Cache cache;

size_t ClassOf(size_t usable) {  // usable: a class size, a power of two
  return static_cast<size_t>(std::countr_zero(usable) - std::countr_zero(kSmallestClass));
}

size_t& UsableSize(void* block) { return *static_cast<size_t*>(block); }

int Roundup(int n) {
  auto size = static_cast<size_t>(n);
  if (size > kLargestClass) return static_cast<int>((size + 15) & ~size_t{15});
  return static_cast<int>(std::bit_ceil(std::max(size, kSmallestClass)));
}

void* Malloc(int n) {
  auto usable = static_cast<size_t>(Roundup(n));
  if (usable <= kLargestClass && !cache_gone) {
    size_t c = ClassOf(usable);
    if (cache.count[c] > 0) return static_cast<char*>(cache.blocks[c][--cache.count[c]]) + kHeader;
  }
  void* block = std::malloc(kHeader + usable);
  if (block == nullptr) return nullptr;
  UsableSize(block) = usable;
  return static_cast<char*>(block) + kHeader;
}

void Free(void* p) {
  if (p == nullptr) return;
  void* block = static_cast<char*>(p) - kHeader;
  size_t usable = UsableSize(block);
  if (usable <= kLargestClass && !cache_gone) {
    size_t c = ClassOf(usable);
    if (cache.count[c] < kKeep) {
      cache.blocks[c][cache.count[c]++] = block;
      return;
    }
  }
  std::free(block);
}

int Size(void* p) {
  return p == nullptr ? 0 : static_cast<int>(UsableSize(static_cast<char*>(p) - kHeader));
}

void* Realloc(void* p, int n) {
  if (p == nullptr) return Malloc(n);
  int have = Size(p);
  if (n <= have) return p;
  void* grown = Malloc(n);
  if (grown == nullptr) return nullptr;
  std::memcpy(grown, p, static_cast<size_t>(have));
  Free(p);
  return grown;
}

Cache::~Cache() {
  cache_gone = true;
  for (size_t c = 0; c < kClasses; ++c) {
    for (int i = 0; i < count[c]; ++i) std::free(blocks[c][i]);
  }
}

int Init(void*) { return SQLITE_OK; }
void Shutdown(void*) {}

}  // namespace block_cache

// Before SQLite initializes: the block cache above as its heap, and memory statistics off (with
// them on, every allocation of SQLite's takes and releases a global mutex; nothing here reads
// sqlite3_memory_used or sets a heap limit). Once per process; each a no-op (SQLITE_MISUSE)
// should SQLite be initialized already.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    static const sqlite3_mem_methods kMethods = {
        block_cache::Malloc,  block_cache::Free, block_cache::Realloc,  block_cache::Size,
        block_cache::Roundup, block_cache::Init, block_cache::Shutdown, nullptr};
    bool heap = sqlite3_config(SQLITE_CONFIG_MALLOC, &kMethods) == SQLITE_OK;
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK && heap;
  }();
  (void)configured;
}

}  // namespace

class Connection::CachedStatement final : public sql::StatementImpl {
 public:
  explicit CachedStatement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~CachedStatement() override { sqlite3_finalize(stmt_); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  void BindText(int index, std::string_view text) override {
    clean_ = false;
    Check(stmt_, sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                                   SQLITE_TRANSIENT));
  }
  void BindInt(int index, int64_t value) override {
    clean_ = false;
    Check(stmt_, sqlite3_bind_int64(stmt_, index, value));
  }
  void BindNull(int index) override {
    clean_ = false;
    Check(stmt_, sqlite3_bind_null(stmt_, index));
  }
  void BindBlob(int index, std::string_view bytes) override {
    clean_ = false;
    Check(stmt_, sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  }

  bool Step() override {
    clean_ = false;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3* db = sqlite3_db_handle(stmt_);
    int code = sqlite3_extended_errcode(db);
    std::string msg = sqlite3_errmsg(db);
    sqlite3_reset(stmt_);
    throw SqliteError(code, fmt::format("step failed: {}", msg));
  }

  int64_t Changes() override { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  std::string Text(int column) const override {
    const auto* p = sqlite3_column_text(stmt_, column);
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
             : std::string();
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  std::string Blob(int column) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    int n = sqlite3_column_bytes(stmt_, column);
    return p ? std::string(p, static_cast<size_t>(n)) : std::string();
  }

  void Reset() override {
    if (clean_) return;  // reset already, and neither bound nor stepped since
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    clean_ = true;
  }

 private:
  sqlite3_stmt* stmt_;
  bool clean_ = true;  // freshly prepared or reset: no bindings, no open step
};

Error SqliteError::ToError() const {
  int primary = code_ & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY) {
    return Error(ErrorCode::kServiceUnavailable, "The database is temporarily unavailable",
                 boost::json::object{{"retry_after", 1}});
  }
  if (primary == SQLITE_CONSTRAINT) return Error(ErrorCode::kConflict, "");
  return Error::Internal(what());
}

Connection::Connection(const std::string& path, int busy_timeout_ms) {
  ConfigureSqliteOnce();
  int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) Fail(rc, fmt::format("open {}", path));
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  Exec("PRAGMA journal_mode=WAL");
  Exec("PRAGMA synchronous=FULL");
  Exec("PRAGMA foreign_keys=ON");
}

Connection::~Connection() {
  cache_.clear();  // finalizes the statements
  sqlite3_close_v2(db_);
}

void Connection::Fail(int rc, std::string_view context) {
  std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw SqliteError(db_ ? sqlite3_extended_errcode(db_) : rc, fmt::format("{}: {}", context, msg));
}

void Connection::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(sqlite3_extended_errcode(db_), msg);
  }
}

Statement Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) Fail(rc, "prepare");
    it = cache_.emplace(sql, std::make_unique<CachedStatement>(stmt)).first;
  }
  it->second->Reset();
  return Statement(it->second.get());
}

bool Connection::ReadWalHeader(uint32_t* out) {
  if (wal_index_ == nullptr) {
    // Region 0 of the WAL index, which SQLite mapped at the connection's first read (isWrite 0:
    // never created here). 32 KiB is the region size SQLite maps it with (WALINDEX_PGSZ).
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
        file->pMethods->xShmMap == nullptr) {
      return false;
    }
    void volatile* region = nullptr;
    if (file->pMethods->xShmMap(file, 0, 32 * 1024, 0, &region) != SQLITE_OK) return false;
    wal_index_ = static_cast<const volatile uint32_t*>(region);
    if (wal_index_ == nullptr) return false;
  }
  for (int i = 0; i < kWalHeaderWords; ++i) out[i] = WalHeaderWord(i);
  return true;
}

uint32_t Connection::WalHeaderWord(int i) const {
  // The first of the header's two copies, which a commit writes last.
  return __atomic_load_n(const_cast<const uint32_t*>(wal_index_) + i, __ATOMIC_ACQUIRE);
}

bool Connection::SnapshotIsCurrent() const {
  if (!snapshot_header_known_ || !InTransaction()) return false;
  for (int i = 0; i < kWalHeaderWords; ++i) {
    if (WalHeaderWord(i) != snapshot_header_[i]) return false;
  }
  return true;
}

void Connection::BeginSnapshot() {
  // The header first: a commit between it and the snapshot makes the snapshot newer than the
  // header, so the next check only ends it early.
  snapshot_header_known_ = ReadWalHeader(snapshot_header_);
  Prepare("BEGIN").Run();
}

bool Connection::EndSnapshot() {
  snapshot_header_known_ = false;
  if (!InTransaction()) return false;
  Prepare("ROLLBACK").Run();
  return true;
}

WriteTransaction::WriteTransaction(Connection& conn) : conn_(conn) {
  conn_.Exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  if (!done_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void WriteTransaction::Commit() {
  conn_.Exec("COMMIT");
  done_ = true;
}

}  // namespace rapport::sqlite
