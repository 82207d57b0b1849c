//! Rebuilds the binary when a migration is added: `sqlx::migrate!` embeds every file of
//! `migrations/sqlite` and `migrations/postgres`, but the compiler only watches the files it
//! saw, so a new file would otherwise go unnoticed (as sqlx documents for `migrate!`).

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
