// Partial updates: applying an UpdateClinic / UpdateProtocol field mask to the stored resource.
//
// Only the paths listed below may be updated; ids, the clinic a protocol belongs to, and output
// fields may not. A path names a field (or a sub-message, replaced whole) in proto-name form. The
// masked fields are copied from the patch even when empty there, so a mask can clear a field (the
// result is then validated as a whole). Pure functions; thread-safe.
#pragma once

#include <google/protobuf/field_mask.pb.h>

#include "absl/status/statusor.h"
#include "carebridge/v1/catalog.pb.h"

namespace carebridge::catalog {

// `current` with the paths of `mask` taken from `patch`. INVALID_ARGUMENT on field "update_mask"
// when the mask is empty or names a path that does not exist or may not be updated.
absl::StatusOr<carebridge::v1::Clinic> ApplyClinicMask(const carebridge::v1::Clinic& current,
                                                       const carebridge::v1::Clinic& patch,
                                                       const google::protobuf::FieldMask& mask);

absl::StatusOr<carebridge::v1::Protocol> ApplyProtocolMask(const carebridge::v1::Protocol& current,
                                                           const carebridge::v1::Protocol& patch,
                                                           const google::protobuf::FieldMask& mask);

}  // namespace carebridge::catalog
