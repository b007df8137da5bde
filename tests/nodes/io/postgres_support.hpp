#pragma once

// Running the postgres node in small graphs against the test server (support/postgres.hpp).

#include "nodes/node_run.hpp"
#include "support/execution_failure.hpp"
#include "support/postgres.hpp"

#include <logic_graph/engine/exec/runtime.hpp>

#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

namespace lg::test {

/// A `postgres` node on `connection`.
inline nlohmann::json postgres_at(const std::string& connection, const std::string& query,
                                  nlohmann::json fields = nlohmann::json::object()) {
  fields["connection"] = connection;
  fields["query"] = query;
  return typed("postgres", std::move(fields));
}

/// A `postgres` node on the test server.
inline nlohmann::json postgres(const std::string& query,
                               nlohmann::json fields = nlohmann::json::object()) {
  return postgres_at(postgres_url(), query, std::move(fields));
}

/// An executor of the one node on `runtime` (nodes on one runtime share a pool per server).
inline Executor on(const std::shared_ptr<Runtime>& runtime, const nlohmann::json& node) {
  return Executor{one_node_graph(node), builtin_nodes(), {.runtime = runtime}};
}

/// The node's result of one run of `executor`.
inline nlohmann::json value_at(Executor& executor, nlohmann::json input = nullptr) {
  return executor.run(std::move(input))
      .context()
      .get<nlohmann::json>("n")
      .value_or(nlohmann::json("missing"));
}

/// A TCP port on 127.0.0.1 where nothing listens (taken from the system, then let go).
inline int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

/// A query counting the server's sessions of application `name` for which `condition` holds.
inline std::string sessions(const std::string& name, const std::string& condition = "true") {
  return "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + name + "' AND " +
         condition;
}

}  // namespace lg::test
