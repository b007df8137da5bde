#include "nodes/node_run.hpp"
#include "support/execution_failure.hpp"
#include "support/http_test_server.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

using lg::test::one_node_graph;
using lg::test::reply;
using lg::test::TestRequest;
using lg::test::TestResponse;
using lg::test::typed;
using Json = nlohmann::json;

using lg::test::failure_of;
using lg::test::has;

namespace {

// A small server of the chat-completions protocol: it answers with the last message's
// content, upper-cased, or with a JSON object when asked for one, and keeps every request.
struct ChatServer {
  std::mutex mutex;
  std::vector<Json> bodies;
  std::vector<std::string> authorizations;
  int rate_limited = 0;  // answer this many requests with 429 first

  // What the server saw, read under its lock (the server's thread writes it).
  std::size_t count() {
    const std::scoped_lock lock(mutex);
    return bodies.size();
  }
  Json body(std::size_t i) {
    const std::scoped_lock lock(mutex);
    return bodies.at(i);
  }
  std::string authorization(std::size_t i) {
    const std::scoped_lock lock(mutex);
    return authorizations.at(i);
  }

  TestResponse answer(const TestRequest& request) {
    if (request.method != "POST" || request.path != "/v1/chat/completions") {
      TestResponse missing = reply(R"({"error": {"message": "no such route"}})");
      missing.status = 404;
      return missing;
    }
    const Json body = Json::parse(request.body);
    {
      const std::scoped_lock lock(mutex);
      bodies.push_back(body);
      const auto auth = request.headers.find("authorization");
      authorizations.push_back(auth == request.headers.end() ? "" : auth->second);
      if (rate_limited > 0) {
        --rate_limited;
        TestResponse limited = reply(R"({"error": {"message": "slow down"}})");
        limited.status = 429;
        limited.headers = {{"Retry-After", "1"}, {"Content-Type", "application/json"}};
        return limited;
      }
    }
    std::string content = body["messages"].back()["content"].get<std::string>();
    if (body.contains("response_format")) {
      content = content == "broken" ? "{\"category\": " : Json{{"category", content}}.dump();
    } else {
      for (char& c : content) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
    }
    return reply(Json{{"id", "chatcmpl-1"},
                      {"model", body["model"]},
                      {"choices",
                       {{{"index", 0},
                         {"message", {{"role", "assistant"}, {"content", content}}},
                         {"finish_reason", "stop"}}}},
                      {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 2}}}}
                     .dump());
  }
};

Json llm(const lg::test::TestHttpServer& server, Json fields) {
  fields["endpoint"] = server.url("/v1");
  if (!fields.contains("model")) {
    fields["model"] = "tiny";
  }
  return typed("llm", std::move(fields));
}

}  // namespace

TEST_SUITE("llm node") {
  TEST_CASE("a prompt template with a system message, the answer, model and usage") {
    ChatServer chat;
    const lg::test::TestHttpServer server([&](const TestRequest& r) { return chat.answer(r); });
    const Json out =
        lg::test::run_graph(one_node_graph(llm(server, {{"system", "You sort tickets."},
                                                        {"prompt", "ticket: {{ ticket.text }}"},
                                                        {"temperature", 0.2},
                                                        {"max_tokens", 64}})),
                            {{"ticket", {{"text", "printer on fire"}}}})["n"];
    CHECK(out == Json{{"content", "TICKET: PRINTER ON FIRE"},
                      {"model", "tiny"},
                      {"finish_reason", "stop"},
                      {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 2}}}});
    REQUIRE(chat.count() == 1);
    CHECK(chat.body(0) == Json{{"model", "tiny"},
                               {"messages",
                                {{{"role", "system"}, {"content", "You sort tickets."}},
                                 {{"role", "user"}, {"content", "ticket: printer on fire"}}}},
                               {"stream", false},
                               {"temperature", 0.2},
                               {"max_tokens", 64}});
    CHECK(chat.authorization(0).empty());
  }

  TEST_CASE("messages, response_format json parsed, an answer that is not JSON fails") {
    ChatServer chat;
    const lg::test::TestHttpServer server([&](const TestRequest& r) { return chat.answer(r); });
    const Json node = llm(server, {{"messages",
                                    {{{"role", "system"}, {"content", "Answer in JSON."}},
                                     {{"role", "user"}, {"content", "{{ word }}"}}}},
                                   {"response_format", "json"}});
    const Json out = lg::test::run_graph(one_node_graph(node), {{"word", "billing"}})["n"];
    CHECK(out["content"] == Json{{"category", "billing"}});
    CHECK(chat.body(0)["response_format"] == Json{{"type", "json_object"}});
    CHECK(has(failure_of(node, {{"word", "broken"}}),
              "response_format json, but the model's answer is not valid JSON (line 1"));
  }

  TEST_CASE("the API key comes from the environment, is sent, and is never in a message") {
    ChatServer chat;
    chat.rate_limited = 1;
    const lg::test::TestHttpServer server([&](const TestRequest& r) { return chat.answer(r); });
    ::setenv("LG_TEST_LLM_KEY", "sk-test-secret", 1);
    const Json node = llm(server, {{"prompt", "hi"}, {"api_key_env", "LG_TEST_LLM_KEY"}});
    const std::string limited = failure_of(node);
    CHECK(has(limited, "POST " + server.url("/v1/chat/completions") +
                           ": rate limited (status 429, Retry-After 1): slow down"));
    CHECK(!has(limited, "sk-test-secret"));
    CHECK(chat.authorization(chat.count() - 1) == "Bearer sk-test-secret");
    ::unsetenv("LG_TEST_LLM_KEY");
    CHECK(lg::test::build_error(node).empty());  // validates without the key
    CHECK(has(failure_of(node),
              "api_key_env: the environment variable 'LG_TEST_LLM_KEY' is not set"));
    CHECK(has(lg::test::build_error(llm(server, {{"prompt", "hi"}, {"api_key", "sk-1"}})),
              "field 'api_key': a key does not belong in a graph file"));
  }

  TEST_CASE("retry wraps the rate limit: a 429, then the answer") {
    ChatServer chat;
    chat.rate_limited = 2;
    const lg::test::TestHttpServer server([&](const TestRequest& r) { return chat.answer(r); });
    const Json out = lg::test::run_graph(one_node_graph(
        llm(server, {{"prompt", "again"}, {"retry", {{"attempts", 3}, {"backoff_ms", 1}}}})))["n"];
    CHECK(out["content"] == "AGAIN");
    CHECK(chat.count() == 3);
  }

  TEST_CASE("errors: status with the server's reason, not a completion, no endpoint or model") {
    ChatServer chat;
    const lg::test::TestHttpServer server([&](const TestRequest& request) {
      if (request.path == "/bad/chat/completions") {
        return reply(R"({"object": "list"})");
      }
      return chat.answer(request);
    });
    Json wrong = llm(server, {{"prompt", "x"}});
    wrong["endpoint"] = server.url("/v2");
    CHECK(has(failure_of(wrong), "/v2/chat/completions: status 404: no such route"));
    wrong["endpoint"] = server.url("/bad");
    CHECK(has(failure_of(wrong), "the response has no choices[0].message.content"));
    ::unsetenv("LG_LLM_ENDPOINT");
    ::unsetenv("LG_LLM_MODEL");
    CHECK(has(failure_of(typed("llm", {{"prompt", "x"}, {"model", "m"}})),
              "endpoint: none configured and LG_LLM_ENDPOINT is not set"));
    ::setenv("LG_LLM_ENDPOINT", server.url("/v1").c_str(), 1);
    CHECK(has(failure_of(typed("llm", {{"prompt", "x"}})),
              "model: none configured and LG_LLM_MODEL is not set"));
    ::setenv("LG_LLM_MODEL", "from-env", 1);
    CHECK(lg::test::run_graph(one_node_graph(typed("llm", {{"prompt", "x"}})))["n"]["model"] ==
          "from-env");
    ::unsetenv("LG_LLM_ENDPOINT");
    ::unsetenv("LG_LLM_MODEL");
  }

  TEST_CASE("config errors name the field") {
    using lg::test::build_error;
    CHECK(has(build_error(typed("llm", {{"model", "m"}})), "field 'prompt': give either"));
    CHECK(has(build_error(typed("llm", {{"prompt", "a"}, {"messages", Json::array()}})),
              "field 'messages': give either"));
    CHECK(has(build_error(typed("llm", {{"messages", {{{"role", "robot"}, {"content", "x"}}}}})),
              "field 'messages[0].role': must be \"system\", \"user\" or \"assistant\""));
    CHECK(has(build_error(typed("llm", {{"prompt", "a"}, {"temperature", 3}})),
              "field 'temperature': must be a number from 0 to 2"));
    CHECK(has(build_error(typed("llm", {{"prompt", "a"}, {"response_format", "xml"}})),
              "field 'response_format'"));
    CHECK(has(build_error(typed("llm", {{"prompt", "{{ x"}})), "field 'prompt'"));
  }
}
