#include "support/http_test_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

namespace lg::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

TestRequest request_of(const http::request<http::string_body>& message) {
  TestRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) {
    std::string_view query = std::string_view(request.target).substr(question + 1);
    while (!query.empty()) {
      const std::string_view pair = query.substr(0, query.find('&'));
      const std::size_t equals = pair.find('=');
      request.query[decode(pair.substr(0, equals))] =
          equals == std::string_view::npos ? "" : decode(pair.substr(equals + 1));
      query.remove_prefix(std::min(query.size(), pair.size() + 1));
    }
  }
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    request.headers[name] = std::string(field.value());
  }
  request.body = message.body();
  return request;
}

}  // namespace

// Each held response's timer, cancelled (on its session's strand) when the gate opens.
struct TestGate::Waiters {
  std::mutex mutex;
  bool open = false;
  std::vector<std::pair<asio::any_io_executor, asio::steady_timer*>> timers;

  // On the session's strand, before it waits on `timer`: false when the gate is open already.
  bool hold(asio::steady_timer& timer) {
    const std::scoped_lock lock(mutex);
    if (!open) {
      timers.emplace_back(timer.get_executor(), &timer);
    }
    return !open;
  }
};

TestGate::TestGate() : waiters_(std::make_shared<Waiters>()) {}

void TestGate::open() {
  const std::scoped_lock lock(waiters_->mutex);
  waiters_->open = true;
  for (auto& [executor, timer] : waiters_->timers) {
    // Posted to the strand the session waits on: it runs after the session's wait began.
    asio::post(executor, [timer = timer] { timer->cancel(); });
  }
  waiters_->timers.clear();
}

bool TestGate::is_open() const {
  const std::scoped_lock lock(waiters_->mutex);
  return waiters_->open;
}

struct TestHttpServer::State {
  explicit State(TestHandler handler) : handler(std::move(handler)) {}

  // A connection's way to be closed from another thread (close_idle()).
  struct Session {
    std::function<void()> close;  // runs on the session's strand
    asio::any_io_executor executor;
    bool idle = false;  // on the session's strand
  };

  TestHandler handler;
  asio::io_context io;
  std::optional<asio::ssl::context> tls;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> threads;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> requests{0};
  std::mutex mutex;
  std::list<std::weak_ptr<Session>> sessions;

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream, const std::shared_ptr<Session>& self) {
    beast::flat_buffer buffer;
    while (true) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      self->idle = buffer.size() == 0;
      boost::system::error_code error;
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, error));
      self->idle = false;
      if (error) {
        co_return;
      }
      ++requests;
      const http::request<http::string_body> message = parser.release();
      TestResponse answer = handler(request_of(message));
      if (answer.delay.count() > 0) {
        asio::steady_timer timer(co_await asio::this_coro::executor, answer.delay);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
      }
      if (answer.gate) {
        asio::steady_timer timer(co_await asio::this_coro::executor,
                                 asio::steady_timer::time_point::max());
        if (answer.gate->waiters().hold(timer)) {
          co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
        }
      }
      if (answer.fault == TestResponse::Fault::close_without_response) {
        co_return;
      }
      if (answer.fault == TestResponse::Fault::garbage) {
        co_await asio::async_write(stream, asio::buffer(std::string_view("\x01\x02 not http\r\n")),
                                   asio::redirect_error(asio::use_awaitable, error));
        co_return;
      }
      http::response<http::string_body> response{static_cast<http::status>(answer.status),
                                                 message.version()};
      bool typed = false;
      for (const auto& [name, value] : answer.headers) {
        response.insert(name, value);
        typed = typed || beast::iequals(name, "content-type");
      }
      if (!typed) {
        response.set(http::field::content_type, "application/json");
      }
      response.keep_alive(message.keep_alive() && !answer.close);
      response.body() = std::move(answer.body);
      response.prepare_payload();
      if (answer.fault == TestResponse::Fault::close_mid_body) {
        http::response_serializer<http::string_body> serializer(response);
        co_await http::async_write_header(stream, serializer,
                                          asio::redirect_error(asio::use_awaitable, error));
        const std::string& body = response.body();
        co_await asio::async_write(stream, asio::buffer(body.data(), body.size() / 2),
                                   asio::redirect_error(asio::use_awaitable, error));
        co_return;
      }
      co_await http::async_write(stream, response,
                                 asio::redirect_error(asio::use_awaitable, error));
      if (error || !response.keep_alive()) {
        co_return;
      }
    }
  }

  // Closes `socket` when close_idle() finds its session idle; a no-op once the session ends.
  static void close_with(Session& session, tcp::socket& socket) {
    session.close = [&socket] {
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
      socket.close(ignored);
    };
  }

  asio::awaitable<void> session(tcp::socket socket) {
    auto self = std::make_shared<Session>();
    self->executor = socket.get_executor();
    {
      const std::scoped_lock lock(mutex);
      sessions.push_back(self);
    }
    if (tls) {
      beast::ssl_stream<tcp::socket> stream(std::move(socket), *tls);
      close_with(*self, stream.next_layer());
      boost::system::error_code error;
      co_await stream.async_handshake(asio::ssl::stream_base::server,
                                      asio::redirect_error(asio::use_awaitable, error));
      if (!error) {
        co_await serve(stream, self);
      }
      self->close = [] {};
    } else {
      close_with(*self, socket);
      co_await serve(socket, self);
      self->close = [] {};
      boost::system::error_code ignored;
      socket.shutdown(tcp::socket::shutdown_both, ignored);
    }
  }

  asio::awaitable<void> accept() {
    while (true) {
      tcp::socket socket(asio::make_strand(io));
      boost::system::error_code error;
      co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, error));
      if (error == asio::error::operation_aborted || !acceptor.is_open()) {
        co_return;
      }
      if (error) {
        continue;  // out of descriptors, say: the next accept may work
      }
      ++connections;
      auto executor = socket.get_executor();
      asio::co_spawn(executor, session(std::move(socket)), asio::detached);
    }
  }
};

TestHttpServer::TestHttpServer(TestHandler handler, const TestTls* tls, std::size_t threads)
    : state_(std::make_shared<State>(std::move(handler))) {
  if (tls != nullptr) {
    state_->tls.emplace(asio::ssl::context::tls_server);
    state_->tls->use_certificate_chain(asio::buffer(tls->cert_pem));
    state_->tls->use_private_key(asio::buffer(tls->key_pem), asio::ssl::context::pem);
  }
  const tcp::endpoint local(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(local.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(local);
  state_->acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(state_->io, state_->accept(), asio::detached);
  for (std::size_t i = 0; i < threads; ++i) {
    state_->threads.emplace_back([state = state_.get()] { state->io.run(); });
  }
}

TestHttpServer::~TestHttpServer() {
  state_->io.stop();
  for (std::thread& thread : state_->threads) {
    thread.join();
  }
}

std::uint16_t TestHttpServer::port() const noexcept {
  return state_->acceptor.local_endpoint().port();
}

std::string TestHttpServer::url(std::string_view path) const {
  return (state_->tls ? "https://127.0.0.1:" : "http://127.0.0.1:") + std::to_string(port()) +
         std::string(path);
}

std::size_t TestHttpServer::connections() const noexcept {
  return state_->connections;
}

std::size_t TestHttpServer::requests() const noexcept {
  return state_->requests;
}

std::size_t TestHttpServer::close_idle() {
  std::vector<std::shared_ptr<State::Session>> live;
  {
    const std::scoped_lock lock(state_->mutex);
    for (auto at = state_->sessions.begin(); at != state_->sessions.end();) {
      if (auto session = at->lock()) {
        live.push_back(std::move(session));
        ++at;
      } else {
        at = state_->sessions.erase(at);
      }
    }
  }
  std::atomic<std::size_t> closed{0};
  std::vector<std::future<void>> done;
  for (const auto& session : live) {
    auto finished = std::make_shared<std::promise<void>>();
    done.push_back(finished->get_future());
    asio::dispatch(session->executor, [&closed, session, finished] {
      if (session->idle) {
        session->close();
        ++closed;
      }
      finished->set_value();
    });
  }
  for (auto& future : done) {
    future.wait();
  }
  return closed;
}

}  // namespace lg::test
