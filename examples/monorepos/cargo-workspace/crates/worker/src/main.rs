//! Re-indexes the catalogue once and exits.

fn main() {
    for item in shop_core::items() {
        println!("indexed {item}");
    }
}
