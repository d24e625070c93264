#include "services/catalog/catalog_service.h"

#include <algorithm>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/catalog/catalog_validator.h"
#include "services/catalog/field_masks.h"
#include "services/catalog/match_ranker.h"
#include "services/catalog/offerability.h"
#include "services/catalog/search_query.h"
#include "services/catalog/text_checks.h"
#include "services/common/errors.h"
#include "services/common/logging.h"
#include "services/common/status_macros.h"

namespace carebridge::catalog {
namespace {

using carebridge::v1::Clinic;
using carebridge::v1::Protocol;

constexpr char kDefaultCondition[] = "stroke";
// MatchCase reads its candidates in pages of this many clinics.
constexpr int kCandidatePage = 100;

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// A cached reply showing `clinic` must be retired when its licence expires.
absl::Time ValidUntil(absl::Time until, const Clinic& clinic) {
  return std::min(until, FromProto(clinic.license().expires_at()));
}

absl::Status CheckId(const std::string& id, const std::string& field) {
  if (IsUuid(id)) return absl::OkStatus();
  return InvalidFields({{field, "must be an id (UUID)"}});
}

std::string LowerTrimmed(const std::string& text) { return absl::AsciiStrToLower(Trimmed(text)); }

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0) return InvalidFields({{"page_size", "must be 1..100 (0: the default, 20)"}});
  return requested == 0 ? kDefaultPageSize : std::min(requested, kMaxPageSize);
}

}  // namespace

template <typename T>
absl::StatusOr<std::shared_ptr<const T>> CatalogService::Cached(
    const std::string& key, const std::function<absl::StatusOr<Loaded<T>>()>& load) {
  if (cache_ == nullptr || generation_ == nullptr) {
    ASSIGN_OR_RETURN(Loaded<T> loaded, load());
    return loaded.value;
  }
  // The generation is read before the data, so an entry never carries a newer tag than its data.
  absl::StatusOr<int64_t> generation = generation_->Current();
  if (!generation.ok()) {
    cache_->Clear();  // it cannot be checked, so it must not outlive the outage either
    ASSIGN_OR_RETURN(Loaded<T> loaded, load());
    return loaded.value;
  }
  if (auto hit = cache_->Get<T>(key, *generation, clock_())) return hit;
  ASSIGN_OR_RETURN(Loaded<T> loaded, load());
  cache_->Put(key, *generation, loaded.valid_until, loaded.value);
  return loaded.value;
}

absl::StatusOr<carebridge::v1::SearchClinicsResponse> CatalogService::SearchClinics(
    const carebridge::v1::SearchClinicsRequest& request) {
  using Response = carebridge::v1::SearchClinicsResponse;
  ASSIGN_OR_RETURN(const SearchQuery query, ParseSearchRequest(request));
  ASSIGN_OR_RETURN(
      std::shared_ptr<const Response> reply,
      Cached<Response>(SearchCacheKey(query), [&]() -> absl::StatusOr<Loaded<Response>> {
        const absl::Time now = clock_();
        // One clinic more than the page tells whether there is a next page.
        ASSIGN_OR_RETURN(std::vector<Clinic> clinics,
                         store_.SearchClinics(query.filter, query.after, query.page_size + 1, now));
        auto response = std::make_shared<Response>();
        absl::Time valid_until = now + cache_ttl_;
        for (size_t i = 0; i < clinics.size() && static_cast<int>(i) < query.page_size; ++i) {
          Clinic* clinic = response->add_clinics();
          *clinic = std::move(clinics[i]);
          ToPublicView(clinic);
          valid_until = ValidUntil(valid_until, *clinic);
        }
        if (static_cast<int>(clinics.size()) > query.page_size) {
          const Clinic& last = response->clinics(query.page_size - 1);
          response->set_next_page_token(
              EncodePageToken({last.name(), last.clinic_id()}, FilterFingerprint(query.filter)));
        }
        return Loaded<Response>{std::move(response), valid_until};
      }));
  return *reply;
}

absl::StatusOr<Clinic> CatalogService::GetClinic(const carebridge::v1::GetClinicRequest& request) {
  const std::string id = LowerTrimmed(request.clinic_id());
  RETURN_IF_ERROR(CheckId(id, "clinic_id"));
  ASSIGN_OR_RETURN(
      std::shared_ptr<const Clinic> clinic,
      Cached<Clinic>(absl::StrCat("clinic\x1e", id), [&]() -> absl::StatusOr<Loaded<Clinic>> {
        const absl::Time now = clock_();
        ASSIGN_OR_RETURN(ClinicRecord record, store_.GetClinic(id));
        AnnotateOfferability(record.plan_required, now, &record.clinic);
        if (!ToPublicView(&record.clinic)) {
          return absl::NotFoundError("no clinic has this id");
        }
        const absl::Time valid_until = ValidUntil(now + cache_ttl_, record.clinic);
        return Loaded<Clinic>{std::make_shared<Clinic>(std::move(record.clinic)), valid_until};
      }));
  return *clinic;
}

absl::StatusOr<carebridge::v1::ListCountriesResponse> CatalogService::ListCountries(
    const carebridge::v1::ListCountriesRequest& request) {
  using Response = carebridge::v1::ListCountriesResponse;
  std::string condition = LowerTrimmed(request.condition());
  if (condition.empty()) condition = kDefaultCondition;
  if (!IsConditionKey(condition)) {
    return InvalidFields({{"condition", "must be a condition key such as \"stroke\""}});
  }
  ASSIGN_OR_RETURN(
      std::shared_ptr<const Response> reply,
      Cached<Response>(absl::StrCat("countries\x1e", condition),
                       [&]() -> absl::StatusOr<Loaded<Response>> {
                         const absl::Time now = clock_();
                         ASSIGN_OR_RETURN(std::vector<carebridge::v1::Country> countries,
                                          store_.ListCountries(condition));
                         auto response = std::make_shared<Response>();
                         for (auto& country : countries) {
                           *response->add_countries() = std::move(country);
                         }
                         return Loaded<Response>{std::move(response), now + cache_ttl_};
                       }));
  return *reply;
}

absl::StatusOr<CatalogService::Loaded<carebridge::v1::SearchClinicsResponse>>
CatalogService::LoadCandidates(const std::string& condition) {
  const absl::Time now = clock_();
  auto candidates = std::make_shared<carebridge::v1::SearchClinicsResponse>();
  absl::Time valid_until = now + cache_ttl_;
  SearchFilter filter;
  filter.condition = condition;
  Keyset after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<Clinic> page,
                     store_.SearchClinics(filter, after, kCandidatePage, now));
    for (Clinic& clinic : page) {
      ToPublicView(&clinic);
      valid_until = ValidUntil(valid_until, clinic);
      *candidates->add_clinics() = std::move(clinic);
    }
    if (static_cast<int>(page.size()) < kCandidatePage) break;
    const Clinic& last = candidates->clinics(candidates->clinics_size() - 1);
    after = Keyset{last.name(), last.clinic_id()};
  }
  return Loaded<carebridge::v1::SearchClinicsResponse>{std::move(candidates), valid_until};
}

absl::StatusOr<carebridge::v1::MatchCaseResponse> CatalogService::MatchCase(
    const carebridge::v1::MatchCaseRequest& request) {
  using Candidates = carebridge::v1::SearchClinicsResponse;
  ASSIGN_OR_RETURN(const MatchPreferences prefs, ParseMatchRequest(request));
  ASSIGN_OR_RETURN(std::shared_ptr<const Candidates> candidates,
                   Cached<Candidates>(absl::StrCat("match\x1e", prefs.condition),
                                      [&] { return LoadCandidates(prefs.condition); }));
  const std::vector<Clinic> clinics(candidates->clinics().begin(), candidates->clinics().end());
  return RankMatches(prefs, clinics);
}

// ---- Admin ----

Clinic CatalogService::Annotated(ClinicRecord record) {
  AnnotateOfferability(record.plan_required, clock_(), &record.clinic);
  return std::move(record.clinic);
}

absl::StatusOr<Protocol> CatalogService::AnnotatedProtocol(ClinicRecord record,
                                                           const std::string& protocol_id) {
  Clinic clinic = Annotated(std::move(record));
  for (Protocol& protocol : *clinic.mutable_protocols()) {
    if (protocol.protocol_id() == protocol_id) return std::move(protocol);
  }
  return Internal();  // the store returned the clinic the protocol belongs to
}

void CatalogService::EditCommitted(std::string_view event, const std::string& id) {
  LogInfo(event, {{"id", id}});
  if (generation_ == nullptr) return;
  // The edit stands either way; a failed bump is retried and, until then, reads bypass caches.
  if (absl::Status s = generation_->Bump(); !s.ok()) {
    LogWarning("cache_invalidation_deferred", {{"after", event}});
  }
}

absl::StatusOr<Clinic> CatalogService::AdminGetClinic(
    const carebridge::v1::GetClinicRequest& request) {
  const std::string id = LowerTrimmed(request.clinic_id());
  RETURN_IF_ERROR(CheckId(id, "clinic_id"));
  ASSIGN_OR_RETURN(ClinicRecord record, store_.GetClinic(id));
  return Annotated(std::move(record));
}

absl::StatusOr<carebridge::v1::AdminListClinicsResponse> CatalogService::AdminListClinics(
    const carebridge::v1::AdminListClinicsRequest& request) {
  ASSIGN_OR_RETURN(const int page_size, PageSize(request.page_size()));
  const uint64_t fingerprint =
      StableHash(absl::StrCat("admin\x1f", request.include_archived() ? "1" : "0"));
  ASSIGN_OR_RETURN(const Keyset after, DecodePageToken(request.page_token(), fingerprint));
  ASSIGN_OR_RETURN(std::vector<ClinicRecord> records,
                   store_.ListClinics(after, page_size + 1, request.include_archived()));
  carebridge::v1::AdminListClinicsResponse response;
  for (size_t i = 0; i < records.size() && static_cast<int>(i) < page_size; ++i) {
    *response.add_clinics() = Annotated(std::move(records[i]));
  }
  if (static_cast<int>(records.size()) > page_size) {
    const Clinic& last = response.clinics(page_size - 1);
    response.set_next_page_token(EncodePageToken({last.name(), last.clinic_id()}, fingerprint));
  }
  return response;
}

namespace {

// `audit` with details {"fields": [<the update mask's paths>]} (names, never values).
EditAudit WithMaskPaths(EditAudit audit, const google::protobuf::FieldMask& mask) {
  google::protobuf::Struct details;
  google::protobuf::ListValue* fields = (*details.mutable_fields())["fields"].mutable_list_value();
  for (const std::string& path : mask.paths()) fields->add_values()->set_string_value(path);
  std::string json;
  if (google::protobuf::util::MessageToJsonString(details, &json).ok()) audit.details = json;
  return audit;
}

}  // namespace

absl::StatusOr<Clinic> CatalogService::CreateClinic(
    const carebridge::v1::CreateClinicRequest& request, const EditAudit& audit) {
  const Clinic clinic = NormalizeClinic(request.clinic());
  ASSIGN_OR_RETURN(const std::set<std::string> countries, store_.CountryCodes());
  const std::vector<FieldViolation> violations = ValidateClinic(clinic, clock_(), countries);
  if (!violations.empty()) return InvalidFields(violations);
  ASSIGN_OR_RETURN(ClinicRecord record, store_.CreateClinic(clinic, clock_(), audit));
  EditCommitted("clinic_created", record.clinic.clinic_id());
  return Annotated(std::move(record));
}

absl::StatusOr<Clinic> CatalogService::UpdateClinic(
    const carebridge::v1::UpdateClinicRequest& request, const EditAudit& audit) {
  const Clinic patch = NormalizeClinic(request.clinic());
  RETURN_IF_ERROR(CheckId(patch.clinic_id(), "clinic_id"));
  ASSIGN_OR_RETURN(const std::set<std::string> countries, store_.CountryCodes());
  const absl::Time now = clock_();
  ASSIGN_OR_RETURN(ClinicRecord record,
                   store_.UpdateClinic(
                       patch.clinic_id(), now,
                       [&](Clinic* current) -> absl::Status {
                         ASSIGN_OR_RETURN(Clinic merged,
                                          ApplyClinicMask(*current, patch, request.update_mask()));
                         const std::vector<FieldViolation> violations =
                             ValidateClinic(merged, now, countries);
                         if (!violations.empty()) return InvalidFields(violations);
                         *current = std::move(merged);
                         return absl::OkStatus();
                       },
                       WithMaskPaths(audit, request.update_mask())));
  EditCommitted("clinic_updated", patch.clinic_id());
  return Annotated(std::move(record));
}

absl::StatusOr<Clinic> CatalogService::ArchiveClinic(
    const carebridge::v1::ArchiveClinicRequest& request, const EditAudit& audit) {
  const std::string id = LowerTrimmed(request.clinic_id());
  RETURN_IF_ERROR(CheckId(id, "clinic_id"));
  ASSIGN_OR_RETURN(ClinicRecord record, store_.ArchiveClinic(id, clock_(), audit));
  EditCommitted("clinic_archived", id);
  return Annotated(std::move(record));
}

absl::StatusOr<Protocol> CatalogService::CreateProtocol(
    const carebridge::v1::CreateProtocolRequest& request, const EditAudit& audit) {
  const Protocol protocol = NormalizeProtocol(request.protocol());
  const std::vector<FieldViolation> violations = ValidateProtocol(protocol);
  if (!violations.empty()) return InvalidFields(violations);
  std::string protocol_id;
  ASSIGN_OR_RETURN(ClinicRecord record,
                   store_.CreateProtocol(protocol, clock_(), &protocol_id, audit));
  EditCommitted("protocol_created", protocol_id);
  return AnnotatedProtocol(std::move(record), protocol_id);
}

absl::StatusOr<Protocol> CatalogService::UpdateProtocol(
    const carebridge::v1::UpdateProtocolRequest& request, const EditAudit& audit) {
  const Protocol patch = NormalizeProtocol(request.protocol());
  RETURN_IF_ERROR(CheckId(patch.protocol_id(), "protocol_id"));
  ASSIGN_OR_RETURN(ClinicRecord record,
                   store_.UpdateProtocol(
                       patch.protocol_id(), clock_(),
                       [&](Protocol* current) -> absl::Status {
                         ASSIGN_OR_RETURN(
                             Protocol merged,
                             ApplyProtocolMask(*current, patch, request.update_mask()));
                         const std::vector<FieldViolation> violations = ValidateProtocol(merged);
                         if (!violations.empty()) return InvalidFields(violations);
                         *current = std::move(merged);
                         return absl::OkStatus();
                       },
                       WithMaskPaths(audit, request.update_mask())));
  EditCommitted("protocol_updated", patch.protocol_id());
  return AnnotatedProtocol(std::move(record), patch.protocol_id());
}

absl::StatusOr<Protocol> CatalogService::ArchiveProtocol(
    const carebridge::v1::ArchiveProtocolRequest& request, const EditAudit& audit) {
  const std::string id = LowerTrimmed(request.protocol_id());
  RETURN_IF_ERROR(CheckId(id, "protocol_id"));
  ASSIGN_OR_RETURN(ClinicRecord record, store_.ArchiveProtocol(id, clock_(), audit));
  EditCommitted("protocol_archived", id);
  return AnnotatedProtocol(std::move(record), id);
}

}  // namespace carebridge::catalog
