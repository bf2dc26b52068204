#include "audit_backend.hpp"

#include <rapport/store/audit.hpp>

namespace rapport::sql {
namespace {

class AuditingBackend final : public Backend {
 public:
  explicit AuditingBackend(std::unique_ptr<Backend> inner) : inner_(std::move(inner)) {}

  void Read(const std::function<void(Connection&)>& body) override { inner_->Read(body); }

  // The row goes first, so that a body that fails or throws takes it back with its own writes.
  // A transaction is needed for that: statements run alone (kSingleStatements) become one.
  void Write(Isolation isolation, const std::function<bool(Connection&)>& body) override {
    AuditScope* scope = AuditScope::Current();
    if (scope == nullptr || scope->recorded()) return inner_->Write(isolation, body);
    if (isolation == Isolation::kSingleStatements) isolation = Isolation::kReadCommitted;
    bool committed = false;
    inner_->Write(isolation, [&](Connection& c) {
      InsertAuditRow(c, scope->event());
      committed = body(c);
      return committed;
    });
    if (committed) scope->MarkRecorded();
  }

  int LatestMigration() const override { return inner_->LatestMigration(); }
  void LockMigrations(Connection& c) override { inner_->LockMigrations(c); }
  std::unique_ptr<JobNotices> ListenForJobs() override { return inner_->ListenForJobs(); }
  int ConcurrentBatches() const override { return inner_->ConcurrentBatches(); }
  void ReclaimSpace() override { inner_->ReclaimSpace(); }

 private:
  std::unique_ptr<Backend> inner_;
};

}  // namespace

std::unique_ptr<Backend> MakeAuditingBackend(std::unique_ptr<Backend> inner) {
  return std::make_unique<AuditingBackend>(std::move(inner));
}

}  // namespace rapport::sql
