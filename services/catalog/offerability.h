// Which clinics and protocols are offered to patients, and why not when they are not.
//
// The rule (also in catalog.proto's header): a clinic is offered when it is not archived and its
// licence was verified at or before `now` and expires after `now`. A protocol is offered when its
// clinic is, it is not archived, and -- in a country whose regulation requires it (Japan's ASRM) --
// it names its risk class, provision-plan number and certified committee. The public search query
// in catalog_store.cc applies the same rule in SQL; tests check that both agree on every row.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "carebridge/v1/catalog.pb.h"

namespace carebridge::catalog {

// Why the clinic itself is not offered (empty when it is), e.g. "licence expired on 2026-06-30".
std::vector<std::string> ClinicShortcomings(const carebridge::v1::Clinic& clinic, absl::Time now);

// Why the protocol itself is not offered, not counting its clinic (empty when it is).
std::vector<std::string> ProtocolShortcomings(const carebridge::v1::Protocol& protocol,
                                              bool plan_required);

// Sets `offerable` and `not_offerable_reasons` on the clinic and on each of its protocols (a
// protocol of a clinic that is not offered gets the reason "clinic not offered").
void AnnotateOfferability(bool plan_required, absl::Time now, carebridge::v1::Clinic* clinic);

// Turns an annotated clinic into what patients see: false when the clinic is not offered;
// otherwise drops the protocols that are not offered and the admin-only fields (contact,
// archived, offerability reasons) and returns true.
bool ToPublicView(carebridge::v1::Clinic* clinic);

// Clears the admin-only fields of one offered protocol.
void StripAdminFields(carebridge::v1::Protocol* protocol);

}  // namespace carebridge::catalog
