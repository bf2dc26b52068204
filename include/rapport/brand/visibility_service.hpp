// Brand visibility resources in the /v1 dialect (seed 000's family), one header per resource:
// a brand's facts, its scheduled reports (and their manual execution), their region configs and
// their prompts. Include the one you use; this header includes them all.
#pragma once

#include <rapport/brand/facts_service.hpp>
#include <rapport/brand/prompt_service.hpp>
#include <rapport/brand/region_config_service.hpp>
#include <rapport/brand/scheduled_report_service.hpp>
