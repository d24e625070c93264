// Valid clinics and protocols for unit tests (each test changes what it checks).
#pragma once

#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"

namespace carebridge::catalog::testing {

inline const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 9, 30, 0), absl::UTCTimeZone());

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

inline carebridge::v1::Clinic ValidClinic() {
  carebridge::v1::Clinic c;
  c.set_name("Test Regenerative Clinic");
  c.set_country("JP");
  c.set_city("Tokyo");
  c.set_time_zone("Asia/Tokyo");
  c.mutable_license()->set_authority("MHLW");
  c.mutable_license()->set_number("MHLW-RM-13-9999");
  *c.mutable_license()->mutable_verified_at() = ToProto(kNow - absl::Hours(24 * 30));
  *c.mutable_license()->mutable_expires_at() = ToProto(kNow + absl::Hours(24 * 365));
  c.set_cpc_accredited(true);
  c.add_languages("ja");
  c.add_languages("en");
  c.set_interpreter_support(true);
  c.mutable_contact()->set_email("care@test-clinic.example");
  c.mutable_contact()->set_phone("+81300000000");
  c.mutable_contact()->set_website("https://test-clinic.example");
  return c;
}

inline carebridge::v1::Protocol ValidProtocol() {
  carebridge::v1::Protocol p;
  p.set_clinic_id("c1000000-0000-4000-8000-000000000001");
  p.set_condition("stroke");
  p.set_cell_source(carebridge::v1::AUTOLOGOUS);
  p.set_cell_type(carebridge::v1::ADSC);
  p.set_route(carebridge::v1::INTRAVENOUS);
  p.set_cell_count_millions(100);
  p.set_price_usd_min(20000);
  p.set_price_usd_max(30000);
  p.set_culture_weeks_min(3);
  p.set_culture_weeks_max(5);
  p.mutable_trip_plan()->set_trips(2);
  p.mutable_trip_plan()->set_days_min(3);
  p.mutable_trip_plan()->set_days_max(3);
  p.add_outcome_measures(carebridge::v1::MRS);
  p.add_outcome_measures(carebridge::v1::NIHSS);
  p.add_side_effects("mild fever or fatigue for 24-48 h");
  p.mutable_asrm()->set_risk_class(carebridge::v1::ASRM_CLASS_II);
  p.mutable_asrm()->set_provision_plan_number("PB0000001");
  p.mutable_asrm()->set_certified_committee("Test Certified Committee");
  return p;
}

}  // namespace carebridge::catalog::testing
