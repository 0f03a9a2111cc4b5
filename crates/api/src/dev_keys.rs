//! The development-only Ed25519 key pair for access tokens. Public on purpose:
//! `serve` refuses to start in production with it, or with no key at all.

/// PKCS#8 private key (base64 body of the PEM).
pub const PRIVATE_KEY: &str = "MC4CAQAwBQYDK2VwBCIEIPIDRN5QG/1xknUDOuFQXLTl3G6mdnRBaV4bwLLzhfzb";
/// SPKI public key (base64 body of the PEM).
pub const PUBLIC_KEY: &str = "MCowBQYDK2VwAyEAlX1reDVW28L5TqxcZN2iaXxeBDnAT7qh1RqSIhNQm5k=";

/// A PEM document from either a full PEM or its bare base64 body (env files hold one line).
pub fn to_pem(value: &str, label: &str) -> String {
    let value = value.trim();
    if value.contains("-----BEGIN") {
        value.replace("\\n", "\n")
    } else {
        format!("-----BEGIN {label}-----\n{value}\n-----END {label}-----\n")
    }
}
