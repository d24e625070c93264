#include "services/followups/webhook_sender.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "services/followups/email_sender.h"

namespace carebridge::followups {
namespace {

// The expected value was computed independently with openssl.
TEST(WebhookSignatureTest, IsHmacSha256OfTimestampDotBody) {
  ASSERT_GE(sodium_init(), 0);
  // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac 'whsec_test'
  EXPECT_EQ(WebhookSignature("whsec_test", 1700000000, "{\"a\":1}"),
            "t=1700000000,v1=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789");
}

TEST(EmailFormatTest, EncodesNonAsciiSubjectAndBody) {
  EmailMessage message{"a@example.jp", "受付", "本文 CB-1\n", "inquiries.1@carebridge.local", {}};
  const std::string text = FormatEmail(message, "CareBridge <f@carebridge.local>", "date");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(text.find("Content-Transfer-Encoding: base64"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <inquiries.1@carebridge.local>"), std::string::npos);
  EXPECT_EQ(MailboxAddress("CareBridge <f@carebridge.local>"), "f@carebridge.local");
  EXPECT_EQ(MailboxAddress("f@carebridge.local"), "f@carebridge.local");
}

}  // namespace
}  // namespace carebridge::followups
