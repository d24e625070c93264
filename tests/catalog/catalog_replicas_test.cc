// Two running carebridge-catalog processes sharing one PostgreSQL and one Redis: an admin edit made
// through one replica is visible on the next read from the other, although both cache their reads;
// with a long generation check interval the Redis pub/sub message alone invalidates the other
// replica; a Redis outage degrades to uncached reads, never to stale ones. Also: every caller
// (anonymous, coordinator, admin, partner with and without `catalog:read`, the internal token, a
// wrong or ended credential) gets what the permission table says, from real sessions and partner
// keys in Redis as the identity service writes them.
#include <fstream>
#include <sstream>
#include <thread>

#include <sodium.h>

#include <pqxx/pqxx>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "carebridge/v1/catalog.grpc.pb.h"
#include "services/common/credentials.h"
#include "services/common/grpc_server.h"
#include "services/common/redis_client.h"
#include "services/identity/credential_registry.h"
#include "tests/harness/child_process.h"
#include "tests/harness/net.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/redis_server.h"
#include "tests/harness/test_env.h"

namespace carebridge {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::ChildProcess;
using testing::NumberAfter;
using testing::PostgresServer;
using testing::RedisServer;

constexpr char kInternalToken[] = "test-internal-token-0123456789";
constexpr char kHoshizora[] = "c1000000-0000-4000-8000-000000000001";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Replica {
  std::unique_ptr<ChildProcess> process;
  std::string log;
  std::unique_ptr<v1::Catalog::Stub> stub;
};

class CatalogReplicasTest : public ::testing::Test {
 protected:
  CatalogReplicasTest() {
    auto pg = PostgresServer::Start();
    if (!pg.ok()) ADD_FAILURE() << pg.status();
    pg_ = *std::move(pg);
    auto redis = RedisServer::Start();
    if (!redis.ok()) ADD_FAILURE() << redis.status();
    redis_ = *std::move(redis);
    dir_ = testing::TempDir();
    // Real credentials, written where the identity service writes them.
    EXPECT_GE(sodium_init(), 0);
    RedisConfig redis_config;
    EXPECT_TRUE(ParseRedisAddress(redis_->address(), &redis_config).ok());
    RedisClient redis_client(redis_config);
    identity::CredentialRegistry registry(redis_client);
    admin_token_ = MintSession(registry, "admin");
    coordinator_token_ = MintSession(registry, "coordinator");
    reader_key_ = MintPartnerKey(registry, "p-reader", {"catalog:read"});
    writer_key_ = MintPartnerKey(registry, "p-writer", {"inquiries:write"});
  }

  static std::string MintSession(identity::CredentialRegistry& registry, const std::string& role) {
    identity::UserRecord user;
    user.id = role + "-0000-4000-8000-000000000001";
    user.role = role;
    auto token = registry.CreateSession(user, absl::Hours(1));
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  static std::string MintPartnerKey(identity::CredentialRegistry& registry, const std::string& id,
                                    std::vector<std::string> scopes) {
    const std::string key = NewSecret("cbk_");
    identity::PartnerKeyRecord partner;
    partner.id = id;
    partner.name = id;
    partner.key_hash = SecretHash(key);
    partner.scopes = std::move(scopes);
    EXPECT_TRUE(registry.MirrorPartnerKey(partner).ok());
    return key;
  }

  void StartReplica(Replica* replica, const std::string& name,
                    std::vector<std::pair<std::string, std::string>> extra_env = {}) {
    ASSERT_NE(pg_, nullptr);
    ASSERT_NE(redis_, nullptr);
    const int port = testing::FreePort();
    replica->log = dir_ + "/catalog-" + name + ".log";
    std::vector<std::pair<std::string, std::string>> env = {
        {"CAREBRIDGE_PG_URI", pg_->uri()},
        {"CAREBRIDGE_REDIS_ADDR", redis_->address()},
        {"CAREBRIDGE_CATALOG_LISTEN", "127.0.0.1:" + std::to_string(port)},
        {"CAREBRIDGE_INTERNAL_TOKEN", kInternalToken},
    };
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    auto child = ChildProcess::Spawn(CAREBRIDGE_CATALOG_BIN, {}, env, replica->log);
    ASSERT_TRUE(child.ok()) << child.status();
    replica->process = *std::move(child);
    ASSERT_TRUE(testing::WaitForTcpPort(port, seconds(30)).ok())
        << testing::ReadFileTail(replica->log);
    replica->stub = v1::Catalog::NewStub(grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                                             grpc::InsecureChannelCredentials()));
  }

  void StartPair(std::vector<std::pair<std::string, std::string>> extra_env = {}) {
    StartReplica(&a_, "a", extra_env);
    StartReplica(&b_, "b", extra_env);
    // Both subscribed, so messages from now on reach both.
    const auto deadline = std::chrono::steady_clock::now() + seconds(10);
    while (std::chrono::steady_clock::now() < deadline &&
           !(ReadFile(a_.log).find("redis_subscribed") != std::string::npos &&
             ReadFile(b_.log).find("redis_subscribed") != std::string::npos)) {
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

  static std::unique_ptr<grpc::ClientContext> Context(const std::string& token = "") {
    auto context = NewClientContext(seconds(10));
    if (!token.empty()) context->AddMetadata("authorization", std::string("Bearer ") + token);
    return context;
  }

  static std::string ClinicName(Replica& replica) {
    v1::GetClinicRequest request;
    request.set_clinic_id(kHoshizora);
    v1::Clinic clinic;
    const grpc::Status status = replica.stub->GetClinic(Context().get(), request, &clinic);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return clinic.name();
  }

  static std::string SearchedName(Replica& replica) {
    v1::SearchClinicsRequest request;
    request.set_country("JP");
    request.set_page_size(100);
    v1::SearchClinicsResponse response;
    const grpc::Status status = replica.stub->SearchClinics(Context().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& clinic : response.clinics()) {
      if (clinic.clinic_id() == kHoshizora) return clinic.name();
    }
    return "";
  }

  grpc::Status Rename(Replica& replica, const std::string& name) {
    return Rename(replica, name, admin_token_);
  }

  static grpc::Status Rename(Replica& replica, const std::string& name, const std::string& token) {
    v1::UpdateClinicRequest request;
    request.mutable_clinic()->set_clinic_id(kHoshizora);
    request.mutable_clinic()->set_name(name);
    request.mutable_update_mask()->add_paths("name");
    v1::Clinic updated;
    return replica.stub->UpdateClinic(Context(token).get(), request, &updated);
  }

  // The cache counters a replica logs when it shuts down.
  static long long CacheHits(Replica& replica) {
    replica.process->Terminate();
    const std::string hits = NumberAfter(ReadFile(replica.log), "cache_hits=");
    return hits.empty() ? -1 : std::stoll(hits);
  }

  std::unique_ptr<PostgresServer> pg_;
  std::unique_ptr<RedisServer> redis_;
  std::string dir_;
  std::string admin_token_, coordinator_token_, reader_key_, writer_key_;
  Replica a_, b_;
};

TEST_F(CatalogReplicasTest, AdminEditOnOneReplicaIsVisibleOnTheNextReadFromTheOther) {
  StartPair();
  ASSERT_EQ(ClinicName(b_), "Hoshizora Regenerative Clinic");
  for (int i = 0; i < 20; ++i) {
    // Read twice on B, so the reply is served from B's cache before the edit.
    const std::string before = ClinicName(b_);
    ASSERT_EQ(ClinicName(b_), before);
    ASSERT_EQ(SearchedName(b_), before);
    const std::string renamed = "Hoshizora Regenerative Clinic " + std::to_string(i);
    const grpc::Status status = Rename(a_, renamed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(ClinicName(b_), renamed) << "edit " << i;
    EXPECT_EQ(SearchedName(b_), renamed) << "edit " << i;
    EXPECT_EQ(ClinicName(a_), renamed) << "edit " << i;
  }
  EXPECT_GT(CacheHits(b_), 20) << "replica B did not serve from its cache";
}

TEST_F(CatalogReplicasTest, PubSubMessageAloneInvalidatesTheOtherReplica) {
  // The generation key is re-read only every 10 minutes: only the message can retire B's cache.
  StartPair({{"CAREBRIDGE_CATALOG_CACHE_CHECK_MS", "600000"}});
  ASSERT_EQ(ClinicName(b_), "Hoshizora Regenerative Clinic");
  ASSERT_EQ(ClinicName(b_), "Hoshizora Regenerative Clinic");
  ASSERT_TRUE(Rename(a_, "Hoshizora Clinic (renamed)").ok());
  const auto edited = std::chrono::steady_clock::now();
  while (ClinicName(b_) != "Hoshizora Clinic (renamed)") {
    ASSERT_LT(std::chrono::steady_clock::now() - edited, seconds(2))
        << "replica B still serves the old name";
    std::this_thread::sleep_for(milliseconds(1));
  }
  EXPECT_EQ(SearchedName(b_), "Hoshizora Clinic (renamed)");
  EXPECT_GT(CacheHits(b_), 0);
}

TEST_F(CatalogReplicasTest, RedisOutageMeansUncachedReadsNotStaleOnes) {
  StartPair();
  ASSERT_EQ(ClinicName(b_), "Hoshizora Regenerative Clinic");
  ASSERT_TRUE(redis_->Stop().ok());
  // Credentials cannot be checked without Redis: an admin call is refused as UNAVAILABLE (never
  // let through), while anonymous reads go on.
  EXPECT_EQ(Rename(a_, "refused").error_code(), grpc::StatusCode::UNAVAILABLE);
  // An edit whose generation bump could not be published (made here in the table itself) is
  // seen at once: reads go to PostgreSQL while the generation cannot be checked.
  {
    pqxx::connection connection(pg_->uri());
    pqxx::work txn(connection);
    txn.exec_params("UPDATE catalog.clinics SET name = $1 WHERE id = $2", "Hoshizora during outage",
                    kHoshizora);
    txn.commit();
  }
  EXPECT_EQ(ClinicName(b_), "Hoshizora during outage");
  ASSERT_TRUE(redis_->Restart().ok());
  EXPECT_EQ(ClinicName(b_), "Hoshizora during outage");
  ASSERT_TRUE(Rename(a_, "Hoshizora after outage").ok());
  EXPECT_EQ(ClinicName(b_), "Hoshizora after outage");
}

TEST_F(CatalogReplicasTest, EachCallerGetsWhatThePermissionTableSays) {
  StartReplica(&a_, "a");
  ASSERT_FALSE(admin_token_.empty());
  // Admin RPCs: an admin session only.
  EXPECT_EQ(Rename(a_, "x", "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Rename(a_, "x", "cbs_wrong").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Rename(a_, "x", coordinator_token_).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Rename(a_, "x", reader_key_).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Rename(a_, "x", kInternalToken).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ClinicName(a_), "Hoshizora Regenerative Clinic");  // nothing was changed
  ASSERT_TRUE(Rename(a_, "Hoshizora (admin edit)", admin_token_).ok());
  EXPECT_EQ(ClinicName(a_), "Hoshizora (admin edit)");
  // Audited in the edit's own transaction: who, what, which fields (never their values); the
  // refused attempts left nothing.
  {
    pqxx::connection connection(pg_->uri());
    pqxx::work txn(connection);
    const pqxx::result audit = txn.exec(
        "SELECT actor, action, target, details->'fields'->>0, details::text "
        "FROM catalog.audit_log");
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0][0].as<std::string>(), "user:admin-0000-4000-8000-000000000001");
    EXPECT_EQ(audit[0][1].as<std::string>(), "clinic.updated");
    EXPECT_EQ(audit[0][2].as<std::string>(), std::string("clinic:") + kHoshizora);
    EXPECT_EQ(audit[0][3].as<std::string>(), "name");
    EXPECT_EQ(audit[0][4].as<std::string>().find("admin edit"), std::string::npos);
  }

  // MatchCase: sessions, partners with catalog:read, and the suite's own services.
  v1::MatchCaseRequest match;
  match.set_condition("stroke");
  const auto match_code = [&](const std::string& credential) {
    v1::MatchCaseResponse matches;
    const grpc::Status status = a_.stub->MatchCase(Context(credential).get(), match, &matches);
    if (status.ok()) {
      EXPECT_GT(matches.matches_size(), 0);
    }
    return status.error_code();
  };
  EXPECT_EQ(match_code(""), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(match_code(coordinator_token_), grpc::StatusCode::OK);
  EXPECT_EQ(match_code(admin_token_), grpc::StatusCode::OK);
  EXPECT_EQ(match_code(reader_key_), grpc::StatusCode::OK);
  EXPECT_EQ(match_code(writer_key_), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(match_code(kInternalToken), grpc::StatusCode::OK);

  // Public reads need nothing, but a credential that is given must be valid.
  v1::GetClinicRequest get;
  get.set_clinic_id(kHoshizora);
  v1::Clinic clinic;
  EXPECT_TRUE(a_.stub->GetClinic(Context(reader_key_).get(), get, &clinic).ok());
  EXPECT_EQ(a_.stub->GetClinic(Context("cbs_wrong").get(), get, &clinic).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // A session that ended (logout, disabled user) is refused at once.
  RedisConfig redis_config;
  ASSERT_TRUE(ParseRedisAddress(redis_->address(), &redis_config).ok());
  RedisClient redis(redis_config);
  ASSERT_TRUE(identity::CredentialRegistry(redis)
                  .EndUserSessions("admin-0000-4000-8000-000000000001")
                  .ok());
  EXPECT_EQ(Rename(a_, "x", admin_token_).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CatalogReplicasTest, InvalidArgumentsCarryFieldViolations) {
  StartReplica(&a_, "a");
  v1::SearchClinicsRequest request;
  request.set_page_token("bm90IGEgdG9rZW4");
  v1::SearchClinicsResponse response;
  const grpc::Status status = a_.stub->SearchClinics(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("page_token"), std::string::npos);
  EXPECT_FALSE(status.error_details().empty());
}

}  // namespace
}  // namespace carebridge
