#pragma once

#include <filesystem>
#include <string>

namespace lg::test {

/// A throw-away certificate authority and a server certificate it signed, for TLS tests: made
/// fresh by each call (P-256 keys, valid from an hour ago for a day), for the names `localhost`
/// and the address 127.0.0.1.
struct TestCertificates {
  std::string ca_pem;           // the authority's certificate: what a client trusts
  std::string server_cert_pem;  // the server's certificate
  std::string server_key_pem;   // its private key
  /// A server certificate signed by nobody the client trusts (itself), for the same names.
  std::string self_signed_cert_pem;
  std::string self_signed_key_pem;
};

/// Makes the certificates above; throws std::runtime_error when OpenSSL fails.
[[nodiscard]] TestCertificates make_test_certificates();

/// Writes `text` to `file` (for a client's ca_file); throws when it cannot.
void write_file(const std::filesystem::path& file, const std::string& text);

}  // namespace lg::test
