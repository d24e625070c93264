// The catalog domain: public reads (search, one clinic, countries), MatchCase, and admin edits.
//
// Public reads go through the read cache (read_cache.h) when one is given: a reply is cached under
// its normalized request, tagged with the cache generation (cache_generation.h), and kept at most
// `cache_ttl` and never past the earliest licence expiry among the clinics it shows. Every admin
// edit bumps the generation after it commits, which retires cached replies on every replica. When
// the generation cannot be read (Redis down), reads bypass the cache and go to PostgreSQL.
//
// Admin edits are validated (catalog_validator.h) before anything is written; updates apply a
// field mask to the row locked in the same transaction. No gRPC here, and no authorization: the
// adapter (catalog_grpc_service.h) decides who may call what. Thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"
#include "services/catalog/cache_generation.h"
#include "services/catalog/catalog_store.h"
#include "services/catalog/read_cache.h"

namespace carebridge::catalog {

using Clock = std::function<absl::Time()>;

class CatalogService {
 public:
  // `cache` and `generation` are not owned and may both be null (no caching).
  CatalogService(CatalogStore& store, ReadCache* cache, CacheGeneration* generation, Clock clock,
                 absl::Duration cache_ttl = absl::Seconds(60))
      : store_(store),
        cache_(cache),
        generation_(generation),
        clock_(std::move(clock)),
        cache_ttl_(cache_ttl) {}

  // ---- Public reads: only what is offered, without admin-only fields. ----
  // Errors (all): INVALID_ARGUMENT naming each bad field; UNAVAILABLE / INTERNAL from the store.

  absl::StatusOr<carebridge::v1::SearchClinicsResponse> SearchClinics(
      const carebridge::v1::SearchClinicsRequest& request);
  // Also NOT_FOUND when the clinic is unknown or not offered.
  absl::StatusOr<carebridge::v1::Clinic> GetClinic(const carebridge::v1::GetClinicRequest& request);
  absl::StatusOr<carebridge::v1::ListCountriesResponse> ListCountries(
      const carebridge::v1::ListCountriesRequest& request);
  // See match_ranker.h for the ranking.
  absl::StatusOr<carebridge::v1::MatchCaseResponse> MatchCase(
      const carebridge::v1::MatchCaseRequest& request);

  // ---- Admin: every row, annotated with `offerable` and the reasons. ----
  // Errors (all): INVALID_ARGUMENT naming each bad field; NOT_FOUND for an unknown id;
  // UNAVAILABLE / INTERNAL from the store.

  absl::StatusOr<carebridge::v1::Clinic> AdminGetClinic(
      const carebridge::v1::GetClinicRequest& request);
  absl::StatusOr<carebridge::v1::AdminListClinicsResponse> AdminListClinics(
      const carebridge::v1::AdminListClinicsRequest& request);
  absl::StatusOr<carebridge::v1::Clinic> CreateClinic(
      const carebridge::v1::CreateClinicRequest& request, const EditAudit& audit = {});
  absl::StatusOr<carebridge::v1::Clinic> UpdateClinic(
      const carebridge::v1::UpdateClinicRequest& request, const EditAudit& audit = {});
  absl::StatusOr<carebridge::v1::Clinic> ArchiveClinic(
      const carebridge::v1::ArchiveClinicRequest& request, const EditAudit& audit = {});
  absl::StatusOr<carebridge::v1::Protocol> CreateProtocol(
      const carebridge::v1::CreateProtocolRequest& request, const EditAudit& audit = {});
  absl::StatusOr<carebridge::v1::Protocol> UpdateProtocol(
      const carebridge::v1::UpdateProtocolRequest& request, const EditAudit& audit = {});
  absl::StatusOr<carebridge::v1::Protocol> ArchiveProtocol(
      const carebridge::v1::ArchiveProtocolRequest& request, const EditAudit& audit = {});

 private:
  // A value read from the store and how long it may be served from the cache.
  template <typename T>
  struct Loaded {
    std::shared_ptr<const T> value;
    absl::Time valid_until;
  };

  // The cached value under `key`, or `load()`'s (then cached).
  template <typename T>
  absl::StatusOr<std::shared_ptr<const T>> Cached(
      const std::string& key, const std::function<absl::StatusOr<Loaded<T>>()>& load);

  // The offered clinics with protocols of `condition` (MatchCase candidates).
  absl::StatusOr<Loaded<carebridge::v1::SearchClinicsResponse>> LoadCandidates(
      const std::string& condition);

  // After a committed edit: retire cached replies everywhere.
  void EditCommitted(std::string_view event, const std::string& id);

  // The clinic annotated for admins / the protocol `protocol_id` of it, annotated.
  carebridge::v1::Clinic Annotated(ClinicRecord record);
  absl::StatusOr<carebridge::v1::Protocol> AnnotatedProtocol(ClinicRecord record,
                                                             const std::string& protocol_id);

  CatalogStore& store_;
  ReadCache* const cache_;
  CacheGeneration* const generation_;
  const Clock clock_;
  const absl::Duration cache_ttl_;
};

}  // namespace carebridge::catalog
