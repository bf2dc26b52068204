#include <rapport/sharing/share_service.hpp>

#include <rapport/core/encoding.hpp>
#include <rapport/core/ids.hpp>
#include <rapport/store/sql.hpp>

namespace rapport {
namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenLength = 43;  // base64url of 32 bytes, unpadded
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

const std::vector<KindDatabase::Migration>& Migrations() {
  static const std::vector<KindDatabase::Migration> migrations = {{1, "share links",
                                                                   R"sql(
CREATE TABLE shares (
  id             TEXT PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  report_id      TEXT NOT NULL,
  token_sha256   TEXT NOT NULL UNIQUE,
  created_by     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  revoked_at     INTEGER,
  views          INTEGER NOT NULL DEFAULT 0,
  last_viewed_at INTEGER
);
CREATE INDEX shares_by_report ON shares (tenant_id, report_id, id);
)sql",
                                                                   R"sql(
CREATE TABLE shares (
  id             TEXT COLLATE "C" PRIMARY KEY,
  tenant_id      TEXT NOT NULL,
  report_id      TEXT COLLATE "C" NOT NULL,
  token_sha256   TEXT NOT NULL UNIQUE,
  created_by     TEXT NOT NULL,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL,
  revoked_at     BIGINT,
  views          BIGINT NOT NULL DEFAULT 0,
  last_viewed_at BIGINT
);
CREATE INDEX shares_by_report ON shares (tenant_id, report_id, id);
)sql"}};
  return migrations;
}

Share ReadShare(const sql::Statement& q) {
  return Share{.id = q.Text(0),
               .tenant_id = q.Text(1),
               .report_id = q.Text(2),
               .created_by = q.Text(3),
               .created_at = q.Int(4),
               .expires_at = q.Int(5),
               .revoked_at = q.OptionalInt(6),
               .views = q.Int(7),
               .last_viewed_at = q.OptionalInt(8)};
}

std::string TokenHash(const std::string& token) { return HexEncode(Sha256(token)); }

bool WellFormedToken(const std::string& token) {
  return token.size() == kTokenLength && Base64UrlDecode(token).has_value();
}

}  // namespace

Status ShareService::Install(const std::vector<std::string>& report_kinds) {
  RAPPORT_CHECK(db_.ApplyMigrations("sharing", Migrations()));
  for (const auto& kind : report_kinds) {
    ReportHooks hooks{.kind = kind};
    hooks.deleted = [](sql::Connection& c, const std::string& tenant_id,
                       const std::string& report_id) {
      c.Prepare("DELETE FROM shares WHERE tenant_id = ?1 AND report_id = ?2")
          .Bind(1, tenant_id)
          .Bind(2, report_id)
          .Run();
    };
    db_.AddReportHooks(std::move(hooks));
  }
  return Ok{};
}

Result<NewShare> ShareService::Create(const std::string& tenant_id, const std::string& report_id,
                                      const std::string& created_by, int days) {
  if (days < kMinShareDays || days > kMaxShareDays) {
    return Error::FromProblems(ErrorCode::kBodyValidation,
                               {{"body.expires_in_days", "must be between 1 and 365", "range"}});
  }
  std::string raw(kTokenBytes, '\0');
  SecureRandom(raw.data(), raw.size());
  NewShare out{.share = {.id = NewId("shr"),
                         .tenant_id = tenant_id,
                         .report_id = report_id,
                         .created_by = created_by,
                         .created_at = clock_.NowMs()},
               .token = Base64UrlEncode(raw)};
  out.share.expires_at = out.share.created_at + days * kDayMs;
  const Share& s = out.share;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    c.Prepare(
         "INSERT INTO shares (id, tenant_id, report_id, token_sha256, created_by, created_at, "
         "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
        .Bind(1, s.id)
        .Bind(2, s.tenant_id)
        .Bind(3, s.report_id)
        .Bind(4, TokenHash(out.token))
        .Bind(5, s.created_by)
        .Bind(6, s.created_at)
        .Bind(7, s.expires_at)
        .Run();
  }));
  return out;
}

Result<Page<Share>> ShareService::List(const std::string& tenant_id, const std::string& report_id,
                                       const PageRequest& page) {
  Page<Share> out;
  RAPPORT_CHECK(db_.Read([&](sql::Connection& c) {
    auto q = c.Prepare(
        "SELECT id, tenant_id, report_id, created_by, created_at, expires_at, revoked_at, views, "
        "last_viewed_at FROM shares WHERE tenant_id = ?1 AND report_id = ?2 "
        "AND (id < ?3 OR ?3 IS NULL) ORDER BY id DESC LIMIT ?4");
    q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, page.after_id);
    q.Bind(4, int64_t{page.limit} + 1);
    out = sql::ReadRows<Share>(q, page.limit, ReadShare);
  }));
  return out;
}

Result<Share> ShareService::Revoke(const std::string& tenant_id, const std::string& report_id,
                                   const std::string& share_id) {
  std::optional<Share> share;
  RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
    c.Prepare(
         "UPDATE shares SET revoked_at = COALESCE(revoked_at, ?4) "
         "WHERE tenant_id = ?1 AND report_id = ?2 AND id = ?3")
        .Bind(1, tenant_id)
        .Bind(2, report_id)
        .Bind(3, share_id)
        .Bind(4, clock_.NowMs())
        .Run();
    auto q = c.Prepare(
        "SELECT id, tenant_id, report_id, created_by, created_at, expires_at, revoked_at, views, "
        "last_viewed_at FROM shares WHERE tenant_id = ?1 AND report_id = ?2 AND id = ?3");
    q.Bind(1, tenant_id).Bind(2, report_id).Bind(3, share_id);
    if (q.Step()) share = ReadShare(q);
  }));
  if (!share) return Error::NotFound("Share");
  return std::move(*share);
}

Result<Share> ShareService::Open(const std::string& token, bool count_view) {
  if (!WellFormedToken(token)) return Error::NotFound("Shared report");
  UnixMs now = clock_.NowMs();
  std::optional<Share> share;
  auto find = [&](sql::Connection& c) {
    auto q = c.Prepare(
        "SELECT id, tenant_id, report_id, created_by, created_at, expires_at, revoked_at, views, "
        "last_viewed_at FROM shares WHERE token_sha256 = ?1 AND revoked_at IS NULL "
        "AND expires_at > ?2");
    q.Bind(1, TokenHash(token)).Bind(2, now);
    if (q.Step()) share = ReadShare(q);
  };
  if (!count_view) {
    RAPPORT_CHECK(db_.Read(find));
  } else {
    RAPPORT_CHECK(db_.Write([&](sql::Connection& c) {
      share.reset();
      c.Prepare(
           "UPDATE shares SET views = views + 1, last_viewed_at = ?2 "
           "WHERE token_sha256 = ?1 AND revoked_at IS NULL AND expires_at > ?2")
          .Bind(1, TokenHash(token))
          .Bind(2, now)
          .Run();
      find(c);
    }));
  }
  if (!share) return Error::NotFound("Shared report");
  return std::move(*share);
}

}  // namespace rapport
