// CatalogService + CatalogStore against a real PostgreSQL started by the harness, on the seed data
// of the migrations: filters one by one and combined, keyset paging while clinics are inserted,
// offerability (expired licence, missing ASRM plan), admin validation and edits, MatchCase.
#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "services/catalog/catalog_service.h"
#include "services/catalog/catalog_store.h"
#include "services/catalog/offerability.h"
#include "services/common/errors.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "tests/harness/postgres_server.h"

namespace carebridge::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PostgresServer;
using ::testing::UnorderedElementsAre;

namespace v1 = carebridge::v1;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 9, 30, 0), absl::UTCTimeZone());

// Seed ids (services/catalog/migrations/0002_seed.sql).
std::string Clinic(int n) {
  char id[40];
  std::snprintf(id, sizeof(id), "c1000000-0000-4000-8000-%012d", n);
  return id;
}
std::string Protocol(int n) {
  char id[40];
  std::snprintf(id, sizeof(id), "b1000000-0000-4000-8000-%012d", n);
  return id;
}
const std::string kHoshizora = Clinic(1), kSakae = Clinic(7), kGinza = Clinic(8),
                  kOdori = Clinic(6);

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp out;
  out.set_seconds(absl::ToUnixSeconds(t));
  return out;
}

std::vector<FieldViolation> Violations(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return FieldViolationsOf(status);
}
std::vector<std::string> ViolatedFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const auto& v : Violations(status)) fields.push_back(v.field);
  return fields;
}

class CatalogStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PostgresServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  // Every test starts from the migrations' seed data, on a fresh pool.
  CatalogStoreTest() {
    Exec("DROP SCHEMA IF EXISTS catalog CASCADE");
    PgPoolConfig config;
    config.uri = server_->uri();
    config.size = 8;
    config.prepared = CatalogStoreStatements();
    pool_ = std::make_unique<PgPool>(config);
    const absl::Status migrated = ApplyMigrations(*pool_, "catalog", CatalogMigrations());
    EXPECT_TRUE(migrated.ok()) << migrated;
    store_ = std::make_unique<CatalogStore>(*pool_);
    catalog_ = std::make_unique<CatalogService>(*store_, nullptr, nullptr, [this] { return now_; });
  }

  static pqxx::result Exec(const std::string& sql) {
    pqxx::connection connection(server_->uri());
    pqxx::work tx(connection);
    pqxx::result result = tx.exec(sql);
    tx.commit();
    return result;
  }

  v1::SearchClinicsResponse Search(v1::SearchClinicsRequest request) {
    if (request.page_size() == 0) request.set_page_size(100);
    auto response = catalog_->SearchClinics(request);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : v1::SearchClinicsResponse();
  }

  static std::vector<std::string> ClinicIds(const v1::SearchClinicsResponse& response) {
    std::vector<std::string> ids;
    for (const auto& c : response.clinics()) ids.push_back(c.clinic_id());
    return ids;
  }
  static std::vector<std::string> ProtocolIds(const v1::SearchClinicsResponse& response) {
    std::vector<std::string> ids;
    for (const auto& c : response.clinics())
      for (const auto& p : c.protocols()) ids.push_back(p.protocol_id());
    return ids;
  }

  v1::Clinic NewClinic(const std::string& name) {
    v1::Clinic c;
    c.set_name(name);
    c.set_country("JP");
    c.set_city("Tokyo");
    c.set_time_zone("Asia/Tokyo");
    c.mutable_license()->set_authority("MHLW");
    c.mutable_license()->set_number("MHLW-RM-TEST");
    *c.mutable_license()->mutable_verified_at() = ToProto(kNow - absl::Hours(24));
    *c.mutable_license()->mutable_expires_at() = ToProto(kNow + absl::Hours(24 * 700));
    c.add_languages("ja");
    return c;
  }

  v1::Protocol NewProtocol(const std::string& clinic_id) {
    v1::Protocol p;
    p.set_clinic_id(clinic_id);
    p.set_condition("stroke");
    p.set_cell_source(v1::ALLOGENEIC);
    p.set_cell_type(v1::UMBILICAL_CORD_MSC);
    p.set_route(v1::INTRAVENOUS);
    p.set_cell_count_millions(100);
    p.set_price_usd_min(20000);
    p.set_price_usd_max(30000);
    p.mutable_trip_plan()->set_trips(1);
    p.mutable_trip_plan()->set_days_min(10);
    p.mutable_trip_plan()->set_days_max(14);
    p.mutable_asrm()->set_risk_class(v1::ASRM_CLASS_II);
    p.mutable_asrm()->set_provision_plan_number("PB9990001");
    p.mutable_asrm()->set_certified_committee("Test Committee");
    return p;
  }

  static PostgresServer* server_;
  absl::Time now_ = kNow;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<CatalogStore> store_;
  std::unique_ptr<CatalogService> catalog_;
};

PostgresServer* CatalogStoreTest::server_ = nullptr;

TEST_F(CatalogStoreTest, CountriesAreTheProductCostTable) {
  auto response = catalog_->ListCountries({});
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->countries_size(), 4);
  const auto& c = response->countries();
  EXPECT_EQ(c[0].code(), "JP");
  EXPECT_EQ(c[0].name(), "Japan");
  EXPECT_EQ(c[0].cost_usd_min(), 15000);
  EXPECT_EQ(c[0].cost_usd_max(), 45000);
  EXPECT_EQ(c[0].regulatory_level(), v1::REGULATORY_LEVEL_HIGH);
  EXPECT_EQ(c[0].regulatory_note(), "MHLW regulated");
  EXPECT_EQ(c[1].code(), "US");
  EXPECT_EQ(c[1].cost_usd_min(), 25000);
  EXPECT_EQ(c[1].cost_usd_max(), 60000);
  EXPECT_TRUE(c[1].cost_usd_max_open_ended());
  EXPECT_EQ(c[1].regulatory_level(), v1::REGULATORY_LEVEL_VERY_HIGH);
  EXPECT_EQ(c[1].regulatory_note(), "trials only");
  EXPECT_EQ(c[2].code(), "MX");
  EXPECT_EQ(c[2].cost_usd_min(), 5000);
  EXPECT_EQ(c[2].cost_usd_max(), 18000);
  EXPECT_EQ(c[2].regulatory_level(), v1::REGULATORY_LEVEL_MODERATE);
  EXPECT_EQ(c[3].code(), "TR");
  EXPECT_EQ(c[3].cost_usd_min(), 4000);
  EXPECT_EQ(c[3].cost_usd_max(), 15000);
  EXPECT_EQ(c[3].regulatory_level(), v1::REGULATORY_LEVEL_MODERATE);

  v1::ListCountriesRequest other;
  other.set_condition("crohns");
  EXPECT_EQ(catalog_->ListCountries(other)->countries_size(), 0);
  other.set_condition("DROP TABLE;");
  EXPECT_THAT(ViolatedFields(catalog_->ListCountries(other).status()), ElementsAre("condition"));
}

TEST_F(CatalogStoreTest, SeedProtocolsFollowTheArticle) {
  const v1::SearchClinicsResponse all = Search({});
  for (const auto& clinic : all.clinics()) {
    for (const auto& p : clinic.protocols()) {
      SCOPED_TRACE(p.protocol_id());
      EXPECT_TRUE(p.cell_count_millions() == 100 || p.cell_count_millions() == 200);
      if (p.cell_source() == v1::AUTOLOGOUS) {
        EXPECT_EQ(p.trip_plan().trips(), 2);
        EXPECT_GE(p.culture_weeks_min(), 3);
        EXPECT_LE(p.culture_weeks_max(), 5);
      } else {
        EXPECT_EQ(p.trip_plan().trips(), 1);
        EXPECT_GE(p.trip_plan().days_min(), 10);
        EXPECT_LE(p.trip_plan().days_max(), 14);
      }
      if (p.condition() != "stroke") continue;
      const std::map<std::string, std::pair<int, int>> ranges = {{"JP", {15000, 45000}},
                                                                 {"US", {25000, 60000}},
                                                                 {"MX", {5000, 18000}},
                                                                 {"TR", {4000, 15000}}};
      EXPECT_GE(p.price_usd_min(), ranges.at(clinic.country()).first);
      EXPECT_LE(p.price_usd_max(), ranges.at(clinic.country()).second);
      if (clinic.country() == "JP") {
        EXPECT_FALSE(p.asrm().provision_plan_number().empty());
      }
    }
  }
}

TEST_F(CatalogStoreTest, UnfilteredSearchShowsOfferedClinicsByName) {
  const auto response = Search({});
  // 16 seed clinics less Ginza Mirai (licence expired) and Sakae (its only protocol lacks a plan).
  EXPECT_EQ(response.clinics_size(), 14);
  EXPECT_TRUE(
      std::is_sorted(response.clinics().begin(), response.clinics().end(),
                     [](const v1::Clinic& a, const v1::Clinic& b) { return a.name() < b.name(); }));
  for (const auto& c : response.clinics()) {
    EXPECT_FALSE(c.has_contact()) << "contact data is for admins only";
    EXPECT_TRUE(c.offerable());
    EXPECT_FALSE(c.protocols().empty());
  }
  EXPECT_EQ(response.next_page_token(), "");
}

TEST_F(CatalogStoreTest, EachFilterOnItsOwn) {
  v1::SearchClinicsRequest r;
  r.set_country("mx");
  EXPECT_THAT(ClinicIds(Search(r)), UnorderedElementsAre(Clinic(11), Clinic(12)));

  r.Clear();
  r.set_condition("crohns");
  EXPECT_THAT(ProtocolIds(Search(r)),
              UnorderedElementsAre(Protocol(4), Protocol(15), Protocol(20)));

  r.Clear();
  r.set_cell_source(v1::AUTOLOGOUS);
  EXPECT_THAT(ProtocolIds(Search(r)),
              UnorderedElementsAre(Protocol(1), Protocol(3), Protocol(5), Protocol(7), Protocol(8),
                                   Protocol(14), Protocol(18), Protocol(21)));

  r.Clear();
  r.set_route(v1::INTRATHECAL);
  EXPECT_THAT(ProtocolIds(Search(r)), UnorderedElementsAre(Protocol(3), Protocol(8), Protocol(10),
                                                           Protocol(17), Protocol(21)));

  r.Clear();
  r.set_max_price_usd(10000);  // protocols whose price starts at or below $10,000
  EXPECT_THAT(ProtocolIds(Search(r)), UnorderedElementsAre(Protocol(16), Protocol(18), Protocol(19),
                                                           Protocol(20), Protocol(21)));

  r.Clear();
  r.set_language("ru");
  EXPECT_THAT(ClinicIds(Search(r)), UnorderedElementsAre(kOdori, Clinic(14)));
  r.set_language("es-MX");  // by primary language
  EXPECT_THAT(ClinicIds(Search(r)), UnorderedElementsAre(Clinic(11), Clinic(12), Clinic(15)));

  r.Clear();
  r.set_interpreter(true);  // all offered clinics but Kamo River and Cascadia
  const auto with_interpreters = ClinicIds(Search(r));
  EXPECT_EQ(with_interpreters.size(), 12u);
  EXPECT_THAT(with_interpreters, ::testing::Not(::testing::Contains(Clinic(4))));
  EXPECT_THAT(with_interpreters, ::testing::Not(::testing::Contains(Clinic(16))));
}

TEST_F(CatalogStoreTest, FiltersCombined) {
  v1::SearchClinicsRequest r;
  r.set_condition("stroke");
  r.set_country("JP");
  r.set_cell_source(v1::ALLOGENEIC);
  r.set_route(v1::INTRAVENOUS);
  r.set_max_price_usd(40000);
  r.set_language("en");
  r.set_interpreter(true);
  const auto response = Search(r);
  // Kamo River's cheaper protocol fails the language and interpreter filters; Odori's intrathecal
  // one fails the route, so only its IV protocol is shown.
  EXPECT_THAT(ClinicIds(response), ElementsAre(kHoshizora, kOdori, Clinic(9)));
  EXPECT_THAT(ProtocolIds(response), ElementsAre(Protocol(2), Protocol(9), Protocol(13)));
}

TEST_F(CatalogStoreTest, BadFiltersNameTheField) {
  v1::SearchClinicsRequest r;
  r.set_country("Japan");
  r.set_page_token("garbage");
  EXPECT_THAT(ViolatedFields(catalog_->SearchClinics(r).status()), ElementsAre("country"));
  r.clear_country();
  EXPECT_THAT(ViolatedFields(catalog_->SearchClinics(r).status()), ElementsAre("page_token"));
}

TEST_F(CatalogStoreTest, PagesChainWithoutGapsOrRepeats) {
  const std::vector<std::string> all = ClinicIds(Search({}));
  std::vector<std::string> paged;
  v1::SearchClinicsRequest r;
  r.set_page_size(3);
  int pages = 0;
  do {
    const auto page = Search(r);
    EXPECT_LE(page.clinics_size(), 3);
    for (const auto& id : ClinicIds(page)) paged.push_back(id);
    r.set_page_token(page.next_page_token());
    ++pages;
  } while (!r.page_token().empty() && pages < 20);
  EXPECT_EQ(paged, all);
  EXPECT_EQ(pages, 5);  // 14 clinics: 3+3+3+3+2
}

TEST_F(CatalogStoreTest, PagingWhileClinicsAreInsertedNeverRepeatsOrSkipsAnExistingClinic) {
  const std::vector<std::string> before = ClinicIds(Search({}));
  std::atomic<bool> done{false};
  std::atomic<int> inserted{0};
  // Inserts offered clinics with names spread over the whole alphabet, before and after the
  // pager's position, until the pager has finished a few passes. Bounded, so that a pass (pages of
  // two) always reaches the end however fast the writer runs compared with the pager.
  constexpr int kMaxInserts = 150;
  std::thread writer([&] {
    std::mt19937 random(7);
    while (!done && inserted.load() < kMaxInserts) {
      const char first = static_cast<char>('A' + random() % 26);
      v1::CreateClinicRequest request;
      *request.mutable_clinic() =
          NewClinic(std::string(1, first) + " Inserted Clinic " + std::to_string(inserted.load()));
      auto created = catalog_->CreateClinic(request);
      ASSERT_TRUE(created.ok()) << created.status();
      v1::CreateProtocolRequest protocol;
      *protocol.mutable_protocol() = NewProtocol(created->clinic_id());
      ASSERT_TRUE(catalog_->CreateProtocol(protocol).ok());
      ++inserted;
    }
  });
  // At least five passes, and more (bounded) until the writer has really run alongside: on a loaded
  // machine five passes can finish before it inserts much.
  for (int pass = 0; pass < 5 || (inserted.load() <= 10 && pass < 200); ++pass) {
    std::vector<std::string> seen;
    std::string last_name;
    v1::SearchClinicsRequest r;
    r.set_page_size(2);
    do {
      const auto page = Search(r);
      for (const auto& c : page.clinics()) {
        EXPECT_GE(c.name(), last_name) << "order broken";
        last_name = c.name();
        seen.push_back(c.clinic_id());
      }
      r.set_page_token(page.next_page_token());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    } while (!r.page_token().empty());
    const std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << "a clinic was shown twice in pass " << pass;
    for (const std::string& id : before) {
      EXPECT_EQ(std::count(seen.begin(), seen.end(), id), 1) << id << " in pass " << pass;
    }
  }
  done = true;
  writer.join();
  EXPECT_GT(inserted.load(), 10) << "the writer did not run alongside the pager";
}

TEST_F(CatalogStoreTest, ExpiredLicenceIsHiddenAndFlaggedForAdmins) {
  EXPECT_THAT(ClinicIds(Search({})), ::testing::Not(::testing::Contains(kGinza)));
  v1::GetClinicRequest get;
  get.set_clinic_id(kGinza);
  EXPECT_EQ(catalog_->GetClinic(get).status().code(), absl::StatusCode::kNotFound);

  auto admin = catalog_->AdminGetClinic(get);
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_FALSE(admin->offerable());
  EXPECT_THAT(admin->not_offerable_reasons(), ElementsAre("licence expired on 2026-06-30"));
  ASSERT_EQ(admin->protocols_size(), 1);
  EXPECT_THAT(admin->protocols(0).not_offerable_reasons(), ElementsAre("clinic not offered"));

  // A renewed licence brings it back on the next read.
  v1::UpdateClinicRequest renew;
  renew.mutable_clinic()->set_clinic_id(kGinza);
  *renew.mutable_clinic()->mutable_license()->mutable_verified_at() = ToProto(kNow);
  *renew.mutable_clinic()->mutable_license()->mutable_expires_at() =
      ToProto(kNow + absl::Hours(24 * 365));
  renew.mutable_update_mask()->add_paths("license.verified_at");
  renew.mutable_update_mask()->add_paths("license.expires_at");
  auto renewed = catalog_->UpdateClinic(renew);
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  EXPECT_TRUE(renewed->offerable());
  EXPECT_EQ(renewed->license().number(), "MHLW-RM-13-0098");  // untouched by the mask
  EXPECT_THAT(ClinicIds(Search({})), ::testing::Contains(kGinza));
}

TEST_F(CatalogStoreTest, LicencesExpireWithTheClock) {
  now_ = absl::FromCivil(absl::CivilSecond(2028, 5, 12, 0, 0, 0), absl::UTCTimeZone());
  EXPECT_THAT(ClinicIds(Search({})), ::testing::Not(::testing::Contains(kOdori)));
  now_ = kNow;
  EXPECT_THAT(ClinicIds(Search({})), ::testing::Contains(kOdori));
}

TEST_F(CatalogStoreTest, ProtocolWithoutPlanIsHiddenAndFlaggedForAdmins) {
  v1::SearchClinicsRequest r;
  r.set_country("JP");
  EXPECT_THAT(ProtocolIds(Search(r)), ::testing::Not(::testing::Contains(Protocol(11))));
  v1::GetClinicRequest get;
  get.set_clinic_id(kSakae);
  auto shown = catalog_->GetClinic(get);
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_THAT(shown->protocols(), IsEmpty());

  auto admin = catalog_->AdminGetClinic(get);
  ASSERT_TRUE(admin.ok());
  EXPECT_TRUE(admin->offerable());
  ASSERT_EQ(admin->protocols_size(), 1);
  EXPECT_FALSE(admin->protocols(0).offerable());
  EXPECT_THAT(admin->protocols(0).not_offerable_reasons(),
              ElementsAre("ASRM provision plan number missing"));

  v1::UpdateProtocolRequest fix;
  fix.mutable_protocol()->set_protocol_id(Protocol(11));
  fix.mutable_protocol()->mutable_asrm()->set_provision_plan_number("PB4190099");
  fix.mutable_update_mask()->add_paths("asrm.provision_plan_number");
  auto fixed = catalog_->UpdateProtocol(fix);
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_TRUE(fixed->offerable());
  EXPECT_EQ(fixed->asrm().certified_committee(), "Tokai Regenerative Medicine Certified Committee");
  EXPECT_THAT(ProtocolIds(Search(r)), ::testing::Contains(Protocol(11)));
}

TEST_F(CatalogStoreTest, PublicSearchAgreesWithTheOfferabilityRule) {
  // Make every kind of shortcoming appear at least once.
  v1::ArchiveProtocolRequest archive;
  archive.set_protocol_id(Protocol(4));
  ASSERT_TRUE(catalog_->ArchiveProtocol(archive).ok());
  v1::ArchiveClinicRequest archive_clinic;
  archive_clinic.set_clinic_id(Clinic(16));
  ASSERT_TRUE(catalog_->ArchiveClinic(archive_clinic).ok());

  v1::AdminListClinicsRequest list;
  list.set_include_archived(true);
  list.set_page_size(100);
  auto admin = catalog_->AdminListClinics(list);
  ASSERT_TRUE(admin.ok()) << admin.status();
  EXPECT_EQ(admin->clinics_size(), 16);
  std::vector<std::string> expected_clinics, expected_protocols;
  for (const auto& c : admin->clinics()) {
    std::vector<std::string> offered;
    for (const auto& p : c.protocols())
      if (p.offerable()) offered.push_back(p.protocol_id());
    if (!c.offerable() || offered.empty()) continue;
    expected_clinics.push_back(c.clinic_id());
    expected_protocols.insert(expected_protocols.end(), offered.begin(), offered.end());
  }
  const auto search = Search({});
  EXPECT_EQ(ClinicIds(search), expected_clinics);
  std::vector<std::string> shown = ProtocolIds(search);
  std::sort(shown.begin(), shown.end());
  std::sort(expected_protocols.begin(), expected_protocols.end());
  EXPECT_EQ(shown, expected_protocols);
}

TEST_F(CatalogStoreTest, AdminValidationErrorsNameTheFields) {
  v1::CreateClinicRequest create;
  *create.mutable_clinic() = NewClinic("");
  create.mutable_clinic()->set_country("FR");
  *create.mutable_clinic()->mutable_license()->mutable_expires_at() =
      ToProto(kNow - absl::Hours(48));
  EXPECT_THAT(ViolatedFields(catalog_->CreateClinic(create).status()),
              ElementsAre("name", "country", "license.expires_at"));

  v1::CreateProtocolRequest protocol;
  *protocol.mutable_protocol() = NewProtocol(kHoshizora);
  protocol.mutable_protocol()->set_price_usd_min(50000);
  protocol.mutable_protocol()->set_route(static_cast<v1::DeliveryRoute>(7));
  const auto violations = Violations(catalog_->CreateProtocol(protocol).status());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "route");
  EXPECT_EQ(violations[1].field, "price_usd_max");
  EXPECT_EQ(violations[1].description, "must not be less than price_usd_min");

  *protocol.mutable_protocol() = NewProtocol("c1000000-0000-4000-8000-000000000099");
  EXPECT_THAT(ViolatedFields(catalog_->CreateProtocol(protocol).status()),
              ElementsAre("clinic_id"));

  // The merged result is validated: moving only the minimum above the stored maximum fails.
  v1::UpdateProtocolRequest update;
  update.mutable_protocol()->set_protocol_id(Protocol(1));
  update.mutable_protocol()->set_price_usd_min(36000);
  update.mutable_update_mask()->add_paths("price_usd_min");
  EXPECT_THAT(ViolatedFields(catalog_->UpdateProtocol(update).status()),
              ElementsAre("price_usd_max"));
  update.mutable_update_mask()->add_paths("clinic_id");
  EXPECT_THAT(ViolatedFields(catalog_->UpdateProtocol(update).status()),
              ElementsAre("update_mask"));

  v1::UpdateClinicRequest clinic;
  clinic.mutable_clinic()->set_clinic_id(kHoshizora);
  *clinic.mutable_clinic()->mutable_license()->mutable_expires_at() =
      ToProto(absl::FromCivil(absl::CivilDay(2026, 1, 1), absl::UTCTimeZone()));
  clinic.mutable_update_mask()->add_paths("license.expires_at");
  EXPECT_THAT(ViolatedFields(catalog_->UpdateClinic(clinic).status()),
              ElementsAre("license.expires_at"));

  clinic.mutable_clinic()->set_clinic_id("not-an-id");
  EXPECT_THAT(ViolatedFields(catalog_->UpdateClinic(clinic).status()), ElementsAre("clinic_id"));
  clinic.mutable_clinic()->set_clinic_id("c1000000-0000-4000-8000-000000000099");
  EXPECT_EQ(catalog_->UpdateClinic(clinic).status().code(), absl::StatusCode::kNotFound);

  // Nothing of the refused edits was written.
  v1::GetClinicRequest get;
  get.set_clinic_id(kHoshizora);
  auto stored = catalog_->AdminGetClinic(get);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->protocols(0).price_usd_min(), 28000);
  EXPECT_TRUE(stored->offerable());
}

TEST_F(CatalogStoreTest, AdminEditsAndArchivesAreVisibleOnTheNextRead) {
  v1::CreateClinicRequest create;
  *create.mutable_clinic() = NewClinic("Abeno New Clinic");
  create.mutable_clinic()->mutable_contact()->set_email("desk@abeno.example");
  auto clinic = catalog_->CreateClinic(create);
  ASSERT_TRUE(clinic.ok()) << clinic.status();
  EXPECT_TRUE(clinic->offerable());
  EXPECT_EQ(clinic->contact().email(), "desk@abeno.example");

  v1::CreateProtocolRequest protocol;
  *protocol.mutable_protocol() = NewProtocol(clinic->clinic_id());
  auto created = catalog_->CreateProtocol(protocol);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->offerable());
  EXPECT_EQ(ClinicIds(Search({})).front(), clinic->clinic_id());  // "Abeno" sorts first

  v1::ArchiveProtocolRequest archive;
  archive.set_protocol_id(created->protocol_id());
  auto archived = catalog_->ArchiveProtocol(archive);
  ASSERT_TRUE(archived.ok());
  EXPECT_FALSE(archived->offerable());
  EXPECT_THAT(archived->not_offerable_reasons(), ElementsAre("archived"));
  EXPECT_THAT(ClinicIds(Search({})), ::testing::Not(::testing::Contains(clinic->clinic_id())));
  EXPECT_TRUE(catalog_->ArchiveProtocol(archive).ok());  // idempotent

  v1::ArchiveClinicRequest archive_clinic;
  archive_clinic.set_clinic_id(kHoshizora);
  ASSERT_TRUE(catalog_->ArchiveClinic(archive_clinic).ok());
  v1::GetClinicRequest get;
  get.set_clinic_id(kHoshizora);
  EXPECT_EQ(catalog_->GetClinic(get).status().code(), absl::StatusCode::kNotFound);
  v1::AdminListClinicsRequest list;
  EXPECT_EQ(catalog_->AdminListClinics(list)->clinics_size(), 16);  // 17 less the archived one
}

TEST_F(CatalogStoreTest, MatchCaseRanksOfferedProtocolsWithReasons) {
  v1::MatchCaseRequest request;
  request.set_condition("stroke");
  request.set_destination_country("JP");
  request.set_cell_source(v1::AUTOLOGOUS);
  request.set_budget_usd_max(25000);
  request.set_preferred_language("en");
  request.set_needs_interpreter(true);
  request.set_max_results(50);
  auto response = catalog_->MatchCase(request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_GE(response->matches_size(), 3);
  // Tenjin ($15,000-$22,000) and Hiroshima Bay ($17,000-$25,000) meet everything; cheaper first.
  EXPECT_EQ(response->matches(0).protocol().protocol_id(), Protocol(7));
  EXPECT_EQ(response->matches(1).protocol().protocol_id(), Protocol(14));
  EXPECT_THAT(response->matches(0).shortfalls(), IsEmpty());
  EXPECT_EQ(response->matches(0).score(), 110);
  // Then Hoshizora's ADSC protocol, over budget by $3,000 and nothing else.
  EXPECT_EQ(response->matches(2).protocol().protocol_id(), Protocol(1));
  EXPECT_THAT(response->matches(2).shortfalls(), ElementsAre("over budget by $3,000"));
  EXPECT_EQ(response->matches(2).estimate().days_away_min(), 6);
  for (const auto& m : response->matches()) {
    EXPECT_NE(m.protocol().protocol_id(), Protocol(11)) << "no plan: never matched";
    EXPECT_NE(m.protocol().protocol_id(), Protocol(12)) << "expired licence: never matched";
    EXPECT_EQ(m.protocol().condition(), "stroke");
  }
  // 23 seed protocols: 19 for stroke, less Sakae's and Ginza Mirai's.
  EXPECT_EQ(response->candidates(), 17);

  // The same request ranks the same way every time.
  auto again = catalog_->MatchCase(request);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->SerializeAsString(), response->SerializeAsString());
}

}  // namespace
}  // namespace carebridge::catalog
