//! Formats the numbers it is given with the `itoa` crate it shares its name with.

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("--version") {
        println!("itoa-demo {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    let mut buffer = itoa::Buffer::new();
    for arg in args {
        match arg.parse::<i64>() {
            Ok(n) => println!("{}", buffer.format(n)),
            Err(_) => eprintln!("not a number: {arg}"),
        }
    }
}
