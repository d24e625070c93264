#include "gateway/route_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "carebridge/v1/inquiries.pb.h"
#include "gateway/api_services.h"
#include "gateway/testdata/gateway_test.pb.h"

namespace carebridge::gateway {
namespace {

using ::testing::UnorderedElementsAre;

std::vector<const google::protobuf::ServiceDescriptor*> TestServices() {
  const auto* file = gatewaytest::AllTypes::descriptor()->file();
  return {file->FindServiceByName("Clinics"), file->FindServiceByName("Bookings")};
}

RouteTable TestTable() {
  auto table = RouteTable::Build(TestServices());
  EXPECT_TRUE(table.ok()) << table.status();
  return *std::move(table);
}

TEST(RouteTableTest, EveryAnnotatedMethodAndAdditionalBindingBecomesARoute) {
  const RouteTable table = TestTable();
  std::vector<std::string> routes;
  for (const Route& route : table.routes()) {
    routes.push_back(route.http_method + " " + route.pattern());
  }
  EXPECT_THAT(routes,
              UnorderedElementsAre(
                  "GET /v1/clinics/{clinic_id}", "GET /v1/clinics", "POST /v1/clinics",
                  "PATCH /v1/clinics/{clinic.clinic_id}", "PUT /v1/clinics/{clinic.clinic_id}",
                  "DELETE /v1/clinics/{clinic_id}", "POST /v1/bookings/{booking_id}:cancel",
                  "POST /v1/bookings/{booking_id}:reschedule", "GET /v1/files/{name=**}",
                  "GET /v1/hosts/{name}/calendar.ics", "POST /v1/echo/{s}"));
}

TEST(RouteTableTest, MatchesVariablesAndNamesTheGrpcMethod) {
  const RouteTable table = TestTable();
  const RouteMatch match = table.Match("GET", "/v1/clinics/c-42");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(match.route->grpc_path, "/carebridge.gatewaytest.Clinics/GetClinic");
  EXPECT_EQ(match.route->service_name, "Clinics");
  ASSERT_EQ(match.bindings.size(), 1u);
  EXPECT_EQ(match.bindings[0].field_path, "clinic_id");
  EXPECT_EQ(match.bindings[0].value, "c-42");
}

TEST(RouteTableTest, CustomVerbsPickTheirOwnMethod) {
  const RouteTable table = TestTable();
  const RouteMatch cancel = table.Match("POST", "/v1/bookings/b1:cancel");
  ASSERT_EQ(cancel.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(cancel.route->method->name(), "CancelBooking");
  EXPECT_EQ(cancel.route->body, "*");
  const RouteMatch reschedule = table.Match("POST", "/v1/bookings/b1:reschedule");
  ASSERT_EQ(reschedule.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(reschedule.route->method->name(), "RescheduleBooking");
  EXPECT_EQ(table.Match("POST", "/v1/bookings/b1:refund").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(RouteTableTest, AdditionalBindingsAndNestedVariables) {
  const RouteTable table = TestTable();
  for (const char* verb : {"PATCH", "PUT"}) {
    const RouteMatch match = table.Match(verb, "/v1/clinics/c7");
    ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched) << verb;
    EXPECT_EQ(match.route->method->name(), "UpdateClinic");
    EXPECT_EQ(match.route->body, "clinic");
    EXPECT_EQ(match.bindings[0].field_path, "clinic.clinic_id");
  }
}

TEST(RouteTableTest, MostSpecificTemplateWins) {
  const RouteTable table = TestTable();
  const RouteMatch literal = table.Match("GET", "/v1/clinics");
  ASSERT_EQ(literal.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(literal.route->method->name(), "ListClinics");
  const RouteMatch calendar = table.Match("GET", "/v1/hosts/h1/calendar.ics");
  ASSERT_EQ(calendar.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(calendar.route->method->name(), "GetHostCalendar");
}

TEST(RouteTableTest, UnknownPathIsNotFoundAndWrongMethodListsTheAllowedOnes) {
  const RouteTable table = TestTable();
  EXPECT_EQ(table.Match("GET", "/v1/nothing").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(table.Match("GET", "/").outcome, RouteMatch::Outcome::kNotFound);
  const RouteMatch wrong = table.Match("POST", "/v1/clinics/c1");
  ASSERT_EQ(wrong.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_THAT(wrong.allowed, UnorderedElementsAre("GET", "PATCH", "PUT", "DELETE"));
}

TEST(RouteTableTest, TheApiHasThePublicInquiryRoute) {
  auto table = RouteTable::Build(ApiServices());
  ASSERT_TRUE(table.ok()) << table.status();
  const RouteMatch match = table->Match("POST", "/v1/inquiries");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(match.route->grpc_path, "/carebridge.v1.Inquiries/CreateInquiry");
  EXPECT_EQ(match.route->body, "inquiry");
}

TEST(RouteTableTest, ApiServicesAreThoseOfTheApiPackage) {
  const auto services = ApiServices();
  ASSERT_FALSE(services.empty());
  for (const auto* service : services) EXPECT_EQ(service->file()->package(), "carebridge.v1");
  EXPECT_TRUE(ApiServices("carebridge.nothing").empty());
}

}  // namespace
}  // namespace carebridge::gateway
