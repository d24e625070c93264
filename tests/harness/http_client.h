// A blocking HTTP/1.1 client for tests, over libcurl.
//
// One call, one request, one fresh connection: simple and isolated rather than fast. Redirects are
// not followed and proxies from the environment are ignored. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace carebridge::testing {

struct HttpResponse {
  long status = 0;  // 0 when no response arrived; then `error` says why
  std::string body;
  // Header names lowercased. A header sent more than once has its values joined with ", ".
  std::map<std::string, std::string> headers;
  std::string error;  // curl's error text when the request failed at the transport level
};

// Sends `method` to `url` with `body` (sent whenever it is non-empty, or for POST/PUT/PATCH) and
// extra `headers` given as "Name: value". Without a Content-Type header a body goes out as
// application/x-www-form-urlencoded (curl's default): pass "Content-Type: application/json" for
// JSON. Gives up after `timeout` (status 0, `error` set).
HttpResponse HttpRequest(const std::string& method, const std::string& url,
                         const std::string& body = "", const std::vector<std::string>& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace carebridge::testing
