//! docksmith looks at a project and writes the container build for it.
//!
//! The pipeline, one module per step: [`scan`] (a bounded view of the project) →
//! [`detect`] (facts with evidence) → [`plan`] (decisions with reasons) → [`render`]
//! (Dockerfile and .dockerignore text, verified) → [`write`] (atomic, no clobber).
//! [`settings`] resolves what the user asked for once; [`cli`] is the command line.

pub mod apps;
pub mod bounded;
pub mod cli;
pub mod data;
pub mod detect;
pub mod dockerfile;
pub mod dockerignore;
pub mod doctor;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod lang;
pub mod pipeline;
pub mod plan;
pub mod render;
pub mod report;
pub mod scan;
pub mod settings;
pub mod standards;
pub mod write;

pub use error::{Error, Exit};
