//! What several benches share (each includes this folder with `#[path]`; a bench uses only
//! part of it).
#![allow(dead_code)]

pub mod machine;
pub mod seed;
