// ZEN's expression language (the dialect of JDM decision models) on its own: parse once,
// evaluate against JSON many times, from any thread.

#include <logic_graph/logic_graph.hpp>

#include <iostream>

int main() {
  try {
    // [readme:zen-expressions]
    // Decimal arithmetic, closures over `#`, template strings and ZEN's functions.
    const auto total = lg::zen::Expression::parse("sum(map(cart, #.price * #.qty))");
    const nlohmann::json cart = {
        {"cart", {{{"price", 0.1}, {"qty", 3}}, {{"price", 2.5}, {"qty", 2}}}}};
    std::cout << "total: " << total.evaluate(cart) << '\n';  // 5.3, not 5.300000000000001

    // A decision-table cell: a unary test of `$`.
    const auto cell = lg::zen::Expression::parse("'GB', 'US', [100..200)", lg::zen::Mode::unary);
    std::cout << "US matches: " << cell.evaluate({{"$", "US"}}) << '\n';
    std::cout << "150 matches: " << cell.evaluate({{"$", 150}}) << '\n';

    // Dates in time zones, with `now` pinned for a reproducible run.
    lg::zen::pin_now(lg::zen::parse_instant("2024-07-01T09:30:00Z"));
    const auto due = lg::zen::Expression::parse("d().tz('Asia/Tokyo').add(3, 'd').format('%F %R')");
    std::cout << "due: " << due.evaluate({}) << '\n';

    // Errors name the place.
    try {
      (void)lg::zen::Expression::parse("'x' + 1").evaluate({});
    } catch (const lg::ExpressionError& e) {
      std::cout << "error: " << e.what() << '\n';
    }
    // [/readme]
  } catch (const std::exception& e) {
    std::cerr << "zen_expressions: " << e.what() << '\n';
    return 1;
  }
}
