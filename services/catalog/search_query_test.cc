#include "services/catalog/search_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/errors.h"

namespace carebridge::catalog {
namespace {

TEST(SearchQueryTest, NormalizesFilters) {
  carebridge::v1::SearchClinicsRequest request;
  request.set_condition(" Stroke ");
  request.set_country("jp");
  request.set_cell_source(carebridge::v1::AUTOLOGOUS);
  request.set_route(carebridge::v1::INTRATHECAL);
  request.set_max_price_usd(30000);
  request.set_language("en-GB");
  request.set_interpreter(true);
  request.set_page_size(500);
  auto query = ParseSearchRequest(request);
  ASSERT_TRUE(query.ok()) << query.status();
  EXPECT_EQ(query->filter.condition, "stroke");
  EXPECT_EQ(query->filter.country, "JP");
  EXPECT_EQ(query->filter.cell_source, "AUTOLOGOUS");
  EXPECT_EQ(query->filter.route, "INTRATHECAL");
  EXPECT_EQ(query->filter.max_price_usd, 30000);
  EXPECT_EQ(query->filter.language, "en");
  EXPECT_TRUE(query->filter.interpreter);
  EXPECT_EQ(query->page_size, kMaxPageSize);
  EXPECT_TRUE(query->after.at_start());
}

TEST(SearchQueryTest, NoPreferenceAndDefaults) {
  carebridge::v1::SearchClinicsRequest request;
  request.set_cell_source(carebridge::v1::NO_PREFERENCE);
  auto query = ParseSearchRequest(request);
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->filter.cell_source, "");
  EXPECT_EQ(query->page_size, kDefaultPageSize);
}

TEST(SearchQueryTest, NamesEveryBadField) {
  carebridge::v1::SearchClinicsRequest request;
  request.set_condition("stroke%");
  request.set_country("Japan");
  request.set_route(static_cast<carebridge::v1::DeliveryRoute>(9));
  request.set_max_price_usd(-1);
  request.set_language("english");
  request.set_page_size(-3);
  auto query = ParseSearchRequest(request);
  ASSERT_FALSE(query.ok());
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(query.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("condition", "country", "route", "max_price_usd",
                                             "language", "page_size"));
}

TEST(SearchQueryTest, PageTokenBelongsToItsFilters) {
  SearchFilter filter;
  filter.condition = "stroke";
  const std::string token = EncodePageToken({"A Clinic", "c1000000-0000-4000-8000-000000000001"},
                                            FilterFingerprint(filter));
  carebridge::v1::SearchClinicsRequest request;
  request.set_condition("stroke");
  request.set_page_token(token);
  auto query = ParseSearchRequest(request);
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->after.after_name, "A Clinic");

  request.set_country("JP");
  query = ParseSearchRequest(request);
  ASSERT_FALSE(query.ok());
  EXPECT_EQ(FieldViolationsOf(query.status())[0].field, "page_token");
}

TEST(SearchQueryTest, CacheKeysDifferByPageAndFilter) {
  SearchQuery a, b;
  a.filter.condition = "stroke";
  b.filter.condition = "stroke";
  EXPECT_EQ(SearchCacheKey(a), SearchCacheKey(b));
  b.after = {"X", "c1000000-0000-4000-8000-000000000001"};
  EXPECT_NE(SearchCacheKey(a), SearchCacheKey(b));
  b = a;
  b.filter.interpreter = true;
  EXPECT_NE(SearchCacheKey(a), SearchCacheKey(b));
}

}  // namespace
}  // namespace carebridge::catalog
