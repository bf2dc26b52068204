// The storage every backend implements (SQLite embedded, PostgreSQL): every narrow interface of
// interfaces.hpp in one object. Wiring (rapportd, tests) opens a Store and hands each consumer the
// interfaces it uses.
#pragma once

#include <rapport/store/interfaces.hpp>

#include <memory>
#include <string>

namespace rapport {

class Store : public StoreHealth,
              public IdempotencyKeyStore,
              public RateWindowStore,
              public JobQueue,
              public ScheduleRunStore,
              public ReportStore,
              public Outbox,
              public WebhookStore,
              public EmailDeliveryStore,
              public SiteStore,
              public FaultStore,
              public BusinessHoursStore,
              public SlaScheduleStore,
              public BrandStore,
              public ScheduledReportStore,
              public RegionConfigStore,
              public PromptStore,
              public BrandAnswerStore,
              public CitationStore,
              public WhiteLabelStore,
              public RetentionStore,
              public KindDatabase {
 public:
  ~Store() override = default;
};

struct StoreOptions {
  std::string database_url;  // "sqlite:///path/file.db", a plain path, or "postgresql://…"
  int busy_timeout_ms = 5000;
  int reader_connections = 4;
};

// Opens the store named by `options.database_url` and applies pending migrations.
Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace rapport
