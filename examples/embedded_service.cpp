// The HTTP service inside a program of one's own: the server on the program's io_context, and
// its endpoints answered without the listener (a Beast request in, a response out), then an
// orderly shutdown.

#include <logic_graph/logic_graph.hpp>
#include <logic_graph/service/server.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

namespace asio = boost::asio;
namespace http = boost::beast::http;

int main() {
  const std::filesystem::path graphs =
      std::filesystem::temp_directory_path() / "lg_embedded_service_graphs";
  std::filesystem::create_directories(graphs);
  std::ofstream(graphs / "adult.json")
      << R"({"nodes": [{"id": "adult", "type": "rule", "condition": "age >= 18"}]})";

  // [readme:embedded-service]
  asio::io_context io;
  auto runtime = std::make_shared<lg::Runtime>(
      lg::RuntimeOptions{.threads = 1, .executor = io.get_executor(), .max_inflight = 1000});
  lg::service::Server server{runtime, {.graphs_dir = graphs, .port = 0}};
  server.start();  // listening on 127.0.0.1:server.port()

  // The endpoints without the listener, as a Beast server of one's own would call them.
  lg::service::Request request{http::verb::post, "/v1/graphs/adult/execute", 11};
  request.body() = R"({"age": 20})";
  lg::service::Response response;
  asio::co_spawn(io, server.router().handle(request, response), [&](std::exception_ptr) {
    std::cout << response.result_int() << ' '
              << nlohmann::json::parse(response.body())["result"].dump() << '\n';
    // An orderly end: stop accepting, let executions in flight answer, close connections.
    server.async_shutdown([&] { io.stop(); });
  });
  io.run();
  // [/readme]

  std::filesystem::remove_all(graphs);
}
