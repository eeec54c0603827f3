//! The write wing: everything docksmith changes on disk, decided here.
//!
//! [`atomic`] writes a file safely and diffs it; [`record`] keeps the answers and the
//! hashes of what docksmith generated (docksmith.toml, `.docksmith/generated/`);
//! [`sync`] gives each generated file a status against what is on disk (create,
//! identical, overwrite, merge, conflict, skip, kept, unresolved); [`apply`] plans a
//! run's changes and commits them with their record; [`settable`] names the setting a
//! kept hand edit could be. The command line only asks the questions a
//! conflict raises and prints what happened.

pub mod apply;
pub mod atomic;
pub mod journal;
pub mod lock;
pub mod record;
pub mod settable;
pub mod sync;

pub use atomic::{
    Outcome, WriteError, read_managed, refuse_symlinked_dir, unified_diff, write_file,
};
