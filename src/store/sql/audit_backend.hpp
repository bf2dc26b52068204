// A Backend that puts the calling thread's audit row (AuditScope, <rapport/store/audit.hpp>) in
// the first write transaction it runs under the scope, so that a write request and its audit row
// commit or roll back together. Everything else is the wrapped backend's.
#pragma once

#include "sql_store.hpp"

#include <memory>

namespace rapport::sql {

std::unique_ptr<Backend> MakeAuditingBackend(std::unique_ptr<Backend> inner);

}  // namespace rapport::sql
