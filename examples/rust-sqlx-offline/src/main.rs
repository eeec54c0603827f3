//! A service whose SQL sqlx checks at compile time: `.sqlx/` holds the query cache
//! (`cargo sqlx prepare`), so the image builds offline, without a database.

use sqlx::sqlite::SqlitePoolOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PORT: u16 = 8100;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let pool = SqlitePoolOptions::new().connect("sqlite::memory:").await?;
    let listener = TcpListener::bind(("0.0.0.0", PORT)).await?;
    println!("listening on {PORT}");
    loop {
        let (mut socket, _) = listener.accept().await?;
        let mut request = [0u8; 1024];
        let _ = socket.read(&mut request).await?;
        let row = sqlx::query!("SELECT 40 + 2 AS answer").fetch_one(&pool).await?;
        let body = format!("the answer is {}\n", row.answer);
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await?;
    }
}
