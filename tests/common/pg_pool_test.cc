// PgPool against a real PostgreSQL: InAutocommit commits each statement on its own and, like
// InTransaction, survives a database restart that left every pooled connection stale.
#include "services/common/pg_pool.h"

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/harness/postgres_server.h"

namespace carebridge {
namespace {

using carebridge::testing::PostgresServer;

class PgPoolTest : public ::testing::Test {
 protected:
  PgPoolTest() {
    auto server = PostgresServer::Start();
    if (!server.ok()) ADD_FAILURE() << server.status();
    server_ = *std::move(server);
    PgPoolConfig config;
    config.uri = server_->uri();
    config.size = 1;  // one connection, so the second call reuses the first one's
    pool_ = std::make_unique<PgPool>(config);
  }

  long Count() {
    long count = -1;
    EXPECT_TRUE(pool_
                    ->InTransaction("count",
                                    [&](pqxx::work& tx) {
                                      count = tx.exec("SELECT count(*) FROM t")[0][0].as<long>();
                                      return absl::OkStatus();
                                    })
                    .ok());
    return count;
  }

  std::unique_ptr<PostgresServer> server_;
  std::unique_ptr<PgPool> pool_;
};

TEST_F(PgPoolTest, AutocommitStatementsStayWhenTheBodyFails) {
  ASSERT_TRUE(pool_
                  ->InTransaction("create",
                                  [](pqxx::work& tx) {
                                    tx.exec("CREATE TABLE t (v int)");
                                    return absl::OkStatus();
                                  })
                  .ok());
  const absl::Status refused =
      pool_->InAutocommit("insert", [](pqxx::nontransaction& tx) -> absl::Status {
        tx.exec("INSERT INTO t VALUES (1)");
        return absl::FailedPreconditionError("the caller refuses");
      });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(), 1);  // no transaction to roll back: the statement had committed
  // A transaction's body refusing rolls back, for contrast.
  EXPECT_FALSE(pool_
                   ->InTransaction("insert",
                                   [](pqxx::work& tx) -> absl::Status {
                                     tx.exec("INSERT INTO t VALUES (2)");
                                     return absl::FailedPreconditionError("the caller refuses");
                                   })
                   .ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(PgPoolTest, AutocommitRunsAgainOnAFreshConnectionAfterARestart) {
  auto select_one = [&] {
    int one = 0;
    absl::Status status = pool_->InAutocommit("select_one", [&](pqxx::nontransaction& tx) {
      one = tx.exec("SELECT 1")[0][0].as<int>();
      return absl::OkStatus();
    });
    return status.ok() ? one : -1;
  };
  ASSERT_EQ(select_one(), 1);  // the pool's only connection is now idle in the pool
  ASSERT_TRUE(server_->Restart().ok());
  // That connection is dead; the statement fails on it and runs again on a new one.
  EXPECT_EQ(select_one(), 1);
}

}  // namespace
}  // namespace carebridge
