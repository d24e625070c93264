#include "gateway/transcoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "carebridge/v1/inquiries.pb.h"
#include "gateway/api_services.h"
#include "gateway/testdata/gateway_test.pb.h"
#include "services/common/errors.h"

namespace carebridge::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

class TranscoderTest : public ::testing::Test {
 protected:
  TranscoderTest() {
    const auto* file = gatewaytest::AllTypes::descriptor()->file();
    auto table = RouteTable::Build(
        {file->FindServiceByName("Clinics"), file->FindServiceByName("Bookings")});
    EXPECT_TRUE(table.ok()) << table.status();
    table_ = *std::move(table);
    auto api = RouteTable::Build(ApiServices());
    EXPECT_TRUE(api.ok()) << api.status();
    api_ = *std::move(api);
  }

  // Builds the request for method/target/body; `status` receives the outcome.
  template <typename T>
  T Build(const RouteTable& table, const std::string& method, const std::string& target,
          const std::string& body, const std::string& content_type, absl::Status* status,
          TranscodedRequest* out = nullptr) {
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
    const RouteMatch match = table.Match(method, SplitTarget(target).first);
    EXPECT_EQ(match.outcome, RouteMatch::Outcome::kMatched) << method << " " << target;
    TranscodedRequest local;
    TranscodedRequest* result = out != nullptr ? out : &local;
    bool unsupported = false;
    *status = BuildRequest(match, request, result, &unsupported);
    T message;
    if (result->message != nullptr) message.CopyFrom(*result->message);
    return message;
  }

  RouteTable table_;
  RouteTable api_;
};

TEST_F(TranscoderTest, JsonBodyIntoTheBodyFieldWithEitherNameStyle) {
  absl::Status status;
  const auto request = Build<v1::CreateInquiryRequest>(
      api_, "POST", "/v1/inquiries",
      R"({"fullName":"Ann","email":"ann@example.com","patient_age":61,"cellSource":"allogeneic",)"
      R"("unknownField":true})",
      "application/json; charset=utf-8", &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(request.inquiry().full_name(), "Ann");
  EXPECT_EQ(request.inquiry().patient_age(), 61);
  EXPECT_EQ(request.inquiry().cell_source(), v1::ALLOGENEIC);
}

TEST_F(TranscoderTest, BadJsonValueNamesTheField) {
  absl::Status status;
  Build<v1::CreateInquiryRequest>(api_, "POST", "/v1/inquiries", R"({"patientAge":"old"})",
                                  "application/json", &status);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Field(&FieldViolation::field, "patient_age")));
  Build<v1::CreateInquiryRequest>(api_, "POST", "/v1/inquiries", "{not json", "application/json",
                                  &status);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Field(&FieldViolation::field, "body")));
}

TEST_F(TranscoderTest, FormBodySetsFieldsAndMovesTheIdempotencyKeyAside) {
  absl::Status status;
  TranscodedRequest out;
  const auto request = Build<v1::CreateInquiryRequest>(
      api_, "POST", "/v1/inquiries",
      "full_name=Ann+Lee&email=ann%40example.com&contact_consent=true&mrs_score=3&"
      "stroke_type=ischaemic&idempotency_key=k-123&website=",
      "application/x-www-form-urlencoded", &status, &out);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(out.is_form);
  EXPECT_EQ(out.idempotency_key, "k-123");
  EXPECT_EQ(request.inquiry().full_name(), "Ann Lee");
  EXPECT_EQ(request.inquiry().email(), "ann@example.com");
  EXPECT_TRUE(request.inquiry().contact_consent());
  EXPECT_EQ(request.inquiry().mrs_score(), 3);
  EXPECT_EQ(request.inquiry().stroke_type(), v1::ISCHAEMIC);
  for (const auto& [name, value] : out.form_pairs) EXPECT_NE(name, "idempotency_key");
}

TEST_F(TranscoderTest, FormConversionErrorsKeepTheDecodedPairs) {
  absl::Status status;
  TranscodedRequest out;
  Build<v1::CreateInquiryRequest>(api_, "POST", "/v1/inquiries",
                                  "full_name=Ann&patient_age=sixty&mrs_score=x",
                                  "application/x-www-form-urlencoded", &status, &out);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Field(&FieldViolation::field, "patient_age"),
                                                     Field(&FieldViolation::field, "mrs_score")));
  EXPECT_EQ(out.form_pairs.size(), 3u);
}

TEST_F(TranscoderTest, UnsupportedContentTypeIsReported) {
  HttpRequest request;
  request.method = "POST";
  request.target = "/v1/inquiries";
  request.body = "<xml/>";
  request.headers = {{"content-type", "text/xml"}};
  TranscodedRequest out;
  bool unsupported = false;
  const absl::Status status =
      BuildRequest(api_.Match("POST", "/v1/inquiries"), request, &out, &unsupported);
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(unsupported);
}

TEST_F(TranscoderTest, GetTakesPathVariablesAndQueryParameters) {
  absl::Status status;
  const auto request = Build<gatewaytest::ListClinicsRequest>(
      table_, "GET", "/v1/clinics?country=JP&pageSize=20&languages=en&languages=ja&maxPriceUsd=1e4",
      "", "", &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(request.country(), "JP");
  EXPECT_EQ(request.page_size(), 20);
  EXPECT_THAT(request.languages(), ElementsAre("en", "ja"));
  EXPECT_DOUBLE_EQ(request.max_price_usd(), 10000);

  const auto one =
      Build<gatewaytest::GetClinicRequest>(table_, "GET", "/v1/clinics/c%2042", "", "", &status);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(one.clinic_id(), "c 42");

  Build<gatewaytest::ListClinicsRequest>(table_, "GET", "/v1/clinics?pageSize=many", "", "",
                                         &status);
  EXPECT_THAT(FieldViolationsOf(status), ElementsAre(Field(&FieldViolation::field, "page_size")));
}

TEST_F(TranscoderTest, PathVariablesWinOverTheBodyAndNestedPathsWork) {
  absl::Status status;
  const auto update = Build<gatewaytest::UpdateClinicRequest>(
      table_, "PATCH", "/v1/clinics/c7?validateOnly=true",
      R"({"clinicId":"other","name":"Kyoto Clinic"})", "application/json", &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(update.clinic().clinic_id(), "c7");
  EXPECT_EQ(update.clinic().name(), "Kyoto Clinic");
  EXPECT_TRUE(update.validate_only());

  const auto cancel = Build<gatewaytest::BookingAction>(
      table_, "POST", "/v1/bookings/b1:cancel", R"({"reason":"ill"})", "application/json", &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(cancel.booking_id(), "b1");
  EXPECT_EQ(cancel.reason(), "ill");
}

TEST_F(TranscoderTest, QueryCannotReachIntoTheBodyField) {
  absl::Status status;
  const auto create = Build<gatewaytest::CreateClinicRequest>(
      table_, "POST", "/v1/clinics?clinic.name=sneaky&requestNote=hi", R"({"name":"Real"})",
      "application/json", &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(create.clinic().name(), "Real");
  EXPECT_EQ(create.request_note(), "hi");
}

TEST_F(TranscoderTest, ResponseJsonUsesCamelCaseAndPrintsDefaults) {
  v1::CreateInquiryResponse response;
  response.set_case_id("c1");
  response.set_reference("CB-2026-000123");
  auto json = ResponseJson(response);
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"caseId":"c1","reference":"CB-2026-000123","stage":"STAGE_UNSPECIFIED"})");
}

}  // namespace
}  // namespace carebridge::gateway
