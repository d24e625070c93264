#include "services/inquiries/case_service.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/errors.h"
#include "services/inquiries/case_contact_store.h"
#include "services/inquiries/case_stages.h"
#include "services/inquiries/inquiry_validator.h"

namespace carebridge::inquiries {
namespace {

using carebridge::v1::Case;
using google::protobuf::FieldDescriptor;
using google::protobuf::util::TimeUtil;

absl::Status BadCaseId() { return InvalidFields({{"case_id", "Must be a case id (a UUID)."}}); }

std::string EncodePageToken(const std::string& created_at, const std::string& id) {
  std::string token;
  absl::WebSafeBase64Escape(absl::StrCat("v1|", created_at, "|", id), &token);
  return token;
}

bool DecodePageToken(const std::string& token, std::string* created_at, std::string* id) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return false;
  std::vector<std::string> parts = absl::StrSplit(raw, '|');
  if (parts.size() != 3 || parts[0] != "v1" || !IsUuid(parts[2])) return false;
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, parts[1], &t, &error)) return false;
  *created_at = parts[1];
  *id = parts[2];
  return true;
}

// The value of a Case field as text, for the timeline.
std::string FieldText(const Case& c, const FieldDescriptor* field) {
  const auto* reflection = c.GetReflection();
  if (field->has_presence() && !reflection->HasField(c, field)) return "";
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(c, field);
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(reflection->GetInt32(c, field));
    case FieldDescriptor::CPPTYPE_INT64:
      return std::to_string(reflection->GetInt64(c, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection->GetBool(c, field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return reflection->GetEnum(c, field)->number() == 0 ? ""
                                                          : reflection->GetEnum(c, field)->name();
    default:
      return "";
  }
}

// The inquiry fields of a case, to run the intake validation on edited values.
carebridge::v1::Inquiry InquiryOf(const Case& c) {
  carebridge::v1::Inquiry inquiry;
  const auto* from = c.GetDescriptor();
  const auto* to = inquiry.GetDescriptor();
  for (int i = 0; i < to->field_count(); ++i) {
    const FieldDescriptor* target = to->field(i);
    const FieldDescriptor* source = from->FindFieldByName(target->name());
    if (source == nullptr || source->type() != target->type()) continue;
    if (source->has_presence() && !c.GetReflection()->HasField(c, source)) continue;
    auto* r = inquiry.GetReflection();
    const auto* cr = c.GetReflection();
    switch (target->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(&inquiry, target, cr->GetString(c, source));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(&inquiry, target, cr->GetInt32(c, source));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(&inquiry, target, cr->GetInt64(c, source));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(&inquiry, target, cr->GetBool(c, source));
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnumValue(&inquiry, target, cr->GetEnumValue(c, source));
        break;
      default:
        break;
    }
  }
  inquiry.set_contact_consent(true);
  inquiry.set_privacy_policy_version("edit");
  return inquiry;
}

}  // namespace

const std::vector<std::string>& EditableCaseFields() {
  static const auto* fields = new std::vector<std::string>{"stage",
                                                           "assignee_id",
                                                           "lost_reason",
                                                           "full_name",
                                                           "email",
                                                           "phone",
                                                           "country_of_residence",
                                                           "preferred_language",
                                                           "patient_age",
                                                           "condition",
                                                           "stroke_type",
                                                           "months_since_event",
                                                           "mrs_score",
                                                           "destination_country",
                                                           "cell_source",
                                                           "budget_usd_max",
                                                           "needs_interpreter"};
  return *fields;
}

absl::StatusOr<carebridge::v1::ListCasesResponse> CaseService::ListCases(
    const Principal& principal, const carebridge::v1::ListCasesRequest& request) {
  CaseFilter filter;
  std::vector<FieldViolation> violations;
  if (request.stage() != carebridge::v1::STAGE_UNSPECIFIED) {
    filter.stage = carebridge::v1::Stage_Name(request.stage());
  }
  if (request.assignee_id() == "none") {
    filter.unassigned = true;
  } else if (!request.assignee_id().empty()) {
    if (!IsUuid(request.assignee_id())) {
      violations.push_back({"assignee_id", "Must be a user id or \"none\"."});
    }
    filter.assignee_id = request.assignee_id();
  }
  filter.condition = absl::AsciiStrToLower(request.condition());
  if (!request.country().empty()) {
    filter.country = absl::AsciiStrToUpper(request.country());
    if (!IsIsoCountryCode(filter.country)) {
      violations.push_back({"country", "Must be an ISO 3166-1 alpha-2 code."});
    }
  }
  if (request.has_created_after()) {
    filter.created_after =
        absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(request.created_after()));
  }
  if (request.has_created_before()) {
    filter.created_before =
        absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(request.created_before()));
  }
  const std::string q(absl::StripAsciiWhitespace(request.q()));
  if (!q.empty() && (q.size() < 3 || q.size() > 100)) {
    violations.push_back({"q", "Search with 3 to 100 characters."});
  }
  filter.q = absl::AsciiStrToLower(q);
  if (request.page_size() < 0 || request.page_size() > 100) {
    violations.push_back({"page_size", "Must be 1 to 100."});
  }
  filter.page_size = request.page_size() == 0 ? 20 : request.page_size();
  if (!request.page_token().empty() &&
      !DecodePageToken(request.page_token(), &filter.after_created_at, &filter.after_id)) {
    violations.push_back({"page_token", "Is not a token from a previous page."});
  }
  if (!violations.empty()) return InvalidFields(violations);
  if (principal.IsPartner()) filter.partner_id = principal.id;

  absl::StatusOr<CasePage> page = store_.ListCases(filter);
  if (!page.ok()) return page.status();
  carebridge::v1::ListCasesResponse response;
  for (Case& c : page->cases) *response.add_cases() = std::move(c);
  if (page->more) {
    response.set_next_page_token(EncodePageToken(page->last_created_at, page->last_id));
  }
  return response;
}

absl::StatusOr<Case> CaseService::GetCase(const Principal& principal, const std::string& case_id) {
  if (!IsUuid(case_id)) return BadCaseId();
  return store_.GetCase(case_id, principal.IsPartner() ? principal.id : "");
}

absl::StatusOr<Case> CaseService::UpdateCase(const Principal& principal,
                                             const carebridge::v1::UpdateCaseRequest& request,
                                             const std::string& request_id) {
  if (!IsUuid(request.case_id())) return BadCaseId();
  const auto& editable = EditableCaseFields();
  std::vector<std::string> paths(request.update_mask().paths().begin(),
                                 request.update_mask().paths().end());
  if (paths.empty()) return InvalidFields({{"update_mask", "Name the fields to change."}});
  for (const std::string& path : paths) {
    if (std::find(editable.begin(), editable.end(), path) == editable.end()) {
      return InvalidFields(
          {{"update_mask", absl::StrCat("Field \"", path, "\" cannot be changed.")}});
    }
  }
  const auto masked = [&](std::string_view name) {
    return std::find(paths.begin(), paths.end(), name) != paths.end();
  };
  if (masked("assignee_id") && !request.case_().assignee_id().empty()) {
    if (!IsUuid(request.case_().assignee_id())) {
      return InvalidFields({{"assignee_id", "Must be a user id."}});
    }
    absl::StatusOr<bool> active = store_.IsActiveUser(request.case_().assignee_id());
    if (!active.ok()) return active.status();
    if (!*active) return InvalidFields({{"assignee_id", "No active user has this id."}});
  }
  const absl::Time now = clock_();

  auto plan = [&](const CurrentCase& current) -> absl::StatusOr<CaseUpdate> {
    CaseUpdate update;
    update.updated = current.value;
    update.lost_from_stage = current.lost_from_stage;
    Case& next = update.updated;
    const auto* descriptor = Case::descriptor();
    for (const std::string& path : paths) {
      const FieldDescriptor* field = descriptor->FindFieldByName(path);
      if (path == "stage" || path == "lost_reason") continue;  // below, with the state machine
      const auto* reflection = next.GetReflection();
      if (field->has_presence() &&
          !request.case_().GetReflection()->HasField(request.case_(), field)) {
        reflection->ClearField(&next, field);
      } else {
        const google::protobuf::Message& from = request.case_();
        switch (field->cpp_type()) {
          case FieldDescriptor::CPPTYPE_STRING:
            reflection->SetString(&next, field, from.GetReflection()->GetString(from, field));
            break;
          case FieldDescriptor::CPPTYPE_INT32:
            reflection->SetInt32(&next, field, from.GetReflection()->GetInt32(from, field));
            break;
          case FieldDescriptor::CPPTYPE_INT64:
            reflection->SetInt64(&next, field, from.GetReflection()->GetInt64(from, field));
            break;
          case FieldDescriptor::CPPTYPE_BOOL:
            reflection->SetBool(&next, field, from.GetReflection()->GetBool(from, field));
            break;
          case FieldDescriptor::CPPTYPE_ENUM:
            reflection->SetEnumValue(&next, field, from.GetReflection()->GetEnumValue(from, field));
            break;
          default:
            break;
        }
      }
    }
    // Edited inquiry fields pass the intake rules (only the edited ones are reported).
    carebridge::v1::Inquiry inquiry = NormalizeInquiry(InquiryOf(next));
    std::vector<FieldViolation> violations;
    for (const FieldViolation& v :
         ValidateInquiry(inquiry, absl::ToCivilDay(now, absl::UTCTimeZone()))) {
      if (masked(v.field)) violations.push_back(v);
    }
    if (!violations.empty()) return InvalidFields(violations);
    for (const std::string& path : paths) {
      const FieldDescriptor* in = inquiry.GetDescriptor()->FindFieldByName(path);
      if (in != nullptr && in->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        next.GetReflection()->SetString(&next, descriptor->FindFieldByName(path),
                                        inquiry.GetReflection()->GetString(inquiry, in));
      }
    }

    if (masked("stage")) {
      const carebridge::v1::Stage target = request.case_().stage();
      carebridge::v1::Stage lost_from = carebridge::v1::STAGE_UNSPECIFIED;
      carebridge::v1::Stage_Parse(current.lost_from_stage, &lost_from);
      const std::string reason(absl::StripAsciiWhitespace(request.case_().lost_reason()));
      if (reason.size() > 1000)
        return InvalidFields({{"lost_reason", "At most 1,000 characters."}});
      if (absl::Status s = CheckMove(current.value.stage(), lost_from, target, reason); !s.ok()) {
        return s;
      }
      next.set_stage(target);
      if (target == carebridge::v1::LOST) {
        next.set_lost_reason(reason);
        update.lost_from_stage = carebridge::v1::Stage_Name(current.value.stage());
      } else {
        next.clear_lost_reason();
        update.lost_from_stage.clear();
      }
      update.stage_changed = true;
    } else if (masked("lost_reason")) {
      return InvalidFields({{"lost_reason", "Set together with stage LOST."}});
    }

    for (const std::string& name : editable) {
      const FieldDescriptor* field = descriptor->FindFieldByName(name);
      const std::string before = FieldText(current.value, field);
      const std::string after = FieldText(next, field);
      if (before == after) continue;
      carebridge::v1::FieldChange change;
      change.set_field(name);
      change.set_old_value(before);
      change.set_new_value(after);
      update.changes.push_back(std::move(change));
    }
    update.kind = update.stage_changed ? "STAGE_CHANGED"
                  : (update.changes.size() == 1 && update.changes[0].field() == "assignee_id")
                      ? "ASSIGNED"
                      : "UPDATED";
    return update;
  };
  return store_.UpdateCase(request.case_id(), principal.Actor(), request_id, now, plan);
}

absl::StatusOr<carebridge::v1::CaseEvent> CaseService::AddNote(
    const Principal& principal, const carebridge::v1::AddCaseNoteRequest& request,
    const std::string& request_id) {
  if (!IsUuid(request.case_id())) return BadCaseId();
  const std::string text(absl::StripAsciiWhitespace(request.text()));
  if (text.empty() || text.size() > kMaxMessageChars) {
    return InvalidFields({{"text", "Write 1 to 5,000 characters."}});
  }
  return store_.AddNote(request.case_id(), principal.Actor(), text, request_id, clock_());
}

absl::StatusOr<carebridge::v1::ListCaseTimelineResponse> CaseService::Timeline(
    const std::string& case_id) {
  if (!IsUuid(case_id)) return BadCaseId();
  auto events = store_.ListTimeline(case_id);
  if (!events.ok()) return events.status();
  carebridge::v1::ListCaseTimelineResponse response;
  for (auto& event : *events) *response.add_events() = std::move(event);
  return response;
}

absl::StatusOr<carebridge::v1::MatchCaseResponse> CaseService::Matches(
    const carebridge::v1::GetCaseMatchesRequest& request, const std::string& request_id) {
  if (!IsUuid(request.case_id())) return BadCaseId();
  if (request.max_results() < 0 || request.max_results() > 50) {
    return InvalidFields({{"max_results", "Must be 1 to 50."}});
  }
  absl::StatusOr<Case> c = store_.GetCase(request.case_id(), "");
  if (!c.ok()) return c.status();
  if (matcher_ == nullptr) return Unavailable("clinic matching");
  carebridge::v1::MatchCaseRequest match;
  match.set_condition(c->condition().empty() ? "stroke" : c->condition());
  match.set_destination_country(c->destination_country());
  match.set_cell_source(c->cell_source());
  if (c->has_budget_usd_max()) match.set_budget_usd_max(c->budget_usd_max());
  match.set_preferred_language(c->preferred_language());
  match.set_needs_interpreter(c->needs_interpreter());
  match.set_max_results(request.max_results() == 0 ? 10 : request.max_results());
  return matcher_->Match(match, request_id);
}

}  // namespace carebridge::inquiries
