#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lg::test {

/// A request as the test server saw it.
struct TestRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::string path;
  std::map<std::string, std::string> query;    // decoded
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

/// Holds responses back until the test opens it: requests in flight at once, without timing.
class TestGate {
 public:
  /// Lets every held response go, and the later ones through.
  void open();
  [[nodiscard]] bool is_open() const;

  struct Waiters;
  TestGate();
  /// For the server: the responses held.
  [[nodiscard]] Waiters& waiters() const noexcept { return *waiters_; }

 private:
  std::shared_ptr<Waiters> waiters_;
};

/// What the test server answers, and how it misbehaves.
struct TestResponse {
  enum class Fault {
    none,
    close_without_response,  // reads the request, then closes the connection
    close_mid_body,          // sends the header and half the body, then closes
    garbage,                 // sends bytes that are not HTTP, then closes
  };
  unsigned status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type: application/json
  std::string body;                                          // unless given here
  std::chrono::milliseconds delay{0};                        // waits on a timer before answering
  Fault fault = Fault::none;
  bool close = false;              // answers with Connection: close, then closes
  std::shared_ptr<TestGate> gate;  // answers once this gate is open (after `delay`)
};

/// A response of `body`, status 200, JSON unless a Content-Type is added.
inline TestResponse reply(std::string body) {
  TestResponse response;
  response.body = std::move(body);
  return response;
}
/// The same, answered only once `gate` is open.
inline TestResponse reply(std::string body, std::shared_ptr<TestGate> gate) {
  TestResponse response = reply(std::move(body));
  response.gate = std::move(gate);
  return response;
}
/// The same, after `delay`.
inline TestResponse reply(std::string body, std::chrono::milliseconds delay) {
  TestResponse response = reply(std::move(body));
  response.delay = delay;
  return response;
}

using TestHandler = std::function<TestResponse(const TestRequest&)>;

/// TLS for the test server: its certificate chain and key, PEM.
struct TestTls {
  std::string cert_pem;
  std::string key_pem;
};

/// A real HTTP/1.1 server (Boost.Beast) on 127.0.0.1 and a free port, on threads of its own,
/// for tests and benchmarks: keep-alive, answers each request with `handler`'s response (called
/// on a server thread). Stops and joins its threads when destroyed.
class TestHttpServer {
 public:
  explicit TestHttpServer(TestHandler handler, const TestTls* tls = nullptr,
                          std::size_t threads = 1);
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;
  /// "http://127.0.0.1:PORT" + path ("https://" with TLS).
  [[nodiscard]] std::string url(std::string_view path = "") const;
  /// Connections accepted so far.
  [[nodiscard]] std::size_t connections() const noexcept;
  /// Requests read so far.
  [[nodiscard]] std::size_t requests() const noexcept;
  /// Closes every connection that waits for its next request (as a server does with idle
  /// keep-alive connections), and returns how many it closed.
  std::size_t close_idle();

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace lg::test
