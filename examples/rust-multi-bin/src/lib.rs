//! Shared by the server and the migration tool.

/// The schema version both binaries agree on.
pub const SCHEMA: u32 = 3;
