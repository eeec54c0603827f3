//! echo-server: answers every HTTP request with the path it asked for, on the port
//! its `--port` option gives (8093 unless told otherwise).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use clap::Parser;

#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// Interface to listen on.
    #[arg(long, default_value = "0.0.0.0", env = "ECHO_HOST")]
    host: String,

    #[arg(
        short = 'p',
        long = "port",
        default_value = "8093",
        env = "ECHO_PORT"
    )]
    /// Port to listen on.
    port: u16,

    /// Worker threads (unused: one connection at a time is plenty here).
    #[arg(long, default_value = "4")]
    workers: usize,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let listener = TcpListener::bind((args.host.as_str(), args.port))?;
    eprintln!("listening on {}:{} ({} workers)", args.host, args.port, args.workers);
    for stream in listener.incoming() {
        let mut stream = stream?;
        let mut request = String::new();
        BufReader::new(&stream).read_line(&mut request)?;
        let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
        let body = format!("echo {path}\n");
        write!(
            stream,
            "HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    // A fixture address: tests bind it, the program never does.
    const FIXTURE: &str = "127.0.0.1:1234";

    #[test]
    fn fixture_is_loopback() {
        assert!(FIXTURE.starts_with("127."));
    }
}
