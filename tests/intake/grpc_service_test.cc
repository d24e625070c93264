// The carebridge-inquiries binary as partners use it: over gRPC, with health, reflection, metadata,
// BadRequest details, graceful shutdown, and logs free of personal data.
#include <fstream>
#include <sstream>

#include <signal.h>

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>

#include "carebridge/v1/inquiries.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/common/grpc_server.h"
#include "tests/harness/child_process.h"
#include "tests/harness/net.h"
#include "tests/harness/postgres_server.h"
#include "tests/harness/test_env.h"

namespace carebridge {
namespace {

using carebridge::testing::ChildProcess;
using carebridge::testing::PostgresServer;

constexpr char kEmail[] = "hanako.pii.check@example.jp";
constexpr char kPhone[] = "+81312349876";
constexpr char kName[] = "Hanako Piicheck";
constexpr char kMessage[] = "secret-medical-history-text";

class InquiriesGrpcTest : public ::testing::Test {
 protected:
  InquiriesGrpcTest() {
    auto pg = PostgresServer::Start();
    if (!pg.ok()) ADD_FAILURE() << pg.status();
    pg_ = *std::move(pg);
    port_ = carebridge::testing::FreePort();
    log_path_ = carebridge::testing::TempDir() + "/inquiries.log";
    StartService();
  }

  void StartService() {
    auto child =
        ChildProcess::Spawn(CAREBRIDGE_INQUIRIES_BIN, {},
                            {{"CAREBRIDGE_PG_URI", pg_->uri()},
                             {"CAREBRIDGE_INQUIRIES_LISTEN", "127.0.0.1:" + std::to_string(port_)}},
                            log_path_);
    ASSERT_TRUE(child.ok()) << child.status();
    service_ = *std::move(child);
    ASSERT_TRUE(carebridge::testing::WaitForTcpPort(port_, std::chrono::seconds(20)).ok())
        << carebridge::testing::ReadFileTail(log_path_);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::Inquiries::NewStub(channel_);
  }

  static v1::CreateInquiryRequest Request() {
    v1::CreateInquiryRequest request;
    auto* in = request.mutable_inquiry();
    in->set_full_name(kName);
    in->set_email(kEmail);
    in->set_phone(kPhone);
    in->set_message(kMessage);
    in->set_contact_consent(true);
    in->set_privacy_policy_version("2026-01");
    return request;
  }

  std::string Log() {
    std::ifstream in(log_path_);
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
  }

  std::unique_ptr<PostgresServer> pg_;
  int port_ = 0;
  std::string log_path_;
  std::unique_ptr<ChildProcess> service_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Inquiries::Stub> stub_;
};

TEST_F(InquiriesGrpcTest, CreatesInquiryAndReplaysItForTheSameIdempotencyKey) {
  v1::CreateInquiryResponse first, second;
  auto context = NewClientContext(std::chrono::seconds(5), "grpc-test-1");
  context->AddMetadata("idempotency-key", "partner-key-1");
  ASSERT_TRUE(stub_->CreateInquiry(context.get(), Request(), &first).ok());
  EXPECT_EQ(first.stage(), v1::NEW);
  auto retry = NewClientContext(std::chrono::seconds(5));
  retry->AddMetadata("idempotency-key", "partner-key-1");
  ASSERT_TRUE(stub_->CreateInquiry(retry.get(), Request(), &second).ok());
  EXPECT_EQ(second.reference(), first.reference());
  EXPECT_EQ(second.case_id(), first.case_id());
}

TEST_F(InquiriesGrpcTest, InvalidInquiryCarriesBadRequestDetailsNamingEveryField) {
  v1::CreateInquiryRequest request = Request();
  request.mutable_inquiry()->set_email("bad");
  request.mutable_inquiry()->set_mrs_score(8);
  v1::CreateInquiryResponse response;
  auto context = NewClientContext(std::chrono::seconds(5));
  grpc::Status status = stub_->CreateInquiry(context.get(), request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "email");
  EXPECT_EQ(bad_request.field_violations(1).field(), "mrs_score");
}

TEST_F(InquiriesGrpcTest, ReportsServingOnTheStandardHealthService) {
  grpc::GenericStub generic(channel_);
  // grpc.health.v1.Health/Check with an empty request: SERVING is field 1 = 1 (bytes 08 01).
  grpc::ByteBuffer request, reply;
  grpc::Slice empty("", 0);
  request = grpc::ByteBuffer(&empty, 1);
  auto context = NewClientContext(std::chrono::seconds(5));
  grpc::CompletionQueue cq;
  auto call = generic.PrepareUnaryCall(context.get(), "/grpc.health.v1.Health/Check", request, &cq);
  call->StartCall();
  grpc::Status status;
  call->Finish(&reply, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  ASSERT_TRUE(cq.Next(&tag, &ok));
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(reply.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(InquiriesGrpcTest, ShutsDownGracefullyOnSigterm) {
  EXPECT_EQ(service_->Signal(SIGTERM, std::chrono::seconds(10)), 0);
  EXPECT_NE(Log().find("event=shutting_down"), std::string::npos);
}

TEST_F(InquiriesGrpcTest, DatabaseOutageIsUnavailableAndRecoversWithoutRestart) {
  ASSERT_TRUE(pg_->Stop().ok());
  v1::CreateInquiryResponse response;
  auto during = NewClientContext(std::chrono::seconds(5));
  const auto start = std::chrono::steady_clock::now();
  grpc::Status status = stub_->CreateInquiry(during.get(), Request(), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(status.error_message().find("postgres"), std::string::npos);
  ASSERT_TRUE(pg_->Restart().ok());
  auto after = NewClientContext(std::chrono::seconds(5));
  EXPECT_TRUE(stub_->CreateInquiry(after.get(), Request(), &response).ok());
}

TEST_F(InquiriesGrpcTest, LogsCarryNoPersonalData) {
  v1::CreateInquiryResponse response;
  for (int i = 0; i < 2; ++i) {  // a new case, then a repeat
    auto context = NewClientContext(std::chrono::seconds(5));
    ASSERT_TRUE(stub_->CreateInquiry(context.get(), Request(), &response).ok());
  }
  v1::CreateInquiryRequest bad = Request();
  bad.mutable_inquiry()->set_mrs_score(99);
  auto context = NewClientContext(std::chrono::seconds(5));
  EXPECT_FALSE(stub_->CreateInquiry(context.get(), bad, &response).ok());
  service_->Terminate();
  const std::string log = Log();
  EXPECT_NE(log.find("event=inquiry_recorded"), std::string::npos) << log;
  for (const char* pii : {kEmail, kPhone, kName, kMessage, "Hanako", "example.jp"}) {
    EXPECT_EQ(log.find(pii), std::string::npos) << pii << " leaked into:\n" << log;
  }
}

}  // namespace
}  // namespace carebridge
