#pragma once

// A blocking HTTP/1.1 client (Beast) for tests that speak to a server on 127.0.0.1: one
// connection, kept alive; raw bytes may be sent to play a hostile client.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace lg::test {

/// A response as the client read it.
struct HttpReply {
  unsigned status = 0;
  std::string body;
  boost::beast::http::fields headers;
  bool keep_alive = true;

  [[nodiscard]] nlohmann::json json() const { return nlohmann::json::parse(body); }
  [[nodiscard]] std::string header(std::string_view name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : std::string(found->value());
  }
};

class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }

  /// Sends one request and reads its response.
  HttpReply request(boost::beast::http::verb method, std::string_view target,
                    std::string body = {}) {
    send(method, target, std::move(body));
    return read();
  }
  HttpReply get(std::string_view target) { return request(boost::beast::http::verb::get, target); }
  HttpReply post(std::string_view target, std::string body) {
    return request(boost::beast::http::verb::post, target, std::move(body));
  }

  /// Sends a request without reading its response.
  void send(boost::beast::http::verb method, std::string_view target, std::string body = {}) {
    boost::beast::http::request<boost::beast::http::string_body> request{method, target, 11};
    request.set(boost::beast::http::field::host, "127.0.0.1");
    request.body() = std::move(body);
    request.prepare_payload();
    boost::beast::http::write(socket_, request);
  }
  /// Sends bytes as they are.
  void send_raw(std::string_view bytes) {
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()));
  }
  /// Reads one response.
  HttpReply read() {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(std::uint64_t{1} << 30);
    boost::beast::http::read(socket_, buffer_, parser);
    auto& message = parser.get();
    HttpReply reply;
    reply.status = message.result_int();
    reply.keep_alive = message.keep_alive();
    reply.body = std::move(message.body());
    for (const auto& field : message) {
      reply.headers.insert(field.name_string(), field.value());
    }
    return reply;
  }
  /// True when the server closed the connection: reads until the end (or a reset), discarding
  /// bytes; blocks until then.
  bool closed_by_server() {
    boost::system::error_code error;
    char scratch[4096];
    while (!error) {
      socket_.read_some(boost::asio::buffer(scratch), error);
    }
    return error == boost::asio::error::eof || error == boost::asio::error::connection_reset;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace lg::test
