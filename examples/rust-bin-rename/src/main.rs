//! greet: prints a greeting, or its version with --version.

fn main() {
    let arg = std::env::args().nth(1);
    match arg.as_deref() {
        Some("--version") => println!("greet {}", env!("CARGO_PKG_VERSION")),
        Some(name) => println!("hello, {name}"),
        None => println!("hello, world"),
    }
}
