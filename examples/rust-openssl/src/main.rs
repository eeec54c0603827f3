//! tlscheck: builds a TLS client with the system's OpenSSL and CA certificates.
//! `--version` also proves libssl loads in the image.

fn main() {
    let connector = native_tls::TlsConnector::new().expect("a TLS connector (libssl and CA certificates)");
    drop(connector);
    if std::env::args().any(|a| a == "--version") {
        println!("tlscheck {} ({})", env!("CARGO_PKG_VERSION"), openssl::version::version());
        return;
    }
    println!("TLS client ready");
}
