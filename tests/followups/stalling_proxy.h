// A TCP proxy for tests that holds its first connection open without a byte in either direction
// (a server that hangs mid-conversation), and forwards every later connection to `target_port`.
// Lets a test kill a worker while it is in the middle of sending. Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace carebridge::testing {

class StallingProxy {
 public:
  explicit StallingProxy(int target_port);
  ~StallingProxy();
  int port() const { return port_; }
  // True once the first (held) connection has been accepted.
  bool holding() const { return holding_; }
  int connections() const { return connections_; }

 private:
  void Accept();
  void Forward(int client);

  const int target_port_;
  int fd_ = -1;
  int port_ = 0;
  int held_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> holding_{false};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> forwarders_;  // GUARDED_BY(mu_)
};

}  // namespace carebridge::testing
