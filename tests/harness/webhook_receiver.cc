#include "tests/harness/webhook_receiver.h"

#include "absl/strings/str_cat.h"

namespace carebridge::testing {

absl::StatusOr<std::unique_ptr<WebhookReceiver>> WebhookReceiver::Start() {
  std::unique_ptr<WebhookReceiver> receiver(new WebhookReceiver());
  carebridge::HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 1;
  options.max_body_bytes = 1 << 20;
  options.read_timeout = std::chrono::seconds(5);
  options.write_timeout = std::chrono::seconds(5);
  auto handler = [r = receiver.get()](carebridge::HttpRequest request, boost::asio::any_io_executor,
                                      carebridge::HttpServer::Reply reply) {
    carebridge::HttpResponse response;
    response.status = r->Record(request);
    reply(std::move(response));
  };
  auto refuse = [](int status) {
    carebridge::HttpResponse response;
    response.status = status;
    return response;
  };
  auto server = carebridge::HttpServer::Start(options, std::move(handler), std::move(refuse));
  if (!server.ok()) return server.status();
  receiver->server_ = *std::move(server);
  return receiver;
}

std::string WebhookReceiver::url() const {
  return absl::StrCat("http://127.0.0.1:", server_->port(), "/hooks");
}

void WebhookReceiver::FailNext(int count, int status) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_left_ = count;
  failure_status_ = status;
}

std::vector<WebhookDelivery> WebhookReceiver::Deliveries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return deliveries_;
}

int WebhookReceiver::Record(const carebridge::HttpRequest& request) {
  WebhookDelivery delivery;
  delivery.method = request.method;
  delivery.path = request.target;
  for (const auto& [name, value] : request.headers) delivery.headers.emplace(name, value);
  delivery.body = request.body;
  std::lock_guard<std::mutex> lock(mu_);
  delivery.answered = 200;
  if (failures_left_ > 0) {
    --failures_left_;
    delivery.answered = failure_status_;
  }
  deliveries_.push_back(std::move(delivery));
  return deliveries_.back().answered;
}

}  // namespace carebridge::testing
