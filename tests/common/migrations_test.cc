// ApplyMigrations against a real PostgreSQL: once, in order, recorded, edits refused, concurrency.
#include "services/common/migrations.h"

#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/harness/postgres_server.h"

namespace carebridge {
namespace {

using carebridge::testing::PostgresServer;

class MigrationsTest : public ::testing::Test {
 protected:
  MigrationsTest() {
    auto server = PostgresServer::Start();
    if (!server.ok()) ADD_FAILURE() << server.status();
    server_ = *std::move(server);
    PgPoolConfig config;
    config.uri = server_->uri();
    config.size = 4;
    pool_ = std::make_unique<PgPool>(config);
  }

  long Scalar(const std::string& sql) {
    pqxx::connection connection(server_->uri());
    pqxx::work tx(connection);
    return tx.exec(sql)[0][0].as<long>();
  }

  std::unique_ptr<PostgresServer> server_;
  std::unique_ptr<PgPool> pool_;
};

const std::vector<Migration> kTwo = {
    {1, "0001_items.sql", "CREATE TABLE items (id int PRIMARY KEY);"},
    {2, "0002_rows.sql", "INSERT INTO items VALUES (1), (2);"},
};

TEST_F(MigrationsTest, AppliesInOrderOnceAndRecordsEach) {
  ASSERT_TRUE(ApplyMigrations(*pool_, "demo", kTwo).ok());
  ASSERT_TRUE(ApplyMigrations(*pool_, "demo", kTwo).ok());  // a second run changes nothing
  EXPECT_EQ(Scalar("SELECT count(*) FROM demo.items"), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM demo.schema_migrations"), 2);
  EXPECT_EQ(Scalar("SELECT max(version) FROM demo.schema_migrations"), 2);
}

TEST_F(MigrationsTest, AppliesOnlyTheNewOnesLater) {
  ASSERT_TRUE(ApplyMigrations(*pool_, "demo", {kTwo[0]}).ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM demo.items"), 0);
  ASSERT_TRUE(ApplyMigrations(*pool_, "demo", kTwo).ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM demo.items"), 2);
}

TEST_F(MigrationsTest, RefusesAMigrationEditedAfterItWasApplied) {
  ASSERT_TRUE(ApplyMigrations(*pool_, "demo", kTwo).ok());
  std::vector<Migration> edited = kTwo;
  edited[1].sql = "INSERT INTO items VALUES (3);";
  absl::Status status = ApplyMigrations(*pool_, "demo", edited);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Scalar("SELECT count(*) FROM demo.items"), 2);
}

TEST_F(MigrationsTest, AFailingMigrationAppliesNothing) {
  std::vector<Migration> broken = kTwo;
  broken.push_back({3, "0003_broken.sql", "INSERT INTO no_such_table VALUES (1);"});
  EXPECT_FALSE(ApplyMigrations(*pool_, "demo", broken).ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'demo'"), 0);
}

TEST_F(MigrationsTest, RefusesVersionsOutOfOrder) {
  EXPECT_EQ(ApplyMigrations(*pool_, "demo", {kTwo[1], kTwo[0]}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(MigrationsTest, ReplicasStartingTogetherApplyEachOnce) {
  std::vector<std::thread> replicas;
  std::vector<absl::Status> results(4);
  for (int i = 0; i < 4; ++i) {
    replicas.emplace_back([&, i] { results[i] = ApplyMigrations(*pool_, "demo", kTwo); });
  }
  for (auto& r : replicas) r.join();
  for (const auto& s : results) EXPECT_TRUE(s.ok()) << s;
  EXPECT_EQ(Scalar("SELECT count(*) FROM demo.items"), 2);
}

TEST_F(MigrationsTest, PoolReconnectsAfterTheDatabaseRestarts) {
  ASSERT_TRUE(pool_->Ping().ok());
  ASSERT_TRUE(server_->Stop().ok());
  EXPECT_EQ(pool_->Ping().code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(server_->Restart().ok());
  EXPECT_TRUE(pool_->Ping().ok());
}

// A transaction whose body refuses (returns an error) is rolled back before its connection goes
// back to the pool: the next thread to take the connection gets a clean one. (It used to be
// released first and rolled back after, so another thread could start a transaction on it while
// the old one was still open: "internal error", or a hang.)
TEST_F(MigrationsTest, RefusedTransactionsNeverLeakIntoTheNextUserOfTheirConnection) {
  ASSERT_TRUE(pool_->Ping().ok());
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 150; ++i) {
        const bool refuse = (i + t) % 2 == 0;
        const absl::Status status = pool_->InTransaction("race", [&](pqxx::work& tx) {
          tx.exec("SELECT 1");
          return refuse ? absl::UnavailableError("refused by the body") : absl::OkStatus();
        });
        const bool as_expected = refuse ? status.code() == absl::StatusCode::kUnavailable &&
                                              status.message() == "refused by the body"
                                        : status.ok();
        if (!as_expected) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_TRUE(pool_->Ping().ok());
}

}  // namespace
}  // namespace carebridge
