//! rootcount: a rustls client configuration with the Mozilla roots; no OpenSSL.

use std::sync::Arc;

fn main() {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let count = roots.len();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS 1.2 and 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth();
    drop(config);
    if std::env::args().any(|a| a == "--version") {
        println!("rootcount {} ({count} roots, rustls)", env!("CARGO_PKG_VERSION"));
        return;
    }
    println!("{count}");
}
