#include "services/catalog/match_ranker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/catalog/test_fixtures.h"
#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

carebridge::v1::Clinic Clinic(const std::string& id, const std::string& country,
                              std::vector<std::string> languages, bool interpreters) {
  carebridge::v1::Clinic c = testing::ValidClinic();
  c.set_clinic_id(id);
  c.set_name("Clinic " + id);
  c.set_country(country);
  c.clear_languages();
  for (const auto& l : languages) c.add_languages(l);
  c.set_interpreter_support(interpreters);
  return c;
}

carebridge::v1::Protocol* AddProtocol(carebridge::v1::Clinic* clinic, const std::string& id,
                                      carebridge::v1::CellSource source, long long min,
                                      long long max) {
  carebridge::v1::Protocol* p = clinic->add_protocols();
  *p = testing::ValidProtocol();
  p->set_protocol_id(id);
  p->set_clinic_id(clinic->clinic_id());
  p->set_cell_source(source);
  p->set_price_usd_min(min);
  p->set_price_usd_max(max);
  if (source == carebridge::v1::ALLOGENEIC) {
    p->mutable_trip_plan()->set_trips(1);
    p->mutable_trip_plan()->set_days_min(10);
    p->mutable_trip_plan()->set_days_max(14);
  }
  return p;
}

MatchPreferences Prefs() {
  MatchPreferences prefs;
  prefs.condition = "stroke";
  return prefs;
}

std::vector<std::string> Ids(const carebridge::v1::MatchCaseResponse& response) {
  std::vector<std::string> ids;
  for (const auto& m : response.matches()) ids.push_back(m.protocol().protocol_id());
  return ids;
}

TEST(MatchRankerTest, OverBudgetIsAShortfallWithTheAmount) {
  auto jp = Clinic("jp", "JP", {"ja", "en"}, true);
  AddProtocol(&jp, "p1", carebridge::v1::AUTOLOGOUS, 35000, 45000);
  MatchPreferences prefs = Prefs();
  prefs.budget_usd_max = 30000;
  const auto response = RankMatches(prefs, {jp});
  ASSERT_EQ(response.matches_size(), 1);
  EXPECT_THAT(response.matches(0).shortfalls(), ElementsAre("over budget by $5,000"));
  EXPECT_EQ(response.matches(0).shortfall_count(), 1);
}

TEST(MatchRankerTest, DestinationAndBudgetOrderTheMatches) {
  auto jp = Clinic("jp", "JP", {"ja", "en"}, true);
  AddProtocol(&jp, "jp-cheap", carebridge::v1::AUTOLOGOUS, 18000, 24000);
  AddProtocol(&jp, "jp-dear", carebridge::v1::ALLOGENEIC, 38000, 45000);
  auto mx = Clinic("mx", "MX", {"es", "en"}, true);
  AddProtocol(&mx, "mx", carebridge::v1::ALLOGENEIC, 8000, 12000);
  MatchPreferences prefs = Prefs();
  prefs.destination_country = "JP";
  prefs.budget_usd_max = 30000;
  const auto response = RankMatches(prefs, {mx, jp});
  // jp-cheap meets both (70). jp-dear (40, over budget) and mx (30, wrong country) have one
  // shortfall each, so the higher score comes first.
  EXPECT_THAT(Ids(response), ElementsAre("jp-cheap", "jp-dear", "mx"));
  EXPECT_THAT(response.matches(0).reasons(),
              ElementsAre("in JP as requested", "within budget ($18,000-$24,000 of $30,000)"));
  EXPECT_THAT(response.matches(0).shortfalls(), IsEmpty());
  EXPECT_THAT(response.matches(1).shortfalls(), ElementsAre("over budget by $8,000"));
  EXPECT_THAT(response.matches(2).shortfalls(), ElementsAre("in MX, not JP as requested"));
  EXPECT_EQ(response.candidates(), 3);
}

TEST(MatchRankerTest, CellSourceLanguageAndInterpreter) {
  auto a = Clinic("a", "JP", {"ja"}, false);
  AddProtocol(&a, "a-auto", carebridge::v1::AUTOLOGOUS, 20000, 25000);
  auto b = Clinic("b", "JP", {"ja", "en"}, true);
  AddProtocol(&b, "b-allo", carebridge::v1::ALLOGENEIC, 20000, 25000);
  auto c = Clinic("c", "JP", {"ja"}, true);
  AddProtocol(&c, "c-auto", carebridge::v1::AUTOLOGOUS, 20000, 25000);
  MatchPreferences prefs = Prefs();
  prefs.cell_source = carebridge::v1::AUTOLOGOUS;
  prefs.language = "en";
  prefs.needs_interpreter = true;
  const auto response = RankMatches(prefs, {a, b, c});
  // c: autologous + interpreters for en + interpreter support, no shortfall.
  // b: allogeneic (shortfall), en staff, interpreters. a: two shortfalls (language, interpreter).
  EXPECT_THAT(Ids(response), ElementsAre("c-auto", "b-allo", "a-auto"));
  EXPECT_THAT(response.matches(0).reasons(),
              ElementsAre("autologous cells as preferred", "interpreters for en",
                          "medical interpreter support"));
  EXPECT_THAT(response.matches(1).shortfalls(),
              ElementsAre("allogeneic cells, autologous preferred"));
  EXPECT_THAT(response.matches(2).shortfalls(),
              ElementsAre("no en-speaking staff or interpreters", "no interpreter support"));
}

TEST(MatchRankerTest, TiesBreakByPriceThenId) {
  auto jp = Clinic("jp", "JP", {"ja"}, true);
  AddProtocol(&jp, "p-b", carebridge::v1::AUTOLOGOUS, 20000, 25000);
  AddProtocol(&jp, "p-a", carebridge::v1::AUTOLOGOUS, 20000, 25000);
  AddProtocol(&jp, "p-c", carebridge::v1::AUTOLOGOUS, 15000, 25000);
  const auto response = RankMatches(Prefs(), {jp});
  EXPECT_THAT(Ids(response), ElementsAre("p-c", "p-a", "p-b"));
}

TEST(MatchRankerTest, EstimateAndLimitAndOtherConditions) {
  auto jp = Clinic("jp", "JP", {"ja"}, true);
  AddProtocol(&jp, "auto", carebridge::v1::AUTOLOGOUS, 20000, 25000);
  AddProtocol(&jp, "allo", carebridge::v1::ALLOGENEIC, 30000, 35000);
  AddProtocol(&jp, "crohns", carebridge::v1::ALLOGENEIC, 1000, 2000)->set_condition("crohns");
  MatchPreferences prefs = Prefs();
  prefs.max_results = 1;
  const auto response = RankMatches(prefs, {jp});
  EXPECT_EQ(response.candidates(), 2);
  ASSERT_EQ(response.matches_size(), 1);
  const auto& estimate = response.matches(0).estimate();
  EXPECT_EQ(estimate.treatment_usd_min(), 20000);
  EXPECT_EQ(estimate.trips(), 2);
  EXPECT_EQ(estimate.days_away_min(), 6);
  EXPECT_EQ(estimate.culture_weeks_max(), 5);
}

TEST(MatchRankerTest, ValidatesTheRequest) {
  carebridge::v1::MatchCaseRequest request;
  request.set_destination_country("Japan");
  request.set_budget_usd_max(-5);
  request.set_preferred_language("??");
  auto prefs = ParseMatchRequest(request);
  ASSERT_FALSE(prefs.ok());
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(prefs.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ElementsAre("condition", "destination_country", "budget_usd_max",
                                  "preferred_language"));

  request.Clear();
  request.set_condition("Stroke");
  request.set_preferred_language("ja-JP");
  prefs = ParseMatchRequest(request);
  ASSERT_TRUE(prefs.ok());
  EXPECT_EQ(prefs->condition, "stroke");
  EXPECT_EQ(prefs->language, "ja");
  EXPECT_FALSE(prefs->budget_usd_max.has_value());
  EXPECT_EQ(prefs->max_results, kDefaultMatches);
}

}  // namespace
}  // namespace carebridge::catalog
