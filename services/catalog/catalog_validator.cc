#include "services/catalog/catalog_validator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/catalog/text_checks.h"

namespace carebridge::catalog {
namespace {

using carebridge::v1::Clinic;
using carebridge::v1::Protocol;

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// Required single-line text of 1..max characters.
void CheckText(const std::string& value, const std::string& field, size_t max, bool required,
               std::vector<FieldViolation>* out) {
  if (value.empty()) {
    if (required) out->push_back({field, "is required"});
    return;
  }
  if (CodePoints(value) > max) {
    out->push_back({field, absl::StrCat("must be at most ", max, " characters")});
  } else if (HasControlCharacters(value)) {
    out->push_back({field, "must be a single line of text"});
  }
}

void ValidateLicense(const carebridge::v1::License& license, absl::Time now,
                     std::vector<FieldViolation>* out) {
  CheckText(license.authority(), "license.authority", 100, true, out);
  CheckText(license.number(), "license.number", 100, true, out);
  if (!license.has_verified_at()) {
    out->push_back({"license.verified_at", "is required"});
  } else if (FromProto(license.verified_at()) > now) {
    out->push_back({"license.verified_at", "must not be in the future"});
  }
  if (!license.has_expires_at()) {
    out->push_back({"license.expires_at", "is required"});
  } else if (license.has_verified_at() &&
             FromProto(license.expires_at()) <= FromProto(license.verified_at())) {
    out->push_back({"license.expires_at", "must be after license.verified_at"});
  }
}

void ValidateLanguages(const Clinic& clinic, std::vector<FieldViolation>* out) {
  if (clinic.languages().empty()) {
    out->push_back({"languages", "must name at least one language"});
    return;
  }
  if (clinic.languages_size() > 20) {
    out->push_back({"languages", "must name at most 20 languages"});
    return;
  }
  std::set<std::string> seen;
  for (const std::string& tag : clinic.languages()) {
    if (!IsLanguageTag(tag)) {
      out->push_back({"languages", absl::StrCat("\"", tag, "\" is not a BCP 47 language tag")});
      return;
    }
    if (!seen.insert(CanonicalLanguageTag(tag)).second) {
      out->push_back({"languages", absl::StrCat("\"", tag, "\" is listed twice")});
      return;
    }
  }
}

void ValidateContact(const carebridge::v1::ClinicContact& contact,
                     std::vector<FieldViolation>* out) {
  if (!contact.email().empty() && !IsEmailAddress(contact.email())) {
    out->push_back({"contact.email", "must be an email address"});
  }
  if (!contact.phone().empty() && !IsE164(contact.phone())) {
    out->push_back({"contact.phone", "must be in E.164 form, e.g. +81312345678"});
  }
  if (!contact.website().empty() && !IsHttpsUrl(contact.website())) {
    out->push_back({"contact.website", "must be an https:// URL"});
  }
}

void ValidateCulture(const Protocol& p, std::vector<FieldViolation>* out) {
  if (p.cell_source() == carebridge::v1::AUTOLOGOUS) {
    if (p.culture_weeks_min() < 1 || p.culture_weeks_min() > 26) {
      out->push_back({"culture_weeks_min", "must be 1..26 weeks for autologous cells"});
    }
    if (p.culture_weeks_max() < p.culture_weeks_min() || p.culture_weeks_max() > 26) {
      out->push_back({"culture_weeks_max", "must be culture_weeks_min..26 weeks"});
    }
  } else if (p.cell_source() == carebridge::v1::ALLOGENEIC) {
    if (p.culture_weeks_min() != 0) {
      out->push_back(
          {"culture_weeks_min", "must be 0: allogeneic cells are not cultured per patient"});
    }
    if (p.culture_weeks_max() != 0) {
      out->push_back(
          {"culture_weeks_max", "must be 0: allogeneic cells are not cultured per patient"});
    }
  }
}

void ValidatePrices(const Protocol& p, std::vector<FieldViolation>* out) {
  if (p.price_usd_min() <= 0 || p.price_usd_min() > kMaxPriceUsd) {
    out->push_back({"price_usd_min", "must be 1..10,000,000"});
  }
  if (p.price_usd_max() > kMaxPriceUsd) {
    out->push_back({"price_usd_max", "must be at most 10,000,000"});
  } else if (p.price_usd_max() < p.price_usd_min()) {
    out->push_back({"price_usd_max", "must not be less than price_usd_min"});
  }
}

void ValidateTripPlan(const carebridge::v1::TripPlan& plan, std::vector<FieldViolation>* out) {
  if (plan.trips() < 1 || plan.trips() > 4) out->push_back({"trip_plan.trips", "must be 1..4"});
  if (plan.days_min() < 1 || plan.days_min() > 90) {
    out->push_back({"trip_plan.days_min", "must be 1..90"});
  }
  if (plan.days_max() < plan.days_min() || plan.days_max() > 90) {
    out->push_back({"trip_plan.days_max", "must be trip_plan.days_min..90"});
  }
}

void ValidateAsrm(const carebridge::v1::AsrmReview& asrm, std::vector<FieldViolation>* out) {
  if (!carebridge::v1::AsrmRiskClass_IsValid(asrm.risk_class())) {
    out->push_back({"asrm.risk_class", "must be ASRM_CLASS_I, ASRM_CLASS_II or ASRM_CLASS_III"});
  }
  CheckText(asrm.provision_plan_number(), "asrm.provision_plan_number", 100, false, out);
  CheckText(asrm.certified_committee(), "asrm.certified_committee", 200, false, out);
}

}  // namespace

std::vector<FieldViolation> ValidateClinic(const Clinic& clinic, absl::Time now,
                                           const std::set<std::string>& known_countries) {
  std::vector<FieldViolation> out;
  CheckText(clinic.name(), "name", 200, true, &out);
  if (clinic.country().empty()) {
    out.push_back({"country", "is required"});
  } else if (known_countries.count(clinic.country()) == 0) {
    out.push_back({"country", "must be one of the catalog's countries"});
  }
  CheckText(clinic.city(), "city", 100, true, &out);
  if (clinic.time_zone().empty()) {
    out.push_back({"time_zone", "is required"});
  } else if (!IsKnownTimeZone(clinic.time_zone())) {
    out.push_back({"time_zone", "must be an IANA time zone such as Asia/Tokyo"});
  }
  ValidateLicense(clinic.license(), now, &out);
  ValidateLanguages(clinic, &out);
  ValidateContact(clinic.contact(), &out);
  return out;
}

std::vector<FieldViolation> ValidateProtocol(const Protocol& p) {
  std::vector<FieldViolation> out;
  if (!IsUuid(p.clinic_id())) out.push_back({"clinic_id", "must be a clinic id (UUID)"});
  if (p.condition().empty()) {
    out.push_back({"condition", "is required"});
  } else if (!IsConditionKey(p.condition())) {
    out.push_back({"condition", "must be 1..50 lowercase letters, digits, '-' or '_'"});
  }
  if (p.cell_source() != carebridge::v1::AUTOLOGOUS &&
      p.cell_source() != carebridge::v1::ALLOGENEIC) {
    out.push_back({"cell_source", "must be AUTOLOGOUS or ALLOGENEIC"});
  }
  if (p.cell_type() == carebridge::v1::CELL_TYPE_UNSPECIFIED ||
      !carebridge::v1::CellType_IsValid(p.cell_type())) {
    out.push_back(
        {"cell_type", "must be ADSC, UMBILICAL_CORD_MSC, MODIFIED_MSC or BONE_MARROW_MSC"});
  }
  if (p.route() == carebridge::v1::DELIVERY_ROUTE_UNSPECIFIED ||
      !carebridge::v1::DeliveryRoute_IsValid(p.route())) {
    out.push_back({"route", "must be INTRAVENOUS or INTRATHECAL"});
  }
  if (p.cell_count_millions() < 1 || p.cell_count_millions() > 100'000) {
    out.push_back({"cell_count_millions", "must be 1..100,000"});
  }
  ValidatePrices(p, &out);
  ValidateCulture(p, &out);
  ValidateTripPlan(p.trip_plan(), &out);
  std::set<int> measures;
  for (int measure : p.outcome_measures()) {
    if (measure == carebridge::v1::OUTCOME_MEASURE_UNSPECIFIED ||
        !carebridge::v1::OutcomeMeasure_IsValid(measure)) {
      out.push_back({"outcome_measures", "must each be MRS or NIHSS"});
      break;
    }
    if (!measures.insert(measure).second) {
      out.push_back({"outcome_measures", "must not repeat a measure"});
      break;
    }
  }
  if (p.side_effects_size() > 20) out.push_back({"side_effects", "must list at most 20"});
  for (const std::string& effect : p.side_effects()) {
    const size_t before = out.size();
    CheckText(effect, "side_effects", 200, true, &out);
    if (out.size() != before) break;
  }
  ValidateAsrm(p.asrm(), &out);
  return out;
}

Clinic NormalizeClinic(const Clinic& in) {
  Clinic c = in;
  c.set_clinic_id(absl::AsciiStrToLower(Trimmed(in.clinic_id())));
  c.set_name(Trimmed(in.name()));
  c.set_country(absl::AsciiStrToUpper(Trimmed(in.country())));
  c.set_city(Trimmed(in.city()));
  c.set_time_zone(Trimmed(in.time_zone()));
  c.mutable_license()->set_authority(Trimmed(in.license().authority()));
  c.mutable_license()->set_number(Trimmed(in.license().number()));
  c.clear_languages();
  for (const std::string& tag : in.languages()) {
    const std::string trimmed = Trimmed(tag);
    c.add_languages(IsLanguageTag(trimmed) ? CanonicalLanguageTag(trimmed) : trimmed);
  }
  c.mutable_contact()->set_email(Trimmed(in.contact().email()));
  c.mutable_contact()->set_phone(Trimmed(in.contact().phone()));
  c.mutable_contact()->set_website(Trimmed(in.contact().website()));
  c.clear_protocols();
  c.clear_archived();
  c.clear_offerable();
  c.clear_not_offerable_reasons();
  c.clear_updated_at();
  return c;
}

Protocol NormalizeProtocol(const Protocol& in) {
  Protocol p = in;
  p.set_protocol_id(absl::AsciiStrToLower(Trimmed(in.protocol_id())));
  p.set_clinic_id(absl::AsciiStrToLower(Trimmed(in.clinic_id())));
  p.set_condition(absl::AsciiStrToLower(Trimmed(in.condition())));
  p.clear_side_effects();
  for (const std::string& effect : in.side_effects()) p.add_side_effects(Trimmed(effect));
  p.mutable_asrm()->set_provision_plan_number(Trimmed(in.asrm().provision_plan_number()));
  p.mutable_asrm()->set_certified_committee(Trimmed(in.asrm().certified_committee()));
  p.clear_archived();
  p.clear_offerable();
  p.clear_not_offerable_reasons();
  p.clear_updated_at();
  return p;
}

}  // namespace carebridge::catalog
