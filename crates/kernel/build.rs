//! Rebuild when a migration folder is added: `embed_migrations!` alone does not notice.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
