// SLA-side queries of the store (faults, business hours, SLA schedules), as functions over a
// connection of either backend. Callers open the transaction; these run the statements. The
// queries every kind shares (reports, schedule runs, events) are in reports.hpp.
#pragma once

#include "sql_db.hpp"

#include <rapport/store/records.hpp>

namespace rapport::sql::sla {

// Returns the number of faults inserted or resolved.
int64_t InsertFaults(Connection& c, const std::vector<Fault>& faults);
std::optional<Fault> GetFault(Connection& c, const std::string& tenant_id, const std::string& id);
Page<Fault> ListFaults(Connection& c, const std::string& tenant_id, const FaultFilter& filter,
                       const PageRequest& page);
int UpdateFault(Connection& c, const Fault& fault);
std::vector<Fault> FaultsInWindow(Connection& c, const std::string& tenant_id,
                                  const std::vector<std::string>& site_ids, const std::string& type,
                                  UnixMs from, UnixMs to);
void ScanFaultsInWindow(Connection& c, const std::string& tenant_id,
                        const std::vector<std::string>& site_ids, const std::string& type,
                        UnixMs from, UnixMs to,
                        const std::function<void(size_t site, const FaultInWindow& fault)>& visit);

void InsertBusinessHours(Connection& c, const BusinessHours& h);
std::optional<BusinessHours> GetBusinessHours(Connection& c, const std::string& tenant_id,
                                              const std::string& id);
Page<BusinessHours> ListBusinessHours(Connection& c, const std::string& tenant_id,
                                      const PageRequest& page);
int UpdateBusinessHours(Connection& c, const BusinessHours& h);
bool BusinessHoursInUse(Connection& c, const std::string& tenant_id, const std::string& id);
int DeleteBusinessHours(Connection& c, const std::string& tenant_id, const std::string& id);

void InsertSchedule(Connection& c, const SlaSchedule& s);
std::optional<SlaSchedule> GetSchedule(Connection& c, const std::string& tenant_id,
                                       const std::string& id);
Page<SlaSchedule> ListSchedules(Connection& c, const std::string& tenant_id,
                                const PageRequest& page);
int UpdateSchedule(Connection& c, const SlaSchedule& s);
int DeleteSchedule(Connection& c, const std::string& tenant_id, const std::string& id);

std::vector<SlaSchedule> DueSchedules(Connection& c, UnixMs now, int limit);

}  // namespace rapport::sql::sla
