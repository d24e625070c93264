// The intake domain: turns a CreateInquiry request into a stored case (or a repeat, or a replay).
//
// Validates and normalizes the inquiry, treats a filled honeypot as spam (answered as if accepted),
// checks the idempotency key, and hands the record to the store. No gRPC here: the adapter in
// inquiries_grpc_service.h maps calls and statuses. Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "carebridge/v1/inquiries.pb.h"
#include "services/inquiries/inquiry_store.h"

namespace carebridge::inquiries {

using Clock = std::function<absl::Time()>;

struct IntakeCall {
  std::string idempotency_key;  // empty: none given
  std::string request_id;
  std::string actor = "web";
  std::string partner_id;  // set when a partner key made the call: the case is attributed to it
};

class IntakeService {
 public:
  IntakeService(InquiryStore& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  // Errors: INVALID_ARGUMENT with every bad field (or field "Idempotency-Key" for a malformed or
  // reused key); UNAVAILABLE / INTERNAL from the store.
  absl::StatusOr<carebridge::v1::CreateInquiryResponse> CreateInquiry(
      const carebridge::v1::CreateInquiryRequest& request, const IntakeCall& call);

 private:
  InquiryStore& store_;
  Clock clock_;
};

// The hex SHA-256 of an inquiry's deterministic serialization: two requests with the same content
// (whatever their JSON key order or form encoding) hash alike.
std::string RequestHash(const carebridge::v1::Inquiry& normalized);

// True when `key` is 1..255 printable ASCII characters.
bool IsAcceptableIdempotencyKey(std::string_view key);

}  // namespace carebridge::inquiries
